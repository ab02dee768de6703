"""Catalogue entries of the admin pages: the sentences they flash."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "admin.role_invalid": msg("Choose a valid role."),
    "admin.role_changed": msg("%(name)s now has the role “%(role)s”."),
    "admin.organisation_saved": msg("Organisation saved."),
    "admin.topic_saved": msg("Topic saved."),
})
