"""Directory services: country choices."""

from __future__ import annotations

from app.directory import services


def test_country_choices_are_built_once_and_handed_out_as_copies(monkeypatch):
    first = services.country_choices()
    assert len(first) > 240 and ("DE", "Germany") in first
    assert [name for _, name in first] == sorted(name for _, name in first)
    looked_up = []
    monkeypatch.setattr(services, "country_name", lambda code: looked_up.append(code) or code)
    first.insert(0, ("", "— choose —"))  # a caller changing its list changes nobody else's
    again = services.country_choices()
    assert looked_up == []  # no pycountry look-up per request
    assert again[0] != ("", "— choose —") and again == first[1:]
