"""Account rules: registration, passwords, reset tokens, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from zoneinfo import available_timezones

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.auth.models import LANGUAGES, ROLES, ApiToken, User
from app.directory.services import get_organisation, normalise_country
from app.errors import Conflict, NotFound, ValidationFailed
from app.language import translator
from app.validation import clean_name

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
TIMEZONES = frozenset(available_timezones())
# what people pick from: canonical Area/City names, without legacy aliases such as "US/Eastern"
SORTED_TIMEZONES = sorted(z for z in TIMEZONES if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))) + ["UTC"]
_DUMMY_HASH: dict[str, str] = {}


def user_for_session_id(session: Session, value: str | None) -> User | None:
    """The user a session or remember-me cookie names ("id:auth_version"), if that version is still current.

    A bare id (a session from before auth_version existed) counts as version 0.
    """
    user_id, _, version = (value or "").partition(":")
    try:
        user = session.get(User, int(user_id))
        version_number = int(version or 0)
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or user.auth_version != version_number:
        return None
    return user


def end_sessions(session: Session, user_id: int) -> User:
    """End every session and remember-me cookie of the user (the caller may sign the current one in again)."""
    user = get_user(session, user_id)
    user.auth_version = (user.auth_version or 0) + 1
    session.flush()
    return user


def bearer_token(header: str | None) -> str | None:
    if not header or not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None


def normalise_email(email: str | None, *, field: str = "email") -> str:
    """Validate an email's syntax (no DNS) and lower-case it."""
    value = (email or "").strip()
    if not value:
        raise ValidationFailed("auth.email_required", field=field)
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed("auth.email_invalid", field=field, detail=str(exc)) from exc


def check_timezone(zone: str | None, *, field: str = "timezone") -> str:
    if not zone or zone not in TIMEZONES:
        raise ValidationFailed("auth.timezone_unknown", field=field, zone=zone)
    return zone


def check_password_strength(password: str | None, *, field: str = "password") -> str:
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("auth.password_too_short", field=field, minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed("auth.password_too_long", field=field, limit=MAX_PASSWORD_LENGTH)
    return password


def hash_password(password: str, method: str | None = None) -> str:
    return generate_password_hash(password, method=method or "scrypt")


def _check_name(name: str | None) -> str:
    value = clean_name(name, field="name", limit=200, required=True)
    if any(ord(ch) < 32 for ch in value):
        raise ValidationFailed("auth.name_control_characters", field="name")
    return value


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("auth.user_not_found", user_id=user_id)
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))


def register_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    organisation_id: int | None = None,
    country: str | None = None,
    role: str = "participant",
    timezone: str = "UTC",
    language: str = "en",
    hash_method: str | None = None,
) -> User:
    """Create an account; the email must be new (case-insensitively)."""
    email = normalise_email(email)
    name = _check_name(name)
    check_password_strength(password)
    if role not in ROLES:
        raise ValidationFailed("auth.role_invalid", field="role", roles=", ".join(ROLES))
    if organisation_id:
        get_organisation(session, organisation_id)
    country_code = normalise_country(country, required=False)
    check_timezone(timezone)
    if language not in LANGUAGES:
        raise ValidationFailed("auth.language_unsupported", field="language", language=language)
    if find_user_by_email(session, email) is not None:
        raise Conflict("auth.email_taken", field="email")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password, hash_method),
        role=role,
        organisation_id=organisation_id or None,
        country=country_code,
        timezone=timezone,
        language=language,
    )
    session.add(user)
    session.flush()
    return user


def register_or_notify(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    organisation_id: int | None = None,
    country: str | None = None,
    timezone: str = "UTC",
    language: str = "en",
    base_url: str,
    now: datetime,
    hash_method: str | None = None,
) -> User | None:
    """Register a new account, or tell the owner of an existing one; the caller answers the same either way.

    Registration must not reveal whether an address has an account (login and reset don't): a new account
    gets a welcome mail, an existing address a note that someone tried to register with it. Returns the new
    user, or None when the address was taken.
    """
    from app.mail.services import queue_email

    address = normalise_email(email)
    existing = find_user_by_email(session, address)
    if existing is None:
        user = register_user(session, email=address, name=name, password=password, organisation_id=organisation_id,
                             country=country, timezone=timezone, language=language, hash_method=hash_method)
        queue_email(
            session, to=user.email, to_name=user.name, **_welcome_mail(user, base_url),
            now=now, kind="registration", user_id=user.id,
        )
        return user
    # the same checks and the same hashing work as a new account, so the answer takes as long
    _check_name(name)
    check_password_strength(password)
    if organisation_id:
        get_organisation(session, organisation_id)
    normalise_country(country, required=False)
    hash_password(password, hash_method)
    queue_email(
        session, to=existing.email, to_name=existing.name, **_taken_mail(existing, base_url),
        now=now, kind="registration_existing", user_id=existing.id,
    )
    return None


