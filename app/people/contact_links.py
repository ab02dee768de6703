"""What the contact pages and API hand the services from the app: settings and absolute links."""

from __future__ import annotations

from flask import current_app, url_for

from app.people.contact import ContactLinks, ContactSettings


def settings() -> ContactSettings:
    return ContactSettings.from_config(current_app.config)


def links() -> ContactLinks:
    base = current_app.config["BASE_URL"]
    return ContactLinks(report=lambda message_id: base + url_for("contact.report", message_id=message_id),
                        messages=base + url_for("contact.messages"))


def origin_url(user_id: int, practice_id: int | None) -> str:
    """The page the message was written from: the practice's when it came through one, else the profile."""
    base = current_app.config["BASE_URL"]
    if practice_id is not None:
        return base + url_for("practices.detail", practice_id=practice_id)
    return f"{base}/people/{user_id}"
