"""Organisations in the search, and the facets every kind shares (topic, region, country, language): how
their values are checked and named. Place names help the other domains' documents too (place_texts)."""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from babel import Locale, UnknownLocaleError

from app.directory.models import ORGANISATION_KIND_LABELS, Organisation, Topic
from app.directory.regions import REGIONS, SUB_REGIONS, region_name, region_of
from app.directory.services import COUNTRY_CODES, country_name
from app.errors import msg
from app.search.registry import FacetSpec, SearchDoc, Source

# the languages country names are indexed in (the interface's): "Deutschland" finds events in Germany
PLACE_LANGUAGES = ("en", "de", "fr", "es", "pt", "ar")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@lru_cache(maxsize=512)
def place_texts(country: str | None) -> tuple[str, ...]:
    """A country's names in the interface's languages and its region's and continent's English names."""
    if not country:
        return ()
    code = country.upper()
    names = [country_name(code)]
    for language in PLACE_LANGUAGES:
        try:
            names.append(Locale.parse(language).territories.get(code, ""))
        except (UnknownLocaleError, ValueError):
            continue
    region = SUB_REGIONS.get(region_of(code))
    if region:
        names += [region[0], REGIONS.get(region[1], "")]
    return tuple(dict.fromkeys(n for n in names if n))


def organisation_document(org: Organisation) -> SearchDoc:
    return SearchDoc(
        kind="organisation", object_id=org.id, title=org.name, url=f"/organisations/{org.id}",
        sort_date=org.created_at, summary=org.description or "",
        texts=(org.city, ORGANISATION_KIND_LABELS.get(org.kind, "")),
        places=(org.city, *place_texts(org.country)),
        facets={"region": [org.region], "country": [org.country]},
    )


def _load_organisations(session, ids):
    return session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))


ORGANISATIONS = Source(
    kind="organisation", model=Organisation, load=_load_organisations, build=organisation_document,
    all_ids=lambda: sa.select(Organisation.id).order_by(Organisation.id), label=msg("Organisation"),
)


# ---------------------------------------------------------------------------------------------------
# Facets shared by every kind


def _topic_labels(session, values, translate, language):
    rows = session.execute(sa.select(Topic.slug, Topic.name).where(Topic.slug.in_(values)))
    return {slug: name for slug, name in rows}


def _region_valid(value: str) -> str | None:
    value = value.strip()
    return value if value in SUB_REGIONS or value in REGIONS else None


def _region_labels(session, values, translate, language):
    return {value: region_name(value, translate) for value in values}


def _country_valid(value: str) -> str | None:
    value = value.strip().upper()
    return value if value in COUNTRY_CODES else None


def _babel(language: str) -> Locale:
    try:
        return Locale.parse("en_GB" if language in ("en", "en_US_POSIX") else language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def _country_labels(session, values, translate, language):
    territories = _babel(language).territories
    return {value: territories.get(value) or country_name(value) for value in values}


def _language_labels(session, values, translate, language):
    locale = _babel(language)
    result = {}
    for value in values:
        try:
            result[value] = Locale.parse(value).get_display_name(locale) or value
        except (UnknownLocaleError, ValueError):
            result[value] = value
    return result


FACETS = {
    "topic": FacetSpec(valid=lambda v: v if _SLUG.match(v) else None, labels=_topic_labels),
    "region": FacetSpec(valid=_region_valid, labels=_region_labels),
    "country": FacetSpec(valid=_country_valid, labels=_country_labels),
    "language": FacetSpec(valid=lambda v: v.lower() if _LANGUAGE.match(v.lower()) else None,
                          labels=_language_labels),
}
