"""One declaration per API operation, from which parsing, validation and the OpenAPI 3.1 document come.

A route is declared with `@operation(bp.get, "/events", ...)` next to its view: its request body and query
as pydantic models, its answers as the TypedDicts its serialisers return, and the error statuses it can give.
The decorator registers the Flask route, validates the request against the same models before the view runs
(a 400 for a body that is not a JSON object, a 422 naming the field for anything the document calls invalid,
in the usual `{"error": {"code", "message", "fields"}}` shape), and `document()` builds the OpenAPI 3.1
document from the registry: nothing of it is written by hand. Limits come from the domains' limits modules.

Why pydantic v2 and our own small glue rather than spectree, flask-openapi3, APIFlask or flask-smorest:
see the commit that introduced this module (measured on the list endpoint; the responses stay plain dicts
built by one function per resource, typed by the TypedDict that documents them, which is the fastest way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Annotated, Any, ClassVar

from flask import Response, abort, g, request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, TypeAdapter, ValidationError

from app.apikit import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.errors import HTTP_CODES, NotFound, ValidationFailed, render_message

JSON = "application/json"
MULTIPART = "multipart/form-data"
MAX_INT = 2_147_483_647  # the largest id a database integer column holds


# ---------------------------------------------------------------------------------------------------
# Types the declarations are made of


def _integral(value):
    """78146.0 is an integer in JSON Schema; accept it as one (and nothing that is not a number)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def Whole(*, ge: int | None = None, le: int | None = None, **field):  # noqa: N802
    """An integer in a range (the bounds come before the validator so the document shows them)."""
    return Annotated[int, Field(ge=ge, le=le, **field), Strict(), BeforeValidator(_integral)]


Int = Whole()
Id = Whole(ge=1, le=MAX_INT)
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Bool = Annotated[bool, Strict()]
Str = Annotated[str, Strict()]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Date = Annotated[str, Field(json_schema_extra={"format": "date"})]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Email = Annotated[str, Field(json_schema_extra={"format": "email"})]
LocalDateTime = Annotated[str, Strict(), Field(
    description="ISO 8601 date and time; without a UTC offset it means local time in the event's `timezone`.",
    examples=["2026-05-04T09:00", "2026-05-04T09:00:00+02:00"])]


def Text(max_length: int, *, min_length: int = 0, description: str | None = None):  # noqa: N802
    """A string of at most `max_length` characters (the limit comes from the domain's limits module)."""
    return Annotated[str, Strict(), Field(max_length=max_length, min_length=min_length, description=description)]


