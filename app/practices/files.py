"""Documents (PDF) and images (JPEG, PNG, WebP) of a practice, uploaded safely.

- The type comes from the content, never from the name: a PDF must start like one and open with pypdf (not
  encrypted, at least one page); an image must start like a JPEG, PNG or WebP, and Pillow must decode all of
  it in that same format. A file lying about its type, an oversized or a corrupt one is refused with a message
  naming the field `file`.
- Images are re-encoded: turned upright by their EXIF orientation first, then saved without any metadata
  (EXIF, GPS, XMP, comments) and made no larger than limits.IMAGE_MAX_PIXELS on their longer side.
- Files live under a storage folder passed in (config PRACTICE_STORAGE_DIR, instance/practice-files by
  default, outside the web root) by a random key; the name people gave is only shown.
- Nothing half-written: the row is flushed (valid) before the bytes are written to a temporary name and
  renamed; if the transaction rolls back, the file is deleted; a removed file's bytes go only after commit.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import struct
import unicodedata
import warnings
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import NotFound, ValidationFailed
from app.practices.limits import (
    CAPTION_MAX,
    CREDIT_MAX,
    DOCUMENT_MAX_BYTES,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_PIXELS,
    MAX_DOCUMENTS,
    MAX_IMAGES,
)
from app.practices.lookups import editable_practice, record_revision, visible_practice
from app.practices.models import PracticeFile
from app.validation import as_id, clean_text

KINDS = ("document", "image")
# decoding more than this many pixels is refused before it starts (a small file can expand enormously)
DECODE_MAX_PIXELS = 50_000_000
_FORMATS = {  # Pillow's format -> (content type, extension)
    "JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
}
_KEY = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png|webp)$")
_WRITTEN = "practice_files_written"  # session.info: paths to delete if the transaction rolls back
_DOOMED = "practice_files_doomed"  # session.info: paths to delete once the transaction commits


class FileRefused(ValidationFailed):
    """An upload refused for its content (type, size, damage): always about the field `file`."""

    def __init__(self, reason: str, **params):
        super().__init__(reason, field="file", **params)


# ---------------------------------------------------------------------------------------------------
# Checking and re-encoding the content


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def sniff_image(data: bytes) -> str | None:
    """'JPEG', 'PNG' or 'WEBP' from the first bytes; None for anything else."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def check_pdf(data: bytes) -> None:
    """A real PDF: its header, and pypdf can read its pages (an encrypted or damaged one is refused)."""
    if not data.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        raise FileRefused("practice.file.not_pdf")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted or len(reader.pages) < 1:
                raise FileRefused("practice.file.pdf_unreadable")
            reader.pages[0].mediabox  # noqa: B018  (reading the first page proves the structure holds)
    except FileRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError,
            RecursionError) as exc:
        raise FileRefused("practice.file.pdf_unreadable") from exc


