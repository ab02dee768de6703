"""Certificates: one PDF against bare reportlab (same font, no QR), bulk issuing of 1,000, and the ZIP export's memory.

Every figure is a ratio against the baseline measured in this run: the same page drawn by bare reportlab
with the same embedded TTF font and no QR code.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reportlab.pdfgen.canvas import Canvas

from bench.common import Figure, bench_app, median_ms, timings

BULK = 1000
SMALL_EXPORT = 200


def _snapshot() -> dict:
    code = "CC-7KQ2-M9XD-4HTP"
    return {
        "version": 1, "network": "Connective Cities", "kind": "event", "language": "en", "code": code,
        "verify_url": f"https://events.connective-cities.example/verify/{code}",
        "holder_name": "Zoë Müller-Łukasiewicz", "title": "Climate-resilient urban drainage: learning from Durban",
        "format": "workshop", "start_date": "2025-03-04", "end_date": "2025-03-05", "timezone": "Europe/Berlin",
        "online": False, "city": "Leipzig", "country": "DE", "country_name": "Germany", "hours": 14.5,
        "modules": [], "issuer_name": "Olivia Okafor", "issuer_organisation": "Association of German Cities",
        "issued_on": "2025-03-10",
    }


def bare_reportlab_page(fonts) -> bytes:
    """The baseline: the same page's text and frame, hard-coded, with the same TTF font and no QR code."""
    from reportlab.lib.pagesizes import A4, landscape

    width, height = landscape(A4)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    c.setLineWidth(3)
    c.rect(18, 18, width - 36, height - 36)
    c.setLineWidth(0.75)
    c.rect(26, 26, width - 52, height - 52)
    lines = [
        (fonts.bold, 13, height - 72, "CONNECTIVE CITIES"), (fonts.bold, 30, height - 122, "Certificate of attendance"),
        (fonts.regular, 13, height - 164, "This is to certify that"),
        (fonts.bold, 30, height - 208, "Zoë Müller-Łukasiewicz"), (fonts.regular, 13, height - 240, "took part in"),
        (fonts.bold, 19, height - 274, "Climate-resilient urban drainage: learning from Durban"),
        (fonts.regular, 12, height - 302, "Workshop · 4–5 March 2025 · Leipzig, Germany"),
        (fonts.bold, 12, height - 322, "Total: 14.5 hours"),
    ]
    for font, size, y, text in lines:
        c.setFont(font, size)
        c.drawCentredString(width / 2, y, text)
    c.line(72, 124, 302, 124)
    c.setFont(fonts.regular, 8.5)
    c.drawString(72, 112, "Issued by")
    c.setFont(fonts.bold, 11)
    c.drawString(72, 98, "Olivia Okafor")
    c.setFont(fonts.regular, 9)
    c.drawString(72, 85, "Association of German Cities")
    c.drawString(72, 62, "Issued on 10 March 2025")
    c.setFont(fonts.regular, 8.5)
    c.drawRightString(684, 118, "Certificate code")
    c.setFont(fonts.bold, 12)
    c.drawRightString(684, 103, "CC-7KQ2-M9XD-4HTP")
    c.setFont(fonts.regular, 8.5)
    c.drawRightString(684, 80, "Verify this certificate at")
    c.setFont(fonts.regular, 9)
    c.drawRightString(684, 67, "https://events.connective-cities.example/verify/CC-7KQ2-M9XD-4HTP")
    c.showPage()
    c.save()
    return buffer.getvalue()


