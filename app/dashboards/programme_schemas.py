"""What GET /api/v1/programmes/<id>/stats answers: one declaration, read by the route and the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Date, Id
from app.learning.models import COMPLETION_KINDS

Count = Annotated[int, Field(ge=0)]


class ModuleStatsOut(TypedDict):
    module_id: Id
    title: str
    position: Annotated[int, Field(ge=1, description="1-based place in the programme's order (active modules).")]
    completion: Literal[COMPLETION_KINDS]
    required: bool
    started: Annotated[Count, Field(description=(
        "Participants with any trace of work on the module: a completion, a self-study submission (any "
        "status) or a check-in on an event or session that teaches it. Registering alone does not count."))]
    completed: Annotated[Count, Field(description="Participants who completed the module.")]
    continued: Annotated[Count | None, Field(description=(
        "Of those who completed the module, how many started the next one in order (null for the last "
        "module); `completed - continued` stopped between the two."))]
    submissions_waiting: Annotated[Count, Field(description="Self-study submissions waiting for review.")]


class CompletionsDay(TypedDict):
    date: Annotated[Date, Field(description="A UTC day on which people completed the programme.")]
    count: Annotated[Count, Field(description="Programme completions on that day (per day, not cumulative).")]
    cumulative: Annotated[Count, Field(description="Completions up to and including that day.")]


class ProgrammeStatsOut(TypedDict):
    programme_id: Id
    participants: Annotated[Count, Field(description="People who joined the programme.")]
    completed: Annotated[Count, Field(description="People who completed the programme.")]
    median_days_to_complete: Annotated[float | None, Field(ge=0, description=(
        "Median days from joining to completing the programme (null before anyone completed it)."))]
    submissions_waiting: Annotated[Count, Field(description=(
        "Self-study submissions in the programme waiting for review (archived modules included)."))]
    modules: Annotated[list[ModuleStatsOut], Field(description="Active modules in the programme's order.")]
    completions_over_time: Annotated[list[CompletionsDay], Field(description=(
        "Days with at least one completion, oldest first; `count` per day and `cumulative` running total."))]
