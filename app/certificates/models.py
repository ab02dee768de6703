"""Certificates of attendance (events) and completion (programmes), with what each one states frozen."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["Certificate", "CERTIFICATE_KINDS"]

CERTIFICATE_KINDS = ("event", "programme")

_VALID = sa.text("revoked_at IS NULL")


class Certificate(db.Model):
    """One issued certificate; never edited after issue except to revoke it (a correction is a new one)."""

    __tablename__ = "certificate"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('event','programme')", name="kind"),
        sa.CheckConstraint(
            "(kind = 'event' AND event_id IS NOT NULL AND programme_id IS NULL) OR "
            "(kind = 'programme' AND programme_id IS NOT NULL AND event_id IS NULL)",
            name="kind_matches_target",
        ),
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
        sa.CheckConstraint("revoked_at IS NOT NULL OR revoke_reason IS NULL", name="reason_only_when_revoked"),
        # never two valid certificates for the same holder and event (or programme): partial unique indexes
        sa.Index("uq_certificate_valid_event", "holder_id", "event_id", unique=True,
                 sqlite_where=_VALID, postgresql_where=_VALID),
        sa.Index("uq_certificate_valid_programme", "holder_id", "programme_id", unique=True,
                 sqlite_where=_VALID, postgresql_where=_VALID),
        sa.Index("ix_certificate_event_id", "event_id"),
        sa.Index("ix_certificate_programme_id", "programme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # public, random (60 bits), e.g. CC-7KQ2-M9XD-4HTP; stored in this canonical form
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    # RESTRICT: a certificate must stay verifiable for years, so its holder, event or programme stay too
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="RESTRICT"))
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="RESTRICT"))
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="SET NULL"), unique=True
    )
    # everything the certificate states, frozen at issue: later edits never change an issued certificate
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    # the holder deleted their account and chose not to keep their name public: the verify page says so
    holder_withheld: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    # SHA-256 of the PDF rendered from the snapshot (rendering is deterministic)
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)

    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    replaces: Mapped[Certificate | None] = relationship(
        remote_side=[id], foreign_keys=[replaces_id], back_populates="replaced_by"
    )
    replaced_by: Mapped[Certificate | None] = relationship(
        foreign_keys=[replaces_id], back_populates="replaces", uselist=False
    )

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def status(self) -> str:
        return "valid" if self.revoked_at is None else "revoked"

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.kind} holder={self.holder_id}>"