def reencode_image(data: bytes) -> tuple[bytes, str, int, int]:
    """(bytes, Pillow format, width, height) of the image, upright, without metadata, at most IMAGE_MAX_PIXELS
    on its longer side, in the format its content has."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = sniff_image(data)
    if expected is None:
        raise FileRefused("practice.file.not_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as probe:
                width, height = probe.size
                if width * height > DECODE_MAX_PIXELS:
                    raise FileRefused("practice.file.image_too_many_pixels",
                                      pixels=round(width * height / 1_000_000))
                probe.verify()  # the structure and checksums, before decoding
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                image.load()  # decodes every pixel: a truncated file fails here
                upright = ImageOps.exif_transpose(image)
                icc = image.info.get("icc_profile")
    except FileRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRefused("practice.file.image_unreadable") from exc
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error, EOFError) as exc:
        raise FileRefused("practice.file.image_unreadable") from exc
    upright.thumbnail((IMAGE_MAX_PIXELS, IMAGE_MAX_PIXELS), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if expected == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=85, optimize=True, **extra)
    elif expected == "PNG":
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=True, **extra)
    else:
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGBA" if "A" in upright.mode or "transparency" in upright.info else "RGB")
        upright.save(out, "WEBP", quality=85, **extra)
    return out.getvalue(), expected, upright.width, upright.height


def display_name(filename, extension: str) -> str:
    """The name shown and offered for download: the given one without folders or controls, with the
    extension of what the file really is."""
    name = filename if isinstance(filename, str) else ""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name.strip(" .")
    stem = stem[:180] or "file"
    return f"{stem}.{extension}"


# ---------------------------------------------------------------------------------------------------
# Storage that follows the transaction


def _on_rollback(session) -> None:
    for path in session.info.pop(_WRITTEN, []):
        Path(path).unlink(missing_ok=True)
    session.info.pop(_DOOMED, None)


def _on_commit(session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DOOMED, []):
        Path(path).unlink(missing_ok=True)


event.listen(Session, "after_rollback", _on_rollback)
event.listen(Session, "after_commit", _on_commit)


def store_bytes(session: Session, folder: Path, key: str, data: bytes) -> Path:
    """Write the bytes under folder/key (temporary name, then renamed); deleted again if the transaction rolls
    back. Shared with profile photos (app/people/profiles.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / key
    temporary = folder / f".{key}.part"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    session.info.setdefault(_WRITTEN, []).append(str(final))
    return final


def doom(session: Session, path) -> None:
    """Delete this stored file once the transaction commits (kept if it rolls back)."""
    session.info.setdefault(_DOOMED, []).append(str(path))


def storage_path(storage_dir, key: str) -> Path:
    if not _KEY.match(key or ""):
        raise NotFound("practice.file.missing", field="file_id")
    return Path(storage_dir) / key


# ---------------------------------------------------------------------------------------------------
# Use cases


def add_file(session: Session, *, practice_id: int, kind: str, filename: str, data: bytes, caption: str = "",
             credit: str = "", actor_id: int, now: datetime, storage_dir, max_bytes: int | None = None
             ) -> PracticeFile:
    """Attach a document or an image to a practice (its editors); the content decides whether it is one."""
    practice, user = editable_practice(session, practice_id, actor_id)
    if kind not in KINDS:
        raise ValidationFailed("practice.file.kind_invalid", field="kind")
    caption = clean_text(caption, field="caption", limit=CAPTION_MAX)
    credit = clean_text(credit, field="credit", limit=CREDIT_MAX)
    maximum = MAX_DOCUMENTS if kind == "document" else MAX_IMAGES
    if sum(1 for f in practice.files if f.kind == kind) >= maximum:
        raise ValidationFailed("practice.file.too_many", field="file", maximum=maximum)
    if not isinstance(data, bytes | bytearray) or not data:
        raise FileRefused("practice.file.empty")
    data = bytes(data)
    limit = max_bytes or (DOCUMENT_MAX_BYTES if kind == "document" else IMAGE_MAX_BYTES)
    if len(data) > limit:
        raise FileRefused("practice.file.too_large", maximum=megabytes(limit), size=megabytes(len(data)))
    width = height = None
    if kind == "document":
        check_pdf(data)
        content_type, extension = "application/pdf", "pdf"
    else:
        data, fmt, width, height = reencode_image(data)
        content_type, extension = _FORMATS[fmt]
    key = f"{secrets.token_hex(16)}.{extension}"
    item = PracticeFile(
        practice_id=practice.id, kind=kind, name=display_name(filename, extension), content_type=content_type,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key, width=width, height=height,
        caption=caption, credit=credit, uploaded_by_id=user.id, created_at=now,
        position=max((f.position for f in practice.files), default=-1) + 1,
    )
    practice.files.append(item)
    session.flush()  # the row is valid before any byte is written
    store_bytes(session, Path(storage_dir), key, data)
    practice.updated_at = now
    record_revision(session, practice, action="file_added", actor_id=user.id, now=now,
                    fields=["documents" if kind == "document" else "images"])
    session.flush()
    return item


def update_file(session: Session, *, practice_id: int, file_id: int, actor_id: int, now: datetime,
                caption: str | None = None, credit: str | None = None) -> PracticeFile:
    """Change a file's caption or credit line."""
    practice, user = editable_practice(session, practice_id, actor_id)
    item = _file(practice, file_id)
    changed = False
    if caption is not None:
        caption = clean_text(caption, field="caption", limit=CAPTION_MAX)
        changed |= caption != item.caption
        item.caption = caption
    if credit is not None:
        credit = clean_text(credit, field="credit", limit=CREDIT_MAX)
        changed |= credit != item.credit
        item.credit = credit
    if changed:
        record_revision(session, practice, action="file_changed", actor_id=user.id, now=now,
                        fields=["documents" if item.kind == "document" else "images"])
    session.flush()
    return item


def remove_file(session: Session, *, practice_id: int, file_id: int, actor_id: int, now: datetime,
                storage_dir) -> None:
    """Remove a file; its bytes are deleted once the transaction commits."""
    practice, user = editable_practice(session, practice_id, actor_id)
    item = _file(practice, file_id)
    kind = item.kind
    path = storage_path(storage_dir, item.storage_key)
    practice.files.remove(item)
    session.flush()
    doom(session, path)
    record_revision(session, practice, action="file_removed", actor_id=user.id, now=now,
                    fields=["documents" if kind == "document" else "images"])
    session.flush()


def _file(practice, file_id) -> PracticeFile:
    key = as_id(file_id)
    for item in practice.files:
        if item.id == key:
            return item
    raise NotFound("practice.file.not_found", field="file_id")


def file_of(session: Session, *, practice_id: int, file_id: int, viewer) -> PracticeFile:
    """A file of a practice the viewer may see (strangers: NotFound unless the practice is published)."""
    practice = visible_practice(session, practice_id, viewer)
    return _file(practice, file_id)


def open_file(practice_file: PracticeFile, storage_dir) -> Path:
    """The stored file's path (NotFound if its bytes are missing); send it with its name and content type."""
    path = storage_path(storage_dir, practice_file.storage_key)
    if not path.is_file():
        raise NotFound("practice.file.missing", field="file_id")
    return path


def stored_keys(session: Session) -> set[str]:
    """Every storage key the database knows (to find orphaned files in the storage folder)."""
    return set(session.scalars(sa.select(PracticeFile.storage_key)))
