"""JSON API routes of good practices (registered on app.apikit.bp), declared in app.apikit.contract terms.

The same services as the pages: each view parses, calls one service, commits and answers."""

from __future__ import annotations

from flask import current_app, g

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.apikit import bp
from app.apikit.auth import api_user, json_body
from app.apikit.contract import Reply, operation, path_parameter, respond
from app.errors import ValidationFailed
from app.extensions import db
from app.practices import services
from app.practices.presenting import document_json, image_json
from app.practices.schemas import (
    CommentRequest,
    DocumentOut,
    FileUpload,
    ImageOut,
    InterestOut,
    InterestRequest,
    PracticeCreate,
    PracticeFilters,
    PracticeOut,
    PracticePage,
    PracticeUpdate,
    ReturnRequest,
)
from app.sqltypes import utcnow

path_parameter("practice_id", "Practice id.")

TAG = "Practices"


def _base_url() -> str:
    return current_app.config["BASE_URL"]


def _practice(practice_id: int) -> PracticeOut:
    """The practice as JSON, freshly loaded (what a change left behind, as the database holds it)."""
    practice = services.visible_practice(db.session, practice_id, api_user())
    db.session.refresh(practice)
    return services.practice_json(practice, base_url=_base_url(),
                                  interest_count=services.interest_count(db.session, practice.id))


def _answer(practice_id: int, status: int = 200):
    return respond(PracticeOut, _practice(practice_id), status)


@operation(bp.get, "/practices", tag=TAG, public=True, query=PracticeFilters,
           summary="Good practices (published; with a token and `status`, also your organisation's others)",
           replies={200: Reply("Newest publication first.", PracticePage)})
def practices_list():
    query = g.api_query
    filters = services.parse_filters({name: value for name, value in query.model_dump().items()
                                      if name not in ("page", "per_page") and value is not None})
    items, total = services.list_practices(db.session, filters=filters, page=query.page, per_page=query.per_page,
                                           viewer=api_user())
    counts = services.interest_counts(db.session, [p.id for p in items])
    base = _base_url()
    return respond(PracticePage, {
        "items": [services.practice_json(p, base_url=base, interest_count=counts[p.id]) for p in items],
        "total": total, "page": query.page, "per_page": query.per_page})


@operation(bp.post, "/practices", tag=TAG, summary="Draft a practice of your organisation", body=PracticeCreate,
           errors=[403, 409], replies={201: Reply("The new draft.", PracticeOut)})
