"""Catalogue entries of the API plumbing: authentication, request bodies, query values, and the sentences for
what the declared schemas refuse (one reason per kind of pydantic error; "each item" variants for lists)."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "api.authorization_malformed": msg("Authorization must be 'Bearer <token>'."),
    "api.token_invalid": msg("The token is not valid or has been revoked."),
    "api.token_required": msg("Send a personal API token as 'Authorization: Bearer <token>'."),
    "api.role_forbidden": msg("Your role does not allow this."),
    "api.body_not_json": msg("The request body must be a JSON object (Content-Type: application/json)."),
    "api.body_not_object": msg("The request body must be a JSON object."),
    "api.body_not_multipart": msg("Send the file as multipart/form-data (a part named file)."),
    "api.object_not_found": msg("No such object."),
    "api.unknown_fields": msg("Unknown field(s): %(names)s."),
    "api.nothing_to_change": msg("Send at least one field to change, as a JSON object."),
    # query values checked by hand, named as in the query string
    "api.query.not_whole_number": msg("%(name)s must be a whole number."),
    "api.query.too_small": msg("%(name)s must be at least %(minimum)s."),
    "api.query.out_of_range": msg("%(name)s must be at least %(minimum)s and at most %(maximum)s."),
    # what a declared body or query refuses; label: the field's data name as a label ("Starts at")
    "api.field.missing": msg("%(label)s is required."),
    "api.field.unknown": msg("Unknown field: %(field_name)s."),
    "api.field.not_text": msg("%(label)s must be text."),
    "api.field.not_text.each_item": msg("%(label)s (each item) must be text."),
    "api.field.too_long": msg("%(label)s must be at most %(max_length)s characters."),
    "api.field.too_long.each_item": msg("%(label)s (each item) must be at most %(max_length)s characters."),
    "api.field.too_short": msg("%(label)s must be at least %(min_length)s characters."),
    "api.field.too_short.each_item": msg("%(label)s (each item) must be at least %(min_length)s characters."),
    "api.field.pattern": msg("%(label)s is not in the expected form."),
    "api.field.pattern.each_item": msg("%(label)s (each item) is not in the expected form."),
    "api.field.not_whole_number": msg("%(label)s must be a whole number."),
    "api.field.not_whole_number.each_item": msg("%(label)s (each item) must be a whole number."),
    "api.field.not_number": msg("%(label)s must be a number."),
    "api.field.not_number.each_item": msg("%(label)s (each item) must be a number."),
    "api.field.not_boolean": msg("%(label)s must be true or false."),
    "api.field.not_boolean.each_item": msg("%(label)s (each item) must be true or false."),
    "api.field.too_small": msg("%(label)s must be at least %(ge)s."),
    "api.field.too_small.each_item": msg("%(label)s (each item) must be at least %(ge)s."),
    "api.field.too_large": msg("%(label)s must be at most %(le)s."),
    "api.field.too_large.each_item": msg("%(label)s (each item) must be at most %(le)s."),
    "api.field.not_list": msg("%(label)s must be a list."),
    "api.field.too_few_items": msg("%(label)s needs at least %(min_length)s item(s)."),
    "api.field.too_many_items": msg("%(label)s takes at most %(max_length)s item(s)."),
    "api.field.not_a_choice": msg("%(label)s must be one of %(expected)s."),
    "api.field.not_a_choice.each_item": msg("%(label)s (each item) must be one of %(expected)s."),
    "api.field.invalid": msg("%(label)s is not valid."),
    "api.field.invalid.each_item": msg("%(label)s (each item) is not valid."),
})
