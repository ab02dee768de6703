"""Small helpers shared by HTML views: turning domain errors into form errors, config lookups."""

from __future__ import annotations

from flask import current_app, flash
from flask_wtf import FlaskForm

from app.errors import DomainError
from app.extensions import db


def show_domain_error(exc: DomainError, form: FlaskForm | None = None) -> None:
    """Roll back and attach the error to the named form field, or flash it."""
    db.session.rollback()
    attached = False
    if form is not None:
        for name, message in exc.fields.items():
            field = getattr(form, name, None)
            if field is not None and hasattr(field, "errors"):
                errors = list(field.errors) if not isinstance(field.errors, dict) else []
                errors.append(message)
                field.errors = errors
                attached = True
    if not attached:
        flash(exc.message, "danger")


def hash_method() -> str | None:
    return current_app.config.get("PASSWORD_HASH_METHOD")
