"""The same data and the same queries give the same results, in the same order, on SQLite and PostgreSQL.

The PostgreSQL side uses TEST_DATABASE_URL's server (or postgresql+psycopg://postgres@127.0.0.1:5432) and a
database of its own, test_search, created when missing; the test is skipped only when no server answers."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.dbsetup import enable_sqlite_pragmas
from app.directory.models import Organisation, Topic
from app.directory.services import ensure_default_topics
from app.events.models import Event
from app.extensions import db
from app.learning.models import Programme
from app.practices.models import Practice, PracticeSdgGoal, PracticeTranslation
from app.search import SearchQuery, run_search
from app.search.models import SearchDocument

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test_search"


def _pg_url() -> sa.URL:
    given = os.environ.get("TEST_DATABASE_URL", "")
    url = sa.make_url(given if given.startswith("postgresql") else DEFAULT_PG)
    return url.set(database="test_search")


@pytest.fixture
def pg_engine():
    url = _pg_url()
    try:
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}):
                conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable: {exc.orig}")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'both.sqlite'}")
    enable_sqlite_pragmas(engine)
    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


BASE = datetime(2031, 5, 4, 9, 0, tzinfo=UTC)
PLACES = [  # city, country, zone
    ("Medellín", "CO", "America/Bogota"), ("Đà Nẵng", "VN", "Asia/Ho_Chi_Minh"), ("São Paulo", "BR", "America/Sao_Paulo"),
    ("Łódź", "PL", "Europe/Warsaw"), ("Straßburg", "FR", "Europe/Paris"), ("القاهرة", "EG", "Africa/Cairo"),
    ("Leipzig", "DE", "Europe/Berlin"), ("Durban", "ZA", "Africa/Johannesburg"),
]
SUBJECTS = ["water supply", "cable car mobility", "waste recycling", "energy retrofits", "participatory budget",
            "heat adaptation", "bus rapid transit", "<b>street</b> lighting"]


def _seed(session: Session) -> None:
    """Identical rows on either database: same order, same ids, ties in dates on purpose."""
    ensure_default_topics(session)
    topics = list(session.scalars(sa.select(Topic).order_by(Topic.id)))
    orgs = []
    for n, (city, country, _) in enumerate(PLACES):
        org = Organisation(name=f"City of {city}", city=city, country=country, kind="municipality",
                           description=f"Municipality known for {SUBJECTS[n]}.", created_at=BASE)
        session.add(org)
        orgs.append(org)
    session.flush()
    for n in range(40):
        city, country, zone = PLACES[n % len(PLACES)]
        subject = SUBJECTS[n % len(SUBJECTS)]
        start = BASE + timedelta(days=n // 3)  # three events share each day: ties broken by kind and id
        event = Event(slug=f"e{n}", title=f"{subject.title()} in {city}", format="workshop", status="published",
                      summary=f"How {city} handles {subject}.", description="Workshop notes " * (n % 4),
                      timezone=zone, starts_at=start, ends_at=start + timedelta(hours=6), city=city, country=country,
                      languages=["en", "es"] if n % 3 == 0 else ["en"], published_at=BASE)
        event.topics = [topics[n % len(topics)]]
        event.hosts = [orgs[n % len(orgs)]]
        session.add(event)
    for n in range(30):
        city, country, _ = PLACES[(n * 3) % len(PLACES)]
        subject = SUBJECTS[(n * 5) % len(SUBJECTS)]
        practice = Practice(
            title=f"{subject.capitalize()} from {city}", summary=f"{city} improved {subject} step by step.",
            status="published" if n % 7 else "draft", language=("en", "es", "pt")[n % 3],
            organisation_id=orgs[(n * 3) % len(orgs)].id, city=city, country=country,
            stage=("idea", "pilot", "implemented", "scaled")[n % 4], solution=f"The solution in {city}: {subject}.",
            published_at=BASE + timedelta(days=n % 5), updated_at=BASE)
        practice.topics = [topics[(n + 1) % len(topics)], topics[(n + 3) % len(topics)]]
        practice.goal_rows = [PracticeSdgGoal(goal=g) for g in sorted({11, (n % 17) + 1})]
        if n % 4 == 0:
            practice.translations = [PracticeTranslation(language="fr", title=f"Pratique {n} à {city}",
                                                         summary="Résumé en français.")]
        session.add(practice)
    for n in range(6):
        programme = Programme(slug=f"p{n}", title=f"Course on {SUBJECTS[n]}", summary="Learn with peers.",
                              status="published", published_at=BASE + timedelta(days=n % 2), created_at=BASE)
        programme.topics = [topics[n % len(topics)]]
        session.add(programme)
    session.commit()


QUERIES = [
    SearchQuery(q="medellin"), SearchQuery(q="MEDEL"), SearchQuery(q="danang"), SearchQuery(q="da nang"),
    SearchQuery(q="Đà"), SearchQuery(q="sao paulo water"), SearchQuery(q="strassburg"), SearchQuery(q="lodz"),
    SearchQuery(q="القاهرة"), SearchQuery(q="water"), SearchQuery(q="mobility cable"), SearchQuery(q="street"),
    SearchQuery(q="b"), SearchQuery(q="pratique"), SearchQuery(q="budget", type="practice"),
    SearchQuery(q="", sdg="11", per_page=7, page=2), SearchQuery(q="city", region="419"),
    SearchQuery(q="", country="vn"), SearchQuery(q="", stage="pilot", language="es"),
    SearchQuery(q="workshop notes", per_page=5, page=3), SearchQuery(q="", topic="circular-economy"),
    SearchQuery(q="x" * 300), SearchQuery(q="?!"), SearchQuery(q="heat adaptation durban"),
    SearchQuery(q="", per_page=50, page=2),
]


def _answers(engine) -> list:
    with Session(engine) as session:
        _seed(session)
        assert session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 79
        out = []
        for query in QUERIES:
            page = run_search(session, query)
            out.append((query, page.total, [(h.type, h.id, h.title, h.title_html, h.snippet, h.url) for h in page.items],
                        page.facets, page.notices))
        return out


def test_sqlite_and_postgresql_give_the_same_results(sqlite_engine, pg_engine):
    assert pg_engine.dialect.name == "postgresql" and sqlite_engine.dialect.name == "sqlite"
    lite, pg = _answers(sqlite_engine), _answers(pg_engine)
    for one, other in zip(lite, pg, strict=True):
        assert one == other, one[0]
    # the queries are worth comparing: most find something, some find nothing
    assert sum(1 for _, total, *_ in lite if total) >= 18 and any(total == 0 for _, total, *_ in lite)
    # and PostgreSQL answered them with its GIN index in place
    with pg_engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_document_words'"))


def test_two_transactions_rebuilding_one_document_wait_instead_of_failing(pg_engine):
    """A renames a host while B retitles its event: both rebuild the event's document; B waits for A's
    row instead of failing on the unique (kind, object_id)."""
    import threading

    from app.search import sync

    with Session(pg_engine) as setup:
        ensure_default_topics(setup)
        host = Organisation(name="Alcaldía de Medellín", city="Medellín", country="CO", created_at=BASE)
        event = Event(slug="metro", title="Metrocable", format="workshop", status="published", timezone="UTC",
                      starts_at=BASE, ends_at=BASE + timedelta(hours=2), languages=["es"])
        event.hosts = [host]
        setup.add(event)
        setup.commit()
        host_id, event_id = host.id, event.id
    a, b = Session(pg_engine), Session(pg_engine)
    a.get(Organisation, host_id).name = "Ciudad de Medellín"
    sync(a)  # A holds the document's row
    b.get(Event, event_id).title = "Metrocable and escalators"
    failures = []

    def commit_b():
        try:
            b.commit()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever B met
            failures.append(exc)

    thread = threading.Thread(target=commit_b)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive(), "B should wait for A's document row"
    a.commit()
    thread.join(timeout=10)
    a.close()
    b.close()
    assert failures == []
    with Session(pg_engine) as check:
        titles = check.scalars(sa.select(SearchDocument.title).where(SearchDocument.kind == "event")).all()
        assert titles == ["Metrocable and escalators"]
