"""What POST /api/v1/match accepts and answers (one declaration, read by validation and the OpenAPI document).
Limits come from app/people/limits.py and app/people/matching.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Body, Id, Text, Url
from app.people.limits import MAX_EXPERTISE_TARGETS, MAX_SPOKEN_LANGUAGES, SIZE_BANDS
from app.people.matching import KINDS, MAX_TOPICS, TEXT_MAX

TopicSlug = Annotated[str, Field(max_length=80, description="A topic's slug (GET /api/v1/topics).")]
TargetCode = Annotated[str, Field(max_length=8, description="An official SDG target code such as 11.2 or 6.a.")]
LanguageCode = Annotated[str, Field(max_length=3, description="ISO 639-1 code such as fr.")]


class MatchRequest(Body):
    topics: Annotated[list[TopicSlug], Field(max_length=MAX_TOPICS)] = []
    sdg_targets: Annotated[list[TargetCode], Field(max_length=MAX_EXPERTISE_TARGETS)] = []
    region: Annotated[str | None, Field(max_length=3, description=(
        "Your city's UN M49 sub-region code, such as 155 (Western Europe)."))] = None
    size_band: Annotated[Literal[SIZE_BANDS] | None, Field(description=(
        "Your city's size: small (< 100,000 inhabitants), medium (< 500,000), large (< 1 million), "
        "metropolis."))] = None
    languages: Annotated[list[LanguageCode], Field(max_length=MAX_SPOKEN_LANGUAGES, description=(
        "Languages you can work in."))] = []
    text: Text(TEXT_MAX, description="A few words about the challenge, found by the site search.") = ""


class MatchReason(TypedDict):
    code: Annotated[str, Field(description=(
        "sdg_targets, topics, same_region, same_continent, similar_size, speaks, written_in, text or presented."))]
    values: Annotated[dict[str, Any], Field(description="What the reason names (target codes, topic names ...).")]
    text: Annotated[str, Field(description="The reason as a phrase in the request's language.")]


class MatchItem(TypedDict):
    type: Literal[KINDS]
    id: Id
    title: str
    score: Annotated[int, Field(ge=1, description="Points earned; the weights are documented in the description.")]
    reasons: list[MatchReason]
    url: Url


class MatchList(TypedDict):
    items: list[MatchItem]
