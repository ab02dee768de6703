"""/account/interests and the one-click unsubscribe link of the member digest."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.account import bp
from app.account.forms_interests import InterestsForm, UnsubscribeForm
from app.account.interests import Interests, get_interests, save_interests, set_frequency
from app.account.unsubscribe import read_unsubscribe_token
from app.auth.models import User
from app.directory.regions import SUB_REGIONS
from app.directory.services import list_organisations, list_topics
from app.errors import DomainError, render_message
from app.extensions import csrf, db
from app.practices.display import region_label, sdg_goal_label, topic_text
from app.practices.sdg import GOALS


def _fill_choices(form: InterestsForm) -> None:
    form.topics.choices = [(t.slug, topic_text(t.name)) for t in list_topics(db.session)]
    form.sdg_goals.choices = [(str(g), sdg_goal_label(g)) for g in GOALS]
    form.regions.choices = sorted(((code, region_label(code)) for code in SUB_REGIONS), key=lambda c: c[1])
    form.organisation_ids.choices = [(str(o.id), o.name) for o in list_organisations(db.session)]


def _ints(values) -> list:
    """Form values as whole numbers where they are (the service names what is not)."""
    return [int(v) if v.strip().isdigit() else v for v in values]


@bp.route("/account/interests", methods=["GET", "POST"])
@login_required
def interests():
    form = InterestsForm()
    _fill_choices(form)
    if request.method == "GET":
        saved = get_interests(db.session, current_user.id)
        form.topics.data = saved.topics
        form.sdg_goals.data = [str(g) for g in saved.sdg_goals]
        form.regions.data = saved.regions
        form.organisation_ids.data = [str(i) for i in saved.organisation_ids]
        form.frequency.data = saved.frequency
    elif form.validate_on_submit():
        wanted = Interests(topics=form.topics.data or [], sdg_goals=_ints(form.sdg_goals.data or []),
                           regions=form.regions.data or [], organisation_ids=_ints(form.organisation_ids.data or []),
                           frequency=form.frequency.data or "")
        try:
            save_interests(db.session, user_id=current_user.id, interests=wanted, now=datetime.now(UTC))
        except DomainError as exc:
            db.session.rollback()
            for name, message in exc.fields_for().items():
                if name in form:
                    form[name].errors = [*form[name].errors, message]
            if not exc.fields:
                flash(exc.message_for(), "danger")
        else:
            db.session.commit()
            flash(render_message("interests.saved"), "success")
            return redirect(url_for("account.interests"))
    return render_template("account/interests.html", form=form)


def _token_user(token: str) -> User | None:
    user_id = read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    return db.session.get(User, user_id) if user_id is not None else None


@bp.get("/account/unsubscribe/<token>")
def unsubscribe(token: str):
    """The confirm page (a GET never writes: mail scanners follow links)."""
    user = _token_user(token)
    if user is None:
        return render_template("account/unsubscribe.html", problem=render_message("interests.unsubscribe_invalid"),
                               form=None), 400
    return render_template("account/unsubscribe.html", form=UnsubscribeForm(), token=token, problem=None, done=False)


@bp.post("/account/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click"; the signed token decides
def unsubscribe_post(token: str):
    user = _token_user(token)
    if user is None:
        return render_template("account/unsubscribe.html", problem=render_message("interests.unsubscribe_invalid"),
                               form=None), 400
    set_frequency(db.session, user_id=user.id, frequency="never", now=datetime.now(UTC))
    db.session.commit()
    return render_template("account/unsubscribe.html", form=None, problem=None, done=True,
                           message=render_message("interests.unsubscribed"))
