"""Forms of the calendar package (buttons that carry a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class RotateTokenForm(FlaskForm):
    submit = SubmitField("Get a new feed address")
