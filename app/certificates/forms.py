"""Forms of the certificates package (CSRF on everything that changes state)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.certificates.i18n import LANGUAGE_NAMES, LANGUAGES
from app.i18n import _l


class VerifyCodeForm(FlaskForm):
    """A GET form: looking a code up changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(_l("Certificate code"), validators=[DataRequired(message=_l("Type the certificate code.")), Length(max=40)],
                       render_kw={"placeholder": "CC-XXXX-XXXX-XXXX", "autocomplete": "off"})
    submit = SubmitField(_l("Verify"), id="verify-code-submit")


class VerifyPdfForm(FlaskForm):
    pdf = FileField(_l("Certificate PDF"), validators=[FileRequired(_l("Choose the PDF file to check."))])
    submit = SubmitField(_l("Check the PDF"), id="verify-pdf-submit")


class IssueForm(FlaskForm):
    language = SelectField(
        _l("Certificate language"),
        choices=[("", _l("Each person's own language"))] + [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        default="",
    )
    submit = SubmitField(_l("Issue certificates to everyone eligible"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to anyone who verifies)"), validators=[DataRequired(message=_l("Give the reason for revoking.")), Length(max=500)])
    submit = SubmitField(_l("Revoke"))


class ReissueForm(FlaskForm):
    submit = SubmitField(_l("Re-issue with today's data"))
