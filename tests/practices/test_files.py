"""Safe uploads: type from the content, re-encoded images without metadata, nothing half-written."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from PIL import Image

from app.errors import Forbidden, NotFound, ValidationFailed
from app.practices import services
from app.practices.limits import IMAGE_MAX_PIXELS
from app.practices.models import PracticeFile
from tests.factories import image_bytes, make_practice, make_practice_file, make_user, pdf_bytes

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def storage(tmp_path):
    return tmp_path / "files"


def _add(session, practice, storage, *, kind="image", data, filename="upload.jpg", **kwargs):
    return services.add_file(session, practice_id=practice.id, kind=kind, filename=filename, data=data,
                             actor_id=kwargs.pop("actor_id", practice.author_id), now=NOW, storage_dir=storage,
                             **kwargs)


def _stored(storage):
    return sorted(p.name for p in storage.iterdir()) if storage.exists() else []


def test_image_is_reencoded_without_exif_and_gps(session, storage):
    practice = make_practice(session)
    data = image_bytes("JPEG", exif_gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload carries GPS coordinates
    item = _add(session, practice, storage, data=data, filename="../../etc/Plaza.JPG", caption="The plaza",
                credit="Photo: City of Medellín")
    session.commit()
    path = services.open_file(item, storage)
    assert path.parent == storage and path.name == item.storage_key
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert dict(stored.getexif()) == {} and "exif" not in stored.info
    assert item.name == "Plaza.jpg" and item.content_type == "image/jpeg"
    assert item.size == path.stat().st_size and len(item.sha256) == 64
    assert item.caption == "The plaza" and item.credit == "Photo: City of Medellín"


def test_exif_orientation_is_honoured_before_stripping(session, storage):
    practice = make_practice(session)
    item = _add(session, practice, storage, data=image_bytes("JPEG", size=(64, 48), orientation=6))
    assert (item.width, item.height) == (48, 64)


def test_large_image_is_resized(session, storage):
    practice = make_practice(session)
    item = _add(session, practice, storage, data=image_bytes("PNG", size=(3000, 200)), filename="wide.png")
    assert max(item.width, item.height) == IMAGE_MAX_PIXELS
    assert item.content_type == "image/png"


def test_webp_accepted_and_a_png_named_jpg_stays_a_png(session, storage):
    practice = make_practice(session)
    webp = _add(session, practice, storage, data=image_bytes("WEBP"), filename="map.webp")
    assert webp.content_type == "image/webp"
    png = _add(session, practice, storage, data=image_bytes("PNG"), filename="photo.jpg")
    assert png.content_type == "image/png" and png.name == "photo.png"


@pytest.mark.parametrize(("kind", "data", "filename", "reason"), [
    ("document", image_bytes("PNG"), "report.pdf", "practice.file.not_pdf"),  # a PNG renamed .pdf
    ("document", b"%PDF-1.7\nthis is not really a pdf", "fake.pdf", "practice.file.pdf_unreadable"),
    ("image", pdf_bytes(), "photo.jpg", "practice.file.not_image"),
    ("image", image_bytes("GIF"), "anim.gif", "practice.file.not_image"),
    ("image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "practice.file.not_image"),
    ("image", image_bytes("JPEG", size=(300, 300))[:400], "cut.jpg", "practice.file.image_unreadable"),
    ("image", b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024), "huge.jpg", "practice.file.too_large"),
    ("image", b"", "empty.jpg", "practice.file.empty"),
])
def test_lying_oversized_and_corrupt_files_are_refused(session, storage, kind, data, filename, reason):
    practice = make_practice(session)
    with pytest.raises(ValidationFailed) as caught:
        _add(session, practice, storage, kind=kind, data=data, filename=filename)
    assert caught.value.reason == reason and set(caught.value.fields) == {"file"}
    session.rollback()
    assert _stored(storage) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)) == 0


def test_a_png_claiming_jpeg_inside_fails_to_decode(session, storage):
    """JPEG magic followed by PNG data: the content is neither, and is refused."""
    practice = make_practice(session)
    with pytest.raises(ValidationFailed) as caught:
        _add(session, practice, storage, data=b"\xff\xd8\xff" + image_bytes("PNG")[3:])
    assert caught.value.reason == "practice.file.image_unreadable"


def test_pdf_document(session, storage):
    practice = make_practice(session)
    item = _add(session, practice, storage, kind="document", data=pdf_bytes(), filename="Report 2025.pdf")
    assert item.content_type == "application/pdf" and item.name == "Report 2025.pdf"
    assert services.open_file(item, storage).read_bytes().startswith(b"%PDF-")


def test_limit_is_configurable(session, storage):
    practice = make_practice(session)
    with pytest.raises(ValidationFailed) as caught:
        _add(session, practice, storage, kind="document", data=pdf_bytes(), max_bytes=100)
    assert caught.value.reason == "practice.file.too_large"


def test_rollback_leaves_no_file_and_commit_keeps_it(session, storage):
    practice = make_practice(session)
    session.commit()
    _add(session, practice, storage, data=image_bytes())
    assert len(_stored(storage)) == 1
    session.rollback()
    assert _stored(storage) == []  # the transaction failed: the file does not linger
    item = _add(session, practice, storage, data=image_bytes())
    session.commit()
    assert _stored(storage) == [item.storage_key]


def test_removed_file_goes_only_after_commit(session, storage):
    practice = make_practice(session)
    item = _add(session, practice, storage, data=image_bytes())
    session.commit()
    services.remove_file(session, practice_id=practice.id, file_id=item.id, actor_id=practice.author_id, now=NOW,
                         storage_dir=storage)
    session.rollback()
    assert _stored(storage) == [item.storage_key]
    services.remove_file(session, practice_id=practice.id, file_id=item.id, actor_id=practice.author_id, now=NOW,
                         storage_dir=storage)
    session.commit()
    assert _stored(storage) == []


def test_only_editors_upload_and_strangers_see_no_files_of_unpublished_practices(session, storage):
    practice = make_practice(session, status="submitted")
    item = make_practice_file(session, practice, storage_dir=storage)
    stranger = make_user(session)
    with pytest.raises(NotFound):
        _add(session, practice, storage, data=image_bytes(), actor_id=stranger.id)
    with pytest.raises(NotFound):
        services.file_of(session, practice_id=practice.id, file_id=item.id, viewer=None)
    assert services.file_of(session, practice_id=practice.id, file_id=item.id, viewer=practice.author) is item
    published = make_practice(session)
    with pytest.raises(Forbidden):
        _add(session, published, storage, data=image_bytes(), actor_id=stranger.id)
    with pytest.raises(NotFound):
        services.file_of(session, practice_id=published.id, file_id=item.id, viewer=None)  # another's file


def test_uncredited_image_fails_the_checklist(session, storage):
    practice = make_practice(session)
    make_practice_file(session, practice, storage_dir=storage, credit="")
    assert services.check_practice(practice)["images_credited"] is False


def test_caption_and_credit_can_be_changed(session, storage):
    practice = make_practice(session)
    item = make_practice_file(session, practice, storage_dir=storage, credit="")
    before = practice.revision
    services.update_file(session, practice_id=practice.id, file_id=item.id, actor_id=practice.author_id, now=NOW,
                         credit="Photo: Ana Lima")
    assert item.credit == "Photo: Ana Lima" and practice.revision == before + 1
    services.update_file(session, practice_id=practice.id, file_id=item.id, actor_id=practice.author_id, now=NOW,
                         credit="Photo: Ana Lima")
    assert practice.revision == before + 1  # nothing changed, no revision
    with pytest.raises(ValidationFailed):
        services.update_file(session, practice_id=practice.id, file_id=item.id, actor_id=practice.author_id,
                             now=NOW, caption="x" * 301)
