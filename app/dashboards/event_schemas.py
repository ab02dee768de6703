"""What `GET /api/v1/events/<id>/stats` answers (the contract of issue 15, plus figures it allows to add)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Date, DateTime, Id

Count = Annotated[int, Field(ge=0)]
Breakdown = Annotated[dict[str, Count], Field(
    description="People per key, most first; `unknown` for people without one.")]


class RegistrationDay(TypedDict):
    date: Annotated[Date, Field(description="A day in the event's time zone.")]
    count: Annotated[Count, Field(description="Enrolments first made that day.")]
    cumulative: Annotated[Count, Field(description="Enrolments made up to and including that day.")]


class FunnelOut(TypedDict):
    registered: Annotated[Count, Field(description="Every enrolment ever made, whatever its status now.")]
    confirmed: Annotated[Count, Field(description="Enrolments confirmed at some point (even if cancelled since).")]
    attended: Annotated[Count, Field(description="Enrolments checked in at least once.")]
    certified: Annotated[Count, Field(description="People holding a valid certificate of the event.")]


class WaitingListOut(TypedDict):
    put_on_list: Count
    waiting_now: Count
    promoted: Annotated[Count, Field(description="Confirmed straight from the waiting list.")]
    offers_made: Count
    offers_accepted: Count
    offers_expired: Count
    offers_declined: Count
    offers_open: Count


class SessionAttendance(TypedDict):
    session_id: Annotated[Id | None, Field(description="The agenda session; null for a day of an event "
                                                       "without sessions (see `day`).")]
    day: Annotated[Date | None, Field(description="The event's local day (events without sessions).")]
    title: str
    starts_at: DateTime
    ends_at: DateTime
    attended: Annotated[Count, Field(description="People checked in.")]
    no_shows: Annotated[Count | None, Field(description="Confirmed and not checked in; null until it has ended.")]


class EventStatsOut(TypedDict):
    event_id: Id
    timezone: Annotated[str, Field(description="The IANA zone the days are counted in.")]
    capacity: Count | None
    registration_opens_at: DateTime | None
    registration_closes_at: DateTime | None
    seats_taken: Annotated[Count, Field(description="Confirmed people and open offers.")]
    participants: Annotated[Count, Field(description="Confirmed enrolments now: the people the breakdowns count.")]
    statuses: Annotated[dict[str, Count], Field(description="Enrolments by status now.")]
    registrations_over_time: list[RegistrationDay]
    funnel: FunnelOut
    waiting_list: WaitingListOut
    attendance_by_session: list[SessionAttendance]
    no_shows: Annotated[Count | None, Field(
        description="Confirmed and never checked in; null until the first session (or day) has ended.")]
    by_country: Annotated[dict[str, Count], Field(description="Participants per ISO 3166-1 alpha-2 country "
                                                              "(theirs, else their organisation's).")]
    by_region: Annotated[dict[str, Count], Field(description="Participants per UN M49 sub-region code.")]
    by_organisation_kind: Breakdown
    by_language: Annotated[dict[str, Count], Field(description="Participants per preferred language.")]
