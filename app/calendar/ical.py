"""Pure iCalendar rendering (RFC 5545 / RFC 5546): plain data in, bytes out, with the `icalendar` library.

Nothing here touches the database or Flask. A calendar is assembled from per-event VEVENT byte chunks, so
the feeds can reuse the bytes of events that did not change (see services.py) and only serialise the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vCategory,
    vDDDTypes,
    vDuration,
    vInt,
    vText,
    vUri,
)
from icalendar import Event as VEvent

PRODID = "-//Connective Cities//Events calendar//EN"
# bump when the shape of a VEVENT changes, so cached bytes are rebuilt
FORMAT_VERSION = "3"
REFRESH_INTERVAL = timedelta(hours=6)

FORMAT_LABELS = {
    "conference": "Conference", "workshop": "Workshop", "training": "Training session",
    "information_trip": "Information trip",
}
# the feed variant of a VEVENT: how a person's enrolment shows in their own feed
VARIANTS = ("public", "pending", "waitlisted", "offered")
VARIANT_LABELS = {"pending": "Awaiting approval", "waitlisted": "Waiting list", "offered": "Seat offered"}


@dataclass(slots=True)
class SessionData:
    """An agenda session as plain data."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    address: str = ""
    speakers: str = ""
    description: str = ""


@dataclass(slots=True)
class EventData:
    """Everything a VEVENT shows about an event, as plain data (datetimes aware, UTC)."""

    id: int
    title: str
    format: str
    status: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    url: str
    host: str  # the UID domain: host of BASE_URL
    revision: int = 0
    summary: str = ""
    description: str = ""
    venue: str = ""
    address: str = ""
    city: str = ""
    country_name: str = ""
    online_url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    cancel_reason: str | None = None
    topics: tuple[str, ...] = ()
    sessions: tuple[SessionData, ...] = field(default_factory=tuple)

    @property
    def uid(self) -> str:
        return event_uid(self.id, self.host)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    @property
    def location(self) -> str:
        """Venue, address, city, country; or the online URL for online-only events."""
        place = ", ".join(p for p in (self.venue, self.address, self.city, self.country_name) if p)
        return place or (self.online_url or "")


def event_uid(event_id: int, host: str) -> str:
    """The UID of an event: the same in files, feeds and invitations, forever."""
    return f"event-{event_id}@{host}"


