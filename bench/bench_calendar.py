"""Calendar feeds: a 1,000-event public feed and a 200-event personal feed, cold, warm and 304.

Baselines measured in the same run on the same events (asserted to describe the same VEVENT bytes):
- template bound: the same VEVENT content written with a hand-written string template (escaping and
  75-octet folding included), from data already in memory: the lower bound of any implementation;
- bare icalendar: the same VEVENTs built the usual way (Component.add) and serialised as one calendar,
  also in memory. (Ours set typed values directly: identical bytes, less per-property overhead.)
Ours are full HTTP requests on a real server: cold (VEVENT cache emptied before each request), warm
(cache filled), and the conditional request answered 304.
"""

from __future__ import annotations

import http.client
import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar

from bench.common import Figure, bench_app, http_get_timer, median_ms, serve, timings

ZONES = ["Europe/Berlin", "Africa/Johannesburg", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Ho_Chi_Minh",
         "America/Mexico_City", "Europe/Kyiv", "Africa/Accra"]
CITIES = ["Leipzig", "Durban", "Curitiba", "Pune", "Da Nang", "Puebla", "Kharkiv", "Accra"]
COUNTRIES = ["DE", "ZA", "BR", "IN", "VN", "MX", "UA", "GH"]
PUBLIC_EVENTS = 1000
PERSONAL_EVENTS = 200


def _seed(app) -> tuple[str, list[int]]:
    """1,000 published events with topics and two sessions each; a person enrolled in 200 of them."""
    from app.auth.models import User
    from app.directory.models import Topic
    from app.events.models import Enrolment, Event, EventSession, event_organiser, event_topic
    from app.extensions import db

    rng = random.Random(4)
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        session = db.session
        organiser = User(email="organiser@bench.test", name="Olivia Organiser", password_hash="x", role="organiser")
        person = User(email="person@bench.test", name="Zoë Müller", password_hash="x", role="participant",
                      calendar_token="bench-token-" + "x" * 32)
        session.add_all([organiser, person])
        session.flush()
        topic_ids = list(session.scalars(sa.select(Topic.id)))
        rows = []
        for i in range(PUBLIC_EVENTS):
            k = i % len(ZONES)
            zone = ZoneInfo(ZONES[k])
            day = (now + timedelta(days=rng.randint(-25, 400))).astimezone(zone).date()
            starts = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
            rows.append({
                "slug": f"bench-{i}", "title": f"Workshop {i}: circular economy, mobility; Müller–Straße 🌍",
                "format": ["conference", "workshop", "training", "information_trip"][i % 4],
                "summary": "Practitioners from member cities share what worked, and what did not.",
                "description": "Day one: site visits.\nDay two: peer exchange; results, next steps. " * 3,
                "status": "published", "timezone": ZONES[k], "starts_at": starts.astimezone(UTC),
                "ends_at": (starts + timedelta(hours=8)).astimezone(UTC), "venue": "City Hall, Room 2",
                "address": f"Main Street {i}", "city": CITIES[k], "country": COUNTRIES[k],
                "online_url": "https://meet.example.org/room" if i % 3 == 0 else None, "languages": ["en"],
                "revision": i % 3, "created_at": now, "updated_at": now, "published_at": now,
                "created_by_id": organiser.id,
            })
        session.execute(sa.insert(Event), rows)
        ids = list(session.scalars(sa.select(Event.id).order_by(Event.id)))
        starts = dict(session.execute(sa.select(Event.id, Event.starts_at)).all())
        session.execute(sa.insert(event_topic), [
            {"event_id": eid, "topic_id": tid} for eid in ids for tid in rng.sample(topic_ids, 2)
        ])
        session.execute(sa.insert(event_organiser), [{"event_id": eid, "user_id": organiser.id} for eid in ids])
        session.execute(sa.insert(EventSession), [
            {"event_id": eid, "title": f"Session {n}", "starts_at": starts[eid] + timedelta(hours=2 * n),
             "ends_at": starts[eid] + timedelta(hours=2 * n + 1, minutes=30), "location": f"Room {n}",
             "address": "", "speakers": "A. Speaker, B. Speaker", "description": "", "created_at": now,
             "updated_at": now}
            for eid in ids for n in (0, 1)
        ])
        mine = ids[:PERSONAL_EVENTS]
        session.execute(sa.insert(Enrolment), [
            {"event_id": eid, "user_id": person.id, "status": "waitlisted" if n % 10 == 0 else "confirmed",
             "waitlist_seq": 1 if n % 10 == 0 else None, "ticket_code": f"T{eid:08d}", "note": "",
             "created_at": now, "updated_at": now, "confirmed_at": None if n % 10 == 0 else now}
            for n, eid in enumerate(mine)
        ])
        session.commit()
        # statistics, as a live database has them (PostgreSQL plans nested loops over unanalysed tables)
        session.execute(sa.text("ANALYZE"))
        session.commit()
        return person.calendar_token, ids


