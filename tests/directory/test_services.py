"""Directory services: country choices."""

from __future__ import annotations

import pytest

from app.directory import services
from app.directory.models import Organisation
from app.errors import ValidationFailed


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
