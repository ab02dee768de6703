"""Organisations and topics: validation and changes (flush, never commit)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.directory import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.directory.models import ORGANISATION_KINDS, Organisation, Topic
from app.errors import Conflict, NotFound, ValidationFailed, msg
from app.validation import check_coordinates, clean_name, clean_text

# The network's themes; the data migration inserts the same list into every database. Their names and
# descriptions are in the catalogue too: pages show them in the reader's language (app.templating.topic_text).
DEFAULT_TOPICS = [
    ("circular-economy", msg("Closed-loop systems and circular economy"),
     msg("Waste prevention, recycling and closed material cycles in municipal services.")),
    ("sustainable-transport", msg("Environmentally compatible transport"),
     msg("Public transport, cycling, walking and low-emission mobility.")),
    ("energy-efficiency", msg("Energy efficiency"),
     msg("Efficient buildings, street lighting, municipal energy management and renewables.")),
    ("climate-friendly-urban-development", msg("Climate-friendly urban development"),
     msg("Urban planning for mitigation and adaptation, green and blue infrastructure.")),
    ("social-integration", msg("Social integration and social justice"),
     msg("Inclusive neighbourhoods, integration of migrants and equal access to services.")),
    ("local-business-cooperation", msg("Cooperation with local businesses"),
     msg("Local economic development and partnerships between cities and enterprises.")),
    ("citizen-participation", msg("Citizen participation"),
     msg("Involving residents in planning, budgeting and decision-making.")),
    ("poverty-reduction", msg("Poverty reduction"),
     msg("Basic services, informal settlements and livelihoods.")),
]

ORGANISATION_DESCRIPTION_MAX = 20_000  # Markdown
POPULATION_MAX = 100_000_000  # more than any city holds
KEEP = object()  # a profile field left as it is (callers that only know the name, kind and place)

COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


def country_name(code: str | None, locale: str | None = None) -> str:
    """The short name of an ISO 3166-1 alpha-2 code in a locale ('' for none): CLDR's name (Babel) in the
    locale's language, the English short name (pycountry's common name) for English and as a fallback."""
    if not code:
        return ""
    code = code.upper()
    if locale and _language_of(locale) != "en":
        name = _cldr_territories(locale).get(code)
        if name:
            return name
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def _language_of(locale: str) -> str:
    return str(locale).replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=16)
def _cldr_territories(locale: str) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(str(locale).replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def _sort_key(name: str) -> tuple[str, str]:
    # no collation library here: accents and case set aside ("Égypte" between "Équateur" and "Érythrée")
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return plain.casefold(), name


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(code, name) of every country in the locale's language, sorted by name (a fresh list of a table built
    once per locale)."""
    return list(_country_table(str(locale or "en")))


@lru_cache(maxsize=16)
def _country_table(locale: str) -> tuple[tuple[str, str], ...]:
    # 249 look-ups and a sort: too much for every page with a country field
    return tuple(sorted(((c.alpha_2, country_name(c.alpha_2, locale)) for c in pycountry.countries),
                        key=lambda p: _sort_key(p[1])))


def normalise_country(code: str | None, *, field: str = "country", required: bool = True) -> str | None:
    """Validate an ISO 3166-1 alpha-2 code, returning it upper-cased."""
    value = (code or "").strip().upper()
    if not value:
        if required:
            raise ValidationFailed("directory.country_required", field=field)
        return None
    if value not in COUNTRY_CODES:
        raise ValidationFailed("directory.country_invalid", field=field, code=code)
    return value


_URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def normalise_url(url: str | None, *, field: str) -> str | None:
    value = (url or "").strip()
    if not value:
        return None
    if len(value) > 300 or not _URL_RE.match(value):
        raise ValidationFailed("directory.url_invalid", field=field)
    return value


def ensure_default_topics(session: Session) -> int:
    """Insert the network's topics that are missing; returns how many were added."""
    existing = set(session.scalars(sa.select(Topic.slug)))
    added = 0
    for slug, name, description in DEFAULT_TOPICS:
        if slug not in existing:
            session.add(Topic(slug=slug, name=name, description=description))
            added += 1
    session.flush()
    return added


def list_topics(session: Session) -> list[Topic]:
    return list(session.scalars(sa.select(Topic).order_by(Topic.name)))


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("directory.organisation_not_found", organisation_id=organisation_id)
    return org


