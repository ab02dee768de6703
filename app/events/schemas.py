"""What the events API answers and accepts: one declaration per shape, read by the routes in api.py,
by request validation and by the generated OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import (
    MAX_INT,
    Body,
    Bool,
    Date,
    DateTime,
    Id,
    LocalDateTime,
    Number,
    Query,
    Str,
    Text,
    Url,
    Whole,
)
from app.apikit.shapes import PersonOut
from app.content_language import CONTENT_LANGUAGES
from app.events import limits
from app.events.models import (
    ENROLMENT_STATUSES,
    EVENT_FORMATS,
    EVENT_STATUSES,
    WAITLIST_MODES,
)

ET, ST = limits.EVENT_TEXT_LIMITS, limits.SESSION_TEXT_LIMITS
Count = Annotated[int, Field(ge=0)]
Format = Literal[EVENT_FORMATS]
EventStatus = Literal[EVENT_STATUSES]
WaitlistMode = Literal[WAITLIST_MODES]
Latitude = Annotated[Annotated[Number, Field(ge=-90, le=90)] | None,
                     Field(description="Decimal degrees (WGS 84); with `longitude`, both or neither.")]
Longitude = Annotated[Annotated[Number, Field(ge=-180, le=180)] | None,
                      Field(description="Decimal degrees (WGS 84); with `latitude`, both or neither.")]
EnrolmentStatus = Literal[ENROLMENT_STATUSES]
UtcDateTime = Annotated[DateTime, Field(description="ISO 8601 with UTC offset.")]
ContentLanguage = Literal[CONTENT_LANGUAGES]
TL = limits.EVENT_TRANSLATION_LIMITS


class EventTranslationOut(TypedDict):
    title: str
    summary: str
    description: Annotated[str, Field(description="Markdown source.")]


class HostOut(TypedDict):
    id: Id
    name: str
    city: str
    country: str


class EventOut(TypedDict):
    id: Id
    slug: str
    title: str
    format: Format
    summary: str
    description: Annotated[str, Field(description="Markdown source.")]
    status: EventStatus
    cancel_reason: str | None
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    timezone: Annotated[str, Field(description="IANA time zone of the venue.")]
    venue: str
    address: str
    city: str
    country: str | None
    latitude: Annotated[float | None, Field(description="The venue on the map (decimal degrees).")]
    longitude: Annotated[float | None, Field(description="The venue on the map (decimal degrees).")]
    online_url: Url | None
    capacity: Annotated[Count | None, Field(description="null = unlimited.")]
    seats_left: Annotated[Count | None, Field(description="null = unlimited.")]
    waitlist_length: Count
    requires_approval: bool
    waitlist_mode: WaitlistMode
    offer_hours: Annotated[int, Field(ge=1)]
    registration_opens_at: DateTime | None
    registration_closes_at: DateTime | None
    hours: float | None
    min_attendance_percent: Annotated[int, Field(ge=1, le=100)]
    languages: list[str]
    language: Annotated[ContentLanguage, Field(description="The language title, summary and description are "
                                                           "written in.")]
    translations: Annotated[dict[ContentLanguage, EventTranslationOut], Field(description=(
        "Title, summary and description in other languages, by language code."))]
    topics: Annotated[list[str], Field(description="Topic slugs.")]
    hosts: list[HostOut]
    organisers: list[PersonOut]
    revision: Annotated[Count, Field(description="Rises on every change of time, place or status "
                                                 "(iCalendar SEQUENCE).")]
    url: Url
    ical_url: Url


class EventPage(TypedDict):
    items: list[EventOut]
    total: Count
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1, le=100)]


class SessionOut(TypedDict):
    id: Id
    event_id: Id
    title: str
    starts_at: DateTime
    ends_at: DateTime
    location: str
    address: str
    speakers: str
    description: str
    latitude: Annotated[float | None, Field(description="An itinerary stop on the map (decimal degrees).")]
    longitude: Annotated[float | None, Field(description="An itinerary stop on the map (decimal degrees).")]


class SessionList(TypedDict):
    items: list[SessionOut]


class EnrolmentOut(TypedDict):
    id: Id
    event_id: Id
    user_id: Id
    status: EnrolmentStatus
    waitlist_position: Annotated[int, Field(ge=1)] | None
    offer_expires_at: DateTime | None
    ticket_code: Annotated[str, Field(description="Short opaque check-in code.")]
    is_over_capacity: bool
    created_at: DateTime
    confirmed_at: DateTime | None
    cancelled_at: DateTime | None
    cancel_reason: str | None


class EnrolledUserOut(TypedDict):
    id: Id
    name: str
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]


class EnrolmentWithUserOut(EnrolmentOut):
    user: EnrolledUserOut


class EnrolmentWithUserList(TypedDict):
    items: list[EnrolmentWithUserOut]


class EnrolledEventOut(TypedDict):
    id: Id
    title: str
    status: EventStatus
    starts_at: DateTime
    ends_at: DateTime
    timezone: str
    city: str
    url: Url


class MyEnrolmentOut(EnrolmentOut):
    event: EnrolledEventOut


class MyEnrolmentList(TypedDict):
    items: list[MyEnrolmentOut]


class CheckinOut(TypedDict):
    id: Id
    enrolment_id: Id
    session_id: Id | None
    day: Date | None
    method: Literal["search", "code", "api", "sheet"]
    checked_in_at: DateTime


class AttendanceOut(TypedDict):
    enrolment_id: Id
    user_id: Id
    attended: Annotated[list[str], Field(description="Labels of the sessions or days attended.")]
    total_units: Count
    share: Annotated[float, Field(ge=0, le=1)]
    meets_minimum: bool
    hours_attended: Annotated[float, Field(ge=0)]


class AttendanceList(TypedDict):
    items: list[AttendanceOut]


LanguageCode = Annotated[Str, Field(pattern=r"^[a-z]{2}$")]
Nullable = None  # readability: `X | None = None` below means "may be sent as null"


class EventTranslationWrite(Body):
    """A translation of the event's text; the title is required, the others default to empty."""

    title: Text(TL["title"], min_length=1)
    summary: Text(TL["summary"]) = None
    description: Text(TL["description"], description="Markdown, rendered safely (no raw HTML).") = None