class Body(BaseModel):
    """A request body: every field optional unless declared without a default; unknown names refused.

    `ignored` lists names of the resource's representation a client may send back unchanged (they are
    accepted and dropped); `min_fields` makes an empty object a 422 (PATCH needs something to change).
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    ignored: ClassVar[tuple[str, ...]] = ()
    min_fields: ClassVar[int] = 0


class Form(BaseModel):
    """A multipart/form-data body (uploads): text parts as declared fields, file parts named in `files`
    (each required, documented as binary strings); unknown parts refused."""

    model_config = ConfigDict(extra="forbid", strict=True)
    files: ClassVar[tuple[str, ...]] = ()


class Query(BaseModel):
    """Query parameters: values arrive as text, so numbers are read from it; other names are ignored."""

    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------------------------------------------
# The registry of operations


ERROR_RESPONSES = {
    400: ("BadRequest", "The body is not a JSON object (for an upload: not multipart/form-data).",
          ["bad_request"]),
    401: ("Unauthorized", "No valid Bearer token (missing, malformed, unknown or revoked).", ["unauthorized"]),
    403: ("Forbidden", "Your role or relation to the object does not allow this.", ["forbidden"]),
    404: ("NotFound", "No such object, or not visible to you (other people's objects answer 404).",
          ["not_found"]),
    409: ("Conflict", "The object's state does not allow this now (already done, closed, taken); "
                      "`checkin_before_event`: a check-in before the event's first day, repeat with `confirm`.",
          ["conflict", "checkin_before_event"]),
    422: ("ValidationFailed", "Invalid input; `fields` names the field.", ["validation_failed", "invalid"]),
    429: ("RateLimited", "Too many requests from your address; wait a moment.", ["rate_limited"]),
    503: ("TryAgain", "A lock wait ran out (many people at once); retry shortly.", ["try_again", "unavailable"]),
}


@dataclass
class Reply:
    """A success answer: its schema (a TypedDict or model; None = no content) and headers."""

    description: str
    schema: Any = None
    headers: dict = field(default_factory=dict)


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    tag: str
    summary: str
    replies: dict[int, Reply]
    errors: tuple[int, ...]
    public: bool
    description: str | None
    body: type[Body] | None
    body_required: bool
    query: type[Query] | None
    path_params: dict[str, dict]
    form: type[Form] | None = None

    @property
    def path(self) -> str:
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", self.rule)


OPERATIONS: list[Operation] = []
PATH_PARAMETERS: dict[str, tuple[str, dict]] = {}  # name -> (description, schema)


def path_parameter(name: str, description: str, schema: dict | None = None) -> None:
    """Describe a path parameter once for every route that uses it."""
    PATH_PARAMETERS[name] = (description, schema or {"type": "integer", "minimum": 1, "maximum": MAX_INT})


def operation(route: Callable, rule: str, *, tag: str, summary: str, replies: dict[int, Reply],
              errors=(), public: bool = False, description: str | None = None, body: type[Body] | None = None,
              body_required: bool = True, query: type[Query] | None = None, form: type[Form] | None = None):
    """Declare, register and guard one route: `route` is the blueprint's `bp.get`, `bp.post`, ...

    `body` declares a JSON body, `form` a multipart/form-data one (an upload); a route has one or neither."""
    method = route.__name__

    def decorator(view):
        statuses = {401, *errors}
        if "<" in rule:
            statuses.add(404)  # no such object (or an id beyond any stored one)
        if body is not None or form is not None:
            statuses |= {400, 422}
        if query is not None:
            statuses.add(422)
        OPERATIONS.append(Operation(
            rule=rule, method=method, endpoint=view.__name__, tag=tag, summary=summary, replies=replies,
            errors=tuple(sorted(statuses)), public=public, description=description, body=body,
            body_required=body_required, query=query, path_params={}, form=form))

        @wraps(view)
        def guarded(*args, **kwargs):
            if any(isinstance(value, int) and value > MAX_INT for value in kwargs.values()):
                raise NotFound("api.object_not_found", field=next(iter(kwargs)))
            if not public and g.get("api_user") is None:  # who you are is checked before what you sent
                abort(401, render_message("api.token_required"))
            if query is not None:
                g.api_query = _validate_query(query)
            if body is not None:
                g.api_body = _validate_body(body, required=body_required)
            if form is not None:
                g.api_body, g.api_files = _validate_form(form)
            return view(*args, **kwargs)

        return route(rule)(guarded)

    return decorator


# ---------------------------------------------------------------------------------------------------
# Answers


@cache
def _adapter(schema) -> TypeAdapter:
    return TypeAdapter(schema)


def respond(schema, data, status: int = 200) -> Response:
    """`data` serialised by its declared schema (pydantic's serialiser: faster than json.dumps, and a value
    that does not fit the declaration warns, which the test suite turns into a failure)."""
    return Response(_adapter(schema).dump_json(data), status=status, mimetype=JSON)


# ---------------------------------------------------------------------------------------------------
# Validation of requests


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


# pydantic's error type -> our reason; those in _PER_ITEM say "(each item)" when the error is inside a list
_REASONS = {
    "missing": "api.field.missing",
    "extra_forbidden": "api.field.unknown",
    "string_type": "api.field.not_text",
    "string_too_long": "api.field.too_long",
    "string_too_short": "api.field.too_short",
    "string_pattern_mismatch": "api.field.pattern",
    "int_type": "api.field.not_whole_number",
    "int_parsing": "api.field.not_whole_number",
    "int_from_float": "api.field.not_whole_number",
    "float_type": "api.field.not_number",
    "float_parsing": "api.field.not_number",
    "finite_number": "api.field.not_number",
    "bool_type": "api.field.not_boolean",
    "greater_than_equal": "api.field.too_small",
    "less_than_equal": "api.field.too_large",
    "list_type": "api.field.not_list",
    "too_short": "api.field.too_few_items",
    "too_long": "api.field.too_many_items",
    "literal_error": "api.field.not_a_choice",
}
_WHOLE = {"api.field.missing", "api.field.unknown", "api.field.not_list", "api.field.too_few_items",
          "api.field.too_many_items"}
_LIMITS = ("max_length", "min_length", "ge", "le", "expected")


def _reason(error: dict) -> tuple[str, str, dict]:
    """(field, reason, values) for one pydantic error: the values name the field and the limit it missed."""
    loc = [str(part) for part in error["loc"]]
    name = loc[0] if loc else "body"
    ctx = error.get("ctx") or {}
    reason = _REASONS.get(error["type"], "api.field.invalid")
    if len(loc) > 1 and reason not in _WHOLE:
        reason += ".each_item"
    return name, reason, {"field_name": name, "label": _label(name), **{key: ctx.get(key) for key in _LIMITS}}


def _refuse(exc: ValidationError):
    fields: dict[str, tuple[str, dict]] = {}
    for error in exc.errors(include_url=False):
        name, reason, params = _reason(error)
        fields.setdefault(name, (reason, params))
    reason, params = next(iter(fields.values()))
    raise ValidationFailed(reason, fields=fields, **params) from None


def _validate_body(model: type[Body], *, required: bool) -> dict:
    data = request.get_json(silent=True)
    if data is None:
        if request.content_length in (None, 0) and not request.data:
            data = {}
        else:
            abort(400, render_message("api.body_not_json"))
    if not isinstance(data, dict):
        abort(400, render_message("api.body_not_object"))
    unknown = sorted(set(data) - set(model.model_fields) - set(model.ignored))
    if unknown:
        raise ValidationFailed("api.unknown_fields", field=unknown[0], names=", ".join(unknown))
    given = {name: value for name, value in data.items() if name in model.model_fields}
    if len(given) < model.min_fields:
        raise ValidationFailed("api.nothing_to_change")
    try:
        parsed = model.model_validate(given)
    except ValidationError as exc:
        _refuse(exc)
    return parsed.model_dump(exclude_unset=True)


def _validate_form(model: type[Form]) -> tuple[dict, dict]:
    """(text parts as validated, file parts by name) of a multipart/form-data body."""
    if request.mimetype != MULTIPART:
        abort(400, render_message("api.body_not_multipart"))
    texts = request.form.to_dict()
    files = {name: request.files[name] for name in request.files}
    unknown = sorted((set(texts) | set(files)) - set(model.model_fields) - set(model.files))
    if unknown:
        raise ValidationFailed("api.unknown_fields", field=unknown[0], names=", ".join(unknown))
    for name in model.files:
        if name not in files:
            raise ValidationFailed("api.field.missing", field=name, field_name=name, label=_label(name))
    misplaced = sorted(name for name in model.files if name in texts) + sorted(
        name for name in files if name in model.model_fields)
    if misplaced:
        raise ValidationFailed("api.field.invalid", field=misplaced[0], field_name=misplaced[0],
                               label=_label(misplaced[0]))
    try:
        parsed = model.model_validate(texts)
    except ValidationError as exc:
        _refuse(exc)
    return parsed.model_dump(exclude_unset=True), files


def _validate_query(model: type[Query]) -> Query:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        _refuse(exc)


# ---------------------------------------------------------------------------------------------------
# The document


def _error_schema(codes) -> dict:
    return {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": list(codes), "description": "Machine-readable error code."},
            "message": {"type": "string", "description": "A clear message, safe to show to people."},
            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "Field name -> message, for errors caused by one field of the input."},
        }}}}


def _tidy(node):
    """Drop pydantic's titles and the `default: null` of optional body fields (absent is not null)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                continue
            if key == "default" and value is None:
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: _tidy(schema) for name, schema in value.items()}
                continue
            out[key] = _tidy(value)
        return out
    if isinstance(node, list):
        return [_tidy(value) for value in node]
    return node


