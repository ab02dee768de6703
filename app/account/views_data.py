"""Pages of one's own data (download, deletion) and of invitations: thin views over the account services."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.account import (
    bp,
    data_messages,  # noqa: F401  (the sentences flashed here)
    deletion,
    exporters,
    invitations,
)
from app.account.forms_data import DeleteAccountForm, InvitationRegisterForm, InviteForm
from app.auth.decorators import organiser_required
from app.directory.services import country_choices, list_organisations
from app.errors import DomainError, render_message
from app.extensions import db
from app.i18n import LANGUAGES
from app.learning.models import Programme
from app.sqltypes import utcnow
from app.viewhelpers import hash_method, show_domain_error


def _page_language() -> str:
    return str(get_locale() or "en")


def data_download(user_id: int) -> Response:
    """The export as a JSON file download (the page and the API answer with the same bytes)."""
    now = utcnow()
    data = exporters.export_user_data(db.session, user_id, now=now)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    filename = f"connective-cities-data-{user_id}-{now.date().isoformat()}.json"
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data")
@login_required
def data():
    return data_download(current_user.id)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_account(
                db.session, user_id=current_user.id, password=form.password.data,
                keep_certificates_public=form.keep_certificates_public.data, now=utcnow(),
                hash_method=hash_method())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            logout_user()
            flash(render_message("account.deleted"), "info")
            return redirect(url_for("main.index"))
    sole = deletion.sole_organiser_of(db.session, current_user.id, now=utcnow())
    return render_template("account/delete.html", form=form, sole=sole)


def _invite(target: str, target_id: int, back: str):
    form = InviteForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(back)
    try:
        result = invitations.invite(
            db.session, inviter_id=current_user.id, email=form.email.data, name=form.name.data or "",
            language=form.language.data, base_url=current_app.config["BASE_URL"],
            network=current_app.config.get("NETWORK_NAME", "Connective Cities"),
            secret_key=current_app.config["SECRET_KEY"], now=utcnow(),
            max_age=current_app.config.get("INVITATION_MAX_AGE", invitations.DEFAULT_MAX_AGE),
            **{target: target_id})
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        reason = "invitation.sent" if result.outcome == "invited" else "invitation.enrolled_existing"
        flash(render_message(reason, {"email": result.email}), "success")
    return redirect(back)


@bp.post("/account/events/<int:event_id>/invitations")
@organiser_required
def invite_to_event(event_id: int):
    return _invite("event_id", event_id, url_for("events.participants", event_id=event_id))


@bp.post("/account/programmes/<int:programme_id>/invitations")
@organiser_required
def invite_to_programme(programme_id: int):
    return _invite("programme_id", programme_id, url_for("learning.progress", programme_id=programme_id))


@bp.route("/account/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        invitation = invitations.invitation_for_token(db.session, token, secret_key=secret, now=utcnow())
    except DomainError as exc:
        flash(exc.message_for(), "danger")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        # signed in already: the invitation is for a person without an account
        flash(render_message("invitation.signed_in"), "info")
        return redirect(url_for("main.index"))
    form = InvitationRegisterForm()
    form.organisation_id.choices = [(0, _("— none —"))] + [(o.id, o.name) for o in list_organisations(db.session)]
    form.country.choices = [("", _("— choose —"))] + country_choices(_page_language())
    if not form.is_submitted():
        form.name.data = invitation.name
    form.email.data = invitation.email  # shown, locked, never read from the form
    if form.validate_on_submit():
        try:
            user, _joined = invitations.accept_invitation(
                db.session, token, name=form.name.data, password=form.password.data, country=form.country.data,
                organisation_id=form.organisation_id.data or None, timezone=form.chosen_timezone(),
                language=_page_language() if _page_language() in LANGUAGES else "en", secret_key=secret,
                now=utcnow(), hash_method=hash_method())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            login_user(user)
            flash(render_message("invitation.accepted"), "success")
            if invitation.event_id is not None:
                return redirect(url_for("events.detail", event_id=invitation.event_id))
            return redirect(url_for("learning.detail", slug=db.session.get(Programme, invitation.programme_id).slug))
    return render_template("account/accept_invitation.html", form=form, invitation=invitation)


@bp.app_context_processor
def _invite_form_context() -> dict:
    # the invitation form sits on other packages' pages (participants); its language list comes from here
    return {"invite_languages": LANGUAGES,
            "invite_language": _page_language() if _page_language() in LANGUAGES else "en"}
