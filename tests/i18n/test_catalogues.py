"""The catalogues: every message of the template in each language, translated, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES, PSEUDO_LOCALE

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]")
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _messages(catalog) -> dict:
    return {m.id if not isinstance(m.id, tuple) else m.id[0]: m for m in catalog if m.id}


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


def test_the_template_is_up_to_date_with_a_pseudo_locale():
    template = _messages(_read(TRANSLATIONS / "messages.pot"))
    assert len(template) > 200
    pseudo = _messages(_read(TRANSLATIONS / PSEUDO_LOCALE / "LC_MESSAGES" / "messages.po", PSEUDO_LOCALE))
    assert set(template) == set(pseudo), "run `make translations`"
    for code in [*TRANSLATED, PSEUDO_LOCALE]:
        mo = TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"
        po = mo.with_suffix(".po")
        assert mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{code}: compile the catalogue"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_in_each_language(code):
    template = _messages(_read(TRANSLATIONS / "messages.pot"))
    catalog = _messages(_read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code))
    assert not set(template) - set(catalog), "run `make translations`"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    empty = [m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not empty and not fuzzy, (len(empty), empty[:5], fuzzy[:5])


@pytest.mark.parametrize("code", [*TRANSLATED, PSEUDO_LOCALE])
def test_every_translation_keeps_the_placeholders_of_its_source(code):
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(" ".join(sources)))
        for text in strings:
            if not text:
                continue  # untranslated: the completeness test speaks for it
            found = set(PLACEHOLDER.findall(text))
            # a singular may leave out %(num)d ("one seat left"); nothing else may go missing or appear
            if found - expected or expected - found - {"%(num)d", "%(num)s"}:
                wrong.append((message.id, text))
    assert not wrong, wrong[:10]


def test_the_pseudo_locale_marks_every_message_and_keeps_tags():
    from scripts.pseudo_locale import pseudo

    assert pseudo("Log in") == "⟦Ĺöĝ ïñ⟧"
    assert pseudo('%(num)d seats <a href="%(url)s">left</a>') == '⟦%(num)d šéåţš <a href="%(url)s">ĺéƒţ</a>⟧'
