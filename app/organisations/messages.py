"""Catalogue entries of the organisation directory and profiles: the reasons raised about their filters."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "organisations.filter_invalid": msg("The %(name)s filter is not valid."),
    "organisations.kind_invalid": msg("Kind must be one of %(kinds)s."),
    "organisations.region_invalid": msg("Unknown region: choose one of the list."),
})