def interleaved(first, second, *, repeat: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Seconds per call of two functions, called alternately."""
    for _ in range(warmup):
        first()
        second()
    a, b = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        a.append(middle - start)
        b.append(time.perf_counter() - middle)
    return a, b


def _seed_event(session, *, people: int, organiser_id: int, title: str):
    """A finished two-day event with `people` confirmed attendees checked in on both days (bulk inserts)."""
    import sqlalchemy as sa

    from app.auth.models import User
    from app.events.models import Checkin, Enrolment, Event

    zone = ZoneInfo("Europe/Berlin")
    day = (datetime.now(ZoneInfo("UTC")) - timedelta(days=3)).astimezone(zone).date()
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
    event = Event(slug=f"bench-{secrets.token_hex(4)}", title=title, format="workshop", status="published",
                  timezone="Europe/Berlin", starts_at=starts - timedelta(days=1), ends_at=starts + timedelta(hours=8),
                  city="Leipzig", country="DE", hours=14, languages=["en"])
    event.organisers = [session.get(User, organiser_id)]
    session.add(event)
    session.flush()
    tag = secrets.token_hex(3)
    session.execute(sa.insert(User), [
        {"email": f"p{tag}-{n}@bench.example", "name": f"Participant {n} Ковальчук", "password_hash": "x",
         "role": "participant", "language": "de" if n % 5 == 0 else "en", "timezone": "UTC"}
        for n in range(people)
    ])
    user_ids = session.scalars(sa.select(User.id).where(User.email.like(f"p{tag}-%"))).all()
    session.execute(sa.insert(Enrolment), [
        {"event_id": event.id, "user_id": uid, "status": "confirmed", "ticket_code": secrets.token_hex(6)}
        for uid in user_ids
    ])
    enrolment_ids = session.scalars(sa.select(Enrolment.id).where(Enrolment.event_id == event.id)).all()
    days = [starts.date() - timedelta(days=1), starts.date()]
    session.execute(sa.insert(Checkin), [
        {"enrolment_id": eid, "day": d, "method": "sheet"} for eid in enrolment_ids for d in days
    ])
    session.commit()
    return event.id


def _export_peak(session, event_id: int, settings) -> tuple[int, float, float]:
    from app.certificates.services import export_certificates_zip

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "export.zip")
        session.expire_all()
        tracemalloc.start()
        start = time.perf_counter()
        with open(path, "wb") as out:
            count = export_certificates_zip(session, out=out, event_id=event_id, settings=settings)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return count, peak / (1024 * 1024), elapsed


def run() -> list[Figure]:
    from app.certificates.pdf import certificate_fonts, render_certificate_pdf
    from app.certificates.services import (
        CertificateSettings,
        export_certificates_zip,
        issue_event_certificates,
    )

    figures: list[Figure] = []
    fonts = certificate_fonts(None)  # parsed and registered once per process, like the app does
    snapshot = _snapshot()

    def one_certificate():
        # the app's own work too: a fresh snapshot copy, i18n formatting, QR encoding, rendering, hashing
        data = render_certificate_pdf(dict(snapshot))
        hashlib.sha256(data).hexdigest()

    # interleaved, so a neighbour's load on this shared machine hits both sides alike
    base_samples, single_samples = interleaved(lambda: bare_reportlab_page(fonts), one_certificate, repeat=80)
    baseline, single = median_ms(base_samples), median_ms(single_samples)
    figures.append(Figure("certificates: bare reportlab page, same font, no QR", baseline, "ms"))
    figures.append(Figure("certificates: one certificate (page+font+QR+app)", single, "ms",
                          "bare reportlab page", single / baseline, "<= 1.6x"))

    with bench_app() as app, app.app_context():
        from app.auth.models import User
        from app.extensions import db
        from app.sqltypes import utcnow

        session = db.session
        organiser = User(email="organiser@bench.example", name="Olivia Okafor", password_hash="x", role="organiser")
        session.add(organiser)
        session.commit()
        settings = CertificateSettings(base_url="https://events.connective-cities.example")
        big = _seed_event(session, people=BULK, organiser_id=organiser.id, title="Bulk workshop")
        small = _seed_event(session, people=SMALL_EXPORT, organiser_id=organiser.id, title="Small workshop")

        start = time.perf_counter()
        report = issue_event_certificates(session, event_id=big, actor_id=organiser.id, now=utcnow(),
                                          settings=settings)
        session.commit()
        bulk_s = time.perf_counter() - start
        assert len(report.issued) == BULK, len(report.issued)
        per_cert = bulk_s * 1000 / BULK
        # the same 1,000 pages rendered alone, and the baseline again, right after: the rest is DB and mail work
        snapshots = [c.snapshot for c in report.issued]
        start = time.perf_counter()
        for snap in snapshots:
            render_certificate_pdf(snap)
        render_ms = (time.perf_counter() - start) * 1000 / BULK
        after = median_ms(timings(lambda: bare_reportlab_page(fonts), repeat=40, warmup=2))
        bulk_baseline = (baseline + after) / 2
        db_ms = max(per_cert - render_ms, 0.0)
        figures.append(Figure(f"certificates: issue {BULK:,} in bulk (render+DB+mail), per certificate", per_cert,
                              "ms", "bare reportlab page", per_cert / bulk_baseline, "<= 1.6x + DB work"))
        figures.append(Figure(f"certificates: {BULK:,} in bulk, rendering alone, per certificate", render_ms, "ms",
                              "bare reportlab page", render_ms / bulk_baseline, "<= 1.6x"))
        figures.append(Figure("certificates: bulk DB+mail work per certificate", db_ms, "ms",
                              "bare reportlab page", db_ms / bulk_baseline))
        issue_event_certificates(session, event_id=small, actor_id=None, now=utcnow(), settings=settings)
        session.commit()

        count_small, peak_small, _ = _export_peak(session, small, settings)
        count_big, peak_big, _ = _export_peak(session, big, settings)
        assert (count_small, count_big) == (SMALL_EXPORT, BULK)
        figures.append(Figure(f"certificates: ZIP export of {SMALL_EXPORT} peak memory", peak_small, "MiB"))
        figures.append(Figure(f"certificates: ZIP export of {BULK:,} peak memory", peak_big, "MiB",
                              f"export of {SMALL_EXPORT}", peak_big / peak_small, "~1.0x (flat)"))
        with tempfile.TemporaryFile() as out:
            session.expire_all()
            start = time.perf_counter()
            export_certificates_zip(session, out=out, event_id=big, settings=settings)
            export_ms = (time.perf_counter() - start) * 1000 / BULK
        figures.append(Figure(f"certificates: ZIP export of {BULK:,}, per certificate", export_ms, "ms",
                              "bare reportlab page", export_ms / baseline))
    return figures
