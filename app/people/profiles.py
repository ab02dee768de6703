"""One's own practitioner profile: read it, create or change it, add or remove its photo (no Flask here).

Partial updates: only the fields given change. Every bad value is a ValidationFailed naming its field, raised
before anything is written; the caller commits once.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from babel import Locale
from sqlalchemy.orm import Session, selectinload

import app.people.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.directory.models import Topic
from app.errors import NotFound, ValidationFailed
from app.people.limits import BIO_MAX, MAX_EXPERTISE_TARGETS, MAX_SPOKEN_LANGUAGES, POSITION_MAX, VISIBILITIES
from app.people.models import Profile, ProfileSdgTarget
from app.practices import files as practice_files
from app.practices.limits import IMAGE_MAX_BYTES
from app.practices.sdg import normalise_target, target_sort_key
from app.validation import clean_text

CITY_MAX = 120
TEXT_FIELDS = {"position": POSITION_MAX, "city": CITY_MAX, "bio": BIO_MAX}
FLAGS = ("shows_events", "shows_certificates", "accepts_messages")
FIELDS = frozenset({*TEXT_FIELDS, *FLAGS, "visibility", "topics", "sdg_targets", "languages"})
PHOTO_FOLDER = "profile-photos"  # under the practice storage folder: the same safe storage, its own place
_PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@lru_cache(maxsize=1)
def spoken_language_codes() -> frozenset[str]:
    """ISO 639-1 codes Babel can name (two letters)."""
    return frozenset(code for code in Locale.parse("en").languages if len(code) == 2 and code.isalpha())


def get_profile(session: Session, user_id: int) -> Profile | None:
    """The person's profile with what it shows loaded, or None if they never made one."""
    return session.scalars(sa.select(Profile).where(Profile.user_id == user_id).options(
        selectinload(Profile.topics), selectinload(Profile.target_rows))).first()