def session_uid(session_id: int, host: str) -> str:
    return f"session-{session_id}@{host}"


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _is_repeated(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the repeated hour when clocks go back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _when(instant: datetime, zone: ZoneInfo) -> vDDDTypes:
    """A DATE-TIME in the zone's wall-clock time with its TZID, or in UTC when that wall-clock time happens twice:
    a TZID cannot say which occurrence is meant (RFC 5545 readers take the first, Thunderbird and Evolution the
    second), a UTC time can."""
    local = instant.astimezone(zone)
    return vDDDTypes(_utc(instant) if _is_repeated(local) else local)


def local_range(event: EventData) -> str:
    """'Tue 14 Oct 2025, 09:00–17:00' or a multi-day range, in the event's zone."""
    start = event.starts_at.astimezone(event.zone)
    end = event.ends_at.astimezone(event.zone)
    if start.date() == end.date():
        return f"{start:%a %d %b %Y}, {clock(start)}–{clock(end)}"
    return f"{start:%a %d %b %Y}, {clock(start)} – {end:%a %d %b %Y}, {clock(end)}"


def clock(local: datetime) -> str:
    """'09:00'; with the zone's abbreviation when that time happens twice ('02:30 CET')."""
    return f"{local:%H:%M} {local:%Z}" if _is_repeated(local) else f"{local:%H:%M}"


def describe(event: EventData) -> str:
    """The plain-text DESCRIPTION: what, when, agenda summary, online link, page."""
    parts: list[str] = []
    if event.status == "cancelled":
        parts.append("CANCELLED" + (f": {event.cancel_reason}" if event.cancel_reason else ""))
    if event.summary:
        parts.append(event.summary)
    if event.description:
        parts.append(event.description.strip())
    parts.append(f"When: {local_range(event)} ({event.timezone})")
    if event.sessions:
        zone = event.zone
        lines = ["Agenda:"]
        for item in event.sessions:
            start = item.starts_at.astimezone(zone)
            end = item.ends_at.astimezone(zone)
            line = f"- {start:%a %d %b} {clock(start)}–{clock(end)} {item.title}"
            if item.location:
                line += f" ({item.location})"
            lines.append(line)
        parts.append("\n".join(lines))
    if event.online_url:
        parts.append(f"Online: {event.online_url}")
    parts.append(f"Details and registration: {event.url}")
    return "\n\n".join(parts)


def _categories(event: EventData) -> list[str]:
    return [FORMAT_LABELS.get(event.format, event.format), *event.topics]


def build_vevent(event: EventData, *, variant: str = "public", dtstamp: datetime | None = None) -> VEvent:
    """The VEVENT of an event. variant: public, or the person's state in their own feed (TENTATIVE).

    Properties are set as typed values (vText, vDDDTypes ...) rather than through Component.add(): the same
    bytes, without add()'s per-call type lookup, which matters when a feed builds a thousand of them.
    """
    zone = event.zone
    title = event.title
    if event.status == "cancelled":
        status = "CANCELLED"
    elif variant in VARIANT_LABELS:
        status = "TENTATIVE"
        title = f"[{VARIANT_LABELS[variant]}] {title}"
    else:
        status = "CONFIRMED"
    vevent = VEvent()
    vevent["UID"] = vText(event.uid)
    # DTSTAMP of a published (non-iTIP) object is its last modification: stable bytes, cacheable
    vevent["DTSTAMP"] = vDDDTypes(_utc(dtstamp or event.updated_at or event.created_at or event.starts_at))
    if event.created_at:
        vevent["CREATED"] = vDDDTypes(_utc(event.created_at))
    if event.updated_at:
        vevent["LAST-MODIFIED"] = vDDDTypes(_utc(event.updated_at))
    vevent["SEQUENCE"] = vInt(event.revision)
    vevent["DTSTART"] = _when(event.starts_at, zone)
    vevent["DTEND"] = _when(event.ends_at, zone)
    vevent["SUMMARY"] = vText(title)
    vevent["DESCRIPTION"] = vText(describe(event))
    location = event.location
    if location:
        vevent["LOCATION"] = vText(location)
    vevent["URL"] = vUri(event.url)
    vevent["CATEGORIES"] = vCategory(_categories(event))
    vevent["STATUS"] = vText(status)
    vevent["TRANSP"] = vText("OPAQUE")
    return vevent


def build_session_vevent(event: EventData, item: SessionData, *, dtstamp: datetime | None = None) -> VEvent:
    """A VEVENT for one agenda session (its own UID)."""
    zone = event.zone
    vevent = VEvent()
    vevent["UID"] = vText(session_uid(item.id, event.host))
    vevent["DTSTAMP"] = vDDDTypes(_utc(dtstamp or event.updated_at or event.starts_at))
    if event.created_at:
        vevent["CREATED"] = vDDDTypes(_utc(event.created_at))
    if event.updated_at:
        vevent["LAST-MODIFIED"] = vDDDTypes(_utc(event.updated_at))
    vevent["SEQUENCE"] = vInt(event.revision)
    vevent["DTSTART"] = _when(item.starts_at, zone)
    vevent["DTEND"] = _when(item.ends_at, zone)
    vevent["SUMMARY"] = vText(f"{item.title} — {event.title}")
    lines = [item.description.strip()] if item.description else []
    if item.speakers:
        lines.append(f"Speakers: {item.speakers}")
    lines.append(f"Part of: {event.title}")
    lines.append(f"Details: {event.url}")
    vevent["DESCRIPTION"] = vText("\n\n".join(lines))
    place = ", ".join(p for p in (item.location, item.address) if p) or event.location
    if place:
        vevent["LOCATION"] = vText(place)
    vevent["URL"] = vUri(event.url)
    vevent["CATEGORIES"] = vCategory(_categories(event))
    vevent["STATUS"] = vText("CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    vevent["RELATED-TO"] = vText(event.uid)
    return vevent


def _utc(value: datetime) -> datetime:
    return value if value.utcoffset() == timedelta(0) and value.tzinfo is UTC else value.astimezone(UTC)


def vevent_bytes(event: EventData, *, variant: str = "public") -> bytes:
    """One serialised VEVENT (what the feed cache stores)."""
    return build_vevent(event, variant=variant).to_ical()


def session_vevents_bytes(event: EventData) -> bytes:
    return b"".join(build_session_vevent(event, item).to_ical() for item in event.sessions)


# Calendars -------------------------------------------------------------------------------------------

def year_span(starts: Iterable[datetime], ends: Iterable[datetime]) -> tuple[int, int]:
    """The years a VTIMEZONE must cover for these instants (with a year of margin each side)."""
    first = min((s.year for s in starts), default=datetime.now(UTC).year)
    last = max((e.year for e in ends), default=first)
    return first - 1, last + 1


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _zone_state(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, bool, str]:
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(0), bool(local.dst()), local.tzname() or ""


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, tuple, tuple]]:
    """(UTC instant, state before, state after) of every offset change between start and end."""
    found = []
    at, state = start, _zone_state(zone, start)
    while at < end:
        nxt = at + timedelta(days=1)
        after = _zone_state(zone, nxt)
        if after[:2] != state[:2]:
            lo, hi = at, nxt  # bisect to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _zone_state(zone, mid)[:2] == state[:2]:
                    lo = mid
                else:
                    hi = mid
            found.append((hi.replace(microsecond=0), state, after))
        at, state = nxt, after
    return found


