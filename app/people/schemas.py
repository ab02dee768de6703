"""What the people API answers and accepts: one declaration per shape, read by the routes in api.py, by request
validation and by the generated OpenAPI document. Limits come from app/people/limits.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Body, Bool, Id, Query, Text, Url
from app.people import limits
from app.people.profiles import CITY_MAX

Count = Annotated[int, Field(ge=0)]
Visibility = Literal[limits.VISIBILITIES]
QueryText = Annotated[str, Field(max_length=200)]
TargetCode = Annotated[str, Field(max_length=8, description="An official SDG target code such as 11.2 or 6.a.")]
LanguageCode = Annotated[str, Field(max_length=8, description="ISO 639-1, such as fr.")]
Slug = Annotated[str, Field(max_length=80, description="A topic slug.")]


class PersonOut(TypedDict):
    id: Annotated[int, Field(ge=1, description="The person's user id.")]
    name: str
    position: str
    organisation_id: Id | None
    city: str
    country: Annotated[str | None, Field(description="ISO 3166-1 alpha-2 (theirs, else their organisation's).")]
    expertise_topics: list[str]
    expertise_sdg_targets: list[str]
    languages: list[str]
    url: Url


class PeoplePage(TypedDict):
    items: list[PersonOut]
    total: Count
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1, le=50)]


class OwnProfileOut(PersonOut):
    visibility: Visibility
    bio: str
    shows_events: bool
    shows_certificates: bool
    accepts_messages: bool
    has_photo: bool


class ProfileUpdate(Body):
    """The fields to change (at least one); the profile is made (hidden) on the first change."""

    min_fields = 1
    ignored = ("id", "name", "organisation_id", "country", "url", "has_photo")
    visibility: Annotated[Visibility, Field(description="hidden (the default), members or public.")] = None
    position: Text(limits.POSITION_MAX) = None
    city: Text(CITY_MAX) = None
    bio: Text(limits.BIO_MAX) = None
    expertise_topics: Annotated[list[Slug], Field(max_length=50)] = None
    expertise_sdg_targets: Annotated[list[TargetCode], Field(max_length=limits.MAX_EXPERTISE_TARGETS * 2)] = None
    languages: Annotated[list[LanguageCode], Field(max_length=limits.MAX_SPOKEN_LANGUAGES * 2)] = None
    shows_events: Bool = None
    shows_certificates: Bool = None
    accepts_messages: Bool = None


class PeopleFilters(Query):
    q: Annotated[QueryText, Field(description="Words in the name, position, bio, organisation or city.")] = None
    topic: Annotated[QueryText, Field(description="A topic slug.")] = None
    sdg: Annotated[QueryText, Field(description="An SDG goal (11) or target (11.2).")] = None
    country: Annotated[QueryText, Field(description="ISO 3166-1 alpha-2 code.")] = None
    region: Annotated[QueryText, Field(description="A UN M49 region (150) or sub-region (155) code.")] = None
    language: Annotated[QueryText, Field(description="A language spoken (ISO 639-1).")] = None
    page: Annotated[int, Field(ge=1, le=10_000, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=50, description="Page size.")] = 20
