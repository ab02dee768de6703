"""No GET request writes to the database (issue 11, point 6): every page reachable from the demo data, as each
kind of user, runs no INSERT, UPDATE or DELETE.

Calendar files (.ics) are left out on purpose: they store the VEVENTs they serialise, a cache of bytes derived
from the events (tests/calendar/test_feeds.py covers it), not a change anybody made.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.demo import seed_all
from app.extensions import db
from tests.conftest import csrf_from
from tests.factories import TEST_HASH
from tests.main.test_demo_journeys import _crawl

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


class WriteRecorder:
    """Every INSERT/UPDATE/DELETE statement the engine runs while it listens (before_cursor_execute)."""

    def __init__(self, engine):
        self.engine = engine
        self.writes: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(WRITES):
            self.writes.append(statement.strip().splitlines()[0])

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self)


class RecordingClient:
    """GETs pages (no calendar files) and remembers which one wrote what."""

    def __init__(self, client, recorder: WriteRecorder):
        self.client, self.recorder = client, recorder
        self.written: dict[str, list[str]] = {}

    def get(self, url, **kwargs):
        if ".ics" in url.split("?", 1)[0]:
            return self.client.head(url)  # not counted: see the module docstring
        before = len(self.recorder.writes)
        response = self.client.get(url, **kwargs)
        if len(self.recorder.writes) > before:
            self.written[url] = self.recorder.writes[before:]
        return response


@pytest.mark.parametrize("email", [
    None,
    "participant@demo.connective-cities.org",
    "organiser@demo.connective-cities.org",
    "admin@demo.connective-cities.org",
])
def test_no_page_reachable_from_the_demo_data_writes_on_get(app, client, session, email):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    if email:
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": email, "password": "demo-password",
                                                    "csrf_token": token})
        assert response.status_code == 302
    with WriteRecorder(db.engine) as recorder:
        recording = RecordingClient(client, recorder)
        pages = _crawl(recording)
    assert len(pages) > 20  # the demo data really was reachable
    assert recording.written == {}
