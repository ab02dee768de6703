"""How raw request input becomes Python values for every view, pages and API alike."""

from __future__ import annotations

from flask import Flask, Request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from app.validation import MAX_ID, check_storable


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids beyond the INTEGER primary keys are not found (404 for every method).

    Without the bound, 2**63 reaches the database, where SQLite cannot bind it (a 500) and PostgreSQL
    refuses it as out of range.
    """

    regex = r"\d{1,19}"  # longer numbers match no rule at all

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)

    def to_python(self, value: str) -> int:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError()
        number = int(value)  # the regex let only digits through
        if number > self.max or (self.min is not None and number < self.min):
            raise NotFound()  # not a ValidationError, which werkzeug answers 405 where a sibling rule exists
        return number


class CheckedRequest(Request):
    """A request whose JSON body never holds text a database cannot store (a 422 naming the field)."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        data = super().get_json(force=force, silent=silent, cache=cache)
        check_storable(data)
        return data


def init_converters(app: Flask) -> None:
    """Install the converters before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = CheckedRequest
