"""Catalogue entries of the directory: the reasons raised about organisations, countries and topics."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "directory.country_required": msg("Country is required."),
    "directory.country_invalid": msg("%(code)r is not an ISO 3166-1 alpha-2 country code."),
    "directory.url_invalid": msg("Enter a full web address starting with http:// or https://."),
    "directory.organisation_not_found": msg("No such organisation."),
    "directory.kind_invalid": msg("Kind must be one of %(kinds)s."),
    "directory.city_too_long": msg("City is at most %(limit)s characters."),
    "directory.organisation_name_taken": msg("An organisation with that name already exists."),
    "directory.population_invalid": msg("Population must be a whole number of people."),
    "directory.population_negative": msg("Population cannot be negative."),
    "directory.population_too_large": msg("Population is at most %(maximum)s."),
    "directory.topics_unknown": msg("Unknown topic(s): %(slugs)s."),
    "directory.topic_not_found": msg("No such topic."),
    "directory.slug_invalid": msg(
        "The slug is 1-%(limit)s lower-case letters, digits and single hyphens (e.g. energy-efficiency)."),
    "directory.description_too_long": msg("Description is at most %(limit)s characters."),
    "directory.topic_slug_taken": msg("Another topic already has that slug."),
    "directory.topic_name_taken": msg("Another topic already has that name."),
})
