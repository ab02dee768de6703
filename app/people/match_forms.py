"""The form that enrols people from a match list (the challenge itself is a GET form: a page that never writes,
whose address can be shared)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class MatchEnrolForm(FlaskForm):
    """CSRF only: the event and the people are read from the posted lists and checked by the service."""

    next = HiddenField()
