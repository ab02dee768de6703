"""Directory services: country choices."""

from __future__ import annotations

import unicodedata

import pytest

from app.directory import services
from app.directory.models import Organisation
from app.errors import ValidationFailed


def _plain(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()


def test_country_choices_are_built_once_and_handed_out_as_copies(monkeypatch):
    first = services.country_choices()
    assert len(first) > 240 and ("DE", "Germany") in first
    # sorted as a reader looks them up: "Åland Islands" among the A's, not after Zimbabwe
    assert [_plain(name) for _, name in first] == sorted(_plain(name) for _, name in first)
    assert first[-1] == ("ZW", "Zimbabwe")
    looked_up = []
    monkeypatch.setattr(services, "country_name", lambda code, locale=None: looked_up.append(code) or code)
    first.insert(0, ("", "— choose —"))  # a caller changing its list changes nobody else's
    again = services.country_choices()
    assert looked_up == []  # no pycountry look-up per request
    assert again[0] != ("", "— choose —") and again == first[1:]


def test_country_names_in_the_pages_language():
    french = dict(services.country_choices("fr"))
    assert french["DE"] == "Allemagne" and french["EG"] == "Égypte" and len(french) == len(services.COUNTRY_CODES)
    names = [name for _, name in services.country_choices("fr")]
    assert names.index("Égypte") < names.index("Espagne")  # accents do not send a name to the end
    assert services.country_name("DE", "ar") == "ألمانيا"
    assert services.country_name("de", "pt_BR") == "Alemanha"
    # English (and the pseudo-locale, English underneath) keep the short English names
    assert services.country_name("DE", "en") == services.country_name("DE", "en_US_POSIX") == "Germany"
    assert services.country_name("", "fr") == ""


def test_save_organisation_keeps_or_sets_the_profile_and_refuses_bad_values(session):
    """The admin form's profile fields; nothing is written when one is refused."""
    _save = services.save_organisation
    org = _save(session, name="Stadt Leipzig", kind="municipality", city="Leipzig", country="DE",
                description="Green.", population="616 093", latitude="51.34", longitude="12.37")
    assert (org.description, org.population, org.latitude, org.longitude, org.region) == (
        "Green.", 616093, 51.34, 12.37, "155")
    # a caller that only knows name, kind and place leaves the profile as it is
    org = _save(session, name="Stadt Leipzig", kind="municipality", city="Leipzig", country="DE",
                organisation_id=org.id)
    assert (org.description, org.population, org.latitude) == ("Green.", 616093, 51.34)
    for values, field in (({"population": -1}, "population"), ({"population": 10**10}, "population"),
                          ({"population": 1.5}, "population"), ({"latitude": 1, "longitude": None}, "longitude"),
                          ({"latitude": -91, "longitude": 0}, "latitude"), ({"description": "x" * 20_001}, "description")):
        with pytest.raises(ValidationFailed) as refused:
            _save(session, name="Stadt Leipzig", kind="municipality", city="Leipzig", country="DE",
                  organisation_id=org.id, **values)
        assert field in refused.value.fields, values
    session.expire_all()
    assert session.get(Organisation, org.id).population == 616093
