"""Catalogue entries of the map: the reasons raised about its filters."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "map.filter_invalid": msg("The %(name)s filter is not valid."),
    "map.type_invalid": msg("Type must be one of %(types)s."),
    "map.sdg_invalid": msg("SDG must be a goal from 1 to 17 or an official target such as 11.2."),
    "map.region_invalid": msg("Unknown region: choose one of the list."),
    "map.stage_invalid": msg("Stage must be one of %(stages)s."),
})
