"""Every reaction to a domain event, connected in one place.

create_app calls register_receivers(app) once its blueprints are known; a program without an app (a test on a
plain SQLAlchemy session, a script) calls connect_receivers(settings) itself. The receivers get what they need
(the Site: base URL, network name, sender; the certificate settings) bound here, so none reads current_app.

Two kinds of connection:
- reactions: a signal tells that something happened, the receiver writes in the sender's transaction;
- answers: a lower layer asks a question (events: "may this check-in be undone?"), receivers of a higher
  layer return None or the reason why not. A lower layer never imports a higher one (see .importlinter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from blinker import Signal
from flask import Flask

from app.calendar import receivers as calendar
from app.calendar.site import Site, site_for
from app.certificates import receivers as certificates
from app.certificates.services import CertificateSettings, configure_settings
from app.directory import search_documents as directory_search
from app.directory.signals import topic_changed
from app.events import search_documents as events_search
from app.events.signals import (
    checkin_recorded,
    checkin_undo_requested,
    checkin_undone,
    enrolment_status_changed,
    event_changed,
)
from app.learning import receivers as learning
from app.learning import search_documents as learning_search
from app.learning.signals import completion_withdrawal_requested, programme_completed
from app.people import search_documents as people_search
from app.practices import search_documents as practices_search
from app.search import index as search_index
from app.search import registry as search_registry

SITE_EXTENSION = "site"  # app.extensions key: the Site of this app, made once at start-up


@dataclass(frozen=True)
class ReceiverSettings:
    """What the receivers need from the configuration, as plain values."""

    site: Site
    certificates: CertificateSettings

    @classmethod
    def for_app(cls, app: Flask) -> ReceiverSettings:
        return cls(site=site_for(app), certificates=CertificateSettings.from_config(app.config))


def receivers(settings: ReceiverSettings) -> list[tuple[Signal, Callable]]:
    """Every (signal, receiver) pair, in the order they run."""
    site = settings.site
    return [
        # events -> calendar: invitations, updates and notices to the people concerned
        (enrolment_status_changed, partial(calendar.on_enrolment_status_changed, site=site)),
        (event_changed, partial(calendar.on_event_changed, site=site)),
        # directory -> calendar: a renamed topic changes the feeds that show it
        (topic_changed, calendar.on_topic_changed),
        # events -> learning: attendance completes (or un-completes) modules
        (checkin_recorded, learning.on_checkin_recorded),
        (checkin_undone, learning.on_checkin_undone),
        # learning -> certificates: a completion certificate at once
        (programme_completed, partial(certificates.on_programme_completed, settings=settings.certificates)),
        # answers: a valid certificate keeps the attendance and the completion it stands on
        (checkin_undo_requested, certificates.certificate_on_attendance),
        (completion_withdrawal_requested, certificates.certificate_on_completion),
    ]


def connect_search() -> None:
    """The search index follows every public thing (app/search): each domain's documents, the child rows that
    change them, and how each facet's values are checked and named; the session hook that keeps it in step."""
    search_registry.configure(
        sources=[events_search.EVENTS, practices_search.PRACTICES, learning_search.PROGRAMMES,
                 directory_search.ORGANISATIONS, people_search.PEOPLE],
        parents=[*events_search.PARENTS, *practices_search.PARENTS, *learning_search.PARENTS,
                 *people_search.PARENTS],
        facets={**directory_search.FACETS, **practices_search.FACETS, **people_search.FACETS},
    )
    search_index.install()


_connected: list[tuple[Signal, Callable]] = []
_settings: ReceiverSettings | None = None


def connect_receivers(settings: ReceiverSettings) -> ReceiverSettings | None:
    """Connect every receiver with these settings, replacing an earlier connection (idempotent); returns the
    settings connected before, if any, so a caller can put them back."""
    global _settings
    previous = _settings
    for signal, receiver in _connected:
        signal.disconnect(receiver)
    _connected.clear()
    for signal, receiver in receivers(settings):
        signal.connect(receiver, weak=False)
        _connected.append((signal, receiver))
    configure_settings(settings.certificates)
    connect_search()
    _settings = settings
    return previous


def register_receivers(app: Flask) -> None:
    """The app's reactions, connected with its Site and settings (called by create_app after the blueprints)."""
    settings = ReceiverSettings.for_app(app)
    app.extensions[SITE_EXTENSION] = settings.site
    connect_receivers(settings)
