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

from app.i18n import _l
from app.learning.limits import LINK_MAX, MAX_SUBMISSION_TEXT, MAX_TEXT, NOTE_MAX, SUMMARY_MAX, TITLE_MAX


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ProgrammeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the programme a title.")),
                                                 Length(max=TITLE_MAX)])
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=MAX_TEXT)],
                                render_kw={"rows": 6})
    topics = MultiCheckboxField(_l("Topics"), choices=[])
    submit = SubmitField(_l("Save programme"))


class ProgrammeEditForm(ProgrammeForm):
    organisers = MultiCheckboxField(_l("Organisers (they edit the programme, see progress and review work)"),
                                    coerce=int, choices=[])
    submit = SubmitField(_l("Save programme"))


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the module a title.")),
                                                 Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=MAX_TEXT)],
                                render_kw={"rows": 3})
    objectives = TextAreaField(_l("Learning objectives (Markdown)"), validators=[Optional(), Length(max=MAX_TEXT)],
                               render_kw={"rows": 3})
    hours = StringField(_l("Estimated hours"), default="0", validators=[Optional(), Length(max=12)])
    is_required = BooleanField(_l("Required for completion"), default=True)
    completion = SelectField(_l("Completed by"), choices=[("event", _l("Attending a linked event or session")),
                                                          ("self_study", _l("Self-study, reviewed by an organiser"))])
    prerequisites = MultiCheckboxField(_l("Prerequisites"), coerce=int, choices=[])
    submit = SubmitField(_l("Save module"))


class LinkForm(FlaskForm):
    target = SelectField(_l("Event or session"), validators=[DataRequired(message=_l("Choose an event or session."))],
                         choices=[])
    submit = SubmitField(_l("Link"))


class SubmissionForm(FlaskForm):
    text = TextAreaField(_l("Your reflection"), validators=[Optional(), Length(max=MAX_SUBMISSION_TEXT)],
                         render_kw={"rows": 5})
    link = StringField(_l("Link to your evidence"), validators=[
        Optional(), URL(require_tld=False, message=_l("Give the full address of your evidence (https://…).")),
        Length(max=LINK_MAX)])
    submit = SubmitField(_l("Submit for review"))


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=MAX_SUBMISSION_TEXT)],
                            render_kw={"rows": 2})
    decision = HiddenField(validators=[InputRequired()])


class MarkDoneForm(FlaskForm):
    user_id = IntegerField(_l("Participant"), validators=[InputRequired(), NumberRange(min=1)])
    module_id = SelectField(_l("Module"), coerce=int, choices=[])
    note = StringField(_l("Note (why)"), validators=[DataRequired(message=_l("Say why (the note is required).")),
                                                     Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Mark done"))


class UnmarkForm(FlaskForm):
    user_id = IntegerField(_l("Participant"), validators=[InputRequired(), NumberRange(min=1)])
    module_id = SelectField(_l("Module"), coerce=int, choices=[])
    note = StringField(_l("Note (why)"), validators=[DataRequired(message=_l("Say why (the note is required).")),
                                                     Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Withdraw"))