def save_organisation(
    session: Session,
    *,
    name: str,
    kind: str,
    city: str,
    country: str,
    website: str | None = None,
    organisation_id: int | None = None,
    description=KEEP,
    population=KEEP,
    latitude=KEEP,
    longitude=KEEP,
) -> Organisation:
    """Create or update an organisation after validating every field (profile fields left out stay as they are)."""
    name = clean_name(name, field="name", limit=200, required=True)
    if kind not in ORGANISATION_KINDS:
        raise ValidationFailed("directory.kind_invalid", field="kind", kinds=", ".join(ORGANISATION_KINDS))
    city = (city or "").strip()
    if len(city) > 120:
        raise ValidationFailed("directory.city_too_long", field="city", limit=120)
    country_code = normalise_country(country)
    website = normalise_url(website, field="website")
    profile = {}
    if description is not KEEP:
        profile["description"] = clean_text(description, field="description", label="Description",
                                            limit=ORGANISATION_DESCRIPTION_MAX)
    if population is not KEEP:
        profile["population"] = normalise_population(population)
    if (latitude is KEEP) != (longitude is KEEP):
        raise ValueError("latitude and longitude are changed together")
    if latitude is not KEEP:
        profile["latitude"], profile["longitude"] = check_coordinates(latitude, longitude)
    clash = session.scalar(
        sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower())
    )
    if clash is not None and clash != organisation_id:
        raise Conflict("directory.organisation_name_taken", field="name")
    org = get_organisation(session, organisation_id) if organisation_id else Organisation()
    org.name, org.kind, org.city, org.country, org.website = name, kind, city, country_code, website
    for key, value in profile.items():
        setattr(org, key, value)
    if org.description is None:
        org.description = ""
    session.add(org)
    session.flush()
    return org


def normalise_population(value) -> int | None:
    """A city's population: a whole number from 0 up, or None when unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationFailed("directory.population_invalid", field="population")
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 12:
            raise ValidationFailed("directory.population_invalid", field="population")
        value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed("directory.population_invalid", field="population")
    if value < 0:
        raise ValidationFailed("directory.population_negative", field="population")
    if value > POPULATION_MAX:
        raise ValidationFailed("directory.population_too_large", field="population", maximum=POPULATION_MAX)
    return value


def find_topics(session: Session, slugs: list[str], *, field: str = "topics") -> list[Topic]:
    """Topics for the given slugs; unknown slugs are a validation error naming them."""
    wanted = [s.strip() for s in slugs if s and s.strip()]
    if not wanted:
        return []
    topics = list(session.scalars(sa.select(Topic).where(Topic.slug.in_(wanted))))
    missing = sorted(set(wanted) - {t.slug for t in topics})
    if missing:
        raise ValidationFailed("directory.topics_unknown", field=field, slugs=", ".join(missing), count=len(missing))
    return topics


_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def get_topic(session: Session, topic_id: int) -> Topic:
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise NotFound("directory.topic_not_found", topic_id=topic_id)
    return topic


def save_topic(
    session: Session, *, slug: str, name: str, now: datetime, description: str = "", topic_id: int | None = None
) -> Topic:
    """Create or update a topic; the slug is what feeds and the API filter by."""
    from app.directory.signals import topic_changed

    slug = (slug or "").strip().lower()
    if not slug or len(slug) > 80 or not _SLUG_RE.match(slug):
        raise ValidationFailed("directory.slug_invalid", field="slug", limit=80)
    name = clean_name(name, field="name", limit=200, required=True)
    description = (description or "").strip()
    if len(description) > 2000:
        raise ValidationFailed("directory.description_too_long", field="description", limit=2000)
    clash = session.scalar(sa.select(Topic.id).where(Topic.slug == slug))
    if clash is not None and clash != topic_id:
        raise Conflict("directory.topic_slug_taken", field="slug")
    clash = session.scalar(sa.select(Topic.id).where(sa.func.lower(Topic.name) == name.lower()))
    if clash is not None and clash != topic_id:
        raise Conflict("directory.topic_name_taken", field="name")
    topic = get_topic(session, topic_id) if topic_id else Topic()
    renamed = topic_id is not None and (topic.slug != slug or topic.name != name)
    topic.slug, topic.name, topic.description = slug, name, description
    session.add(topic)
    session.flush()
    if renamed:
        topic_changed.send(topic, session=session, now=now)
    return topic
