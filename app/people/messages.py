"""Catalogue entries of practitioner profiles: the reasons raised about profiles and the directory.

Services raise a reason and its values; the sentence is made at the edge in the reader's language. Keys start
with people.
"""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "people.data_not_object": msg("The profile data must be an object."),
    "people.field_unknown": msg("Unknown field(s): %(names)s."),
    "people.not_list": msg("%(label)s must be a list."),
    "people.not_boolean": msg("%(label)s must be true or false."),
    "people.visibility_invalid": msg("Visibility must be one of: %(choices)s."),
    "people.topic_unknown": msg("Unknown topic: %(value)s."),
    "people.target_invalid": msg("“%(value)s” is not an official SDG target code (such as 11.2 or 6.a)."),
    "people.too_many_targets": msg("Choose at most %(maximum)s SDG targets."),
    "people.language_invalid": msg("“%(value)s” is not a language code (ISO 639-1, such as fr)."),
    "people.too_many_languages": msg("Choose at most %(maximum)s languages."),
    "people.not_found": msg("There is no such profile, or it is not visible to you."),
    "people.photo_missing": msg("This profile has no photo."),
    "people.filter_invalid": msg("The %(name)s filter is not valid."),
    "people.account_not_found": msg("There is no such account."),
})
