"""Forms of the practice pages. They read types only; the services check the rules and name the failing field
with the same names the forms use (the API's JSON names), so an error lands on its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.i18n import _l
from app.practices.limits import (
    CAPTION_MAX,
    CITY_MAX,
    COMMENT_MAX,
    CREDIT_MAX,
    INDICATOR_TEXT_MAX,
    INTEREST_NOTE_MAX,
    MAX_INDICATORS,
    SECTION_MAX,
    SECTIONS,
    SUMMARY_MAX,
    TITLE_MAX,
)

INDICATOR_COLUMNS = ("indicator", "unit", "baseline", "value", "year", "source")
BLANK_ROWS = 3  # empty key-figure rows offered below the filled ones; "add more rows" posts back for 3 more


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (usable by keyboard, screen reader and on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Choices are checked by the services, which name what is unknown."""

    def process_formdata(self, valuelist) -> None:
        # a NUL byte can reach no database (PostgreSQL refuses it): the services see what is left
        super().process_formdata([value.replace("\x00", "") for value in valuelist])


class IndicatorRowsField(Field):
    """Key figures as rows of inputs named indicators-<row>-<column>; data is a list of dicts.

    A plain field (not a FieldList) so a service error about `indicators` lands on it as one message."""

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        rows = [] if data is unset_value or data is None else data
        self.object_data = rows
        self.data = [{column: _cell(row, column) for column in INDICATOR_COLUMNS} for row in rows]
        self.posted_rows = 0
        if formdata is not None and any(key.startswith(f"{self.name}-") for key in formdata):
            posted = []
            for index in range(MAX_INDICATORS + BLANK_ROWS * 4):
                cells = {column: (formdata.get(f"{self.name}-{index}-{column}") or "").strip()[:INDICATOR_TEXT_MAX]
                         for column in INDICATOR_COLUMNS}
                if any(f"{self.name}-{index}-{column}" in formdata for column in INDICATOR_COLUMNS):
                    self.posted_rows = index + 1
                if any(cells.values()):
                    posted.append(cells)
            self.data = posted

    def _value(self):  # pragma: no cover - rendered row by row in the template
        return ""

    def as_data(self) -> list[dict]:
        """The rows as the services take them (empty cells as None, numbers still as text)."""
        return [{column: (row[column] or None) if column in ("baseline", "value", "year") else row[column]
                 for column in INDICATOR_COLUMNS} for row in self.data or []]


