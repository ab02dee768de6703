"""Names of the values people pick or read on the events pages (formats, waiting-list modes, enrolment
statuses), translated when shown: the constants in models.py stay plain codes, and services never import
this module (it needs Flask-Babel)."""

from __future__ import annotations

from app.i18n import _l

EVENT_FORMAT_LABELS = {
    "conference": _l("Conference"), "workshop": _l("Workshop"), "training": _l("Training session"),
    "information_trip": _l("Information trip"),
}
WAITLIST_MODE_LABELS = {
    "auto": _l("Automatic: the first person waiting gets a freed seat"),
    "offer": _l("Offer: the first person waiting is offered the seat and must accept"),
}
ENROLMENT_STATUS_LABELS = {
    "confirmed": _l("confirmed"), "pending": _l("pending"), "waitlisted": _l("waiting list"),
    "offered": _l("seat offered"), "expired": _l("expired"), "cancelled": _l("cancelled"),
    "rejected": _l("declined"),
}
# every status a sentence may name (an event's or an enrolment's: "cancelled" is the same word for both)
STATUS_LABELS = {**ENROLMENT_STATUS_LABELS, "draft": _l("draft"), "published": _l("published")}
