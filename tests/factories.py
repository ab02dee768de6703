"""Plain factory functions: make_<thing>(session, **overrides). They flush; tests commit when requests need it."""

from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.auth.models import User
from app.directory.models import Organisation, Topic

PASSWORD = "correct-horse-battery"
TEST_HASH = "pbkdf2:sha256:1000"
_seq = itertools.count(1)


def make_organisation(session, **overrides) -> Organisation:
    n = next(_seq)
    values = {"name": f"City {n}", "kind": "municipality", "city": f"Town {n}", "country": "DE"}
    values.update(overrides)
    org = Organisation(**values)
    session.add(org)
    session.flush()
    return org


def make_user(session, *, password: str = PASSWORD, **overrides) -> User:
    n = next(_seq)
    values = {"email": f"person{n}@example.org", "name": f"Person {n}", "role": "participant", "country": "DE",
              "timezone": "UTC", "language": "en"}
    values.update(overrides)
    return auth_services.register_user(session, password=password, hash_method=TEST_HASH, **values)


def make_organiser(session, **overrides) -> User:
    return make_user(session, role="organiser", **overrides)


def make_admin(session, **overrides) -> User:
    return make_user(session, role="admin", **overrides)


def make_token(session, user: User, *, now=None) -> str:
    from app.sqltypes import utcnow

    _, plain = auth_services.create_api_token(session, user.id, now=now or utcnow())
    return plain


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def topic(session, slug: str) -> Topic:
    import sqlalchemy as sa

    return session.scalar(sa.select(Topic).where(Topic.slug == slug))


# Events ------------------------------------------------------------------------------------------

