"""JSON API routes of the certificates package (registered on app.api.bp)."""

from __future__ import annotations

from flask import current_app, jsonify

from app.api import bp
from app.api.auth import api_user, json_body, role_required, token_required
from app.certificates import services as svc
from app.certificates.models import Certificate
from app.certificates.views import verify_limit
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.sqltypes import utcnow


def _settings() -> svc.CertificateSettings:
    return svc.CertificateSettings.from_config(current_app.config)


def certificate_json(certificate: Certificate, settings: svc.CertificateSettings) -> dict:
    snapshot = certificate.snapshot
    return {
        "code": certificate.code,
        "kind": certificate.kind,
        "valid": certificate.revoked_at is None,
        "status": certificate.status,
        "holder": snapshot["holder_name"],
        "title": snapshot["title"],
        "event_id": certificate.event_id,
        "programme_id": certificate.programme_id,
        "hours": float(certificate.hours),
        "issued_on": snapshot["issued_on"],
        "issued_at": certificate.issued_at.isoformat(),
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "language": certificate.language,
        "sha256": certificate.pdf_sha256,
        "pdf_url": svc.pdf_url(settings, certificate.code),
        "verify_url": snapshot["verify_url"],
    }


def _report_json(report: svc.IssueReport) -> dict:
    return {
        "issued": [c.code for c in report.issued],
        "skipped": [{"user_id": user_id, "reason": reason} for user_id, reason in report.skipped],
    }


@bp.get("/me/certificates")
@token_required
def certificates_mine():
    settings = _settings()
    items = [certificate_json(c, settings) for c in svc.list_holder_certificates(db.session, api_user().id)]
    return jsonify({"items": items})


@bp.post("/events/<int:event_id>/certificates")
@role_required("organiser")
def certificates_issue_event(event_id: int):
    report = svc.issue_event_certificates(db.session, event_id=event_id, actor_id=api_user().id, now=utcnow(),
                                          settings=_settings())
    db.session.commit()
    return jsonify(_report_json(report))


@bp.post("/programmes/<int:programme_id>/certificates")
@role_required("organiser")
def certificates_issue_programme(programme_id: int):
    report = svc.issue_programme_certificates(db.session, programme_id=programme_id, actor_id=api_user().id,
                                              now=utcnow(), settings=_settings())
    db.session.commit()
    return jsonify(_report_json(report))


def _managed(code: str) -> Certificate:
    certificate = svc.find_certificate(db.session, code)
    if certificate is None or not svc.can_download(db.session, certificate, api_user()):
        raise NotFound("No certificate has this code.")
    return certificate


@bp.post("/certificates/<code>/revoke")
@token_required
def certificates_revoke(code: str):
    certificate = _managed(code)
    reason = json_body().get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed("reason must be a string.", field="reason")
    certificate = svc.revoke_certificate(db.session, code=certificate.code, actor_id=api_user().id, reason=reason,
                                         now=utcnow())
    db.session.commit()
    return jsonify(certificate_json(certificate, _settings()))


@bp.post("/certificates/<code>/reissue")
@token_required
def certificates_reissue(code: str):
    certificate = _managed(code)
    new = svc.reissue_certificate(db.session, code=certificate.code, actor_id=api_user().id, now=utcnow(),
                                  settings=_settings())
    db.session.commit()
    return jsonify(certificate_json(new, _settings())), 201


@bp.get("/certificates/<code>")
@token_required
def certificates_detail(code: str):
    return jsonify(certificate_json(_managed(code), _settings()))


@bp.get("/verify/<code>")
@verify_limit
def certificates_verify(code: str):
    certificate = svc.find_certificate(db.session, code)
    if certificate is None:
        raise NotFound("No certificate has this code.", field="code")
    return jsonify(svc.certificate_facts(certificate))
