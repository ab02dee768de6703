"""Forms of the calendar package (buttons that carry a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.i18n import _l


class RotateTokenForm(FlaskForm):
    submit = SubmitField(_l("Get a new feed address"))