def make_event(session, *, organisers=None, topics=(), hosts=(), **overrides):
    """A published workshop in Leipzig starting in ten days (09:00-17:00 local), unless overridden."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from app.events.models import Event
    from app.sqltypes import utcnow

    n = next(_seq)
    zone = overrides.get("timezone", "Europe/Berlin")
    start_day = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo(zone)).date()
    starts = datetime.combine(start_day, datetime.min.time(), ZoneInfo(zone)).replace(hour=9)
    values = {
        "slug": f"event-{n}", "title": f"Workshop {n}", "format": "workshop", "summary": "A workshop.",
        "description": "", "status": "published", "timezone": zone, "starts_at": starts,
        "ends_at": starts.replace(hour=17), "venue": "Neues Rathaus", "address": "Martin-Luther-Ring 4",
        "city": "Leipzig", "country": "DE", "capacity": None, "languages": ["en"],
        "published_at": utcnow(),
    }
    values.update(overrides)
    event = Event(**values)
    if organisers is None:
        organisers = [make_organiser(session)]
    event.organisers = list(organisers)
    event.topics = [t if not isinstance(t, str) else topic(session, t) for t in topics]
    event.hosts = list(hosts)
    if organisers and event.created_by_id is None:
        event.created_by_id = organisers[0].id
    session.add(event)
    session.flush()
    return event


def make_session(session, event, **overrides):
    """An agenda session inside the event (its first two hours unless overridden)."""
    from datetime import timedelta

    from app.events.models import EventSession

    values = {"title": f"Session {next(_seq)}", "starts_at": event.starts_at,
              "ends_at": event.starts_at + timedelta(hours=2), "location": "Room 1"}
    values.update(overrides)
    item = EventSession(event_id=event.id, **values)
    session.add(item)
    session.flush()
    return item


# Learning programmes (learning helper) -----------------------------------------------------------

def make_programme(session, *, organisers=None, topics=(), **overrides):
    """A published programme with no modules unless overridden; organisers default to one new organiser."""
    from app.learning.models import Programme
    from app.sqltypes import utcnow

    n = next(_seq)
    values = {"slug": f"programme-{n}", "title": f"Programme {n}", "summary": "A programme.",
              "description": "", "status": "published", "published_at": utcnow()}
    values.update(overrides)
    programme = Programme(**values)
    if organisers is None:
        organisers = [make_organiser(session)]
    programme.organisers = list(organisers)
    programme.topics = [t if not isinstance(t, str) else topic(session, t) for t in topics]
    if organisers and programme.created_by_id is None:
        programme.created_by_id = organisers[0].id
    session.add(programme)
    session.flush()
    return programme


def make_module(session, programme, *, prerequisites=(), **overrides):
    """A required, event-based module of 4 hours appended to the programme."""
    from decimal import Decimal

    from app.learning.models import Module

    n = next(_seq)
    position = max((m.position for m in programme.modules), default=-1) + 1
    values = {"title": f"Module {n}", "hours": Decimal("4"), "is_required": True, "completion": "event",
              "position": position}
    values.update(overrides)
    module = Module(programme=programme, **values)
    module.prerequisites = list(prerequisites)
    session.add(module)
    session.flush()
    return module


def make_link(session, module, *, event=None, event_session=None):
    from app.learning.models import ModuleLink

    link = ModuleLink(module_id=module.id, event_id=event.id if event is not None else None,
                      session_id=event_session.id if event_session is not None else None)
    session.add(link)
    session.flush()
    session.expire(module, ["links"])
    return link


def join_programme(session, programme, user):
    from app.learning.models import ProgrammeParticipant

    member = ProgrammeParticipant(programme_id=programme.id, user_id=user.id)
    session.add(member)
    session.flush()
    return member


# Good practices (practices helper A) -------------------------------------------------------------

def make_practice(session, *, organisation=None, author=None, topics=(), sdg_targets=(), sdg_goals=(), events=(),
                  modules=(), **overrides):
    """A published practice of a new municipality (author: a member of it), unless overridden.

    Built directly (not through the services) so tests can set any status; `status="draft"` etc. works."""
    from app.practices.models import Practice, PracticeSdgGoal, PracticeSdgTarget
    from app.practices.sdg import goal_of
    from app.sqltypes import utcnow

    n = next(_seq)
    organisation = organisation or make_organisation(session)
    if author is None:
        author = make_user(session, organisation_id=organisation.id)
    now = utcnow()
    values = {"slug": f"practice-{n}", "title": f"Practice {n}", "summary": "What the city did.",
              "status": "published", "language": "en", "organisation_id": organisation.id,
              "city": organisation.city, "country": organisation.country, "stage": "implemented",
              "challenge": "The challenge.", "solution": "The solution.", "results": "The results.",
              "transferability": "What another city needs.", "author_id": author.id, "contact_id": author.id,
              "published_at": now, "created_at": now, "updated_at": now, "revision": 1}
    values.update(overrides)
    if values["status"] != "published" and "published_at" not in overrides:
        values["published_at"] = None
    practice = Practice(**values)
    practice.topics = [t if not isinstance(t, str) else topic(session, t) for t in topics]
    goals = set(sdg_goals) | {goal_of(t) for t in sdg_targets}
    practice.target_rows = [PracticeSdgTarget(target=t) for t in sdg_targets]
    practice.goal_rows = [PracticeSdgGoal(goal=g) for g in sorted(goals)]
    practice.events = list(events)
    practice.modules = list(modules)
    session.add(practice)
    session.flush()
    return practice


def image_bytes(fmt: str = "JPEG", size=(64, 48), *, color=(200, 40, 40), exif_gps: bool = False,
                orientation: int | None = None) -> bytes:
    """A real image made by Pillow; optionally with EXIF GPS coordinates and an orientation tag."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if exif_gps:
        exif[0x8825] = {1: "N", 2: (51.0, 20.0, 30.0), 3: "E", 4: (12.0, 22.0, 10.0)}  # GPSInfo
        exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif.tobytes()} if (exif_gps or orientation) else {}))
    return out.getvalue()


def pdf_bytes(text: str = "A good practice") -> bytes:
    """A small real PDF of one page (reportlab)."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def make_practice_file(session, practice, *, kind="image", storage_dir, data=None, filename=None, caption="",
                       credit="Photo: the city", actor=None):
    """A file attached through the service (content checked, stored under storage_dir)."""
    from app.practices.files import add_file
    from app.sqltypes import utcnow

    if data is None:
        data = image_bytes() if kind == "image" else pdf_bytes()
    if filename is None:
        filename = "photo.jpg" if kind == "image" else "report.pdf"
    actor = actor or practice.author or make_admin(session)
    return add_file(session, practice_id=practice.id, kind=kind, filename=filename, data=data, caption=caption,
                    credit=credit, actor_id=actor.id, now=utcnow(), storage_dir=storage_dir)


# People ------------------------------------------------------------------------------------------


def make_profile(session, user=None, *, visibility: str = "public", **fields):
    """A practitioner profile (through the service, so the search index follows on commit)."""
    from app.people.profiles import save_profile
    from app.sqltypes import utcnow

    user = user or make_user(session)
    return save_profile(session, user_id=user.id, data={"visibility": visibility, **fields}, now=utcnow())
