"""The pure helper that picks a reader's translation and reads translations sent by people and clients."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.content_language import (
    apply_translations,
    clean_translations,
    localise,
    reader_language,
)
from app.errors import ValidationFailed

LIMITS = {"title": 10, "summary": 20}


def _item(**translations):
    rows = [SimpleNamespace(language=code, **fields) for code, fields in translations.items()]
    return SimpleNamespace(language="en", title="Original", summary="Short", translations=rows)


def test_reader_language_reads_locales_as_content_languages():
    assert [reader_language(c) for c in ("fr", "pt_BR", "pt-BR", "en_US_POSIX", "zh", None, "")] == [
        "fr", "pt", "pt", "en", "en", "en", "en"]


def test_localise_field_by_field_with_the_language_of_each():
    item = _item(ar={"title": "أصل", "summary": ""})
    shown = localise(item, "ar", fields=("title", "summary"))
    assert (shown.title, shown.summary, shown.lang) == ("أصل", "Short", {"title": "ar", "summary": "en"})
    assert shown.is_translation and shown.available == ("ar",) and shown.original_name
    assert not localise(item, "ar", fields=("title",), original=True).is_translation
    assert localise(item, "de", fields=("title",)).lang == {"title": "en"}


@pytest.mark.parametrize("value, field", [
    ("fr", "translations"), ({"xx": {"title": "T"}}, "translations"), ({"en": {"title": "T"}}, "translations"),
    ({"fr": {"title": ""}}, "translations.fr.title"), ({"fr": {"title": "T" * 11}}, "translations.fr.title"),
    ({"fr": {"title": "T", "summary": 3}}, "translations.fr.summary"), ({"fr": {"title": "T", "x": ""}}, "translations"),
    ({"fr": ["T"]}, "translations"), ({"fr": {"title": "T\x00"}}, "translations.fr.title"),
])
def test_bad_translations_name_their_field(value, field):
    with pytest.raises(ValidationFailed) as info:
        clean_translations(value, original="en", limits=LIMITS)
    assert field in info.value.fields


def test_apply_translations_checks_everything_before_changing_anything():
    item = _item(fr={"title": "Titre", "summary": ""})
    with pytest.raises(ValidationFailed):
        apply_translations(item, {"language": "fr", "translations": {"de": {"title": "Titel"}}}, limits=LIMITS,
                           make_row=SimpleNamespace)
    assert item.language == "en" and [r.language for r in item.translations] == ["fr"]
    changed = apply_translations(item, {"translations": {"fr": None, "en": None, "de": {"title": "Titel"}}},
                                 limits=LIMITS, make_row=SimpleNamespace)
    assert changed == {"translations"} and [(r.language, r.summary) for r in item.translations] == [("de", "")]
    assert apply_translations(item, {"translations": {"de": {"title": "Titel"}}}, limits=LIMITS,
                              make_row=SimpleNamespace) == set()
