"""What the practice pages need besides the services: names in the page's language, the facets as links, and
the practices other packages' pages list (an event's, a programme's modules')."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from babel import Locale, UnknownLocaleError
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.directory.regions import region_name
from app.directory.services import country_name
from app.language import LANGUAGES, PSEUDO_LOCALE
from app.practices import labels
from app.practices.limits import SECTIONS
from app.practices.models import Practice, practice_event, practice_module
from app.practices.sdg import TARGETS, goal_of

LINKED_MAX = 20  # practices an event or programme page lists


def _locale() -> str:
    return str(get_locale() or "en")


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_label(code: str | None) -> str:
    """A country's name in the page's language (English names from pycountry for English)."""
    if not code:
        return ""
    locale = _locale()
    if locale in ("en", PSEUDO_LOCALE):
        return country_name(code)
    return _territories(locale).get(code.upper()) or country_name(code)


def topic_text(text: str | None) -> str:
    """A topic's name in the page's language: the network's own themes are in the catalogue."""
    from app.i18n import page_gettext

    return page_gettext(text) if text else ""


def region_label(code: str | None) -> str:
    return region_name(code, _) if code else ""


def sdg_goal_label(goal) -> str:
    """"11 · Sustainable cities and communities" in the page's language."""
    goal = int(goal)
    return _("SDG %(goal)d · %(name)s", goal=goal, name=labels.SDG_GOAL_LABELS.get(goal, ""))


@lru_cache(maxsize=16)
def _language_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).languages)
    except (UnknownLocaleError, ValueError):
        return {}


def language_label(code: str | None) -> str:
    """A language named in the page's language ("French" on an English page, "français" on a French one)."""
    if not code:
        return ""
    locale = _locale()
    name = _language_names("en" if locale == PSEUDO_LOCALE else locale).get(code)
    return name or LANGUAGES.get(code, code)


def practice_url(practice, **params) -> str:
    return url_for("practices.detail", practice_id=practice.id, slug=practice.slug or None, **params)


def revision_label(action: str) -> str:
    """What a revision did, in the page's language."""
    from app.practices.lookups import REVISION_ACTIONS

    label = REVISION_ACTIONS.get(action)
    return _(label) if label else action


def practice_shown(practice):
    """The practice's text in the page's language when translated (the original otherwise)."""
    from app.practices.presenting import pick_translation

    return pick_translation(practice, _locale())


def organisation_url(organisation_id: int) -> str:
    """The organisation's public profile (/organisations/<id>, the directory's page)."""
    return f"/organisations/{organisation_id}"


def practice_helpers() -> dict:
    """Template helpers of the practice pages (and of the partials the events and learning pages include)."""
    return {
        "practice_stage_labels": labels.STAGE_LABELS, "practice_status_labels": labels.STATUS_LABELS,
        "practice_section_labels": labels.SECTION_LABELS, "practice_section_hints": labels.SECTION_HINTS,
        "practice_sections": SECTIONS, "practice_revision_label": revision_label,
        "practice_field_label": labels.field_label, "sdg_goal_label": sdg_goal_label,
        "practice_country": country_label, "practice_region": region_label, "practice_language": language_label,
        "practice_url": practice_url, "practice_shown": practice_shown,
        "subdivision_options": subdivision_options, "organisation_url": organisation_url,
    }


# ---------------------------------------------------------------------------------------------------
# Facets


FACET_TITLES = {
    "topic": labels._l("Topic"), "sdg": labels._l("SDG goal"), "region": labels._l("Region"),
    "country": labels._l("Country"), "stage": labels._l("Stage"), "language": labels._l("Language"),
}


def _facet_value_label(name: str, value, topic_names: dict[str, str]) -> str:
    if name == "topic":
        return topic_names.get(value, value)
    if name == "sdg":
        return sdg_goal_label(value) if str(value).isdigit() else _("SDG target %(code)s", code=value)
    if name == "region":
        return region_label(value)
    if name == "country":
        return country_label(value)
    if name == "stage":
        return str(labels.STAGE_LABELS.get(value, value))
    if name == "language":
        return language_label(value)
    return str(value)


def facet_links(counts: dict[str, dict], active: dict, *, topics) -> list[dict]:
    """Each facet's values with their counts and the list's URL that adds (or, when chosen, removes) them; the
    other filters stay in the URL, the page goes back to the first."""
    topic_names = {t.slug: topic_text(t.name) for t in topics}
    groups = []
    for name, title in FACET_TITLES.items():
        values = dict(counts.get(name) or {})
        chosen = active.get(name)
        if chosen is not None and str(chosen) not in {str(v) for v in values}:
            values[chosen] = 0  # a chosen value with no match still shows, so it can be removed
        items = []
        for value, count in values.items():
            selected = chosen is not None and str(value) == str(chosen)
            params = {k: v for k, v in active.items() if k != name}
            if not selected:
                params[name] = value
            items.append({"value": value, "label": _facet_value_label(name, value, topic_names), "count": count,
                          "selected": selected, "url": url_for("practices.index", **params)})
        if name == "sdg":
            items.sort(key=lambda item: (not item["selected"], int(item["value"]) if str(item["value"]).isdigit()
                                         else goal_of(str(item["value"]))))
        else:
            items.sort(key=lambda item: (not item["selected"], -item["count"], item["label"]))
        groups.append({"name": name, "title": title, "items": items, "chosen": chosen,
                       "clear_url": url_for("practices.index", **{k: v for k, v in active.items() if k != name})})
    return groups


def subdivision_options(country: str | None) -> list[tuple[str, str]]:
    """The ISO 3166-2 subdivisions of a country (code, name), for the form's suggestions."""
    import pycountry

    if not country or len(country) != 2:
        return []
    found = pycountry.subdivisions.get(country_code=country.upper()) or []
    return sorted(((s.code, s.name) for s in found), key=lambda pair: pair[1])


def targets_by_goal() -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for code in TARGETS:
        grouped.setdefault(goal_of(code), []).append(code)
    return grouped


# ---------------------------------------------------------------------------------------------------
# Practices other pages list


def load_for_page(session: Session, practice_id: int) -> Practice:
    """The practice with everything its page shows, in a constant number of queries."""
    from app.learning.models import Module
    from app.practices.queries import list_options

    return session.scalars(
        sa.select(Practice).where(Practice.id == practice_id)
        .options(*list_options(), selectinload(Practice.modules).selectinload(Module.programme),
                 selectinload(Practice.contact).selectinload(User.organisation))
        .execution_options(populate_existing=True)).one()


def linked_practices(session: Session, *, event_id: int | None = None, module_ids=None) -> list[Practice]:
    """Published practices presented at the event, or taught by any of the modules (one query each time)."""
    if event_id is not None:
        link = sa.select(practice_event.c.practice_id).where(practice_event.c.event_id == event_id)
    else:
        ids = [int(i) for i in (module_ids or [])]
        if not ids:
            return []
        link = sa.select(practice_module.c.practice_id).where(practice_module.c.module_id.in_(ids))
    return list(session.scalars(
        sa.select(Practice).where(Practice.id.in_(link), Practice.status == "published")
        .options(selectinload(Practice.organisation), selectinload(Practice.modules))
        .order_by(Practice.published_at.desc(), Practice.id.desc()).limit(LINKED_MAX)))
