"""Engine-level settings that every connection needs."""

from __future__ import annotations

import sqlalchemy as sa


def enable_sqlite_pragmas(engine: sa.Engine) -> None:
    """Foreign keys on, WAL and a busy timeout so concurrent writers wait instead of failing."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