# Baselines -------------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> bytes:
    """RFC 5545 folding at 75 octets, never inside a UTF-8 sequence."""
    data = line.encode("utf-8")
    size = len(data)
    if size <= 75:
        return data + b"\r\n"
    parts, start, limit = [], 0, 75
    while size - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its sequence
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def template_calendar(events, *, variants: dict[int, str] | None = None) -> bytes:
    """The same content with a plain string template: the lower bound."""
    from app.calendar import ical

    utc = "%Y%m%dT%H%M%SZ"
    local = "%Y%m%dT%H%M%S"
    parts = []
    tz = {}
    for e in events:
        span = tz.setdefault(e.timezone, [e.starts_at.year, e.ends_at.year])
        span[0], span[1] = min(span[0], e.starts_at.year), max(span[1], e.ends_at.year)
    for tzid in sorted(tz):
        parts.append(ical.vtimezone_bytes(tzid, tz[tzid][0] - 1, tz[tzid][1] + 1))
    for e in events:
        variant = (variants or {}).get(e.id, "public")
        zone = e.zone
        title = e.title if variant == "public" else f"[{ical.VARIANT_LABELS[variant]}] {e.title}"
        status = "CANCELLED" if e.status == "cancelled" else ("CONFIRMED" if variant == "public" else "TENTATIVE")
        lines = [
            "BEGIN:VEVENT", f"SUMMARY:{_escape(title)}",
            f"DTSTART;TZID={e.timezone}:{e.starts_at.astimezone(zone).strftime(local)}",
            f"DTEND;TZID={e.timezone}:{e.ends_at.astimezone(zone).strftime(local)}",
            f"DTSTAMP:{e.updated_at.strftime(utc)}", f"UID:{e.uid}", f"SEQUENCE:{e.revision}",
            "CATEGORIES:" + ",".join(_escape(c) for c in [ical.FORMAT_LABELS[e.format], *e.topics]),
            f"CREATED:{e.created_at.strftime(utc)}", f"DESCRIPTION:{_escape(ical.describe(e))}",
            f"LAST-MODIFIED:{e.updated_at.strftime(utc)}", f"LOCATION:{_escape(e.location)}",
            f"STATUS:{status}", "TRANSP:OPAQUE", f"URL:{e.url}", "END:VEVENT",
        ]
        parts.append(b"".join([_fold(line) for line in lines]))
    head = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Connective Cities//Events calendar//EN\r\n"
            "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:Feed\r\nX-WR-CALNAME:Feed\r\n"
            "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\nX-PUBLISHED-TTL:PT6H\r\n")
    return head.encode() + b"".join(parts) + b"END:VCALENDAR\r\n"


def typical_vevent(e, variant: str = "public"):
    """The VEVENT built the usual way, with Component.add(): the same bytes as app.calendar.ical.build_vevent."""
    from icalendar import Event as VEvent

    from app.calendar import ical

    title = e.title
    status = "CONFIRMED"
    if e.status == "cancelled":
        status = "CANCELLED"
    elif variant in ical.VARIANT_LABELS:
        status, title = "TENTATIVE", f"[{ical.VARIANT_LABELS[variant]}] {title}"
    vevent = VEvent()
    vevent.add("uid", e.uid)
    vevent.add("dtstamp", e.updated_at)
    vevent.add("created", e.created_at)
    vevent.add("last-modified", e.updated_at)
    vevent.add("sequence", e.revision)
    vevent.add("dtstart", e.starts_at.astimezone(e.zone))
    vevent.add("dtend", e.ends_at.astimezone(e.zone))
    vevent.add("summary", title)
    vevent.add("description", ical.describe(e))
    if e.location:
        vevent.add("location", e.location)
    vevent.add("url", e.url)
    vevent.add("categories", [ical.FORMAT_LABELS.get(e.format, e.format), *e.topics])
    vevent.add("status", status)
    vevent.add("transp", "OPAQUE")
    return vevent