class EventWrite(Body):
    """The writable fields of an event (limits: app/events/limits.py)."""

    title: Text(ET["title"], min_length=1) = None
    format: Format = None
    summary: Text(ET["summary"]) = None
    description: Text(ET["description"], description="Markdown, rendered safely (no raw HTML).") = None
    timezone: Annotated[Str, Field(description="IANA time zone of the venue, e.g. Europe/Berlin.",
                                   examples=["Europe/Berlin"])] = None
    starts_at: LocalDateTime = None
    ends_at: LocalDateTime = None
    venue: Text(ET["venue"]) = None
    address: Text(ET["address"]) = None
    city: Text(ET["city"]) = None
    country: Annotated[Str | None, Field(description="ISO 3166-1 alpha-2 code.")] = None
    latitude: Latitude = None
    longitude: Longitude = None
    online_url: Annotated[Annotated[Str, Field(max_length=limits.ONLINE_URL_MAX)] | None,
                          Field(description="An http(s) URL.")] = None
    capacity: Annotated[Whole(ge=0, le=limits.MAX_CAPACITY) | None, Field(description=(
        "null = unlimited; never below the confirmed and offered seats."))] = None
    registration_opens_at: LocalDateTime | None = None
    registration_closes_at: LocalDateTime | None = None
    requires_approval: Bool = None
    waitlist_mode: Annotated[WaitlistMode, Field(description=(
        "auto: the first person waiting is confirmed when a seat frees; "
        "offer: they are offered the seat for `offer_hours`."))] = None
    offer_hours: Annotated[Whole(ge=limits.OFFER_HOURS[0], le=limits.OFFER_HOURS[1]) | None,
                           Field(description="null = the default, 48.")] = None
    hours: Annotated[Annotated[Number, Field(ge=0, le=limits.MAX_HOURS)] | None,
                     Field(description="Declared hours, stated on certificates.")] = None
    min_attendance_percent: Annotated[
        Whole(ge=limits.MIN_ATTENDANCE_PERCENT[0], le=limits.MIN_ATTENDANCE_PERCENT[1]) | None,
        Field(description="null = 100.")] = None
    topics: Annotated[list[Str], Field(description="Topic slugs.")] = None
    hosts: Annotated[list[Id], Field(description="Ids of the host organisations.")] = None
    organisers: Annotated[list[Id], Field(description="User ids of organisers (the creator stays one).")] = None
    languages: Annotated[list[LanguageCode], Field(max_length=limits.MAX_LANGUAGES,
                                                   description="ISO 639-1 codes.")] = None
    auto_certificates: Bool = None
    reminder_offsets_hours: Annotated[
        list[Whole(ge=limits.REMINDER_HOURS[0], le=limits.REMINDER_HOURS[1])],
        Field(description=f"Hours before the start; the {limits.MAX_REMINDERS} largest are kept.")] = None
    slug: Text(limits.SLUG_MAX) | None = None
    language: Annotated[ContentLanguage, Field(description="The language title, summary and description are "
                                                           "written in (default en).")] = None
    translations: Annotated[dict[ContentLanguage, EventTranslationWrite | None], Field(description=(
        "By language code (not the original language): each language given replaces that translation, null "
        "removes it, languages not given stay."))] = None

    ignored = limits.EVENT_READ_ONLY


