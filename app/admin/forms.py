"""Admin forms (labels through the catalogue, translated when the form is shown)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import ROLES
from app.directory.models import ORGANISATION_KIND_LABELS
from app.directory.services import ORGANISATION_DESCRIPTION_MAX
from app.i18n import _l

KIND_LABELS = {
    "municipality": _l("Municipality"),
    "partner": _l("Partner organisation"),
    "ngo": _l("NGO"),
    "university": _l("University"),
    "business": _l("Business"),
    "other": _l("Other"),
}
ROLE_LABELS = {"participant": _l("Participant"), "organiser": _l("Organiser"), "admin": _l("Admin")}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(kind, KIND_LABELS.get(kind, label))
                                            for kind, label in ORGANISATION_KIND_LABELS.items()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    # the public profile; numbers are read by the directory service, which names the field it refuses
    description = TextAreaField(_l("Description (Markdown, shown on the public profile)"),
                                validators=[Optional(), Length(max=ORGANISATION_DESCRIPTION_MAX)])
    population = StringField(_l("Population"), validators=[Optional(), Length(max=20)],
                             description=_l("Of the city, when known; a whole number."))
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)],
                           description=_l("Decimal degrees from −90 to 90, e.g. 51.3397; give both or neither."))
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)],
                            description=_l("Decimal degrees from −180 to 180, e.g. 12.3731 (west is negative)."))
    submit = SubmitField(_l("Save"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(r, ROLE_LABELS.get(r, r)) for r in ROLES])
    submit = SubmitField(_l("Change role"))


class TopicForm(FlaskForm):
    slug = StringField(_l("Slug (used in URLs, feeds and the API)"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))
