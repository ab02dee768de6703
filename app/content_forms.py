"""The organiser's side of content in more than one language: the form that adds, changes or removes one
translation of an event, programme or module, and the fields it shows (read from the translation model, so
the limits are the model's). The services (app.content_language.apply_translations) check everything."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from app.content_language import CONTENT_LANGUAGES
from app.errors import DomainError
from app.extensions import db
from app.i18n import _l
from app.language import LANGUAGES
from app.viewhelpers import field_message

FIELD_LABELS = {"title": _l("Title"), "summary": _l("Summary"), "description": _l("Description"),
                "objectives": _l("Learning objectives")}


class TranslationForm(FlaskForm):
    """One translation: its language and text (which fields count depends on what is translated)."""

    language = StringField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the translated title."))])
    summary = TextAreaField(_l("Summary"))
    description = TextAreaField(_l("Description"))
    objectives = TextAreaField(_l("Learning objectives"))

    def to_data(self, fields) -> dict:
        """{"translations": {language: {field: text}}} for the service."""
        return {"translations": {self.language.data: {name: getattr(self, name).data or "" for name in fields}}}


class LanguageForm(FlaskForm):
    """The language the original text is written in."""

    language = StringField(_l("Original language"), validators=[DataRequired(message=_l("Choose a language."))])


class RemoveTranslationForm(FlaskForm):
    language = StringField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])


def translated_fields(item) -> list[tuple[str, int | None]]:
    """(field, maximum length or None for long text) of what an item's translations carry, in form order."""
    table = type(item).translations.property.mapper.class_.__table__
    return [(column.name, getattr(column.type, "length", None)) for column in table.c
            if column.name in FIELD_LABELS]


def language_choices() -> list[tuple[str, str]]:
    """Every content language, named in itself."""
    return [(code, LANGUAGES[code]) for code in CONTENT_LANGUAGES]


def attach_translation_error(exc: DomainError, form: FlaskForm) -> None:
    """Roll back and put a service's refusal on the form field it is about ("translations.fr.title" is the
    title; the list of translations itself is the language), else flash it."""
    db.session.rollback()
    attached = False
    for name, value in exc.fields.items():
        target = name.rsplit(".", 1)[-1] if name.startswith("translations.") else (
            "language" if name in ("translations", "language") else name)
        field = getattr(form, target, None)
        if field is not None and hasattr(field, "errors") and not isinstance(field.errors, dict):
            field.errors = [*field.errors, field_message(value, target, field.label.text)]
            attached = True
    if not attached:
        flash(exc.message_for(), "danger")
