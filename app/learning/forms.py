"""Forms of the learning pages (every one with a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.learning.limits import LINK_MAX, MAX_SUBMISSION_TEXT, MAX_TEXT, NOTE_MAX, SUMMARY_MAX, TITLE_MAX


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ProgrammeForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = StringField("Summary", validators=[Optional(), Length(max=SUMMARY_MAX)])
    description = TextAreaField("Description (Markdown)", validators=[Optional(), Length(max=MAX_TEXT)],
                                render_kw={"rows": 6})
    topics = MultiCheckboxField("Topics", choices=[])
    submit = SubmitField("Save programme")


class ProgrammeEditForm(ProgrammeForm):
    organisers = MultiCheckboxField("Organisers (they edit the programme, see progress and review work)",
                                    coerce=int, choices=[])
    submit = SubmitField("Save programme")


class ModuleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField("Description (Markdown)", validators=[Optional(), Length(max=MAX_TEXT)],
                                render_kw={"rows": 3})
    objectives = TextAreaField("Learning objectives (Markdown)", validators=[Optional(), Length(max=MAX_TEXT)],
                               render_kw={"rows": 3})
    hours = StringField("Estimated hours", default="0", validators=[Optional(), Length(max=12)])
    is_required = BooleanField("Required for completion", default=True)
    completion = SelectField("Completed by", choices=[("event", "Attending a linked event or session"),
                                                       ("self_study", "Self-study, reviewed by an organiser")])
    prerequisites = MultiCheckboxField("Prerequisites", coerce=int, choices=[])
    submit = SubmitField("Save module")


class LinkForm(FlaskForm):
    target = SelectField("Event or session", validators=[DataRequired()], choices=[])
    submit = SubmitField("Link")


class SubmissionForm(FlaskForm):
    text = TextAreaField("Your reflection", validators=[Optional(), Length(max=MAX_SUBMISSION_TEXT)], render_kw={"rows": 5})
    link = StringField("Link to your evidence", validators=[Optional(), URL(require_tld=False), Length(max=LINK_MAX)])
    submit = SubmitField("Submit for review")


class ReviewForm(FlaskForm):
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=MAX_SUBMISSION_TEXT)], render_kw={"rows": 2})
    decision = HiddenField(validators=[InputRequired()])


class MarkDoneForm(FlaskForm):
    user_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    module_id = SelectField("Module", coerce=int, choices=[])
    note = StringField("Note (why)", validators=[DataRequired(), Length(max=NOTE_MAX)])
    submit = SubmitField("Mark done")


class UnmarkForm(FlaskForm):
    user_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    module_id = SelectField("Module", coerce=int, choices=[])
    note = StringField("Note (why)", validators=[DataRequired(), Length(max=NOTE_MAX)])
    submit = SubmitField("Withdraw")
