"""JSON API routes of the calendar package (registered on app.apikit.bp)."""

from __future__ import annotations

from typing import Annotated

from flask import current_app, jsonify, request
from pydantic import Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.auth import api_user, token_required
from app.apikit.contract import Reply, Url, operation
from app.calendar import services as calendar
from app.extensions import db


class CalendarFeed(TypedDict):
    feed_url: Url
    webcal_url: Annotated[str, Field(pattern="^webcal://")]


@operation(bp.post, "/me/calendar-token", tag="Calendar", summary="Rotate the personal calendar feed token",
           replies={200: Reply("The new feed URLs; the old feed URL answers 404 from now on.", CalendarFeed)})
@token_required
def rotate_calendar_token():
    """A new personal feed token; the old feed URL answers 404 from now on."""
    user = api_user()
    calendar.rotate_calendar_token(db.session, user_id=user.id)
    db.session.commit()
    return jsonify(calendar.feed_urls(user, base_url=current_app.config["BASE_URL"]))


@bp.before_request
def _token_for_me():
    """GET /api/v1/me shows calendar_feed_url: give the caller a feed token the first time they ask."""
    user = api_user()
    if request.endpoint == "api.me" and user is not None and not user.calendar_token:
        calendar.ensure_calendar_token(db.session, user_id=user.id)
        db.session.commit()
