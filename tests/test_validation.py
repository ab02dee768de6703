"""The shared input checks (app.validation): text, ids and dates every service and view relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app import validation
from app.errors import ValidationFailed


def test_lone_surrogates_are_refused_naming_the_field():
    for bad in ("\ud800", "a\udfffb", "\udc80"):
        with pytest.raises(ValidationFailed) as caught:
            validation.clean_text(bad, field="note", limit=500, label="Note")
        assert caught.value.fields_for() == {"note": caught.value.message}
        assert "Note" in caught.value.message and "not allowed" in caught.value.message
    # a real astral character (a surrogate pair in UTF-16, one code point in Python) is fine
    assert validation.clean_text("Ok 🎉", field="note", limit=500) == "Ok 🎉"


def test_invisible_only_text_is_refused_when_required_and_empty_otherwise():
    invisible = "\u200b\u200c\u200d\u2060\ufeff\u3164 \u00a0\u034f\ufe0f\u2800"
    with pytest.raises(ValidationFailed) as caught:
        validation.clean_text(invisible, field="title", limit=200, label="Title", required=True)
    assert caught.value.message == "Title must contain visible text."
    assert validation.clean_text(invisible, field="summary", limit=200) == ""
    assert validation.clean_text("a\u200bb", field="title", limit=200, required=True) == "a\u200bb"
    # a single visible character is enough, whatever the script (or an emoji, or a private-use icon)
    for visible in ("\u0e01", "\u05d0", "\U0001f389", "\ue000", "e\u0301"):
        assert validation.clean_text(visible, field="title", limit=200, required=True) == visible


def test_bidi_controls_are_stripped_from_names_and_titles():
    spoofed = "Invoice \u202egnp.exe\u202c and \u2066isolated\u2069 \u202a\u202b\u202d"
    assert validation.clean_name(spoofed, field="title", limit=200, required=True) == \
        "Invoice gnp.exe and isolated"
    # only controls: nothing visible is left
    with pytest.raises(ValidationFailed, match="visible text"):
        validation.clean_name("\u202e\u202c", field="name", limit=200, label="Name", required=True)
    # Arabic and Hebrew names keep their letters (and marks such as RLM)
    assert validation.clean_name("\u0645\u062d\u0645\u062f \u200f", field="name", limit=200) == "\u0645\u062d\u0645\u062f \u200f"


def test_ids_out_of_range_are_none():
    assert validation.as_id(7) == 7
    assert validation.as_id("12") == 12
    for bad in (0, -1, 2**31, 2**63, 2**64, "9223372036854775808", "x", None, True, 1.5, ""):
        assert validation.as_id(bad) is None, bad


def test_dates_and_datetimes_in_range():
    assert validation.MIN_YEAR == 1900 and validation.MAX_YEAR == 9998
    assert validation.check_year(date(2030, 1, 1), field="from") == date(2030, 1, 1)
    for bad in (date(9999, 12, 31), date(1, 1, 1), datetime(9999, 12, 31, 23, 0, tzinfo=UTC)):
        with pytest.raises(ValidationFailed) as caught:
            validation.check_year(bad, field="to", label="To")
        assert caught.value.fields_for() == {"to": caught.value.message}
        assert "between the years 1900 and 9998" in caught.value.message
