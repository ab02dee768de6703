"""Catalogue entries of the shared input checks (app.validation) and of forms every package has.

The checks are used by every domain with the field's data name and a `label` (clean_text(..., field="title",
label="Title")). Their reasons take both as values: ``label`` (the English label the service gave) and
``field_name`` (the data name). At the edge a form puts its own label in place of ``label`` (see
app.viewhelpers.field_message), so once forms are translated the sentence names the field as the translated
form labels it; the JSON API keeps the service's label.
"""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "text.nul": msg("%(label)s contains a character that is not allowed (NUL)."),
    "text.surrogate": msg("%(label)s contains a character that is not allowed (an unpaired UTF-16 surrogate)."),
    "text.not_text": msg("%(label)s must be text."),
    "text.invisible": msg("%(label)s must contain visible text."),
    "text.required": msg("%(label)s is required."),
    "text.too_long": msg("%(label)s is at most %(limit)s characters (got %(length)s)."),
    "value.out_of_range": msg("%(label)s is out of range."),
    "value.not_allowed_character": msg("%(label)s contains a character that is not allowed."),
    "request.out_of_range": msg("The request is out of range."),
    "request.not_allowed_character": msg("The request contains a character that is not allowed."),
    "date.year_out_of_range": msg("%(label)s must be a date between the years %(minimum)s and %(maximum)s."),
    "coordinates.not_number": msg("%(label)s must be a number of decimal degrees (e.g. 51.34)."),
    "coordinates.out_of_range": msg("%(label)s must lie between %(minimum)s and %(maximum)s degrees."),
    "coordinates.latitude_missing": msg("Latitude is missing: a longitude alone is no place (give both or neither)."),
    "coordinates.longitude_missing": msg("Longitude is missing: a latitude alone is no place (give both or neither)."),
    "form.expired": msg("The form expired; please try again."),
})
