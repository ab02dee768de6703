"""The interests form: what a member follows and how often the digest comes (choices are filled by the view)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField

from app.i18n import _l
from app.practices.forms import MultiCheckboxField


class _Unchecked(SelectMultipleField):
    def pre_validate(self, form) -> None:
        """Unknown values are named by the service, which says which."""


FREQUENCY_CHOICES = [("weekly", _l("Weekly")), ("monthly", _l("Monthly")), ("never", _l("Never"))]


class InterestsForm(FlaskForm):
    topics = MultiCheckboxField(_l("Topics"), choices=[])
    sdg_goals = MultiCheckboxField(_l("SDG goals"), choices=[])
    regions = MultiCheckboxField(_l("Regions"), choices=[])
    organisation_ids = _Unchecked(_l("Organisations"), choices=[])
    frequency = RadioField(_l("Digest"), choices=FREQUENCY_CHOICES, default="weekly")
    submit = SubmitField(_l("Save"))



class UnsubscribeForm(FlaskForm):
    """A button only: the signed token in the address is the authority (no session, so no CSRF token)."""

    class Meta:
        csrf = False

    submit = SubmitField(_l("Unsubscribe"))
