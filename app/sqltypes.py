"""Column types shared by every domain: timezone-aware UTC datetimes on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as UTC; always returns aware UTC datetimes (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