def _cell(row, column: str) -> str:
    value = row.get(column) if isinstance(row, dict) else getattr(row, column, None)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class PracticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the practice a title.")),
                                                 Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary (two or three sentences)"), validators=[Optional(), Length(max=SUMMARY_MAX)],
                            render_kw={"rows": 3})
    language = SelectField(_l("Language of this text"), choices=[])
    organisation_id = SelectField(_l("Organisation"), choices=[], validators=[Optional()], validate_choice=False)
    city = StringField(_l("City"), validators=[Optional(), Length(max=CITY_MAX)])
    country = SelectField(_l("Country"), choices=[], validators=[DataRequired(message=_l("Choose a country."))])
    subdivision = StringField(_l("Subdivision (ISO 3166-2 code, e.g. DE-SN)"), validators=[Optional(), Length(max=6)])
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)])
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)])
    stage = SelectField(_l("Stage"), choices=[])
    started_year = StringField(_l("Start year"), validators=[Optional(), Length(max=6)])
    ended_year = StringField(_l("End year"), validators=[Optional(), Length(max=6)])
    topics = MultiCheckboxField(_l("Topics"), choices=[])
    sdg_goals = MultiCheckboxField(_l("SDG goals"), choices=[])
    sdg_targets = MultiCheckboxField(_l("SDG targets"), choices=[])
    challenge = TextAreaField(_l("Challenge"), validators=[Optional(), Length(max=SECTION_MAX)], render_kw={"rows": 5})
    solution = TextAreaField(_l("Solution"), validators=[Optional(), Length(max=SECTION_MAX)], render_kw={"rows": 5})
    results = TextAreaField(_l("Results and impact"), validators=[Optional(), Length(max=SECTION_MAX)],
                            render_kw={"rows": 5})
    costs_and_funding = TextAreaField(_l("Costs and funding"), validators=[Optional(), Length(max=SECTION_MAX)],
                                      render_kw={"rows": 4})
    stakeholders = TextAreaField(_l("Stakeholders and participation"), validators=[Optional(), Length(max=SECTION_MAX)],
                                 render_kw={"rows": 4})
    success_factors = TextAreaField(_l("Success factors"), validators=[Optional(), Length(max=SECTION_MAX)],
                                    render_kw={"rows": 4})
    obstacles = TextAreaField(_l("Obstacles"), validators=[Optional(), Length(max=SECTION_MAX)], render_kw={"rows": 4})
    transferability = TextAreaField(_l("Transferability"), validators=[Optional(), Length(max=SECTION_MAX)],
                                    render_kw={"rows": 5})
    indicators = IndicatorRowsField(_l("Key figures"))
    contact_id = SelectField(_l("Contact person"), choices=[], validators=[Optional()], validate_choice=False)
    contact_query = StringField(_l("Find a member by name"), validators=[Optional(), Length(max=200)])
    find_contact = SubmitField(_l("Find"))
    event_ids = MultiCheckboxField(_l("Events where it was presented"), choices=[])
    module_ids = MultiCheckboxField(_l("Learning modules that teach it"), choices=[])
    more_rows = SubmitField(_l("Add more key-figure rows"))
    submit = SubmitField(_l("Save"))

    def to_data(self, *, with_organisation: bool) -> dict:
        """The data dict the services take: the API's JSON names, values as typed (the services parse them)."""
        data = {name: getattr(self, name).data for name in (
            "title", "summary", "language", "city", "country", "subdivision", "latitude", "longitude", "stage",
            "started_year", "ended_year", *SECTIONS)}
        data["subdivision"] = (data["subdivision"] or "").strip() or None
        for name in ("latitude", "longitude", "started_year", "ended_year"):
            data[name] = (data[name] or "").strip() or None
        data["topics"] = list(self.topics.data or [])
        data["sdg_goals"] = list(self.sdg_goals.data or [])
        data["sdg_targets"] = list(self.sdg_targets.data or [])
        data["indicators"] = self.indicators.as_data()
        data["contact_id"] = self.contact_id.data or None
        data["event_ids"] = list(self.event_ids.data or [])
        data["module_ids"] = list(self.module_ids.data or [])
        if with_organisation and self.organisation_id.data:
            data["organisation_id"] = self.organisation_id.data
        return data


class TranslationForm(FlaskForm):
    """The title, summary and narrative in one more language."""

    translation_language = SelectField(_l("Language of the translation"), choices=[])
    translation_title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)])
    translation_summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)],
                                        render_kw={"rows": 3})
    save_translation = SubmitField(_l("Save the translation"))

    def to_fields(self, form_data) -> dict:
        """The translated fields (sections read from the posted form: translation_<section>)."""
        fields = {"title": self.translation_title.data or "", "summary": self.translation_summary.data or ""}
        for name in SECTIONS:
            fields[name] = (form_data.get(f"translation_{name}") or "")[:SECTION_MAX]
        return fields


class FileForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[("document", _l("Document (PDF)")),
                                            ("image", _l("Image (JPEG, PNG or WebP)"))])
    file = FileField(_l("File"))
    caption = StringField(_l("Caption (also the image's text alternative)"),
                          validators=[Optional(), Length(max=CAPTION_MAX)])
    credit = StringField(_l("Credit line (who made the photo or document)"),
                         validators=[Optional(), Length(max=CREDIT_MAX)])
    upload = SubmitField(_l("Upload"))


class FileTextForm(FlaskForm):
    """A file's caption and credit line, changed on their own."""

    caption = StringField(_l("Caption"), validators=[Optional(), Length(max=CAPTION_MAX)])
    credit = StringField(_l("Credit line"), validators=[Optional(), Length(max=CREDIT_MAX)])


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment to the author"), validators=[Optional(), Length(max=COMMENT_MAX)],
                            render_kw={"rows": 4})


class InterestForm(FlaskForm):
    note = TextAreaField(_l("A short note: what would your city like to try?"),
                         validators=[Optional(), Length(max=INTEREST_NOTE_MAX)], render_kw={"rows": 2})
    submit = SubmitField(_l("We want to try this"))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""
