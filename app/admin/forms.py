"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import ROLES
from app.directory.models import ORGANISATION_KIND_LABELS


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=list(ORGANISATION_KIND_LABELS.items()))
    city = StringField("City", validators=[Optional(), Length(max=120)])
    country = SelectField("Country", validators=[DataRequired()])
    website = URLField("Website", validators=[Optional(), Length(max=300)])
    submit = SubmitField("Save")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLES])
    submit = SubmitField("Change role")


class TopicForm(FlaskForm):
    slug = StringField("Slug (used in URLs, feeds and the API)", validators=[DataRequired(), Length(max=80)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save")
