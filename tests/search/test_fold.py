"""The one definition of "the same word" (no database)."""

from __future__ import annotations

import pytest

from app.search.fold import fold, pairs, words
from app.search.highlight import highlight, snippet
from app.search.query import MAX_CHARS, MAX_WORDS, query_words


@pytest.mark.parametrize(("text", "expected"), [
    ("Medellín", "medellin"),
    ("Đà Nẵng", "da nang"),
    ("São Paulo", "sao paulo"),
    ("Straße", "strasse"),
    ("Łódź", "lodz"),
    ("ØRESUND Æble Œuvre", "oresund aeble oeuvre"),
    ("İstanbul ıspanak", "istanbul ispanak"),
    ("Þingvellir", "thingvellir"),
    ("ﬁnance №５", "finance no5"),  # compatibility forms: ligature, full-width digit
    ("Zoë Müller-Łukasiewicz", "zoe muller-lukasiewicz"),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_arabic_keeps_its_letters_and_loses_tatweel_and_vowel_marks():
    assert fold("القاهرة") == "القاهرة"
    assert fold("القاهـــرة") == "القاهرة"  # tatweel stretches the line, it is not a letter
    assert fold("مَدِينَة") == "مدينة"  # short-vowel marks are diacritics
    assert words("مدينة القاهرة، مصر") == ["مدينة", "القاهرة", "مصر"]


def test_words_split_on_anything_but_letters_digits_and_marks():
    assert words("Da Nang's e-mobility: 11.2 (SDG) & foo_bar") == ["da", "nang", "s", "e", "mobility", "11", "2",
                                                                   "sdg", "foo", "bar"]
    assert words("!!! ... ???") == []
    assert pairs(["da", "nang", "city"]) == ["danang", "nangcity"]


def test_query_caps_and_notices():
    assert query_words("x" * 5000).notices == ("search.query_cut",)
    assert len(query_words(" ".join(f"w{n}" for n in range(40))).items) == MAX_WORDS
    assert query_words("?!…").notices == ("search.no_words",) and query_words("?!…").items == ()
    assert query_words("").notices == () and query_words("Medellín medellin").items == ("medellin",)
    assert len(query_words("é" * (MAX_CHARS + 1)).items[0]) <= MAX_CHARS


def test_highlight_marks_the_text_as_written_and_escapes_it():
    assert highlight("<b>Medellín</b> metro", ["medel"]) == "&lt;b&gt;<mark>Medel</mark>lín&lt;/b&gt; metro"
    assert highlight("Straße", ["strasse"]) == "<mark>Straße</mark>"
    assert highlight("Trip to Đà Nẵng", ["danang"]) == "Trip to <mark>Đà Nẵng</mark>"
    assert highlight("Łódź & Co", ["lodz"]) == "<mark>Łódź</mark> &amp; Co"
    assert highlight("nothing here", ["xyz"]) == "nothing here"


def test_snippet_is_cut_around_the_first_match():
    text = "Lorem ipsum " * 30 + "the <Metrocable> of Medellín " + "dolor sit " * 30
    out = snippet(text, ["metro"], context=40)
    assert out.startswith("…") and out.endswith("…") and "<mark>Metro</mark>cable" in out and "&lt;" in out
    assert len(out) < 200
    assert snippet("Short text", ["zzz"]) == "Short text"
