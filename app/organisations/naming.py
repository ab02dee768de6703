"""Naming places, kinds and stages in the reader's language: what the profile, directory and map pages share."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _

from app.certificates.i18n import country_name as country_name_in
from app.directory.regions import region_name
from app.directory.services import COUNTRY_CODES
from app.i18n import _l

KIND_LABELS = {
    "municipality": _l("Municipality"), "partner": _l("Partner organisation"), "ngo": _l("NGO"),
    "university": _l("University"), "business": _l("Business"), "other": _l("Other"),
}
STAGE_LABELS = {"idea": _l("Idea"), "pilot": _l("Pilot"), "implemented": _l("Implemented"), "scaled": _l("Scaled")}


def page_language() -> str:
    """The page's language as an ISO 639-1 code (the pseudo-locale counts as English)."""
    return str(get_locale() or "en").split("_")[0]


def country_label(code: str | None) -> str:
    """A country's name in the page's language."""
    return country_name_in(code, page_language()) if code else ""


def region_label(code: str | None) -> str:
    """A UN M49 region's or sub-region's name in the page's language."""
    return region_name(code, _) if code else ""


@lru_cache(maxsize=16)
def _countries_by_name(language: str) -> tuple[str, ...]:
    return tuple(sorted(COUNTRY_CODES, key=lambda code: country_name_in(code, language)))


def countries_by_name() -> tuple[str, ...]:
    """Every country code, sorted by its name in the page's language (built once per language)."""
    return _countries_by_name(page_language())


def place_helpers() -> dict:
    """What templates need to name places, kinds and stages in the reader's language."""
    return {"country_label": country_label, "region_label": region_label, "kind_labels": KIND_LABELS,
            "stage_labels": STAGE_LABELS}
