"""The yearly confirmation page: /practices/<id>/still-current/<token> (the link in the contact's email).

GET shows the practice and two buttons and never writes; POST "still current" records the confirmation,
POST "needs an update" leads to the edit page (which asks the contact to sign in as usual).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from wtforms import SubmitField

from app.errors import DomainError
from app.extensions import db
from app.i18n import _l
from app.practices import bp, verification
from app.sqltypes import utcnow


class StillCurrentForm(FlaskForm):
    """Two buttons; the form only carries the CSRF token."""

    confirm = SubmitField(_l("Yes, it is still current"))
    update = SubmitField(_l("It needs an update"))


def _practice_path(practice_id: int, endpoint: str = "practices.detail", suffix: str = "") -> str:
    """The practice page (or its edit page) by endpoint when routed here, else by the contract's path."""
    try:
        return url_for(endpoint, practice_id=practice_id)
    except BuildError:
        return f"/practices/{practice_id}{suffix}"


@bp.route("/practices/<int:practice_id>/still-current/<token>", methods=["GET", "POST"])
def still_current(practice_id: int, token: str):
    practice = verification.practice_for_token(db.session, practice_id)  # 404 for drafts and unknown ids
    form = StillCurrentForm()
    secret = current_app.config["SECRET_KEY"]
    try:
        verification.check_token(secret, token, practice, now=utcnow())
    except DomainError as exc:
        return render_template("practices/still_current.html", practice=practice, form=None,
                               problem=exc.message_for()), 410 if exc.reason == verification.LINK_EXPIRED else 400
    if form.validate_on_submit():
        if form.update.data:
            return redirect(_practice_path(practice.id, "practices.edit", "/edit"))
        try:
            verification.confirm_still_current(db.session, practice_id=practice.id, token=token, secret_key=secret,
                                               now=utcnow())
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message_for(), "danger")
            return redirect(url_for("practices.still_current", practice_id=practice_id, token=token))
        flash(_("Thank you: the practice is marked as still current."), "success")
        return redirect(_practice_path(practice.id))
    return render_template("practices/still_current.html", practice=practice, form=form, problem=None,
                           practice_url=_practice_path(practice.id))
