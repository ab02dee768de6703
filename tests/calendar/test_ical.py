"""Pure rendering: every calendar parsed by icalendar and by vobject, instants checked in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from app.calendar import ical
from app.calendar.ical import EventData, SessionData

HOST = "cc.test"
CREATED = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


def make_data(event_id=1, *, zone="Europe/Berlin", start=(2025, 3, 31, 9, 0), hours=8, **overrides) -> EventData:
    starts = datetime(*start, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    values = dict(
        id=event_id, title="Workshop", format="workshop", status="published", timezone=zone,
        starts_at=starts, ends_at=starts + timedelta(hours=hours), url=f"http://{HOST}/events/{event_id}",
        host=HOST, revision=0, summary="A workshop.", venue="Neues Rathaus", address="Martin-Luther-Ring 4",
        city="Leipzig", country_name="Germany", created_at=CREATED, updated_at=CREATED,
        topics=("Climate adaptation",),
    )
    values.update(overrides)
    return EventData(**values)


def parse_both(data: bytes):
    """(icalendar Calendar, vobject component) of the same bytes."""
    return icalendar.Calendar.from_ical(data), vobject.readOne(data.decode("utf-8"))


def utc_starts(data: bytes) -> tuple[list[datetime], list[datetime]]:
    cal, vcal = parse_both(data)
    first = [c.decoded("dtstart").astimezone(UTC) for c in cal.walk("VEVENT")]
    second = [e.dtstart.value.astimezone(UTC) for e in vcal.vevent_list]
    return first, second


@pytest.mark.parametrize("zone, start, expected", [
    # the Friday before and the Monday after the spring change (30 March 2025): 09:00 is 08:00Z then 07:00Z
    ("Europe/Berlin", (2025, 3, 28, 9, 0), datetime(2025, 3, 28, 8, 0, tzinfo=UTC)),
    ("Europe/Berlin", (2025, 3, 31, 9, 0), datetime(2025, 3, 31, 7, 0, tzinfo=UTC)),
    # and around the autumn change (26 October 2025)
    ("Europe/Berlin", (2025, 10, 24, 9, 0), datetime(2025, 10, 24, 7, 0, tzinfo=UTC)),
    ("Europe/Berlin", (2025, 10, 27, 9, 0), datetime(2025, 10, 27, 8, 0, tzinfo=UTC)),
    ("Africa/Johannesburg", (2025, 6, 3, 9, 0), datetime(2025, 6, 3, 7, 0, tzinfo=UTC)),
    ("America/Sao_Paulo", (2025, 1, 15, 9, 0), datetime(2025, 1, 15, 12, 0, tzinfo=UTC)),
    ("Asia/Kolkata", (2025, 8, 20, 9, 0), datetime(2025, 8, 20, 3, 30, tzinfo=UTC)),
])
def test_instants_in_zones_parse_to_the_right_utc(zone, start, expected):
    data = ical.event_ics_bytes(make_data(zone=zone, start=start))
    by_icalendar, by_vobject = utc_starts(data)
    assert by_icalendar == [expected]
    assert by_vobject == [expected]
    text = data.decode()
    assert f"DTSTART;TZID={zone}:" in text
    assert f"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n" in text


def test_a_feed_of_many_zones_has_a_vtimezone_for_every_tzid():
    events = [
        make_data(1, zone="Europe/Berlin", start=(2025, 3, 31, 9, 0)),
        make_data(2, zone="Asia/Kolkata", start=(2025, 8, 20, 9, 0)),
        make_data(3, zone="America/Sao_Paulo", start=(2026, 1, 15, 9, 0)),
        make_data(4, zone="Africa/Johannesburg", start=(2025, 6, 3, 9, 0)),
    ]
    spans = {e.timezone: ical.year_span([e.starts_at], [e.ends_at]) for e in events}
    data = ical.assemble_calendar([ical.vevent_bytes(e) for e in events], name="Feed", timezones=spans)
    cal, vcal = parse_both(data)
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == set(spans)
    assert cal.get_missing_tzids() == set()
    by_icalendar, by_vobject = utc_starts(data)
    expected = [datetime(2025, 3, 31, 7, 0, tzinfo=UTC), datetime(2025, 8, 20, 3, 30, tzinfo=UTC),
                datetime(2026, 1, 15, 12, 0, tzinfo=UTC), datetime(2025, 6, 3, 7, 0, tzinfo=UTC)]
    assert by_icalendar == expected and by_vobject == expected


def test_text_round_trips_through_both_parsers():
    title = "Über Straßen, Plätze; ñandú — Городское планирование 🌍🚲"
    description = ("Line one, with commas; and semicolons.\nЛиния два: эмодзи 🎉 " + "long text " * 40).strip()
    venue = "Café «Zur Brücke»; Saal 2"
    event = make_data(title=title, description=description, venue=venue, summary="Résumé, short; ok")
    data = ical.event_ics_bytes(event)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # folded at 75 octets
    data.decode("utf-8")  # folding never splits a UTF-8 sequence
    cal, vcal = parse_both(data)
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == title
    assert description in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]).startswith(venue + ", Martin-Luther-Ring 4")
    assert vcal.vevent.summary.value == title
    assert description in vcal.vevent.description.value
    assert vcal.vevent.location.value.startswith(venue)


def test_every_vevent_has_the_required_properties():
    event = make_data(revision=3, online_url="https://meet.example.org/x",
                      sessions=(SessionData(1, "Opening", datetime(2025, 3, 31, 7, 0, tzinfo=UTC),
                                            datetime(2025, 3, 31, 8, 0, tzinfo=UTC), location="Room 1"),))
    data = ical.event_ics_bytes(event, with_sessions=True)
    cal, _ = parse_both(data)
    for key in ("PRODID", "VERSION", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME"):
        assert key in cal
    assert cal["METHOD"] == "PUBLISH"
    vevents = cal.walk("VEVENT")
    assert [str(v["UID"]) for v in vevents] == ["event-1@cc.test", "session-1@cc.test"]
    for v in vevents:
        for key in ("UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY",
                    "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "STATUS"):
            assert key in v, key
        assert "ORGANIZER" not in v and "ATTENDEE" not in v
        assert v.decoded("dtstamp").tzinfo is not None and v.decoded("dtstamp").utcoffset() == timedelta(0)
        assert v["SEQUENCE"] == 3
    main = vevents[0]
    assert main["CATEGORIES"].cats == ["Workshop", "Climate adaptation"]
    assert "Agenda:" in str(main["DESCRIPTION"]) and "Opening (Room 1)" in str(main["DESCRIPTION"])
    assert "Online: https://meet.example.org/x" in str(main["DESCRIPTION"])
    assert str(main["STATUS"]) == "CONFIRMED"


def test_feed_calendar_properties():
    data = ical.assemble_calendar([ical.vevent_bytes(make_data())], name="Connective Cities events",
                                  timezones={"Europe/Berlin": (2024, 2026)})
    text = data.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    assert "NAME:Connective Cities events\r\n" in text and "X-WR-CALNAME:Connective Cities events\r\n" in text
    vobject.readOne(text)


def test_uids_are_stable_and_unique():
    first = ical.vevent_bytes(make_data(1))
    again = ical.vevent_bytes(make_data(1))
    assert first == again  # the same data gives the same bytes (DTSTAMP is the last change)
    sessions = tuple(
        SessionData(i, f"S{i}", datetime(2025, 3, 31, 7 + i, tzinfo=UTC), datetime(2025, 3, 31, 8 + i, tzinfo=UTC))
        for i in (1, 2)
    )
    data = ical.event_ics_bytes(make_data(1, sessions=sessions), with_sessions=True) + b""
    other = ical.event_ics_bytes(make_data(2), with_sessions=True)
    uids = [str(v["UID"]) for c in (data, other) for v in icalendar.Calendar.from_ical(c).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 4
    assert uids[0] == ical.event_uid(1, HOST) and uids[3] == ical.event_uid(2, HOST)


def test_cancelled_and_tentative_variants():
    cancelled = icalendar.Calendar.from_ical(
        ical.event_ics_bytes(make_data(status="cancelled", cancel_reason="Storm"))).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "Storm" in str(cancelled["DESCRIPTION"])
    waiting = icalendar.Event.from_ical(ical.vevent_bytes(make_data(), variant="waitlisted"))
    assert str(waiting["STATUS"]) == "TENTATIVE" and str(waiting["SUMMARY"]) == "[Waiting list] Workshop"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_itip_messages(method):
    event = make_data(revision=2)
    data = ical.itip_bytes(event, method=method, attendee_email="zoe@example.org", attendee_name="Zoë Müller",
                           organizer_email="noreply@cc.test", organizer_name="Connective Cities", dtstamp=datetime(2025, 2, 1, tzinfo=UTC))
    cal, vcal = parse_both(data)
    assert cal["METHOD"] == method
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == "event-1@cc.test" and vevent["SEQUENCE"] == 2
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@cc.test" and vevent["ORGANIZER"].params["CN"] == "Connective Cities"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:zoe@example.org"
    assert attendee.params["PARTSTAT"] == "ACCEPTED" and attendee.params["RSVP"] == "FALSE"
    assert attendee.params["CN"] == "Zoë Müller"
    # the event goes on: a CANCEL removes this attendee only, without STATUS:CANCELLED (RFC 5546 3.2.5)
    assert vevent.get("STATUS") == (None if method == "CANCEL" else "CONFIRMED")
    assert vcal.vevent.attendee.params["PARTSTAT"] == ["ACCEPTED"]
    assert vcal.vevent.dtstart.value.astimezone(UTC) == datetime(2025, 3, 31, 7, 0, tzinfo=UTC)


def test_the_fast_builder_writes_what_component_add_writes():
    """build_vevent sets typed values directly; the bytes equal the usual Component.add() construction."""
    from bench.bench_calendar import typical_vevent

    sessions = (SessionData(1, "Opening", datetime(2025, 3, 31, 7, tzinfo=UTC), datetime(2025, 3, 31, 8, tzinfo=UTC)),)
    for event in (make_data(revision=4, sessions=sessions, online_url="https://meet.example.org/ä"),
                  make_data(2, status="cancelled", cancel_reason="Storm; closed", zone="Asia/Kolkata"),
                  make_data(3, title="Ж, ü; 🎉 " * 20, venue="", address="", city="", country_name="")):
        for variant in ("public", "waitlisted"):
            assert ical.vevent_bytes(event, variant=variant) == typical_vevent(event, variant).to_ical()


@pytest.mark.parametrize("zone", [
    "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata",
    "Africa/Johannesburg", "Africa/Casablanca", "America/Santiago",
])
def test_vtimezones_give_zoneinfo_offsets_and_use_rrule_where_outlook_needs_it(zone):
    """The VTIMEZONE itself (not the TZID name) must carry the offsets: read it back with both parsers, without
    letting them look the name up, and compare every six hours of the covered years with zoneinfo."""
    data = ical.vtimezone_bytes(zone, 2025, 2028)
    component = icalendar.Timezone.from_ical(data)
    by_icalendar = component.to_tz(lookup_tzid=False)
    wrapped = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + data.decode() + "END:VCALENDAR\r\n"
    by_vobject = vobject.readOne(wrapped).vtimezone.gettzinfo()
    reference = ZoneInfo(zone)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    while at < datetime(2029, 1, 1, tzinfo=UTC):
        local = at.astimezone(reference).replace(tzinfo=None)
        expected = at.astimezone(reference).utcoffset()
        if at.astimezone(reference).fold == 0 and (local + timedelta(hours=3)).replace(tzinfo=reference).fold == 0:
            # (away from the repeated hour, where a wall-clock time alone is ambiguous)
            assert local.replace(tzinfo=by_icalendar).utcoffset() == expected, (zone, at)
            assert local.replace(tzinfo=by_vobject).utcoffset() == expected, (zone, at)
        at += timedelta(hours=6)
    observances = component.walk("STANDARD") + component.walk("DAYLIGHT")
    if zone in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago"):
        # Outlook reads one yearly RRULE per observance and ignores RDATE
        assert len(observances) == 2 and all("RRULE" in o and "RDATE" not in o for o in observances)
    if zone == "Europe/Berlin":
        daylight, standard = component.walk("DAYLIGHT")[0], component.walk("STANDARD")[0]
        # DTSTART is the wall-clock time before the change: 02:00 CET and 03:00 CEST
        assert daylight.decoded("dtstart").time() == standard.decoded("dtstart").time().replace(hour=2)
        assert str(daylight["RRULE"].to_ical(), "ascii") in ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
                                                             "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
    if zone in ("Asia/Kolkata", "America/Sao_Paulo", "Africa/Johannesburg"):
        assert len(observances) == 1 and "RRULE" not in observances[0]


# Times in the repeated hour (end of summer time) ------------------------------------------------------

def _in_repeated_hour(zone: str, wall: tuple, fold: int) -> datetime:
    return datetime(*wall, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


REPEATED = [
    # Europe/Berlin, 31 October 2027: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET)
    ("Europe/Berlin", (2027, 10, 31, 2, 30), 0, datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
    ("Europe/Berlin", (2027, 10, 31, 2, 30), 1, datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
    # Lord Howe Island shifts by 30 minutes: 01:45 on 4 April 2027 happens twice, 30 minutes apart
    ("Australia/Lord_Howe", (2027, 4, 4, 1, 45), 0, datetime(2027, 4, 3, 14, 45, tzinfo=UTC)),
    ("Australia/Lord_Howe", (2027, 4, 4, 1, 45), 1, datetime(2027, 4, 3, 15, 15, tzinfo=UTC)),
]


@pytest.mark.parametrize("zone, wall, fold, expected", REPEATED)
def test_a_start_in_the_repeated_hour_is_one_instant_for_every_reader(zone, wall, fold, expected):
    starts = _in_repeated_hour(zone, wall, fold)
    assert starts == expected
    item = SessionData(7, "Night walk", starts, starts + timedelta(minutes=20))
    event = make_data(zone=zone, start=wall, hours=2, starts_at=starts, ends_at=starts + timedelta(hours=2),
                      sessions=(item,))
    files = {
        "download": ical.event_ics_bytes(event, with_sessions=True),
        "feed": ical.assemble_calendar([ical.vevent_bytes(event)], name="Feed",
                                       timezones={zone: ical.year_span([starts], [starts])}),
        "invitation": ical.itip_bytes(event, method="REQUEST", attendee_email="a@example.org", attendee_name="A",
                                      organizer_email="noreply@cc.test", organizer_name="Connective Cities", dtstamp=CREATED),
    }
    for name, data in files.items():
        by_icalendar, by_vobject = utc_starts(data)
        assert by_icalendar[0] == expected, name
        assert by_vobject[0] == expected, name
        # a wall-clock time with a TZID cannot say which occurrence is meant: UTC it is
        assert f"DTSTART:{expected:%Y%m%dT%H%M%S}Z\r\n" in data.decode(), name
    by_icalendar, by_vobject = utc_starts(files["download"])
    assert by_icalendar[1] == by_vobject[1] == expected  # the session too


def test_times_outside_the_repeated_hour_keep_their_tzid():
    starts = _in_repeated_hour("Europe/Berlin", (2027, 10, 31, 3, 30), 0)
    data = ical.event_ics_bytes(make_data(starts_at=starts, ends_at=starts + timedelta(hours=1)))
    assert "DTSTART;TZID=Europe/Berlin:20271031T033000\r\n" in data.decode()


def test_the_description_says_which_occurrence_of_a_repeated_time():
    first = _in_repeated_hour("Europe/Berlin", (2027, 10, 31, 2, 30), 0)
    second = _in_repeated_hour("Europe/Berlin", (2027, 10, 31, 2, 30), 1)
    assert "02:30 CEST–" in ical.describe(make_data(starts_at=first, ends_at=first + timedelta(hours=3)))
    assert "02:30 CET–" in ical.describe(make_data(starts_at=second, ends_at=second + timedelta(hours=3)))


NASTY_NAME = "Roads, rails; and \\ back\nagain"


@pytest.mark.parametrize("build", ["download", "feed", "invitation"])
def test_the_calendar_name_is_escaped_as_text(build):
    event = make_data(title=NASTY_NAME)
    if build == "download":
        data = ical.event_ics_bytes(event)
    elif build == "feed":
        data = ical.assemble_calendar([ical.vevent_bytes(event)], name=NASTY_NAME, timezones={})
    else:
        data = ical.itip_bytes(event, method="REQUEST", attendee_email="a@example.org", attendee_name=None,
                               organizer_email="noreply@cc.test", organizer_name="Connective Cities", dtstamp=CREATED)
    text = data.decode()
    escaped = "Roads\\, rails\\; and \\\\ back\\nagain"
    assert f"\r\nNAME:{escaped}\r\n" in text and f"\r\nX-WR-CALNAME:{escaped}\r\n" in text
    cal, vcal = parse_both(data)
    assert vcal.contents["name"][0].value == NASTY_NAME  # vobject reads NAME as TEXT (RFC 7986)
    # icalendar keeps properties it does not know raw: read the same value as a TEXT property (SUMMARY)
    for key in ("NAME", "X-WR-CALNAME"):
        as_text = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nSUMMARY:{cal[key]}\r\nEND:VEVENT\r\n")
        assert str(as_text["SUMMARY"]) == NASTY_NAME
