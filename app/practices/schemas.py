"""What the practices API answers and accepts: one declaration per shape, read by the routes in api.py, by
request validation and by the generated OpenAPI document. Limits come from app/practices/limits.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Body, DateTime, Form, Id, Number, Query, Text, Url, Whole
from app.apikit.shapes import PersonOut
from app.language import LANGUAGES
from app.practices import limits
from app.practices.inputs import READ_ONLY

Count = Annotated[int, Field(ge=0)]
Stage = Literal[limits.STAGES]
Status = Literal[limits.STATUSES]
Language = Literal[tuple(LANGUAGES)]
Year = Annotated[int, Field(ge=limits.FIRST_YEAR, description="A year from 1900 to next year.")]
Section = Annotated[str, Field(description="Markdown source.")]
TargetCode = Annotated[str, Field(pattern=r"^\s*[0-9]{1,2}\.([0-9]{1,2}|[a-dA-D])\s*$", max_length=8,
                                  description="An official SDG target code such as 11.2 or 6.a.")]
QueryText = Annotated[str, Field(max_length=200)]


# ---------------------------------------------------------------------------------------------------
# Answers


class IndicatorOut(TypedDict):
    indicator: str
    unit: str
    baseline: float | None
    value: float | None
    year: int | None
    source: str


class DocumentOut(TypedDict):
    id: Id
    name: str
    size: Count
    url: Url


class ImageOut(TypedDict):
    id: Id
    url: Url
    caption: str
    credit: str


class TranslationOut(TypedDict):
    title: str
    summary: str
    challenge: Section
    solution: Section
    results: Section
    costs_and_funding: Section
    stakeholders: Section
    success_factors: Section
    obstacles: Section
    transferability: Section


class PracticeOut(TypedDict):
    id: Id
    slug: str
    title: str
    summary: str
    status: Status
    organisation_id: Id
    city: str
    country: Annotated[str, Field(description="ISO 3166-1 alpha-2.")]
    subdivision: Annotated[str | None, Field(description="ISO 3166-2, such as DE-SN.")]
    region: Annotated[str | None, Field(description="UN M49 sub-region code, derived from the country.")]
    latitude: float | None
    longitude: float | None
    topics: Annotated[list[str], Field(description="Topic slugs.")]
    sdg_goals: list[Annotated[int, Field(ge=1, le=17)]]
    sdg_targets: list[str]
    stage: Stage
    started_year: int | None
    ended_year: int | None
    challenge: Section
    solution: Section
    results: Section
    costs_and_funding: Section
    stakeholders: Section
    success_factors: Section
    obstacles: Section
    transferability: Section
    indicators: list[IndicatorOut]
    contact: Annotated[PersonOut | None, Field(description="A member of the platform; no email address.")]
    documents: list[DocumentOut]
    images: list[ImageOut]
    event_ids: list[Id]
    module_ids: list[Id]
    interest_count: Count
    language: Annotated[str, Field(description="Language of the original text.")]
    translations: Annotated[dict[str, TranslationOut], Field(description="By language code.")]
    published_at: DateTime | None
    updated_at: DateTime
    last_verified_at: DateTime | None
    url: Url


class PracticePage(TypedDict):
    items: list[PracticeOut]
    total: Count
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1, le=100)]


class InterestOut(TypedDict):
    practice_id: Id
    organisation_id: Id
    note: str
    created_at: DateTime
    interest_count: Count


# ---------------------------------------------------------------------------------------------------
# Requests


class IndicatorIn(Body):
    indicator: Text(limits.INDICATOR_TEXT_MAX, min_length=1)
    unit: Text(limits.INDICATOR_TEXT_MAX) = None
    baseline: Number | None = None
    value: Number | None = None
    year: Whole(ge=limits.FIRST_YEAR) | None = None
    source: Text(limits.INDICATOR_TEXT_MAX) = None


class TranslationIn(Body):
    title: Text(limits.TITLE_MAX, min_length=1)
    summary: Text(limits.SUMMARY_MAX) = None
    challenge: Text(limits.SECTION_MAX) = None
    solution: Text(limits.SECTION_MAX) = None
    results: Text(limits.SECTION_MAX) = None
    costs_and_funding: Text(limits.SECTION_MAX) = None
    stakeholders: Text(limits.SECTION_MAX) = None
    success_factors: Text(limits.SECTION_MAX) = None
    obstacles: Text(limits.SECTION_MAX) = None
    transferability: Text(limits.SECTION_MAX) = None


class PracticeWrite(Body):
    ignored = READ_ONLY

    summary: Text(limits.SUMMARY_MAX) = None
    organisation_id: Annotated[Whole(ge=1, le=2_147_483_647), Field(
        description="Your own organisation (organisers and admins may name any).")] = None
    city: Text(limits.CITY_MAX) = None
    country: Annotated[str, Field(pattern=r"^\s*[A-Za-z]{2}\s*$", description="ISO 3166-1 alpha-2.")] = None
    subdivision: Annotated[str, Field(pattern=r"^\s*[A-Za-z]{2}-[A-Za-z0-9]{1,3}\s*$", description=(
        "ISO 3166-2 code of a subdivision of the country, such as DE-SN."))] | None = None
    latitude: Annotated[Number, Field(ge=-90, le=90, description="With longitude, or neither.")] | None = None
    longitude: Annotated[Number, Field(ge=-180, le=180, description="With latitude, or neither.")] | None = None
    topics: Annotated[list[Text(80, min_length=1)], Field(description="Topic slugs.")] = None
    sdg_goals: list[Whole(ge=1, le=17)] = None
    sdg_targets: Annotated[list[TargetCode], Field(description="Each target adds its goal.")] = None
    stage: Stage = None
    started_year: Whole(ge=limits.FIRST_YEAR) | None = None
    ended_year: Annotated[Whole(ge=limits.FIRST_YEAR) | None, Field(
        description="At most next year, not before started_year.")] = None
    challenge: Text(limits.SECTION_MAX, description="Markdown.") = None
    solution: Text(limits.SECTION_MAX, description="Markdown.") = None
    results: Text(limits.SECTION_MAX, description="Results and impact, Markdown.") = None
    costs_and_funding: Text(limits.SECTION_MAX, description="Markdown.") = None
    stakeholders: Text(limits.SECTION_MAX, description="Stakeholders and participation, Markdown.") = None
    success_factors: Text(limits.SECTION_MAX, description="Markdown.") = None
    obstacles: Text(limits.SECTION_MAX, description="Markdown.") = None
    transferability: Text(limits.SECTION_MAX, description="What another city needs to adopt it; Markdown.") = None
    indicators: Annotated[list[IndicatorIn], Field(max_length=limits.MAX_INDICATORS,
                                                   description="Key figures (replace the list).")] = None
    contact_id: Annotated[Whole(ge=1, le=2_147_483_647, description=(
        "A member of the platform (default: the author); their email is never shown.")) | None, Field()] = None
    event_ids: Annotated[list[Whole(ge=1, le=2_147_483_647)], Field(
        description="Published events where it was presented.")] = None
    module_ids: Annotated[list[Whole(ge=1, le=2_147_483_647)], Field(
        description="Learning modules (of published programmes) that teach it.")] = None
    language: Annotated[Language, Field(description="Language of the original text.")] = None
    translations: Annotated[dict[Language, TranslationIn | None], Field(
        description="By language code; null removes that translation; languages not named are kept.")] = None


class PracticeCreate(PracticeWrite):
    """Created as a draft of your organisation; you are its author and, by default, its contact person."""

    title: Text(limits.TITLE_MAX, min_length=1)
    country: Annotated[str, Field(pattern=r"^\s*[A-Za-z]{2}\s*$", description="ISO 3166-1 alpha-2.")]


class PracticeUpdate(PracticeWrite):
    """The fields to change (at least one). A member's change of a published practice sends it back to review."""

    min_fields = 1
    title: Text(limits.TITLE_MAX, min_length=1) = None


