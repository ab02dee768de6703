"""View decorators for roles."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth import messages  # noqa: F401  (the sentences answered here)
from app.errors import render_message


def role_required(*roles: str):
    """Require a signed-in user with one of the roles (admins pass every check)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403, render_message("auth.permission_denied"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


organiser_required = role_required("organiser")
admin_required = role_required("admin")
