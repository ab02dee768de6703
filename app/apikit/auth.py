"""Bearer-token authentication and request parsing for API endpoints."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, request

from app.apikit import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.auth.models import User
from app.auth.services import bearer_token, user_for_api_token
from app.errors import ValidationFailed, render_message
from app.extensions import db
from app.sqltypes import utcnow


def load_api_user() -> None:
    """Set g.api_user from the Authorization header (never from the session cookie)."""
    g.api_user = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    token = bearer_token(header)
    if token is None:
        abort(401, render_message("api.authorization_malformed"))
    user = user_for_api_token(db.session, token, now=utcnow())
    if user is None:
        abort(401, render_message("api.token_invalid"))
    if db.session.dirty:
        db.session.commit()
    g.api_user = user


def api_user() -> User | None:
    return g.get("api_user")


def token_required(view):
    """Require a valid Bearer token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("api_user") is None:
            abort(401, render_message("api.token_required"))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @token_required
        def wrapped(*args, **kwargs):
            if g.api_user.role not in roles and g.api_user.role != "admin":
                abort(403, render_message("api.role_forbidden"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body() -> dict:
    """The request's JSON object; a clear 400 for anything else.

    For a route that declares its body (app.apikit.contract), the body as validated against the declaration.
    """
    if "api_body" in g:
        return g.api_body
    data = request.get_json(silent=True)
    if data is None:
        if request.content_length in (None, 0) and not request.data:
            return {}
        abort(400, render_message("api.body_not_json"))
    if not isinstance(data, dict):
        abort(400, render_message("api.body_not_object"))
    return data


def query_int(name: str, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationFailed("api.query.not_whole_number", field=name, name=name) from exc
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise ValidationFailed("api.query.too_small", field=name, name=name, minimum=minimum)
        raise ValidationFailed("api.query.out_of_range", field=name, name=name, minimum=minimum, maximum=maximum)
    return value