class CommentRequest(Body):
    comment: Text(limits.COMMENT_MAX, description="Kept with the revision.") = None


class ReturnRequest(Body):
    comment: Text(limits.COMMENT_MAX, min_length=1, description="What should change; emailed to the author.")


class InterestRequest(Body):
    note: Text(limits.INTEREST_NOTE_MAX, description="Why your city wants to try it.") = None


class FileUpload(Form):
    files = ("file",)

    caption: Text(limits.CAPTION_MAX) = None
    credit: Text(limits.CREDIT_MAX, description="Who made it (images need one to pass review).") = None


class PracticeFilters(Query):
    q: Annotated[QueryText, Field(description="Words in the title or summary (case and accents ignored).")] = None
    topic: Annotated[QueryText, Field(description="A topic slug.")] = None
    sdg: Annotated[QueryText, Field(description="An SDG goal (11) or target (11.2).")] = None
    region: Annotated[QueryText, Field(description="A UN M49 region (150) or sub-region (155) code.")] = None
    country: Annotated[QueryText, Field(description="ISO 3166-1 alpha-2 code.")] = None
    stage: Annotated[Stage, Field(description="idea, pilot, implemented or scaled.")] = None
    language: Annotated[QueryText, Field(description="Written or translated in this language.")] = None
    organisation: Annotated[QueryText, Field(description="An organisation id.")] = None
    status: Annotated[Status, Field(description=(
        "Editors: your organisation's practices in this status (organisers and admins: everyone's)."))] = None
    page: Annotated[int, Field(ge=1, le=100000, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=100, description="Page size.")] = 20
