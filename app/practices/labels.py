"""Words the practice pages show for the package's codes (stages, statuses, sections, SDGs, fields).

Revision actions are named in app/practices/lookups.py (REVISION_ACTIONS), next to the code recording them.

Lazy (`_l`): translated when a page renders them, in that page's language. Services keep the codes.
"""

from __future__ import annotations

from app.i18n import _l

STAGE_LABELS = {"idea": _l("Idea"), "pilot": _l("Pilot"), "implemented": _l("Implemented"), "scaled": _l("Scaled up")}

STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Submitted for review"), "returned": _l("Returned with comments"),
    "published": _l("Published"), "archived": _l("Archived"),
}

# the narrative's headings, in limits.SECTIONS order, and the question each one answers (form help)
SECTION_LABELS = {
    "challenge": _l("Challenge"), "solution": _l("Solution"), "results": _l("Results and impact"),
    "costs_and_funding": _l("Costs and funding"), "stakeholders": _l("Stakeholders and participation"),
    "success_factors": _l("Success factors"), "obstacles": _l("Obstacles"), "transferability": _l("Transferability"),
}
SECTION_HINTS = {
    "challenge": _l("What problem did the city face, and for whom?"),
    "solution": _l("What did the city do, step by step?"),
    "results": _l("What changed? Give evidence: figures, evaluations, testimonies."),
    "costs_and_funding": _l("What did it cost, and who paid for it?"),
    "stakeholders": _l("Who took part: departments, residents, businesses, partners?"),
    "success_factors": _l("What made it work?"),
    "obstacles": _l("What got in the way, and how was it overcome?"),
    "transferability": _l("What does another city need to adopt it?"),
}

# the UN's short names of the 17 Sustainable Development Goals
SDG_GOAL_LABELS = {
    1: _l("No poverty"), 2: _l("Zero hunger"), 3: _l("Good health and well-being"), 4: _l("Quality education"),
    5: _l("Gender equality"), 6: _l("Clean water and sanitation"), 7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"), 9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"), 11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"), 13: _l("Climate action"), 14: _l("Life below water"),
    15: _l("Life on land"), 16: _l("Peace, justice and strong institutions"), 17: _l("Partnerships for the goals"),
}

# the practice's fields as revisions name them (the API's JSON names)
FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "organisation_id": _l("Organisation"), "city": _l("City"),
    "country": _l("Country"), "subdivision": _l("Subdivision"), "latitude": _l("Latitude"),
    "longitude": _l("Longitude"), "topics": _l("Topics"), "sdg_goals": _l("SDG goals"),
    "sdg_targets": _l("SDG targets"), "stage": _l("Stage"), "started_year": _l("Start year"),
    "ended_year": _l("End year"), "indicators": _l("Key figures"), "contact_id": _l("Contact person"),
    "event_ids": _l("Events"), "module_ids": _l("Learning modules"), "language": _l("Original language"),
    "translations": _l("Translations"), "documents": _l("Documents"), "images": _l("Images"),
    **SECTION_LABELS,
}


def field_label(name: str) -> tuple[object, str]:
    """A revision's field name as people read it, and the language of a translation ("translations.fr")."""
    base, _, language = name.partition(".")
    return FIELD_LABELS.get(base, name), language
