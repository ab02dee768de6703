"""Organisations and topics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.directory.regions import region_of
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
        sa.CheckConstraint("population IS NULL OR population >= 0", name="population_not_negative"),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="municipality")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # the public profile (/organisations/<id>)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # Markdown
    population: Mapped[int | None] = mapped_column(sa.BigInteger)  # of the city, when known
    region: Mapped[str] = mapped_column(sa.String(3), default="", server_default="", index=True)  # M49 sub-region
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @validates("country")
    def _country_sets_region(self, key: str, value: str) -> str:
        self.region = region_of(value)
        return value

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
