"""Forms of the mail package (buttons that carry a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    submit = SubmitField("Retry")
