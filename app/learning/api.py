"""JSON API routes of the learning package (registered on app.api.bp)."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app, jsonify, request

from app.api import bp
from app.api.auth import api_user, json_body, role_required, token_required
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.learning import services
from app.learning.models import Module, ModuleLink, Programme, Submission
from app.sqltypes import utcnow


def _hours(value: Decimal | None) -> float:
    return float(value or 0)


def _iso(value):
    return value.isoformat() if value is not None else None


def link_json(link: ModuleLink) -> dict:
    event = link.event if link.event_id is not None else (link.session.event if link.session else None)
    return {
        "id": link.id,
        "event_id": event.id if event else None,
        "session_id": link.session_id,
        "event_title": event.title if event else None,
        "session_title": link.session.title if link.session_id is not None and link.session else None,
        "starts_at": _iso((link.session or event).starts_at) if event else None,
    }


def module_json(module: Module) -> dict:
    return {
        "id": module.id,
        "programme_id": module.programme_id,
        "position": module.position + 1,
        "title": module.title,
        "description": module.description,
        "objectives": module.objectives,
        "hours": _hours(module.hours),
        "required": module.is_required,
        "completion": module.completion,
        "prerequisites": [p.id for p in module.prerequisites],
        "links": [link_json(link) for link in module.links],
        "archived": module.archived_at is not None,
    }


def programme_json(programme: Programme, *, brief: bool = False) -> dict:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    data = {
        "id": programme.id,
        "slug": programme.slug,
        "title": programme.title,
        "summary": programme.summary,
        "status": programme.status,
        "topics": [t.slug for t in programme.topics],
        "total_hours": _hours(programme.total_hours),
        "url": f"{base}/programmes/{programme.slug}",
    }
    if brief:
        return data
    data.update({
        "description": programme.description,
        "organisers": [{"id": u.id, "name": u.name} for u in programme.organisers],
        "modules": [module_json(m) for m in programme.active_modules],
        "created_at": _iso(programme.created_at),
        "published_at": _iso(programme.published_at),
    })
    return data


def progress_json(progress: services.ProgrammeProgress, user_id: int) -> dict:
    completion = progress.completion
    return {
        "programme": programme_json(progress.programme, brief=True),
        "user_id": user_id,
        "joined": progress.participant is not None,
        "joined_at": _iso(progress.participant.joined_at) if progress.participant else None,
        "modules": [{
            "id": item.module.id,
            "title": item.module.title,
            "required": item.module.is_required,
            "completion": item.module.completion,
            "hours": _hours(item.module.hours),
            "status": item.status,
            "completed_at": _iso(item.completed_at),
            "source": item.completion.source if item.completion else None,
            "retained_reason": item.completion.retained_reason if item.completion else None,
            "missing_prerequisites": [p.id for p in item.missing],
            "submission": submission_json(item.submission) if item.submission else None,
        } for item in progress.modules],
        "hours_done": _hours(progress.hours_done),
        "hours_total": _hours(progress.hours_total),
        "required_done": progress.required_done,
        "required_total": progress.required_total,
        "completion": (
            {"completed_at": _iso(completion.completed_at), "hours": _hours(completion.hours)}
            if completion else None
        ),
    }


def submission_json(submission: Submission) -> dict:
    return {
        "id": submission.id,
        "module_id": submission.module_id,
        "user_id": submission.user_id,
        "text": submission.text,
        "link": submission.link,
        "status": submission.status,
        "submitted_at": _iso(submission.submitted_at),
        "reviewer_comment": submission.reviewer_comment,
        "reviewed_at": _iso(submission.reviewed_at),
    }


def _visible(programme_id: int) -> Programme:
    programme = services.load_programme(db.session, programme_id)
    if not services.can_view(programme, api_user()):
        raise NotFound("No such programme.")
    return programme


# Programmes -----------------------------------------------------------------------------------------

@bp.get("/programmes")
def programmes_list():
    user = api_user()
    items = services.list_programmes(db.session, viewer=user, include_managed=user is not None)
    return jsonify({"items": [programme_json(p) for p in items]})


@bp.post("/programmes")
@role_required("organiser")
def programmes_create():
    programme = services.create_programme(db.session, data=json_body(), created_by_id=api_user().id,
                                          now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme.id))), 201


@bp.get("/programmes/<int:programme_id>")
def programmes_detail(programme_id: int):
    return jsonify(programme_json(_visible(programme_id)))


@bp.patch("/programmes/<int:programme_id>")
@token_required
def programmes_update(programme_id: int):
    services.update_programme(db.session, programme_id=programme_id, data=json_body(), actor_id=api_user().id,
                              now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme_id)))


@bp.post("/programmes/<int:programme_id>/publish")
@token_required
def programmes_publish(programme_id: int):
    services.publish_programme(db.session, programme_id=programme_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme_id)))


@bp.post("/programmes/<int:programme_id>/modules")
@token_required
def modules_create(programme_id: int):
    module = services.add_module(db.session, programme_id=programme_id, data=json_body(), actor_id=api_user().id,
                                 now=utcnow())
    db.session.commit()
    return jsonify(module_json(services.get_module(db.session, module.id))), 201


@bp.patch("/modules/<int:module_id>")
@token_required
def modules_update(module_id: int):
    module = services.update_module(db.session, module_id=module_id, data=json_body(), actor_id=api_user().id,
                                    now=utcnow())
    db.session.commit()
    return jsonify(module_json(services.get_module(db.session, module.id)))


@bp.delete("/modules/<int:module_id>")
@token_required
def modules_delete(module_id: int):
    outcome = services.delete_module(db.session, module_id=module_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    if outcome == "deleted":
        return "", 204
    return jsonify({"id": module_id, "archived": True,
                    "message": "People have completed or submitted this module, so it was archived."})


@bp.post("/modules/<int:module_id>/links")
@token_required
def modules_link(module_id: int):
    data = json_body()
    unknown = sorted(set(data) - {"event_id", "session_id"})
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
    link = services.link_module(db.session, module_id=module_id, actor_id=api_user().id, now=utcnow(),
                                event_id=data.get("event_id"), session_id=data.get("session_id"))
    db.session.commit()
    return jsonify(link_json(db.session.get(ModuleLink, link.id))), 201


@bp.post("/programmes/<int:programme_id>/join")
@token_required
def programmes_join(programme_id: int):
    user = api_user()
    already = services.participant(db.session, programme_id=programme_id, user_id=user.id) is not None
    services.join_programme(db.session, programme_id=programme_id, user_id=user.id, now=utcnow())
    db.session.commit()
    progress = services.programme_progress(db.session, programme_id=programme_id, user_id=user.id,
                                           viewer_id=user.id)
    return jsonify(progress_json(progress, user.id)), 200 if already else 201


@bp.get("/programmes/<int:programme_id>/progress")
@token_required
def programmes_progress(programme_id: int):
    user = api_user()
    raw = request.args.get("user_id")
    user_id = user.id
    if raw not in (None, ""):
        try:
            user_id = int(raw)
        except ValueError as exc:
            raise ValidationFailed("user_id must be a whole number.", field="user_id") from exc
    progress = services.programme_progress(db.session, programme_id=programme_id, user_id=user_id,
                                           viewer_id=user.id)
    return jsonify(progress_json(progress, user_id))


# Self-study -------------------------------------------------------------------------------------------

@bp.post("/modules/<int:module_id>/submissions")
@token_required
def submissions_create(module_id: int):
    data = json_body()
    submission = services.submit_work(db.session, module_id=module_id, user_id=api_user().id, now=utcnow(),
                                      text=data.get("text", ""), link=data.get("link"))
    db.session.commit()
    return jsonify(submission_json(submission)), 201


def _comment() -> str:
    data = json_body()
    comment = data.get("comment", "")
    if not isinstance(comment, str):
        raise ValidationFailed("The comment must be text.", field="comment")
    return comment


@bp.post("/submissions/<int:submission_id>/approve")
@token_required
def submissions_approve(submission_id: int):
    submission = services.approve_submission(db.session, submission_id=submission_id, actor_id=api_user().id,
                                             now=utcnow(), comment=_comment())
    db.session.commit()
    return jsonify(submission_json(submission))


@bp.post("/submissions/<int:submission_id>/return")
@token_required
def submissions_return(submission_id: int):
    submission = services.return_submission(db.session, submission_id=submission_id, actor_id=api_user().id,
                                            comment=_comment(), now=utcnow())
    db.session.commit()
    return jsonify(submission_json(submission))


@bp.get("/me/programmes")
@token_required
def me_programmes():
    user = api_user()
    items = services.my_programmes(db.session, user_id=user.id, now=utcnow())
    return jsonify({"items": [progress_json(p, user.id) for p in items]})
