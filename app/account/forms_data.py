"""Forms of one's data, account deletion and invitations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.account.invitations import NAME_MAX
from app.auth.forms import RegisterForm
from app.i18n import LANGUAGES, _l


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(message=_l("Enter your password to delete your account.")), Length(max=256)])
    keep_certificates_public = BooleanField(
        _l("Keep my name on my certificates when someone verifies them"),
        description=_l("Without it, verifying a certificate of yours shows “holder withheld” with the event, "
                       "the date and the status."))
    submit = SubmitField(_l("Delete my account for good"))


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(message=_l("Give a valid email address.")),
        Email(message=_l("Give a valid email address."), check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_MAX)])
    language = SelectField(_l("Language of the invitation"), choices=list(LANGUAGES.items()), default="en",
                           description=_l("They have no account yet, so choose the language they read."))
    submit = SubmitField(_l("Invite"))


class InvitationRegisterForm(RegisterForm):
    """Registration with the invited address, shown and locked: the posted value is never used."""

    email = EmailField(_l("Email"), validators=[Optional()], render_kw={"readonly": True})
    submit = SubmitField(_l("Create account and take part"))
