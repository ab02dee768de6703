"""Forms of the certificates package (CSRF on everything that changes state)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.certificates.i18n import LANGUAGE_NAMES, LANGUAGES


class VerifyCodeForm(FlaskForm):
    """A GET form: looking a code up changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    code = StringField("Certificate code", validators=[DataRequired(), Length(max=40)],
                       render_kw={"placeholder": "CC-XXXX-XXXX-XXXX", "autocomplete": "off"})
    submit = SubmitField("Verify", id="verify-code-submit")


class VerifyPdfForm(FlaskForm):
    pdf = FileField("Certificate PDF", validators=[FileRequired("Choose the PDF file to check.")])
    submit = SubmitField("Check the PDF", id="verify-pdf-submit")


class IssueForm(FlaskForm):
    language = SelectField(
        "Certificate language",
        choices=[("", "Each person's own language")] + [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        default="",
    )
    submit = SubmitField("Issue certificates to everyone eligible")


class RevokeForm(FlaskForm):
    reason = TextAreaField("Reason (shown to anyone who verifies)", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Revoke")


class ReissueForm(FlaskForm):
    submit = SubmitField("Re-issue with today's data")
