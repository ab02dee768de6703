"""What calendar output needs to know about the site (BASE_URL, sender, URL shapes): plain data made once at
start-up (app.receivers) from the app's configuration and URL map, and handed to services and receivers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import BuildError

from app.calendar.ical import FORMAT_VERSION

_PLACEHOLDER_ID = 987654321
_PLACEHOLDER_SLUG = "cc-slug-placeholder"


@dataclass(frozen=True)
class Site:
    """Plain data handed to services and renderers instead of current_app."""

    base_url: str
    network_name: str = "Connective Cities"
    sender: str = "Connective Cities <no-reply@localhost>"
    # path of an event page, with {id} and {slug} placeholders
    event_path: str = "/events/{id}"
    my_events_path: str = "/events/mine"

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    @property
    def sender_email(self) -> str:
        return parseaddr(self.sender)[1] or "no-reply@localhost"

    @property
    def sender_name(self) -> str:
        """Who sends (the iTIP organiser's CN): the sender's display name, else the network's name."""
        return parseaddr(self.sender)[0] or self.network_name

    @property
    def key(self) -> str:
        """Changes whenever cached calendar bytes built for this site would differ."""
        raw = f"{FORMAT_VERSION}|{self.base_url}|{self.event_path}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def event_url(self, event_id: int, slug: str = "") -> str:
        return self.base_url + self.event_path.format(id=event_id, slug=slug)

    def url(self, path: str) -> str:
        return self.base_url + path


def _path_pattern(app: Flask, endpoint: str, default: str) -> str:
    """The URL path of an endpoint with {id}/{slug} placeholders (the events package owns the shapes)."""
    rules = list(app.url_map.iter_rules(endpoint)) if endpoint in app.view_functions else []
    if not rules:
        return default
    arguments = rules[0].arguments
    values = {}
    for name in arguments:
        if name in ("event_id", "id"):
            values[name] = _PLACEHOLDER_ID
        elif name == "slug":
            values[name] = _PLACEHOLDER_SLUG
        else:
            return default
    try:
        path = app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        return default
    return path.replace(str(_PLACEHOLDER_ID), "{id}").replace(_PLACEHOLDER_SLUG, "{slug}")


def site_from_config(config) -> Site:
    """A Site from configuration alone (the URL shapes as routed today), where no app is at hand."""
    return Site(
        base_url=(config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        network_name=config.get("NETWORK_NAME") or "Connective Cities",
        sender=config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost",
    )


def site_for(app: Flask) -> Site:
    """The Site of an app, from its configuration and URL map."""
    return Site(
        base_url=app.config["BASE_URL"].rstrip("/"),
        network_name=app.config.get("NETWORK_NAME") or "Connective Cities",
        sender=app.config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost",
        event_path=_path_pattern(app, "events.detail", "/events/{id}"),
        my_events_path=_path_pattern(app, "events.my_events", "/events/mine"),
    )
