"""Input checks the services share: text fields that are stored as given, within their limits."""

from __future__ import annotations

from app.errors import ValidationFailed


def clean_text(value, *, field: str, limit: int, label: str | None = None, required: bool = False) -> str:
    """Stripped text of at most `limit` characters; a clear error naming the field otherwise.

    NUL is refused here because PostgreSQL cannot store it (SQLite would), so both databases agree.
    """
    label = label or field.replace("_", " ").capitalize()
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{label} must be text.", field=field)
    if "\x00" in value:
        raise ValidationFailed(f"{label} contains a character that is not allowed (NUL).", field=field)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(f"{label} is required.", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{label} is at most {limit} characters (got {len(value)}).", field=field)
    return value
