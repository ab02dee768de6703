"""Pages: my certificates, the organisers' issuing pages, public verification and the PDF download."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.certificates import bp, i18n
from app.certificates import services as svc
from app.certificates.forms import IssueForm, ReissueForm, RevokeForm, VerifyCodeForm, VerifyPdfForm
from app.certificates.messages import FORMAT_LABELS, KIND_LABELS, Day
from app.errors import DomainError
from app.events.models import Event
from app.extensions import db, limiter
from app.i18n import _l, format_number, format_when, viewer_timezone
from app.sqltypes import utcnow
from app.viewhelpers import show_domain_error

MAX_PDF_UPLOAD = 5 * 1024 * 1024


def verify_rate_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_RATE_LIMIT", "30 per minute")


def _looks_nothing_up() -> bool:
    """GET /verify only shows the form or redirects a typed code to its page, which then counts."""
    return request.endpoint == "certificates.verify" and request.method == "GET"


# one budget per IP for every way of verifying (pages and JSON); only look-ups spend it
verify_limit = limiter.shared_limit(
    verify_rate_limit, scope="certificate-verify",
    error_message=_l("Too many verifications from your address; wait a minute."),
    exempt_when=_looks_nothing_up,
)


def _settings() -> svc.CertificateSettings:
    return svc.CertificateSettings.from_config(current_app.config)


@bp.context_processor
def _certificate_helpers() -> dict:
    return {"hours_text": hours_text, "day_text": day_text,
            "certificate_labels": {"kind": KIND_LABELS, "format": FORMAT_LABELS}}


def day_text(value) -> str:
    """A snapshot's ISO date ('2025-03-04') as the page's locale writes it ('4 mars 2025'); an ISO moment
    ('2025-03-04T22:30:00+00:00') as the day it was in the viewer's zone."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return format_when(value, viewer_timezone(), "%d %B %Y")
    return str(Day(value))


def hours_text(value) -> str:
    """'1 hour', '7.5 hours', '7,5 heures': the number in the page's locale, the plural from the catalogue."""
    if value is None:
        return "—"
    number = round(float(value), 2)
    if number == int(number):
        return ngettext("%(hours)s hour", "%(hours)s hours", int(number), hours=format_number(int(number)))
    return _("%(hours)s hours", hours=format_number(number))


def page_language() -> str:
    """The certificate language closest to the page's (dates and country names on the verify pages)."""
    return i18n.language_for(str(get_locale() or "en"))


def _issued_message(report, *, see_below: bool) -> str:
    """'Issued 3 certificates. 1 person got none (see the reasons below).' in the page's language."""
    issued = ngettext("Issued %(num)d certificate.", "Issued %(num)d certificates.", len(report.issued))
    skipped = len(report.skipped)
    if not skipped:
        return issued
    if see_below:
        rest = ngettext("%(num)d person got none (see the reasons below).",
                        "%(num)d people got none (see the reasons below).", skipped)
    else:
        rest = ngettext("%(num)d person got none.", "%(num)d people got none.", skipped)
    return _("%(issued)s %(skipped)s", issued=issued, skipped=rest)


# The holder ------------------------------------------------------------------------------------------

@bp.get("/certificates")
@login_required
def mine():
    certificates = svc.list_holder_certificates(db.session, current_user.id)
    return render_template("certificates/mine.html", certificates=certificates)


@bp.get("/certificates/<code>.pdf")
def download(code: str):
    certificate = svc.find_certificate(db.session, code)
    if certificate is None or not svc.can_download(db.session, certificate, current_user):
        return render_template("certificates/download_404.html", code=code), 404
    data = svc.render_pdf(certificate, _settings())
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        current_app.logger.warning(
            "certificate %s renders to a different SHA-256 than at issue (font or library changed?)",
            certificate.code,
        )
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.code}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Organisers ------------------------------------------------------------------------------------------

def _managed_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not event.is_organised_by(current_user):
        abort(404)
    return event


@bp.route("/certificates/event/<int:event_id>", methods=["GET", "POST"])
@login_required
def event_certificates(event_id: int):
    event = _managed_event(event_id)
    form = IssueForm()
    if form.validate_on_submit():
        try:
            report = svc.issue_event_certificates(db.session, event_id=event.id, actor_id=current_user.id,
                                                  now=utcnow(), settings=_settings(), language=form.language.data)
            db.session.commit()
            flash(_issued_message(report, see_below=True), "success")
        except DomainError as exc:
            show_domain_error(exc)
        return redirect(url_for(".event_certificates", event_id=event_id))
    now = utcnow()
    _, candidates = svc.event_candidates(db.session, event_id=event.id, now=now)
    return render_template(
        "certificates/manage.html", target=event, target_kind="event", candidates=candidates,
        blocked_reason=svc.event_issuable_reason(event, now),
        certificates=svc.list_target_certificates(db.session, event_id=event.id),
        form=form, revoke_form=RevokeForm(), reissue_form=ReissueForm(),
    )


