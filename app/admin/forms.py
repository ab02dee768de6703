"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import ROLES
from app.directory.models import ORGANISATION_KIND_LABELS
from app.directory.services import ORGANISATION_DESCRIPTION_MAX
from app.i18n import _l


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=list(ORGANISATION_KIND_LABELS.items()))
    city = StringField("City", validators=[Optional(), Length(max=120)])
    country = SelectField("Country", validators=[DataRequired()])
    website = URLField("Website", validators=[Optional(), Length(max=300)])
    # the public profile; numbers are read by the directory service, which names the field it refuses
    description = TextAreaField(_l("Description (Markdown, shown on the public profile)"),
                                validators=[Optional(), Length(max=ORGANISATION_DESCRIPTION_MAX)])
    population = StringField(_l("Population"), validators=[Optional(), Length(max=20)],
                             description=_l("Of the city, when known; a whole number."))
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)],
                           description=_l("Decimal degrees from −90 to 90, e.g. 51.3397; give both or neither."))
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)],
                            description=_l("Decimal degrees from −180 to 180, e.g. 12.3731 (west is negative)."))
    submit = SubmitField("Save")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLES])
    submit = SubmitField("Change role")


class TopicForm(FlaskForm):
    slug = StringField("Slug (used in URLs, feeds and the API)", validators=[DataRequired(), Length(max=80)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save")