def practices_create():
    practice = services.create_practice(db.session, data=json_body(), actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _answer(practice.id, 201)


@operation(bp.get, "/practices/<int:practice_id>", tag=TAG, public=True,
           summary="One practice (drafts: its editors, contact person and reviewers only)",
           replies={200: Reply("The practice.", PracticeOut)})
def practices_detail(practice_id: int):
    return _answer(practice_id)


@operation(bp.patch, "/practices/<int:practice_id>", tag=TAG, body=PracticeUpdate, errors=[403, 409],
           summary="Change a practice (its author, its organisation's members, organisers, admins)",
           replies={200: Reply("The practice.", PracticeOut)})
def practices_update(practice_id: int):
    services.update_practice(db.session, practice_id=practice_id, data=json_body(), actor_id=api_user().id,
                             now=utcnow())
    db.session.commit()
    return _answer(practice_id)


@operation(bp.post, "/practices/<int:practice_id>/submit", tag=TAG, summary="Submit a draft or returned practice",
           errors=[403, 409], replies={200: Reply("The practice, now submitted.", PracticeOut)})
def practices_submit(practice_id: int):
    services.submit_practice(db.session, practice_id=practice_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _answer(practice_id)


@operation(bp.post, "/practices/<int:practice_id>/publish", tag=TAG, body=CommentRequest, body_required=False,
           summary="Publish a practice (organisers and admins)", errors=[403, 409],
           replies={200: Reply("The practice, now published.", PracticeOut)})
def practices_publish(practice_id: int):
    services.publish_practice(db.session, practice_id=practice_id, actor_id=api_user().id, now=utcnow(),
                              comment=json_body().get("comment") or "")
    db.session.commit()
    return _answer(practice_id)


@operation(bp.post, "/practices/<int:practice_id>/return", tag=TAG, body=ReturnRequest,
           summary="Return a practice to its author with a comment (organisers and admins; emailed)",
           errors=[403, 409], replies={200: Reply("The practice, now returned.", PracticeOut)})
def practices_return(practice_id: int):
    services.return_practice(db.session, practice_id=practice_id, actor_id=api_user().id, now=utcnow(),
                             comment=json_body()["comment"], base_url=_base_url(),
                             network_name=current_app.config["NETWORK_NAME"])
    db.session.commit()
    return _answer(practice_id)


@operation(bp.post, "/practices/<int:practice_id>/archive", tag=TAG, body=CommentRequest, body_required=False,
           summary="Archive a practice (organisers, admins, or its editors withdrawing it)", errors=[403, 409],
           replies={200: Reply("The practice, now archived.", PracticeOut)})
def practices_archive(practice_id: int):
    services.archive_practice(db.session, practice_id=practice_id, actor_id=api_user().id, now=utcnow(),
                              comment=json_body().get("comment") or "")
    db.session.commit()
    return _answer(practice_id)


@operation(bp.post, "/practices/<int:practice_id>/interest", tag=TAG, body=InterestRequest, body_required=False,
           summary="We want to try this: register your organisation's interest (again: update the note)",
           errors=[409], replies={200: Reply("Your organisation's registration.", InterestOut)})
def practices_interest(practice_id: int):
    interest = services.register_interest(db.session, practice_id=practice_id, user_id=api_user().id,
                                          note=json_body().get("note") or "", now=utcnow())
    db.session.commit()
    return respond(InterestOut, {
        "practice_id": interest.practice_id, "organisation_id": interest.organisation_id, "note": interest.note,
        "created_at": interest.created_at.isoformat(),
        "interest_count": services.interest_count(db.session, interest.practice_id)})


@operation(bp.delete, "/practices/<int:practice_id>/interest", tag=TAG,
           summary="Withdraw your organisation's interest", replies={204: Reply("Done; no content.")})
def practices_interest_withdraw(practice_id: int):
    services.withdraw_interest(db.session, practice_id=practice_id, user_id=api_user().id, now=utcnow())
    db.session.commit()
    return "", 204


def _upload(practice_id: int, kind: str):
    upload = g.api_files["file"]
    form = g.api_body
    limit_key = "PRACTICE_DOCUMENT_MAX_BYTES" if kind == "document" else "PRACTICE_IMAGE_MAX_BYTES"
    limit = current_app.config[limit_key]
    try:
        data = upload.stream.read(limit + 1)  # one byte more than allowed is enough to refuse it
    finally:
        upload.close()  # a large upload is spooled to a temporary file: give it back now
    if not isinstance(data, bytes):
        raise ValidationFailed("practice.file.empty", field="file")
    item = services.add_file(db.session, practice_id=practice_id, kind=kind, filename=upload.filename or "",
                             data=data, caption=form.get("caption") or "", credit=form.get("credit") or "",
                             actor_id=api_user().id, now=utcnow(), storage_dir=current_app.config[
                                 "PRACTICE_STORAGE_DIR"], max_bytes=limit)
    db.session.commit()
    return item


@operation(bp.post, "/practices/<int:practice_id>/documents", tag=TAG, form=FileUpload, errors=[403],
           summary="Attach a PDF document (judged by its content; at most 10 MB by default)",
           replies={201: Reply("The document.", DocumentOut)})
def practices_document_add(practice_id: int):
    item = _upload(practice_id, "document")
    return respond(DocumentOut, document_json(item, _base_url()), 201)


@operation(bp.post, "/practices/<int:practice_id>/images", tag=TAG, form=FileUpload, errors=[403],
           summary="Attach a JPEG, PNG or WebP image (re-encoded without metadata; at most 5 MB by default)",
           replies={201: Reply("The image.", ImageOut)})
def practices_image_add(practice_id: int):
    item = _upload(practice_id, "image")
    return respond(ImageOut, image_json(item, _base_url()), 201)