def _yearly_rule(onsets: list[datetime], first_year: int, last_year: int) -> dict | None:
    """An RRULE (FREQ=YEARLY, one BYMONTH, one BYDAY) that yields exactly these onsets, if there is one."""
    if [o.year for o in onsets] != list(range(first_year, last_year + 1)):
        return None
    head = onsets[0]
    if any((o.month, o.time(), o.weekday()) != (head.month, head.time(), head.weekday()) for o in onsets):
        return None
    day = _WEEKDAYS[head.weekday()]
    if all((o + timedelta(days=7)).month != o.month for o in onsets):
        return {"FREQ": "YEARLY", "BYMONTH": head.month, "BYDAY": f"-1{day}"}
    ordinals = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(ordinals) == 1:
        return {"FREQ": "YEARLY", "BYMONTH": head.month, "BYDAY": f"{ordinals.pop()}{day}"}
    return None


def _observance(kind: str, onset: datetime, offset_from: timedelta, offset_to: timedelta, name: str):
    component = TimezoneDaylight() if kind == "DAYLIGHT" else TimezoneStandard()
    component.add("dtstart", onset)
    if name:
        component.add("tzname", name)
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", offset_to)
    return component


@lru_cache(maxsize=256)
def vtimezone_bytes(tzid: str, first_year: int, last_year: int) -> bytes:
    """A VTIMEZONE for an IANA zone covering the given years, generated from zoneinfo and cached.

    Where the zone follows one yearly rule in those years (most of the world), each observance is a DTSTART and
    an RRULE, the only shape Outlook reads (it ignores RDATE and would misplace events across a daylight-saving
    change); otherwise every onset is listed with RDATE. DTSTART is the local time before the change (RFC 5545).
    """
    zone = _zone(tzid)
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    initial = _zone_state(zone, start)
    changes = _transitions(zone, start, datetime(last_year + 1, 1, 1, tzinfo=UTC))
    timezone = Timezone()
    timezone.add("tzid", tzid)
    groups: dict[tuple, list[datetime]] = {}
    for instant, before, after in changes:
        key = ("DAYLIGHT" if after[1] else "STANDARD", before[0], after[0], after[2])
        groups.setdefault(key, []).append((instant + before[0]).replace(tzinfo=None))
    rules = {key: _yearly_rule(onsets, first_year, last_year) for key, onsets in groups.items()}
    if len(groups) == 2 and all(rules.values()):
        for (kind, offset_from, offset_to, name), onsets in sorted(groups.items(), key=lambda kv: kv[1][0]):
            observance = _observance(kind, onsets[0], offset_from, offset_to, name)
            observance.add("rrule", rules[(kind, offset_from, offset_to, name)])
            timezone.add_component(observance)
        return timezone.to_ical()
    timezone.add_component(_observance(
        "DAYLIGHT" if initial[1] else "STANDARD", datetime(first_year, 1, 1), initial[0], initial[0], initial[2]
    ))
    for (kind, offset_from, offset_to, name), onsets in groups.items():
        observance = _observance(kind, onsets[0], offset_from, offset_to, name)
        for onset in onsets[1:]:  # one RDATE per line: dateutil (vobject) reads only the first of a list
            observance.add("rdate", onset)
        timezone.add_component(observance)
    return timezone.to_ical()


