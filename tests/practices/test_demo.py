"""The practices demo: at least 15 published practices on four continents across every topic and many SDGs,
generated images and fact sheets in the storage folder, links, interest, translations, one practice of each
unpublished status, organisation profiles and event places; idempotent."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from app.demo import seed_all
from app.directory.models import Organisation
from app.directory.regions import SUB_REGIONS
from app.directory.services import DEFAULT_TOPICS
from app.events.models import Event, EventSession
from app.jobs.digest import due_digests
from app.mail.models import OutboxMessage
from app.practices.models import Practice, PracticeFile, PracticeInterest, PracticeRevision
from app.practices.sdg import normalise_target
from app.sqltypes import utcnow
from tests.factories import TEST_HASH
from tests.jobs.support import run


def _practices(session) -> list[Practice]:
    session.expire_all()
    return list(session.scalars(sa.select(Practice).order_by(Practice.id)))


def _counts(session, storage: Path):
    return (session.scalar(sa.select(sa.func.count()).select_from(Practice)),
            session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)),
            session.scalar(sa.select(sa.func.count()).select_from(PracticeInterest)),
            session.scalar(sa.select(sa.func.count()).select_from(PracticeRevision)),
            len([p for p in storage.rglob("*") if p.is_file()]))


def test_demo_practices_are_many_varied_and_idempotent(app, session):
    storage = Path(app.config["PRACTICE_STORAGE_DIR"])
    before = {p for p in storage.rglob("*") if p.is_file()} if storage.exists() else set()
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    first = _counts(session, storage)
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    assert _counts(session, storage) == first  # seed twice: nothing duplicated, no stray files

    practices = _practices(session)
    published = [p for p in practices if p.status == "published"]
    assert len(published) >= 15
    assert sorted(p.status for p in practices if p.status != "published") == ["draft", "returned", "submitted"]
    continents = {SUB_REGIONS[p.region][1] for p in published}
    assert len(continents) >= 4  # Africa, the Americas, Asia, Europe
    assert {t.slug for p in published for t in p.topics} == {slug for slug, *_ in DEFAULT_TOPICS}
    assert len({g for p in published for g in p.sdg_goals}) >= 12
    assert all(normalise_target(t) == t for p in published for t in p.sdg_targets)
    assert sum(1 for p in published if p.indicators) >= 8
    assert {p.language for p in published} >= {"en", "ar", "fr", "pt"}
    translated = {p.language: {t.language for t in p.translations} for p in published if p.translations}
    assert translated == {"ar": {"en"}, "fr": {"en"}, "pt": {"en"}}
    assert all(p.images and p.documents for p in published)
    assert all(p.contact_id and p.last_verified_at for p in published)
    assert session.scalar(sa.select(sa.func.count(sa.distinct(PracticeInterest.practice_id)))) >= 10
    # interest always comes from another city
    for interest in session.scalars(sa.select(PracticeInterest)):
        assert interest.organisation_id != session.get(Practice, interest.practice_id).organisation_id
    # links to the demo events where it was presented and the modules that teach it
    linked = session.scalar(sa.select(sa.func.count()).select_from(sa.text("practice_event")))
    taught = session.scalar(sa.select(sa.func.count()).select_from(sa.text("practice_module")))
    assert linked >= 8 and taught >= 5
    # every published practice went through the workflow: created, submitted, published (revisions)
    actions = {(r.practice_id, r.action) for r in session.scalars(sa.select(PracticeRevision))}
    assert all({(p.id, "created"), (p.id, "submitted"), (p.id, "published")} <= actions for p in published)
    # the returned one tells its author why, by email
    returned = next(p for p in practices if p.status == "returned")
    assert returned.review_comment
    assert session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "practice_returned")) is not None
    assert new_files(storage, before) == first[1]


def new_files(storage: Path, before: set) -> int:
    return len({p for p in storage.rglob("*") if p.is_file()} - before)


def test_demo_files_are_generated_safe_and_readable(app, session):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    storage = Path(app.config["PRACTICE_STORAGE_DIR"])
    files = list(session.scalars(sa.select(PracticeFile)))
    images = [f for f in files if f.kind == "image"]
    documents = [f for f in files if f.kind == "document"]
    assert images and documents
    for item in images:
        assert item.caption and item.credit
        data = next(storage.rglob(item.storage_key)).read_bytes()
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format in ("JPEG", "PNG", "WEBP") and not picture.getexif()
            assert (picture.width, picture.height) == (item.width, item.height)
    leipzig = session.scalar(sa.select(Practice).where(Practice.title == "Repair cafés and a municipal reuse centre"))
    [sheet] = leipzig.documents
    text = "".join(page.extract_text() for page in PdfReader(next(storage.rglob(sheet.storage_key))).pages)
    assert "Repair cafés and a municipal reuse centre" in text and "Items repaired in repair cafés" in text
    # the Arabic original's fact sheet is in English (its translation)
    irbid = next(p for p in _practices(session) if p.language == "ar")
    [irbid_sheet] = irbid.documents
    text = " ".join(" ".join(page.extract_text().split()) for page in
                    PdfReader(next(storage.rglob(irbid_sheet.storage_key))).pages)
    assert "Shared waste services for host and refugee neighbourhoods" in text


def test_demo_organisations_and_events_have_places(session):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    organisations = list(session.scalars(sa.select(Organisation)))
    assert all(o.latitude is not None and o.description for o in organisations)
    assert sum(1 for o in organisations if o.population) >= 10
    events = {e.slug: e for e in session.scalars(sa.select(Event))}
    for slug in ("durban-climate-adaptation-information-trip", "curitiba-bus-rapid-transit-study-tour",
                 "circular-economy-municipal-waste-leipzig"):
        assert events[slug].latitude is not None
    for slug in ("durban-climate-adaptation-information-trip", "curitiba-bus-rapid-transit-study-tour"):
        stops = list(session.scalars(sa.select(EventSession).where(EventSession.event_id == events[slug].id)))
        assert len(stops) >= 3 and all(s.latitude is not None and s.longitude is not None for s in stops)


def test_demo_gives_the_jobs_something_to_do(app, session):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    now = utcnow()
    # a practice published more than a year ago: its contact is asked whether it is still current
    assert run(app, session, "practice-verification", now).result.startswith("1 ")
    # interest registered in the last hours reaches the reviewers' digest, sent the next Berlin morning (08:00 to
    # 12:00): at most 20 hours from now whatever the time of day the test runs, so its 24-hour window holds them
    berlin = ZoneInfo("Europe/Berlin")
    local = now.astimezone(berlin)
    if time(8) <= local.time() < time(12):
        nine = now + timedelta(minutes=1)
    else:
        day = local.date() + timedelta(days=1 if local.time() >= time(12) else 0)
        nine = datetime.combine(day, time(8, 1), berlin).astimezone(UTC)
    digests = {d.user.email: d for d in due_digests(session, now=nine)}
    organiser = digests["organiser@demo.connective-cities.org"]
    assert organiser.interests and organiser.has_news
    assert all(line.created_at > organiser.since for line in organiser.interests)
    session.rollback()
