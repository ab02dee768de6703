"""Small helpers shared by HTML views: turning domain errors into form errors, config lookups."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request
from flask_wtf import FlaskForm

from app.errors import DomainError, render_message
from app.extensions import db


def name_field_as_labelled(message: str, name: str, label: str) -> str:
    """A service message that starts with the field's data name ("offer_hours must be…", "Offer hours is…")
    names the field as the form labels it instead."""
    for variant in (name, name.replace("_", " ").capitalize(), name.replace("_", " ")):
        if message.startswith(variant + " "):
            return label + message[len(variant):]
    return message


def field_message(value, name: str, label: str | None, translate=None) -> str:
    """One field's error (a reason, or a (reason, params) pair) as a sentence naming the field by `label`.

    A reason whose values carry a ``label`` (the shared checks in app.validation) gets the form's label in
    its place, so a translated form names its own field; older plain sentences fall back to the prefix."""
    reason, params = value if isinstance(value, tuple) else (value, None)
    if label and params and "label" in params:
        return render_message(reason, {**params, "label": label}, translate)
    message = render_message(reason, params, translate)
    return name_field_as_labelled(message, name, label) if label else message


def show_domain_error(exc: DomainError, form: FlaskForm | None = None) -> None:
    """Roll back and attach the error to the named form field (named as the form labels it), or flash it."""
    db.session.rollback()
    attached = False
    if form is not None:
        for name, value in exc.fields.items():
            field = getattr(form, name, None)
            if field is not None and hasattr(field, "errors"):
                errors = list(field.errors) if not isinstance(field.errors, dict) else []
                label = getattr(getattr(field, "label", None), "text", None)
                errors.append(field_message(value, name, label))
                field.errors = errors
                attached = True
    if not attached:
        flash(exc.message_for(), "danger")


def hash_method() -> str | None:
    return current_app.config.get("PASSWORD_HASH_METHOD")


def local_path(target: str | None) -> str | None:
    """The target when it is a path on this site; None for anything a browser could read as another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # browsers read a backslash as a slash ("/" + backslash + "evil.example" is another host), skip tabs
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def redirect_back(default: str):
    """Redirect to the form's or query's `next` when it is a local path, else to `default`."""
    return redirect(local_path(request.values.get("next")) or default)