def _name(schema_type) -> str:
    name = schema_type.__name__
    return name.removesuffix("Out")


def _schemas(types: list) -> dict[str, dict]:
    """Component schemas for the named types and everything they refer to."""
    unique = list(dict.fromkeys(types))
    inputs = []
    for schema_type in unique:
        mode = "validation" if isinstance(schema_type, type) and issubclass(schema_type, BaseModel) else \
            "serialization"
        inputs.append((schema_type, mode, TypeAdapter(schema_type)))
    _, definitions = TypeAdapter.json_schemas(inputs, ref_template="#/components/schemas/{model}")
    definitions = definitions.get("$defs", {})
    renamed = {key: key.removesuffix("Out") for key in definitions}

    def fix(node):
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                key = ref.rsplit("/", 1)[1]
                out["$ref"] = "#/components/schemas/" + renamed.get(key, key)
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    schemas = {renamed[key]: _tidy(fix(schema)) for key, schema in definitions.items()}
    for schema_type in unique:
        if isinstance(schema_type, type) and issubclass(schema_type, Body):
            schema = schemas[_name(schema_type)]
            if schema_type.ignored:
                schema.pop("additionalProperties", None)
                schema["propertyNames"] = {"enum": [*schema_type.model_fields, *schema_type.ignored]}
            if schema_type.min_fields:
                schema["minProperties"] = schema_type.min_fields
            schema.setdefault("required", [])
        if isinstance(schema_type, type) and issubclass(schema_type, Form):
            schema = schemas[_name(schema_type)]
            for name in schema_type.files:
                schema.setdefault("properties", {})[name] = {
                    "type": "string", "format": "binary", "contentMediaType": "application/octet-stream",
                    "description": "The file's bytes; its type is judged from its content."}
            schema["required"] = [*schema.get("required", []), *schema_type.files]
    return schemas


