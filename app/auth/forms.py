"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import LANGUAGES
from app.auth.services import MIN_PASSWORD_LENGTH
from app.i18n import _l, main_zone_for_country, valid_zone


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )
    confirm = PasswordField(_l("Repeat password"), validators=[DataRequired(), EqualTo("password", _l("Passwords differ."))])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    # proposed by the browser (static/timezone.js); else the main zone of the country, never silently UTC
    timezone = StringField(
        _l("Time zone"), validators=[Optional(), Length(max=64)],
        description=_l("Filled in from your device; you can change it later in your profile."),
        render_kw={"data-browser-timezone": "", "autocomplete": "off"},
    )
    submit = SubmitField(_l("Create account"))

    def chosen_timezone(self) -> str:
        """The browser's zone when it is a real IANA zone, else the main zone of the chosen country."""
        return valid_zone(self.timezone.data) or main_zone_for_country(self.country.data) or "UTC"


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    timezone = StringField(
        _l("Time zone (IANA, e.g. Europe/Berlin)"), validators=[DataRequired(), Length(max=64)],
        render_kw={"list": "timezones", "autocomplete": "off"},
    )
    language = SelectField(_l("Preferred language"), choices=list(LANGUAGES.items()))
    submit = SubmitField(_l("Save profile"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )
    confirm = PasswordField(
        _l("Repeat new password"), validators=[DataRequired(), EqualTo("new_password", _l("Passwords differ."))]
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )
    confirm = PasswordField(_l("Repeat password"), validators=[DataRequired(), EqualTo("password", _l("Passwords differ."))])
    submit = SubmitField(_l("Set new password"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)], default=_l("API token"))
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))
