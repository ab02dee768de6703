"""Models of the calendar package: the cache of serialised VEVENTs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["CalendarVeventCache"]


class CalendarVeventCache(db.Model):
    """One event's VEVENT bytes per feed variant, valid while the source key still matches.

    The key is what the bytes were built from: the event's revision and updated_at (title and description
    edits touch updated_at, not revision), its sessions' count and latest updated_at, and the site key
    (BASE_URL and the format version). Feeds compare the key in Python and rebuild what no longer matches.
    """

    __tablename__ = "calendar_vevent_cache"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    # public | pending | waitlisted | offered (how the event shows in a person's own feed)
    variant: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    revision: Mapped[int] = mapped_column(sa.Integer)
    source_updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sessions_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    sessions_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    site_key: Mapped[str] = mapped_column(sa.String(40))
    ics: Mapped[bytes] = mapped_column(sa.LargeBinary)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