class EventCreate(EventWrite):
    """A new draft event. Other fields of the Event representation (id, status, url, seats_left, ...) are
    accepted and ignored; any other name is refused with 422."""

    title: Text(ET["title"], min_length=1)
    format: Format
    timezone: Annotated[Str, Field(description="IANA time zone of the venue, e.g. Europe/Berlin.",
                                   examples=["Europe/Berlin"])]
    starts_at: LocalDateTime
    ends_at: LocalDateTime


class EventUpdate(EventWrite):
    """The fields to change (at least one). Other fields of the Event representation are accepted and
    ignored; any other name is refused with 422."""

    min_fields = 1


class SessionWrite(Body):
    title: Text(ST["title"], min_length=1) = None
    starts_at: LocalDateTime = None
    ends_at: LocalDateTime = None
    location: Text(ST["location"], description="Room, or the site visited on an information trip.") = None
    address: Text(ST["address"]) = None
    speakers: Text(ST["speakers"]) = None
    description: Text(ST["description"]) = None
    latitude: Latitude = None
    longitude: Longitude = None

    ignored = limits.SESSION_READ_ONLY


class SessionCreate(SessionWrite):
    """An agenda item inside the event's time (id and event_id are accepted and ignored)."""

    title: Text(ST["title"], min_length=1)
    starts_at: LocalDateTime
    ends_at: LocalDateTime


class SessionUpdate(SessionWrite):
    """The fields to change (at least one)."""

    min_fields = 1


class EnrolRequest(Body):
    user_id: Whole(ge=0, le=MAX_INT, description="Organisers only: enrol this registered person "
                                                               "(default: the caller; no such person: 404).") = None
    override_capacity: Annotated[Bool, Field(description="Organisers only: confirm beyond capacity.")] = None
    note: Text(limits.NOTE_MAX) = None


class ReasonRequest(Body):
    reason: Text(limits.REASON_MAX) | None = None


class CancelEventRequest(Body):
    reason: Text(limits.CANCEL_EVENT_REASON_MAX, min_length=1, description="Shown to everyone enrolled.")


class CheckinRequest(Body):
    """Give a ticket code or an enrolment id."""

    model_config = {"json_schema_extra": {"anyOf": [{"required": ["ticket_code"]},
                                                    {"required": ["enrolment_id"]}]}}

    ticket_code: Annotated[Str, Field(description="The participant's ticket code (wins when given).")] = None
    enrolment_id: Id = None
    session_id: Annotated[Id, Field(description="The agenda session; optional when only one fits.")] = None
    day: Annotated[Str, Field(json_schema_extra={"format": "date"},
                              description="For events without agenda: the local day.")] = None
    confirm: Annotated[Bool, Field(description="Before the event's first local day a check-in is refused with "
                                               "409 `checkin_before_event` unless this is true.")] = False


QueryText = Annotated[str, Field(max_length=200)]


class EventFilters(Query):
    format: Annotated[Format, Field(description="Only events of this format.")] = None
    topic: Annotated[QueryText, Field(description="Only events with this topic slug.")] = None
    country: Annotated[QueryText, Field(description="ISO 3166-1 alpha-2 code of the event's country.")] = None
    city: Annotated[QueryText, Field(description="City name (case-insensitive).")] = None
    from_: Annotated[QueryText, Field(alias="from", description=(
        "Events ending on or after this date (YYYY-MM-DD) or ISO 8601 date-time."))] = None
    to: Annotated[QueryText, Field(description=(
        "Events starting before the end of this date (YYYY-MM-DD) or before this date-time."))] = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$", description="Events held in this language.")] = None
    q: Annotated[QueryText, Field(description=(
        "Words in the event's title (the original's or a translation's), summary, description, place, hosts or "
        "topics, found as the site search finds them (/api/v1/search): case and accents do not matter, each word "
        "matches as a prefix."))] = None
    past: Annotated[Literal["1", "true", "yes", "0", "false", "no"],
                    Field(description="Archive: past events, newest first.")] = None
    page: Annotated[int, Field(ge=1, le=100000, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=100, description="Page size.")] = 20


class EnrolmentFilters(Query):
    status: Annotated[EnrolmentStatus, Field(description="Only enrolments with this status.")] = None
    q: Annotated[QueryText, Field(description="Search name, email or ticket code.")] = None