@bp.route("/certificates/programme/<int:programme_id>", methods=["GET", "POST"])
@login_required
def programme_certificates(programme_id: int):
    try:
        programme = svc.get_programme(db.session, programme_id)
    except DomainError:
        abort(404)
    if not svc.can_manage_programme(programme, current_user):
        abort(404)
    form = IssueForm()
    if form.validate_on_submit():
        try:
            report = svc.issue_programme_certificates(db.session, programme_id=programme_id,
                                                      actor_id=current_user.id, now=utcnow(),
                                                      settings=_settings(), language=form.language.data)
            db.session.commit()
            flash(_issued_message(report, see_below=False), "success")
        except DomainError as exc:
            show_domain_error(exc)
        return redirect(url_for(".programme_certificates", programme_id=programme_id))
    _, candidates = svc.programme_candidates(db.session, programme_id=programme_id)
    return render_template(
        "certificates/manage.html", target=programme, target_kind="programme", candidates=candidates,
        certificates=svc.list_target_certificates(db.session, programme_id=programme_id),
        form=form, revoke_form=RevokeForm(), reissue_form=ReissueForm(),
    )


def _manage_page(certificate) -> str:
    if certificate.kind == "event":
        return url_for(".event_certificates", event_id=certificate.event_id)
    return url_for(".programme_certificates", programme_id=certificate.programme_id)


def _managed_certificate(code: str):
    certificate = svc.find_certificate(db.session, code)
    if certificate is None or not svc.can_manage_certificate(db.session, certificate, current_user):
        abort(404)
    return certificate


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke(code: str):
    certificate = _managed_certificate(code)
    back = _manage_page(certificate)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for revoking (at most %(maximum)d characters).", maximum=500), "danger")
        return redirect(back)
    try:
        svc.revoke_certificate(db.session, code=certificate.code, actor_id=current_user.id,
                               reason=form.reason.data, now=utcnow())
        db.session.commit()
        flash(_("Certificate %(code)s is revoked.", code=certificate.code), "success")
    except DomainError as exc:
        show_domain_error(exc)
    return redirect(back)


@bp.post("/certificates/<code>/reissue")
@login_required
def reissue(code: str):
    certificate = _managed_certificate(code)
    back = _manage_page(certificate)
    old_code = certificate.code
    if not ReissueForm().validate_on_submit():
        flash(_("The form has expired; try again."), "danger")
        return redirect(back)
    try:
        new = svc.reissue_certificate(db.session, code=old_code, actor_id=current_user.id, now=utcnow(),
                                      settings=_settings())
        db.session.commit()
        flash(_("Certificate %(old)s is replaced by %(new)s.", old=old_code, new=new.code), "success")
    except DomainError as exc:
        show_domain_error(exc)
    return redirect(back)


# Public verification ---------------------------------------------------------------------------------

@bp.route("/verify", methods=["GET", "POST"])
@verify_limit
def verify():
    code_form = VerifyCodeForm(request.args)
    pdf_form = VerifyPdfForm()
    if request.method == "GET" and "code" in request.args:
        canonical = svc.normalise_code(request.args.get("code"))
        if canonical is not None:
            return redirect(url_for(".verify_code", code=canonical))
        code_form.code.errors = [_("That is not a certificate code; it looks like %(example)s.",
                                   example="CC-7KQ2-M9XD-4HTP")]
    result = None
    if pdf_form.validate_on_submit():
        data = pdf_form.pdf.data.read(MAX_PDF_UPLOAD + 1)
        if len(data) > MAX_PDF_UPLOAD:
            pdf_form.pdf.errors = [_("That file is too large to be one of our certificates.")]
        else:
            certificate = svc.find_by_pdf(db.session, data)
            result = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "certificate": certificate,
                "facts": (svc.certificate_facts(certificate, lang=page_language())
                          if certificate is not None else None),
            }
    return render_template("certificates/verify.html", code_form=code_form, pdf_form=pdf_form, result=result)


@bp.get("/verify/<code>")
@verify_limit
def verify_code(code: str):
    certificate = svc.find_certificate(db.session, code)
    if certificate is None:
        return render_template("certificates/verify_unknown.html", code=code,
                               code_form=VerifyCodeForm(data={"code": code})), 404
    can_download = svc.can_download(db.session, certificate, current_user)
    return render_template("certificates/verify_code.html", certificate=certificate,
                           facts=svc.certificate_facts(certificate, lang=page_language()),
                           can_download=can_download)
