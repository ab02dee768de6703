"""Catalogue entries of calendar feeds and downloads: the reasons raised and the sentences flashed."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "calendar.user_not_found": msg("No such user."),
    "calendar.feed_not_found": msg("No such calendar feed."),
    "calendar.event_not_found": msg("No such event."),
    # the feed's filters are named as in the query string (format, topic, country, city)
    "calendar.filter_too_long": msg("%(name)s is too long."),
    "calendar.format_invalid": msg("format must be one of %(formats)s."),
    "calendar.country_invalid": msg("country must be a two-letter ISO code."),
    "calendar.token_rotated": msg("Your calendar feed has a new address; the old one no longer works."),
})