def bare_icalendar(events, *, timezones, variants: dict[int, str] | None = None) -> bytes:
    """The same VEVENTs built the usual way with icalendar and serialised as one calendar (VTIMEZONEs prepared)."""
    from app.calendar import ical

    calendar = Calendar()
    for key, value in (("prodid", ical.PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"), ("name", "Feed"), ("x-wr-calname", "Feed")):
        calendar.add(key, value)
    for timezone in timezones:
        calendar.add_component(timezone)
    for e in events:
        calendar.add_component(typical_vevent(e, (variants or {}).get(e.id, "public")))
    return calendar.to_ical()


# The run ---------------------------------------------------------------------------------------------

def _clear_cache(app) -> None:
    from app.calendar.models import CalendarVeventCache
    from app.extensions import db

    with app.app_context():
        db.session.execute(sa.delete(CalendarVeventCache))
        db.session.commit()


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _measure(app, host, port, path: str, events, variants, label: str, repeat: int, pairs: int,
             healthz: float, full_cold: float | None = None) -> list[Figure]:
    from icalendar import Timezone

    from app.calendar import ical

    spans = {}
    for e in events:
        span = spans.setdefault(e.timezone, [e.starts_at.year, e.ends_at.year])
        span[0], span[1] = min(span[0], e.starts_at.year), max(span[1], e.ends_at.year)
    prepared = [Timezone.from_ical(ical.vtimezone_bytes(t, s[0] - 1, s[1] + 1)) for t, s in sorted(spans.items())]

    for e in events:  # the baselines describe exactly what we serve
        variant = (variants or {}).get(e.id, "public")
        assert typical_vevent(e, variant).to_ical() == ical.vevent_bytes(e, variant=variant), e.id
    template = median_ms(timings(lambda: template_calendar(events, variants=variants), repeat=repeat))
    get = http_get_timer(host, port, path)
    # bare icalendar and our cold feed alternate, so a busy machine slows both alike
    bare_samples, cold_samples = [], []
    bare_icalendar(events, timezones=prepared, variants=variants)
    for _ in range(pairs):
        bare_samples.append(_timed(lambda: bare_icalendar(events, timezones=prepared, variants=variants)))
        _clear_cache(app)
        cold_samples.append(_timed(lambda: get() == 200 or (_ for _ in ()).throw(AssertionError(path))))
    bare, cold = median_ms(bare_samples), median_ms(cold_samples)
    warm = median_ms(timings(get, repeat=repeat))
    probe = http.client.HTTPConnection(host, port)
    probe.request("GET", path)
    response = probe.getresponse()
    response.read()
    etag = response.getheader("ETag")
    probe.close()
    not_modified = http_get_timer(host, port, path, headers={"If-None-Match": etag})
    assert not_modified() == 304
    n304 = median_ms(timings(not_modified, repeat=repeat * 4))
    return [
        Figure(f"{label}: template bound", template, "ms"),
        Figure(f"{label}: bare icalendar", bare, "ms", "template bound", bare / template),
        Figure(f"{label}: ours cold (HTTP)", cold, "ms", "bare icalendar", cold / bare, "<= 1.2x"),
        Figure(f"{label}: ours warm (HTTP)", warm, "ms", "template bound", warm / template, "<= 3x"),
        Figure(f"{label}: 304 (HTTP)", n304, "ms", "cold full feed / 304",
               (full_cold if full_cold is not None else cold) / n304, ">= 50x"),
        Figure(f"{label}: 304 vs own cold", n304, "ms", "own cold / 304", cold / n304),
        Figure(f"{label}: 304 vs /healthz", n304, "ms", "/healthz (HTTP floor)", n304 / healthz),
    ]


def run() -> list[Figure]:
    from app.calendar import services as calendar
    from app.calendar.site import site_for
    from app.events.models import Enrolment
    from app.extensions import db

    figures: list[Figure] = []
    with bench_app() as app:
        token, ids = _seed(app)
        with app.app_context():
            site = site_for(app)
            data = calendar.load_event_data(db.session, ids, site=site)
            public = [data[i] for i in sorted(data, key=lambda i: (data[i].starts_at, i))]
            statuses = dict(db.session.execute(sa.select(Enrolment.event_id, Enrolment.status)).all())
            personal = [e for e in public if e.id in statuses]
            variants = {eid: "waitlisted" for eid, status in statuses.items() if status == "waitlisted"}
        with serve(app) as (host, port):
            healthz = median_ms(timings(http_get_timer(host, port, "/healthz"), repeat=200))
            full = _measure(app, host, port, "/calendar/events.ics", public, None,
                            f"public feed {len(public)} events", repeat=15, pairs=9, healthz=healthz)
            figures += full
            full_cold = full[2].value
            figures += _measure(app, host, port, f"/calendar/feed/{token}.ics", personal, variants,
                                f"personal feed {len(personal)} events", repeat=40, pairs=21, healthz=healthz,
                                full_cold=full_cold)
    return figures