def _account(session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("people.account_not_found", field="user_id")
    return user


def _list(data: dict, name: str, label: str) -> list:
    value = data[name]
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValidationFailed("people.not_list", field=name, label=label)
    return list(value)


def clean_profile_data(session: Session, data) -> dict:
    """The given fields, checked and normalised (topics as Topic rows); ValidationFailed naming the field."""
    if not isinstance(data, dict):
        raise ValidationFailed("people.data_not_object")
    unknown = sorted(str(k) for k in data if k not in FIELDS)
    if unknown:
        raise ValidationFailed("people.field_unknown", field=unknown[0], names=", ".join(unknown))
    clean: dict = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            clean[name] = clean_text(data[name], field=name, limit=limit)
    for name in FLAGS:
        if name in data:
            if not isinstance(data[name], bool):
                raise ValidationFailed("people.not_boolean", field=name, label=name.replace("_", " ").capitalize())
            clean[name] = data[name]
    if "visibility" in data:
        if data["visibility"] not in VISIBILITIES:
            raise ValidationFailed("people.visibility_invalid", field="visibility", choices=", ".join(VISIBILITIES))
        clean["visibility"] = data["visibility"]
    if "topics" in data:
        slugs = []
        for value in _list(data, "topics", "Topics"):
            if not isinstance(value, str) or not value.strip() or len(value) > 80:
                raise ValidationFailed("people.topic_unknown", field="topics", value=str(value)[:80])
            slugs.append(value.strip())
        slugs = list(dict.fromkeys(slugs))
        found = {t.slug: t for t in session.scalars(sa.select(Topic).where(Topic.slug.in_(slugs)))} if slugs else {}
        for slug in slugs:
            if slug not in found:
                raise ValidationFailed("people.topic_unknown", field="topics", value=slug)
        clean["topics"] = [found[slug] for slug in slugs]
    if "sdg_targets" in data:
        targets = []
        for value in _list(data, "sdg_targets", "SDG targets"):
            code = normalise_target(value) if isinstance(value, str) else None
            if code is None:
                raise ValidationFailed("people.target_invalid", field="sdg_targets", value=str(value)[:20])
            targets.append(code)
        targets = sorted(set(targets), key=target_sort_key)
        if len(targets) > MAX_EXPERTISE_TARGETS:
            raise ValidationFailed("people.too_many_targets", field="sdg_targets", maximum=MAX_EXPERTISE_TARGETS)
        clean["sdg_targets"] = targets
    if "languages" in data:
        codes = []
        for value in _list(data, "languages", "Languages"):
            code = value.strip().lower() if isinstance(value, str) else None
            if code not in spoken_language_codes():
                raise ValidationFailed("people.language_invalid", field="languages", value=str(value)[:20])
            codes.append(code)
        codes = list(dict.fromkeys(codes))
        if len(codes) > MAX_SPOKEN_LANGUAGES:
            raise ValidationFailed("people.too_many_languages", field="languages", maximum=MAX_SPOKEN_LANGUAGES)
        clean["languages"] = codes
    return clean


def save_profile(session: Session, *, user_id: int, data: dict, now: datetime) -> Profile:
    """Create the person's profile or change the fields given (hidden until they choose otherwise)."""
    _account(session, user_id)
    clean = clean_profile_data(session, data)  # everything checked before anything changes
    profile = get_profile(session, user_id)
    if profile is None:
        profile = Profile(user_id=user_id, visibility="hidden", languages=[], created_at=now)
        session.add(profile)
    for name in (*TEXT_FIELDS, *FLAGS, "visibility"):
        if name in clean:
            setattr(profile, name, clean[name])
    if "topics" in clean:
        profile.topics = clean["topics"]
    if "languages" in clean:
        profile.languages = clean["languages"]
    if "sdg_targets" in clean:
        wanted = set(clean["sdg_targets"])
        profile.target_rows = [row for row in profile.target_rows if row.target in wanted] + [
            ProfileSdgTarget(target=code) for code in clean["sdg_targets"]
            if code not in {row.target for row in profile.target_rows}]
    profile.updated_at = now
    session.flush()
    return profile


# ---------------------------------------------------------------------------------------------------
# The photo: the practices' safe image pipeline (type from the content, re-encoded without metadata, size
# capped, bytes written only once the row is valid and deleted on rollback)


def photo_folder(storage_dir) -> Path:
    return Path(storage_dir) / PHOTO_FOLDER


def set_photo(session: Session, *, user_id: int, data: bytes, now: datetime, storage_dir,
              max_bytes: int | None = None) -> Profile:
    """Replace the person's photo by this image (re-encoded); the old file goes once the transaction commits."""
    _account(session, user_id)
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationFailed("practice.file.empty", field="photo")
    limit = max_bytes or IMAGE_MAX_BYTES
    if len(data) > limit:
        raise ValidationFailed("practice.file.too_large", field="photo", maximum=practice_files.megabytes(limit),
                               size=practice_files.megabytes(len(data)))
    try:
        encoded, fmt, _width, _height = practice_files.reencode_image(bytes(data))
    except practice_files.FileRefused as exc:
        raise ValidationFailed(exc.reason, field="photo", **exc.params) from exc
    content_type, extension = _PHOTO_TYPES[fmt]
    profile = get_profile(session, user_id) or save_profile(session, user_id=user_id, data={}, now=now)
    old_key = profile.photo_key
    key = f"{secrets.token_hex(16)}.{extension}"
    profile.photo_key, profile.photo_type, profile.updated_at = key, content_type, now
    session.flush()  # the row is valid before any byte is written
    folder = photo_folder(storage_dir)
    practice_files.store_bytes(session, folder, key, encoded)
    if old_key:
        practice_files.doom(session, practice_files.storage_path(folder, old_key))
    return profile


def remove_photo(session: Session, *, user_id: int, now: datetime, storage_dir) -> Profile:
    """Remove the person's photo; its bytes are deleted once the transaction commits."""
    profile = get_profile(session, user_id)
    if profile is None or not profile.photo_key:
        raise NotFound("people.photo_missing", field="photo")
    path = practice_files.storage_path(photo_folder(storage_dir), profile.photo_key)
    profile.photo_key = profile.photo_type = None
    profile.updated_at = now
    session.flush()
    practice_files.doom(session, path)
    return profile


def photo_path(profile: Profile, storage_dir) -> Path:
    """The stored photo's path (NotFound when there is none or its bytes are missing)."""
    if not profile.photo_key:
        raise NotFound("people.photo_missing", field="photo")
    path = practice_files.storage_path(photo_folder(storage_dir), profile.photo_key)
    if not path.is_file():
        raise NotFound("people.photo_missing", field="photo")
    return path
