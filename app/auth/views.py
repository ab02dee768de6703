"""Account pages: thin views over app.auth.services."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import (
    bp,
    messages,  # noqa: F401  (the sentences flashed here)
)
from app.auth import services as auth_services
from app.auth.forms import (
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    TokenForm,
)
from app.directory.services import country_choices, list_organisations
from app.errors import DomainError, render_message
from app.extensions import db, limiter
from app.i18n import LANGUAGES
from app.sqltypes import utcnow
from app.viewhelpers import hash_method, redirect_back, show_domain_error


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute")


def _login_account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


def _organisation_choices() -> list[tuple[int, str]]:
    return [(0, _("— none —"))] + [(o.id, o.name) for o in list_organisations(db.session)]


def _page_language() -> str:
    return str(get_locale() or "en")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message=lambda: render_message("auth.too_many_logins"))
@limiter.limit(
    _login_limit, key_func=_login_account_key, methods=["POST"], scope="login-account",
    error_message=lambda: render_message("auth.too_many_logins_for_account"),
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = auth_services.authenticate(db.session, form.email.data, form.password.data, hash_method=hash_method())
        if user is None:
            # the same message whether or not the email exists
            form.password.errors = [render_message("auth.login_failed")]
        else:
            login_user(user, remember=form.remember.data)
            flash(render_message("auth.welcome", {"name": user.name}), "success")
            return redirect_back(url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # a copy of this session or of its remember-me cookie must not outlive the logout
    auth_services.end_sessions(db.session, current_user.id)
    db.session.commit()
    logout_user()
    flash(render_message("auth.logged_out"), "info")
    return redirect(url_for("main.index"))


def _register_limit() -> str:
    return current_app.config.get("REGISTER_RATE_LIMIT", "10 per hour")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"], scope="register",
               error_message=lambda: render_message("auth.too_many_registrations"))
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    form.organisation_id.choices = _organisation_choices()
    form.country.choices = [("", _("— choose —"))] + country_choices(_page_language())
    if form.validate_on_submit():
        try:
            auth_services.register_or_notify(
                db.session,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                organisation_id=form.organisation_id.data or None,
                country=form.country.data,
                # the browser's zone, else the country's main one; the language the page was read in
                timezone=form.chosen_timezone(),
                language=_page_language() if _page_language() in LANGUAGES else "en",
                base_url=current_app.config["BASE_URL"],
                now=utcnow(),
                hash_method=hash_method(),
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            # the same answer whether or not the address already had an account
            flash(render_message("auth.registration_answered"), "info")
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.organisation_id.choices = _organisation_choices()
    form.country.choices = [("", _("— none —"))] + country_choices(_page_language())
    if request.method == "GET":
        form.organisation_id.data = current_user.organisation_id or 0
        form.country.data = current_user.country or ""
    if form.validate_on_submit():
        try:
            auth_services.update_profile(
                db.session,
                current_user.id,
                name=form.name.data,
                organisation_id=form.organisation_id.data or None,
                country=form.country.data,
                timezone=form.timezone.data.strip(),
                language=form.language.data,
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(render_message("auth.profile_saved"), "success")
            return redirect(url_for("auth.profile"))
    tokens = auth_services.list_api_tokens(db.session, current_user.id)
    return render_template(
        "auth/profile.html", form=form, password_form=ChangePasswordForm(), token_form=TokenForm(),
        confirm_form=ConfirmForm(), tokens=tokens, timezones=auth_services.SORTED_TIMEZONES,
    )


@bp.post("/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = auth_services.change_password(
                db.session, current_user.id, current=form.current_password.data, new=form.new_password.data,
                hash_method=hash_method(),
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc)
        else:
            # every other session has ended; this browser stays signed in (with a renewed remember-me cookie)
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(render_message("auth.password_changed"), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("auth.profile"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        auth_services.request_password_reset(
            db.session, form.email.data, secret_key=current_app.config["SECRET_KEY"],
            base_url=current_app.config["BASE_URL"], now=utcnow(),
        )
        db.session.commit()
        # the same answer whether or not the account exists
        flash(render_message("auth.reset_sent"), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    secret = current_app.config["SECRET_KEY"]
    try:
        auth_services.user_for_reset_token(db.session, token, secret, max_age)
    except DomainError as exc:
        flash(exc.message_for(), "danger")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            auth_services.reset_password(
                db.session, token, form.password.data, secret_key=secret, max_age=max_age, hash_method=hash_method()
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(render_message("auth.password_reset_done"), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.post("/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        flash(render_message("auth.token_name_invalid", {"limit": 100}), "danger")
        return redirect(url_for("auth.profile"))
    _, plain = auth_services.create_api_token(db.session, current_user.id, name=form.name.data, now=utcnow())
    db.session.commit()
    flash(render_message("auth.token_created", {"token": plain}), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(render_message("auth.form_expired"), "danger")
        return redirect(url_for("auth.profile"))
    try:
        auth_services.revoke_api_token(db.session, current_user.id, token_id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(render_message("auth.token_revoked"), "info")
    return redirect(url_for("auth.profile"))
