"""Organisations and topics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

ORGANISATION_KINDS = ("municipality", "partner", "ngo", "university", "business", "other")
ORGANISATION_KIND_LABELS = {
    "municipality": "Municipality",
    "partner": "Partner organisation",
    "ngo": "NGO",
    "university": "University",
    "business": "Business",
    "other": "Other",
}


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('municipality','partner','ngo','university','business','other')", name="kind"
        ),
        sa.CheckConstraint("length(country) = 2", name="country_alpha2"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="municipality")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Topic(db.Model):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"