def authenticate(session: Session, email: str, password: str, *, hash_method: str | None = None) -> User | None:
    """The user for these credentials, or None; takes the same time whether or not the email exists."""
    user = find_user_by_email(session, email)
    if user is None:
        method = hash_method or "scrypt"
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = hash_password(secrets.token_hex(8), method)
        check_password_hash(_DUMMY_HASH[method], password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.is_active_account:
        return None
    return user


def update_profile(
    session: Session,
    user_id: int,
    *,
    name: str,
    organisation_id: int | None,
    country: str | None,
    timezone: str,
    language: str,
) -> User:
    user = get_user(session, user_id)
    user.name = _check_name(name)
    if organisation_id:
        get_organisation(session, organisation_id)
    user.organisation_id = organisation_id or None
    user.country = normalise_country(country, required=False)
    user.timezone = check_timezone(timezone)
    if language not in LANGUAGES:
        raise ValidationFailed("auth.language_unsupported", field="language", language=language)
    user.language = language
    session.flush()
    return user


def change_password(
    session: Session, user_id: int, *, current: str, new: str, hash_method: str | None = None
) -> User:
    user = get_user(session, user_id)
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed("auth.current_password_wrong", field="current_password")
    check_password_strength(new, field="new_password")
    user.password_hash = hash_password(new, hash_method)
    end_sessions(session, user.id)
    return user


def set_role(session: Session, user_id: int, role: str) -> User:
    if role not in ROLES:
        raise ValidationFailed("auth.role_invalid", field="role", roles=", ".join(ROLES))
    user = get_user(session, user_id)
    user.role = role
    session.flush()
    return user


# Password reset -------------------------------------------------------------------------------

def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # ties the token to the current password, so it stops working once used
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(session: Session, token: str, secret_key: str, max_age: int) -> User:
    """The user a reset token belongs to; raises ValidationFailed when expired, used or forged."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ValidationFailed("auth.reset_expired") from exc
    except BadSignature as exc:
        raise ValidationFailed("auth.reset_invalid") from exc
    user = session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or data.get("pw") != _password_fingerprint(user):
        raise ValidationFailed("auth.reset_used")
    return user


def reset_password(
    session: Session, token: str, new_password: str, *, secret_key: str, max_age: int, hash_method: str | None = None
) -> User:
    user = user_for_reset_token(session, token, secret_key, max_age)
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password, hash_method)
    end_sessions(session, user.id)
    return user


def _mail_text(*paragraphs: str) -> str:
    """A plain-text mail body: paragraphs (already in the recipient's language) apart by a blank line."""
    return "\n\n".join(paragraphs) + "\n"


def _welcome_mail(user: User, base_url: str) -> dict[str, str]:
    """Subject and text of the new account's welcome, in its own language."""
    t = translator(user.language)
    return {
        "subject": t.gettext("Your Connective Cities account is ready"),
        "text": _mail_text(
            t.gettext("Hello %(name)s,", name=user.name),
            t.gettext("your Connective Cities account is ready. Log in with this address and the password you "
                      "chose:"),
            f"{base_url}/auth/login",
            t.gettext("If you did not create this account, reset its password and write to us."),
        ),
    }


def _taken_mail(existing: User, base_url: str) -> dict[str, str]:
    """Subject and text of the note to an address's owner, in the owner's language (not the one of whoever
    tried)."""
    t = translator(existing.language)
    return {
        "subject": t.gettext("Someone tried to register with your address"),
        "text": _mail_text(
            t.gettext("Hello %(name)s,", name=existing.name),
            t.gettext("someone tried to create a Connective Cities account with your email address, which already "
                      "has one. If it was you, log in or reset your password:"),
            f"{base_url}/auth/login\n{base_url}/auth/reset",
            t.gettext("If it was not you, you can ignore this message; nothing has changed."),
        ),
    }


def request_password_reset(session: Session, email: str, *, secret_key: str, base_url: str, now: datetime) -> None:
    """Queue a reset email when the account exists; silently do nothing otherwise."""
    from app.mail.services import queue_email

    user = find_user_by_email(session, email)
    if user is None or not user.is_active_account:
        return
    token = make_reset_token(user, secret_key)
    link = f"{base_url}/auth/reset/{token}"
    t = translator(user.language)
    queue_email(
        session,
        to=user.email,
        subject=t.gettext("Reset your Connective Cities password"),
        text=_mail_text(
            t.gettext("Hello %(name)s,", name=user.name),
            t.gettext("Someone asked to reset the password of your Connective Cities account.") + "\n"
            + t.gettext("Open this link within an hour to choose a new password:"),
            link,
            t.gettext("If it was not you, ignore this message; your password stays as it is."),
        ),
        now=now,
        kind="password_reset",
        user_id=user.id,
    )


# API tokens ----------------------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, user_id: int, *, name: str = "API token", now: datetime) -> tuple[ApiToken, str]:
    """A new personal API token; returns the record and the plain token, shown once."""
    user = get_user(session, user_id)
    plain = "cc_" + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id, name=(name or "API token")[:100], token_hash=_hash_token(plain), prefix=plain[:10],
        created_at=now,
    )
    session.add(record)
    session.flush()
    return record, plain


def user_for_api_token(session: Session, token: str, *, now: datetime) -> User | None:
    record = session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if record is None or not record.user.is_active_account:
        return None
    # only touch last_used_at now and then, so reads stay reads
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 300:
        record.last_used_at = now
    return record.user


def revoke_api_token(session: Session, user_id: int, token_id: int, *, now: datetime) -> ApiToken:
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user_id:
        raise NotFound("auth.token_not_found", token_id=token_id)
    if record.revoked_at is None:
        record.revoked_at = now
    session.flush()
    return record


def list_api_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(
        session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc()))
    )
