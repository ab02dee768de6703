"""Events, programmes and modules in more than one language: which text a reader sees, and reading translations.

An event (a programme, a module) is written in its original `language` and may carry translations of its text
fields into the other languages of the network. `localise` picks, for a reader's language, the translation or
the original, field by field (a translation's empty summary falls back to the original's), and says which
language each shown field is in, so pages mark it with `lang` and say "Translated from …".
`clean_translations` reads what an organiser or a client sends ({"fr": {"title": …}, "de": null}).

Pure: no Flask, no database session; services and views pass in what they have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.errors import ValidationFailed, msg, register_messages
from app.language import LANGUAGES, translator
from app.validation import clean_name, clean_text

# the languages content may be written or translated in: the interface's six
CONTENT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT_LANGUAGE = "en"
LANGUAGE_MAX = 16  # the column; codes are two letters today, room for "pt_BR" and the like

register_messages({
    "translation.language_unknown": msg("%(label)s must be one of: %(languages)s."),
    "translation.same_as_original": msg("A translation cannot be in the original language (%(language)s)."),
    "translation.original_is_translated": msg(
        "There is a translation into %(language)s: remove it before making %(language)s the original language."),
    "translation.not_object": msg("Translations must be an object of languages, each with its fields or null."),
    "translation.entry_not_object": msg("The %(language)s translation must be an object of fields, or null."),
    "translation.fields_unknown": msg("A translation has only these fields: %(allowed)s (got %(names)s)."),
})


def clean_language(value, *, field: str = "language", label: str = "Language") -> str:
    """One of CONTENT_LANGUAGES (refused otherwise, naming the allowed codes)."""
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in CONTENT_LANGUAGES:
        raise ValidationFailed("translation.language_unknown", field=field, label=label,
                               languages=", ".join(CONTENT_LANGUAGES))
    return code


def clean_translation(value, *, language: str, limits: Mapping[str, int], field: str = "translations"
                      ) -> dict[str, str]:
    """One translation's fields, checked like the original's (the title required, every length its limit)."""
    if not isinstance(value, Mapping):
        raise ValidationFailed("translation.entry_not_object", field=field, language=language)
    unknown = sorted(set(value) - set(limits))
    if unknown:
        raise ValidationFailed("translation.fields_unknown", field=field, allowed=", ".join(limits),
                               names=", ".join(map(str, unknown)))
    result = {}
    for name, limit in limits.items():
        label = name.capitalize()
        if name == "title":
            result[name] = clean_name(value.get(name), field=f"{field}.{language}.{name}", label=label,
                                      limit=limit, required=True)
        else:
            result[name] = clean_text(value.get(name), field=f"{field}.{language}.{name}", label=label,
                                      limit=limit)
    return result


def clean_translations(value, *, original: str, limits: Mapping[str, int], field: str = "translations"
                       ) -> dict[str, dict[str, str] | None]:
    """Changes to translations, by language: the checked fields, or None to remove that language."""
    if not isinstance(value, Mapping):
        raise ValidationFailed("translation.not_object", field=field)
    result: dict[str, dict[str, str] | None] = {}
    for key, entry in value.items():
        language = clean_language(key, field=field, label="Translation language")
        if language == original and entry is not None:
            raise ValidationFailed("translation.same_as_original", field=field, language=language)
        result[language] = None if entry is None else clean_translation(entry, language=language, limits=limits,
                                                                        field=field)
    return result


def check_original(original: str, translated: Iterable[str], *, field: str = "language") -> None:
    """The original language may not be one the text is also translated into."""
    if original in set(translated):
        raise ValidationFailed("translation.original_is_translated", field=field, language=original)


def apply_translations(item, data: Mapping, *, limits: Mapping[str, int], make_row) -> set[str]:
    """Set `language` and change `translations` of an event, programme or module from data (both optional):
    each language given replaces that translation, null removes it, languages not given stay. Returns the
    names that changed. Everything is checked before anything is set, so a refusal leaves the item as it was."""
    changed: set[str] = set()
    current = item.language or DEFAULT_LANGUAGE
    language = clean_language(data["language"]) if "language" in data else current
    changes = (clean_translations(data["translations"], original=language, limits=limits)
               if "translations" in data else {})
    rows = {row.language: row for row in item.translations}
    kept = {code for code in rows if changes.get(code, ...) is not None}
    check_original(language, kept | {code for code, entry in changes.items() if entry is not None})
    if language != item.language:
        item.language = language
        changed.add("language")
    for code, entry in changes.items():
        row = rows.get(code)
        if entry is None:
            if row is not None:
                item.translations.remove(row)  # delete-orphan: the flush deletes it
                changed.add("translations")
        elif row is None:
            item.translations.append(make_row(language=code, **entry))
            changed.add("translations")
        elif any(getattr(row, name) != value for name, value in entry.items()):
            for name, value in entry.items():
                setattr(row, name, value)
            changed.add("translations")
    return changed


def translations_json(item, fields: Iterable[str]) -> dict[str, dict[str, str]]:
    """An item's translations as the API shows them: {"fr": {"title": …, …}}."""
    return {row.language: {name: getattr(row, name) or "" for name in fields} for row in item.translations}