@lru_cache(maxsize=64)
def _calendar_head(name: str, method: str | None, refresh: bool) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    # TEXT values (RFC 7986): commas, semicolons, backslashes and newlines escaped, never raw
    calendar["NAME"] = vText(name)
    calendar["X-WR-CALNAME"] = vText(name)
    if refresh:
        calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[: -len(end)]


def assemble_calendar(
    chunks: Iterable[bytes],
    *,
    name: str,
    timezones: dict[str, tuple[int, int]],
    method: str | None = "PUBLISH",
    refresh: bool = True,
) -> bytes:
    """A VCALENDAR from VEVENT byte chunks, with a VTIMEZONE for every TZID used (tzid -> year span)."""
    parts = [_calendar_head(name, method, refresh)]
    for tzid in sorted(timezones):
        if tzid != "UTC":
            parts.append(vtimezone_bytes(tzid, *timezones[tzid]))
    parts.extend(chunks)
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def event_ics_bytes(event: EventData, *, with_sessions: bool = False, name: str | None = None) -> bytes:
    """A downloadable .ics of one event (METHOD:PUBLISH); with_sessions adds each session as a VEVENT."""
    chunks = [vevent_bytes(event)]
    if with_sessions and event.sessions:
        chunks.append(session_vevents_bytes(event))
    return assemble_calendar(
        chunks, name=name or event.title,
        timezones={event.timezone: year_span([event.starts_at], [event.ends_at])}, refresh=False,
    )


def itip_bytes(
    event: EventData,
    *,
    method: str,
    attendee_email: str,
    attendee_name: str | None,
    organizer_email: str,
    organizer_name: str,
    dtstamp: datetime,
    sequence: int | None = None,
) -> bytes:
    """An iTIP REQUEST or CANCEL (RFC 5546) for one attendee, who has already accepted by enrolling.

    A CANCEL of an event that goes on removes just this attendee: RFC 5546 (3.2.5) has STATUS:CANCELLED only when
    the whole event is cancelled. sequence: the attendee's own SEQUENCE (the event's revision when None).
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    if sequence is not None:
        event = replace(event, revision=sequence)
    vevent = build_vevent(event, dtstamp=dtstamp)
    if method == "CANCEL":
        vevent.pop("STATUS")
        if event.status == "cancelled":
            vevent.add("status", "CANCELLED")
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["CN"] = organizer_name
    vevent.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["CN"] = attendee_name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["RSVP"] = "FALSE"
    vevent.add("attendee", attendee)
    return assemble_calendar(
        [vevent.to_ical()], name=event.title,
        timezones={event.timezone: year_span([event.starts_at], [event.ends_at])}, method=method, refresh=False,
    )
