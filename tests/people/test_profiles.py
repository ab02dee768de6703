"""Practitioner profiles: the service (partial updates, bad input naming the field, nothing half-written),
who may see a profile, and the photo through the practices' safe image pipeline."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from app.auth.rules import can_see_profile
from app.errors import NotFound, ValidationFailed
from app.people import profiles
from app.people.models import Profile, ProfileSdgTarget
from app.practices.limits import IMAGE_MAX_PIXELS
from app.sqltypes import utcnow
from tests.factories import image_bytes, make_admin, make_profile, make_user


def test_a_profile_is_hidden_until_its_owner_chooses_and_updates_are_partial(session):
    user = make_user(session)
    profile = profiles.save_profile(session, user_id=user.id, data={"position": " Head of mobility "}, now=utcnow())
    assert profile.visibility == "hidden" and profile.position == "Head of mobility" and profile.accepts_messages
    profiles.save_profile(session, user_id=user.id, now=utcnow(), data={
        "topics": ["sustainable-transport", "sustainable-transport"], "sdg_targets": ["11.2", "11.A ", "3.6"],
        "languages": ["FR", "de", "fr"], "visibility": "members", "shows_events": True})
    session.commit()
    profile = profiles.get_profile(session, user.id)
    assert profile.position == "Head of mobility"  # untouched
    assert [t.slug for t in profile.topics] == ["sustainable-transport"]
    assert profile.sdg_targets == ["3.6", "11.2", "11.a"] and profile.languages == ["fr", "de"]
    assert profile.visibility == "members" and profile.shows_events and not profile.shows_certificates
    profiles.save_profile(session, user_id=user.id, data={"sdg_targets": ["11.2"]}, now=utcnow())
    session.commit()
    assert sorted(session.scalars(sa.select(ProfileSdgTarget.target))) == ["11.2"]


@pytest.mark.parametrize(("data", "field"), [
    ({"visibility": "everyone"}, "visibility"),
    ({"topics": ["no-such-topic"]}, "topics"),
    ({"topics": "sustainable-transport"}, "topics"),
    ({"sdg_targets": ["11.9"]}, "sdg_targets"),
    ({"sdg_targets": [11.2]}, "sdg_targets"),
    ({"sdg_targets": [f"11.{n}" for n in range(1, 8)] + [f"3.{n}" for n in range(1, 10)]
      + [f"4.{n}" for n in range(1, 8)] + [f"8.{n}" for n in range(1, 11)]}, "sdg_targets"),
    ({"languages": ["xx"]}, "languages"),
    ({"languages": ["klingon"]}, "languages"),
    ({"bio": "x" * 2001}, "bio"),
    ({"position": "a\x00b"}, "position"),
    ({"shows_events": "yes"}, "shows_events"),
    ({"email": "a@b.c"}, "email"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, data, field):
    user = make_user(session)
    session.commit()
    with pytest.raises(ValidationFailed) as caught:
        profiles.save_profile(session, user_id=user.id, data={"position": "Planner", **data}, now=utcnow())
    assert field in caught.value.fields
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(Profile)) == 0


def test_not_an_object(session):
    user = make_user(session)
    with pytest.raises(ValidationFailed):
        profiles.save_profile(session, user_id=user.id, data=["position"], now=utcnow())


def test_who_may_see_a_profile(session):
    owner, member, admin = make_user(session), make_user(session), make_admin(session)
    profile = make_profile(session, owner, visibility="hidden")
    for visibility, visitor, signed_in in (("hidden", False, False), ("members", False, True),
                                           ("public", True, True)):
        profile.visibility = visibility
        assert can_see_profile(None, profile) is visitor
        assert can_see_profile(member, profile) is signed_in
        assert can_see_profile(owner, profile) and can_see_profile(admin, profile)


def test_a_photo_is_reencoded_without_metadata_and_replaced_safely(session, tmp_path):
    user = make_user(session)
    profiles.set_photo(session, user_id=user.id, data=image_bytes("JPEG", size=(3000, 2000), exif_gps=True),
                       now=utcnow(), storage_dir=tmp_path)
    session.commit()
    profile = profiles.get_profile(session, user.id)
    first = profiles.photo_path(profile, tmp_path)
    with Image.open(first) as image:
        assert image.format == "JPEG" and max(image.size) <= IMAGE_MAX_PIXELS and not image.getexif()
    assert profile.photo_type == "image/jpeg" and profile.visibility == "hidden"
    profiles.set_photo(session, user_id=user.id, data=image_bytes("PNG"), now=utcnow(), storage_dir=tmp_path)
    session.commit()
    second = profiles.photo_path(profiles.get_profile(session, user.id), tmp_path)
    assert second.suffix == ".png" and not first.exists()
    profiles.remove_photo(session, user_id=user.id, now=utcnow(), storage_dir=tmp_path)
    session.rollback()  # a rolled back removal keeps the file
    assert second.exists()
    profiles.remove_photo(session, user_id=user.id, now=utcnow(), storage_dir=tmp_path)
    session.commit()
    assert not second.exists() and profiles.get_profile(session, user.id).photo_key is None
    with pytest.raises(NotFound):
        profiles.remove_photo(session, user_id=user.id, now=utcnow(), storage_dir=tmp_path)


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\x00" * 100, b"\xff\xd8\xff" + b"broken" * 10,
                                  b"<svg xmlns='http://www.w3.org/2000/svg'/>"])
def test_a_photo_that_is_not_a_sound_image_is_refused_and_nothing_is_written(session, tmp_path, data):
    user = make_user(session)
    session.commit()
    with pytest.raises(ValidationFailed) as caught:
        profiles.set_photo(session, user_id=user.id, data=data, now=utcnow(), storage_dir=tmp_path)
    assert "photo" in caught.value.fields
    session.rollback()
    assert not list(tmp_path.rglob("*")) or not list((tmp_path / "profile-photos").glob("*"))
    assert profiles.get_profile(session, user.id) is None


def test_a_photo_too_large_is_refused(session, tmp_path):
    user = make_user(session)
    with pytest.raises(ValidationFailed) as caught:
        profiles.set_photo(session, user_id=user.id, data=image_bytes("PNG"), now=utcnow(), storage_dir=tmp_path,
                           max_bytes=10)
    assert caught.value.reason == "practice.file.too_large"


def test_a_rolled_back_upload_leaves_no_file(session, tmp_path):
    user = make_user(session)
    session.commit()
    profiles.set_photo(session, user_id=user.id, data=image_bytes("WEBP"), now=utcnow(), storage_dir=tmp_path)
    assert list((tmp_path / "profile-photos").glob("*.webp"))
    session.rollback()
    assert not list((tmp_path / "profile-photos").glob("*"))


def test_image_bytes_helper_is_an_image():
    assert Image.open(io.BytesIO(image_bytes("JPEG"))).format == "JPEG"
