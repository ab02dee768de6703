"""`flask certificates issue|export` through the CLI runner."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pypdf
import sqlalchemy as sa

from app.certificates import services as svc
from app.certificates.models import Certificate
from app.sqltypes import utcnow
from tests.certificates.helpers import NAMES, attendee, enrol, past_event
from tests.factories import make_user


def test_issue_then_export_zip(runner, session, tmp_path):
    event = past_event(session)
    for name in NAMES:
        attendee(session, event, name=name)
    enrol(session, event, make_user(session), status="cancelled")
    session.commit()

    result = runner.invoke(args=["certificates", "issue", "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert "Issued 4 certificate(s), skipped 1 (1× enrolment is cancelled, not confirmed)." in result.output
    result = runner.invoke(args=["certificates", "issue", "--event", str(event.id)])
    assert "Issued 0 certificate(s), skipped 5" in result.output

    session.expire_all()
    certificates = {c.code: c for c in session.scalars(sa.select(Certificate))}
    revoked = next(iter(certificates.values()))
    svc.revoke_certificate(session, code=revoked.code, actor_id=None, reason="test", now=utcnow())
    session.commit()

    out = tmp_path / "certificates.zip"
    result = runner.invoke(args=["certificates", "export", "--event", str(event.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote 3 certificate(s) to {out}." in result.output
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert len(names) == 3 and not any(n.startswith(revoked.code) for n in names)
        for name in names:
            data = archive.read(name)
            certificate = certificates[name[:17]]
            assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
            text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
            assert certificate.snapshot["holder_name"] in text


def test_cli_errors_are_clear(runner, session, tmp_path):
    result = runner.invoke(args=["certificates", "issue"])
    assert result.exit_code != 0 and "exactly one of --event" in result.output
    result = runner.invoke(args=["certificates", "issue", "--event", "999"])
    assert result.exit_code == 1 and "No such event." in result.output
    result = runner.invoke(args=["certificates", "export", "--event", "999", "--out", str(tmp_path / "x.zip")])
    assert result.exit_code == 1 and "No such event." in result.output
    assert not (tmp_path / "x.zip").exists()


def test_issue_in_a_chosen_language(runner, session):
    event = past_event(session)
    attendee(session, event, language="de")
    session.commit()
    result = runner.invoke(args=["certificates", "issue", "--event", str(event.id), "--language", "xx"])
    assert result.exit_code != 0 and "--language" in result.output
    result = runner.invoke(args=["certificates", "issue", "--event", str(event.id), "--language", "pt"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    (certificate,) = session.scalars(sa.select(Certificate)).all()
    assert certificate.language == "pt"
    text = pypdf.PdfReader(io.BytesIO(svc.render_pdf(certificate))).pages[0].extract_text()
    assert "Certificado de participação" in text
