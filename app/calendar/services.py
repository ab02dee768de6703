"""Calendar feed tokens and URLs."""

from __future__ import annotations

from flask import current_app

from app.auth.models import User


def feed_urls(user: User) -> dict[str, str]:
    """The personal feed URL and its webcal:// twin."""
    base = current_app.config["BASE_URL"]
    feed_url = f"{base}/calendar/feed/{user.calendar_token}.ics"
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]}