def original_language_guard(table: str, fk: str, parent: str) -> dict[str, list[str]]:
    """SQL, by dialect, of the triggers that keep the database from storing a translation in its item's original
    language (a CHECK cannot look at another table). The other direction, making a translated language the
    original, is the services' check: refusing it in the database would break the swap of the original and a
    translation in one change, whose row updates the database sees one at a time."""
    name = f"{table}_not_original"
    test = f"NEW.language = (SELECT language FROM {parent} WHERE id = NEW.{fk})"
    sqlite = [
        f"CREATE TRIGGER {name}_{when.lower()} BEFORE {when}{' OF language, ' + fk if when == 'UPDATE' else ''} "
        f"ON {table} FOR EACH ROW WHEN {test} "
        f"BEGIN SELECT RAISE(ABORT, 'a translation cannot be in the original language'); END"
        for when in ("INSERT", "UPDATE")
    ]
    postgresql = [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {test} THEN "
        f"RAISE EXCEPTION 'a translation cannot be in the original language' USING ERRCODE = 'check_violation'; "
        f"END IF; RETURN NEW; END $$",
        f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF language, {fk} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]
    return {"sqlite": sqlite, "postgresql": postgresql}


def guard_translations(table, fk: str, parent: str) -> None:
    """Create the original_language_guard triggers with a translation table (create_all: tests, fresh setups;
    the migration creates the same)."""
    import sqlalchemy as sa

    for dialect, statements in original_language_guard(table.name, fk, parent).items():
        for statement in statements:
            sa.event.listen(table, "after_create", sa.DDL(statement.replace("%", "%%")).execute_if(dialect=dialect))


def reader_language(code: str | None) -> str:
    """A page's or a person's language as a content language ("en_US_POSIX" reads English, "pt_BR" Portuguese)."""
    base = str(code or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    return base if base in CONTENT_LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Localised:
    """The text of an event, programme or module as one reader sees it."""

    text: dict[str, str]  # field -> the text shown
    lang: dict[str, str]  # field -> the language of that text
    original_language: str
    language: str | None = None  # the translation shown; None when the original is
    available: tuple[str, ...] = field(default=())  # the languages it is translated into
    original_name: str = ""  # the original language named in the reader's language, when a translation shows

    @property
    def is_translation(self) -> bool:
        return self.language is not None

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["text"][name]
        except KeyError:
            raise AttributeError(name) from None


def translations_of(item) -> dict[str, object]:
    """An item's translation rows by language (the rows have .language and the translated fields)."""
    return {row.language: row for row in (getattr(item, "translations", None) or ())}


def localise(item, reader: str | None, *, fields: Iterable[str] = ("title", "summary", "description"),
             original: bool = False) -> Localised:
    """The reader's translation where there is one (unless the original is asked for), else the original."""
    fields = tuple(fields)
    source = getattr(item, "language", None) or DEFAULT_LANGUAGE
    rows = translations_of(item)
    text = {name: getattr(item, name, "") or "" for name in fields}
    lang = dict.fromkeys(fields, source)
    wanted = reader_language(reader)
    row = None if original or wanted == source else rows.get(wanted)
    if row is not None:
        for name in fields:
            value = getattr(row, name, "") or ""
            if value:
                text[name], lang[name] = value, wanted
    return Localised(text=text, lang=lang, original_language=source, language=wanted if row is not None else None,
                     available=tuple(sorted(rows)),
                     original_name=translator(reader).language_name(source) if row is not None else "")


def localised_text(item, reader: str | None, name: str = "title") -> str:
    """One field in the reader's language (calendars, emails, API lists)."""
    return getattr(localise(item, reader, fields=(name,)), name)