def _query_parameters(model: type[Query]) -> list[dict]:
    schema = _tidy(model.model_json_schema(ref_template="#/components/schemas/{model}"))
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        description = prop.pop("description", "")
        params.append({"name": name, "in": "query", "required": name in required, "description": description,
                       "schema": prop})
    return params


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


@cache
def document() -> dict:
    """The OpenAPI 3.1 document of every declared operation (built once): call it as app.api.document, whose
    import registers every domain's operations (this foundation module never imports them)."""
    from app.apikit import INFO, TAGS

    types = []
    for op in OPERATIONS:
        types += [reply.schema for reply in op.replies.values() if reply.schema is not None]
        if op.body is not None:
            types.append(op.body)
        if op.form is not None:
            types.append(op.form)
    schemas = {"Error": _error_schema(sorted(set(HTTP_CODES.values()) | {"invalid", "validation_failed",
                                                                          "try_again"})),
               **_schemas(types)}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        item = paths.setdefault(op.path, {})
        names = re.findall(r"{(\w+)}", op.path)
        if names:
            item["parameters"] = [{"$ref": f"#/components/parameters/{name}"} for name in names]
        responses = {}
        for status, reply in sorted(op.replies.items()):
            response = {"description": reply.description}
            if reply.schema is not None:
                response["content"] = {JSON: {"schema": _ref(_name(reply.schema))}}
            if reply.headers:
                response["headers"] = reply.headers
            responses[str(status)] = response
        for status in op.errors:
            responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
        entry = {"operationId": op.endpoint, "tags": [op.tag], "summary": op.summary}
        if op.description:
            entry["description"] = op.description
        if op.public:
            entry["security"] = [{}, {"bearerAuth": []}]  # public; a token sent anyway must be valid
        if op.query is not None:
            entry["parameters"] = _query_parameters(op.query)
        if op.body is not None:
            entry["requestBody"] = {"required": op.body_required,
                                    "content": {JSON: {"schema": _ref(_name(op.body))}}}
        if op.form is not None:
            entry["requestBody"] = {"required": True, "content": {MULTIPART: {"schema": _ref(_name(op.form))}}}
        entry["responses"] = responses
        item[op.method] = entry

    def error_response(status: int) -> dict:
        _, description, codes = ERROR_RESPONSES[status]
        response = {"description": description, "content": {JSON: {"schema": _error_schema(codes)}}}
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"required": True,
                                                         "schema": {"const": 'Bearer realm="api"'}}}
        return response

    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "tags": TAGS,
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A personal API token."}},
            "schemas": schemas,
            "parameters": {
                name: {"name": name, "in": "path", "required": True, "description": description,
                       "schema": schema}
                for name, (description, schema) in PATH_PARAMETERS.items()
            },
            "responses": {name: error_response(status) for status, (name, _, _) in ERROR_RESPONSES.items()},
        },
    }
