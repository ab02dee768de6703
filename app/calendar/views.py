"""Calendar pages: .ics downloads, feeds (with ETag / Last-Modified), feed-token rotation."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Response, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from app.calendar import bp
from app.calendar import services as calendar
from app.calendar.forms import RotateTokenForm
from app.calendar.site import Site, site_for
from app.errors import DomainError, render_message
from app.extensions import db
from app.sqltypes import utcnow
from app.viewhelpers import show_domain_error

ICS_MIMETYPE = "text/calendar; charset=utf-8"


def current_site() -> Site:
    """This app's Site (made once at start-up by app.receivers.register_receivers)."""
    site = current_app.extensions.get("site")
    return site if site is not None else site_for(current_app)


# HTTP caching ----------------------------------------------------------------------------------------

def _not_modified(state: calendar.FeedState) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(state.etag)
    since = request.if_modified_since
    return bool(since and state.last_modified and state.last_modified <= since)


def _cache_headers(response: Response, state: calendar.FeedState, *, private: bool) -> Response:
    response.set_etag(state.etag)
    if state.last_modified is not None:
        response.last_modified = state.last_modified
    response.headers["Cache-Control"] = ("private" if private else "public") + ", max-age=300"
    return response


FEED_BODIES = "calendar.feed_bodies"  # app.extensions key of the feed bodies kept by their ETag
FEED_BODIES_KEPT = 32


class FeedBodies:
    """The last rendered feed bodies of this process, by ETag (and whatever else names the feed)."""

    def __init__(self, size: int = FEED_BODIES_KEPT):
        self._size = size
        self._bodies: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self._lock:
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()


def feed_bodies() -> FeedBodies:
    return current_app.extensions.setdefault(FEED_BODIES, FeedBodies())


def _answer(state: calendar.FeedState, build, *, filename: str, attachment: bool, private: bool,
            body_key: tuple | None = None) -> Response:
    """304 straight from the state (nothing built), else the calendar; the cache writes commit here.

    With a body_key, a warm feed is served from the bytes last rendered for the same ETag, so a plain
    (non-conditional) request does not read and join every cached VEVENT again.
    """
    if _not_modified(state):
        db.session.rollback()
        return _cache_headers(Response(status=304), state, private=private)
    key = (state.etag, *body_key) if body_key is not None else None
    body = feed_bodies().get(key) if key is not None else None
    if body is not None:
        db.session.rollback()
    else:
        body = build()
        try:
            db.session.commit()
        except SQLAlchemyError:  # the cache is an optimisation: serve the bytes even if storing them failed
            db.session.rollback()
        if key is not None:
            feed_bodies().put(key, body)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_MIMETYPE
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _cache_headers(response, state, private=private)


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    with_sessions = request.args.get("sessions") in ("1", "true", "yes")
    site = current_site()
    state = calendar.event_state(db.session, event_id=event_id, with_sessions=with_sessions, site=site)
    return _answer(
        state,
        lambda: calendar.event_ics(db.session, event_id=event_id, with_sessions=with_sessions, site=site)[0],
        filename=f"event-{event_id}.ics", attachment=True, private=False,
    )


@bp.get("/events.ics")
def public_feed():
    filters = calendar.FeedFilters.from_args(request.args)
    site, now = current_site(), utcnow()
    state = calendar.public_feed_state(db.session, filters=filters, now=now, site=site)
    return _answer(
        state, lambda: calendar.public_feed_bytes(db.session, filters=filters, now=now, site=site),
        filename="events.ics", attachment=False, private=False, body_key=("public", site.network_name),
    )


@bp.get("/feed/<token>.ics")
def personal_feed(token: str):
    user = calendar.user_for_feed_token(db.session, token)
    site, now = current_site(), utcnow()
    state = calendar.personal_feed_state(db.session, user_id=user.id, now=now, site=site, language=user.language)
    return _answer(
        state, lambda: calendar.personal_feed_bytes(db.session, user=user, now=now, site=site),
        filename="my-events.ics", attachment=False, private=True,
        body_key=("personal", user.id, user.name, site.network_name),
    )


# Feed token ------------------------------------------------------------------------------------------

@bp.post("/token/rotate")
@login_required
def rotate_token():
    form = RotateTokenForm()
    if not form.validate_on_submit():
        flash(render_message("form.expired"), "danger")
        return redirect(url_for("auth.profile"))
    try:
        calendar.rotate_calendar_token(db.session, user_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(render_message("calendar.token_rotated"), "success")
    return redirect(url_for("auth.profile") + "#calendar-feed")


# Template helpers (the partials included by auth and events pages) ----------------------------------------

def _absolute(endpoint: str, **values) -> str:
    return current_site().base_url + url_for(endpoint, **values)


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


@bp.app_template_global()
def calendar_feed_urls(user) -> dict | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.calendar_token:
        return None
    return calendar.feed_urls(user, base_url=current_site().base_url)


@bp.app_template_global()
def calendar_event_links(event) -> dict | None:
    """Download, webcal://, Google Calendar and Outlook.com links for an event page (none once cancelled:
    nobody should add an event that will not take place)."""
    if event is None or getattr(event, "status", "draft") in ("draft", "cancelled"):
        return None
    ics = _absolute("calendar.event_ics", event_id=event.id)
    site = current_site()
    page = site.event_url(event.id, event.slug)
    place = ", ".join(p for p in (event.venue, event.address, event.city) if p) or (event.online_url or "")
    details = (event.summary or "") + f"\n\n{page}"

    def utc(dt: datetime) -> str:
        return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    google = "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": event.title, "dates": f"{utc(event.starts_at)}/{utc(event.ends_at)}",
        "details": details, "location": place, "ctz": event.timezone,
    })
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": details, "location": place,
    })
    return {
        "download": url_for("calendar.event_ics", event_id=event.id),
        "download_sessions": url_for("calendar.event_ics", event_id=event.id, sessions=1),
        "webcal": _webcal(ics), "google": google, "outlook": outlook,
    }


@bp.app_template_global()
def calendar_subscribe_links(filters: dict | None = None) -> dict:
    """The public feed's URL (https and webcal://) keeping the list's current filters."""
    kept = {k: v for k, v in (filters or {}).items() if k in ("format", "topic", "country", "city") and v}
    url = _absolute("calendar.public_feed", **kept)
    # the page links relatively (it works on whatever host serves it); calendar apps need the absolute URL
    return {"feed_url": url, "feed_path": url_for("calendar.public_feed", **kept), "webcal_url": _webcal(url)}
