"""Forms of the contact pages. They read types only; app.people.contact checks the rules and names the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from app.i18n import _l
from app.people.limits import MESSAGE_TEXT_MAX, REPORT_REASON_MAX, SUBJECT_MAX


class MessageForm(FlaskForm):
    # no maxlength in the page: a longer text reaches the service, which says how long it is
    subject = StringField(_l("Subject"), render_kw={"maxlength": SUBJECT_MAX, "dir": "auto"})
    text = TextAreaField(_l("Message"), render_kw={"rows": 10, "dir": "auto"},
                         description=_l("At most %(maximum)s characters, sent as plain text.",
                                        maximum=MESSAGE_TEXT_MAX))
    submit = SubmitField(_l("Send the message"))


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this message? (optional)"),
                           validators=[Length(max=REPORT_REASON_MAX)], render_kw={"rows": 4, "dir": "auto"})
    submit = SubmitField(_l("Report to the administrators"))


class ContactSettingsForm(FlaskForm):
    accepts_messages = BooleanField(_l("Members may write to me through the platform"))
    submit = SubmitField(_l("Save"))


class SuspendForm(FlaskForm):
    reason = StringField(_l("Reason (the sender is told)"), render_kw={"maxlength": REPORT_REASON_MAX})
    submit = SubmitField(_l("Suspend the sender's contact"))


class ActionForm(FlaskForm):
    """A button with CSRF protection."""
