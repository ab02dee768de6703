"""Exporting an event's or programme's certificates as one ZIP of PDFs, streamed with flat memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import IO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.certificates.lookups import CertificateSettings, _load_event, current_settings, get_programme
from app.certificates.models import Certificate
from app.certificates.pdf import render_certificate_pdf
from app.certificates.zipstream import SpooledZipWriter
from app.errors import ValidationFailed

# Export ----------------------------------------------------------------------------------------------

def export_certificates_zip(session: Session, *, out: IO[bytes], event_id: int | None = None,
                            programme_id: int | None = None, include_revoked: bool = False,
                            now: datetime | None = None, settings: CertificateSettings | None = None,
                            progress: Callable[[str], None] | None = None) -> int:
    """Write every certificate's PDF of an event/programme into a ZIP on `out`, one at a time; returns the count.

    Rows are streamed in batches, each PDF is dropped once written and the ZIP's central directory is spooled
    to a temporary file, so memory stays flat however many certificates there are.
    """
    settings = current_settings(settings)
    query = sa.select(Certificate.code, Certificate.snapshot).where(
        _export_filter(session, event_id, programme_id, include_revoked)
    ).order_by(Certificate.id)
    with SpooledZipWriter(out, modified=now) as archive:
        for code, snapshot in session.execute(query.execution_options(yield_per=100)):
            data = render_certificate_pdf(snapshot, font_path=settings.font_path)
            archive.write(zip_name(code, snapshot), data)
            del data
            if progress is not None:
                progress(code)
        return archive.count


def _export_filter(session: Session, event_id: int | None, programme_id: int | None, include_revoked: bool):
    if (event_id is None) == (programme_id is None):
        raise ValidationFailed("certificate.export_target")
    if event_id is not None:
        _load_event(session, event_id)
        condition = Certificate.event_id == event_id
    else:
        get_programme(session, programme_id)
        condition = Certificate.programme_id == programme_id
    if not include_revoked:
        condition = sa.and_(condition, Certificate.revoked_at.is_(None))
    return condition


def count_certificates(session: Session, *, event_id: int | None = None, programme_id: int | None = None,
                       include_revoked: bool = False) -> int:
    """How many certificates an export of this event/programme would write."""
    condition = _export_filter(session, event_id, programme_id, include_revoked)
    return session.scalar(sa.select(sa.func.count(Certificate.id)).where(condition)) or 0


def zip_name(code: str, snapshot: dict) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in snapshot.get("holder_name", "")).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{code}-{safe[:60] or 'certificate'}.pdf"
