"""JSON API routes of the certificates package (registered on app.apikit.bp), declared in app.apikit.contract terms."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import current_app, jsonify
from pydantic import Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.auth import api_user, json_body, role_required, token_required
from app.apikit.contract import Body, Date, DateTime, Id, Reply, Str, Url, operation, path_parameter
from app.certificates import services as svc
from app.certificates.i18n import LANGUAGES
from app.certificates.models import CERTIFICATE_KINDS, Certificate
from app.certificates.views import verify_limit
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.sqltypes import utcnow

path_parameter("code", "Certificate code; case-insensitive, hyphens optional.",
               {"type": "string", "examples": ["CC-7KQ2-M9XD-4HTP"]})

Kind = Literal[CERTIFICATE_KINDS]
Validity = Literal["valid", "revoked"]
Sha256 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]


class CertificateOut(TypedDict):
    code: Annotated[str, Field(examples=["CC-7KQ2-M9XD-4HTP"])]
    kind: Kind
    valid: bool
    status: Validity
    holder: str
    title: str
    event_id: Id | None
    programme_id: Id | None
    hours: float
    issued_on: Date
    issued_at: DateTime
    revoked_at: DateTime | None
    revoke_reason: str | None
    language: str
    sha256: Sha256
    pdf_url: Url
    verify_url: Url


class CertificateList(TypedDict):
    items: list[CertificateOut]


class SkippedOut(TypedDict):
    user_id: Id
    reason: str


class IssueReport(TypedDict):
    issued: Annotated[list[str], Field(description="Codes of the certificates issued now.")]
    skipped: list[SkippedOut]


class VerifiedModuleOut(TypedDict):
    title: str
    hours: float
    hours_label: str


class IssuerOut(TypedDict):
    name: str | None
    organisation: str | None


class Verification(TypedDict):
    """What a certificate states and whether it is valid."""

    code: str
    valid: bool
    status: Validity
    kind: Kind
    kind_label: str
    holder: Annotated[str, Field(description="The name printed at issue, or a sentence saying it is withheld.")]
    holder_withheld: Annotated[bool, Field(description="The holder deleted their account and chose not to keep "
                                                       "their name public; the rest stays verifiable.")]
    title: str
    format: str | None
    format_label: str
    dates: Annotated[str, Field(description="Display-ready dates.")]
    start_date: Date | None
    end_date: Date | None
    completed_on: Date | None
    online: bool
    place: str
    hours: float
    hours_label: str
    modules: list[VerifiedModuleOut]
    issuer: IssuerOut
    network: str | None
    issued_on: Date
    issued_at: DateTime
    revoked_at: DateTime | None
    revoked_on: Date | None
    revoke_reason: str | None
    replaced_by: str | None
    replaces: str | None
    language: str | None
    sha256: Sha256
    verify_url: Url


CertificateLanguage = Literal[LANGUAGES]


class IssueRequest(Body):
    language: Annotated[CertificateLanguage, Field(
        description="The language of every certificate issued now; without it each holder's own language.")] = None


class RevokeRequest(Body):
    reason: Annotated[Str, Field(min_length=1, max_length=2000, description="Shown to anyone who verifies.")]


def _settings() -> svc.CertificateSettings:
    return svc.CertificateSettings.from_config(current_app.config)


def certificate_json(certificate: Certificate, settings: svc.CertificateSettings) -> CertificateOut:
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


def _report_json(report: svc.IssueReport) -> IssueReport:
    return {
        "issued": [c.code for c in report.issued],
        "skipped": [{"user_id": user_id, "reason": str(reason)} for user_id, reason in report.skipped],
    }


@operation(bp.get, "/me/certificates", tag="Certificates", summary="The caller's certificates",
           replies={200: Reply("Valid and revoked, newest first.", CertificateList)})
@token_required
def certificates_mine():
    settings = _settings()
    items = [certificate_json(c, settings) for c in svc.list_holder_certificates(db.session, api_user().id)]
    return jsonify({"items": items})


@operation(bp.post, "/events/<int:event_id>/certificates", tag="Certificates",
           summary="Issue attendance certificates to the eligible", errors=[403, 404, 409, 422],
           body=IssueRequest, body_required=False,
           replies={200: Reply("Issued codes and who was skipped why (idempotent).", IssueReport)})
@role_required("organiser")
def certificates_issue_event(event_id: int):
    report = svc.issue_event_certificates(db.session, event_id=event_id, actor_id=api_user().id, now=utcnow(),
                                          settings=_settings(), language=json_body().get("language"))
    db.session.commit()
    return jsonify(_report_json(report))


@operation(bp.post, "/programmes/<int:programme_id>/certificates", tag="Certificates",
           summary="Issue completion certificates", errors=[403, 404, 409, 422],
           body=IssueRequest, body_required=False,
           replies={200: Reply("Issued codes and who was skipped why (idempotent).", IssueReport)})
@role_required("organiser")
def certificates_issue_programme(programme_id: int):
    report = svc.issue_programme_certificates(db.session, programme_id=programme_id, actor_id=api_user().id,
                                              now=utcnow(), settings=_settings(),
                                              language=json_body().get("language"))
    db.session.commit()
    return jsonify(_report_json(report))


def _managed(code: str) -> Certificate:
    certificate = svc.find_certificate(db.session, code)
    if certificate is None or not svc.can_download(db.session, certificate, api_user()):
        raise NotFound("certificate.not_found")
    return certificate


@operation(bp.post, "/certificates/<code>/revoke", tag="Certificates", summary="Revoke a certificate with a reason",
           body=RevokeRequest, errors=[403, 404, 409],
           replies={200: Reply("The revoked certificate.", CertificateOut)})
@token_required
def certificates_revoke(code: str):
    certificate = _managed(code)
    reason = json_body().get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed("certificate.reason_not_string", field="reason")
    certificate = svc.revoke_certificate(db.session, code=certificate.code, actor_id=api_user().id, reason=reason,
                                         now=utcnow())
    db.session.commit()
    return jsonify(certificate_json(certificate, _settings()))


@operation(bp.post, "/certificates/<code>/reissue", tag="Certificates",
           summary="Re-issue from today's data (the old one is revoked)", errors=[403, 404, 409],
           replies={201: Reply("The new certificate.", CertificateOut)})
@token_required
def certificates_reissue(code: str):
    certificate = _managed(code)
    new = svc.reissue_certificate(db.session, code=certificate.code, actor_id=api_user().id, now=utcnow(),
                                  settings=_settings())
    db.session.commit()
    return jsonify(certificate_json(new, _settings())), 201


@operation(bp.get, "/certificates/<code>", tag="Certificates",
           summary="One certificate (holder, organisers, admins)", errors=[404],
           replies={200: Reply("The certificate.", CertificateOut)})
@token_required
def certificates_detail(code: str):
    return jsonify(certificate_json(_managed(code), _settings()))


@operation(bp.get, "/verify/<code>", tag="Verification", summary="Verify a certificate (public, rate-limited)",
           public=True, errors=[404, 429], replies={200: Reply("What it states and whether it is valid.",
                                                               Verification)})
@verify_limit
def certificates_verify(code: str):
    certificate = svc.find_certificate(db.session, code)
    if certificate is None:
        raise NotFound("certificate.not_found", field="code")
    return jsonify(svc.certificate_facts(certificate))
