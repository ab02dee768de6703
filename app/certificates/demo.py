"""Demo data of this package (called by app.demo.seed_all)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session


def seed(session: Session, *, ctx, now: datetime) -> None:
    """Add this package's demo data; idempotent."""
