"""JSON API routes of the learning package (registered on app.apikit.bp), declared in app.apikit.contract terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.auth import api_user, json_body, role_required, token_required
from app.apikit.contract import (
    Body,
    Bool,
    DateTime,
    Id,
    Number,
    Query,
    Reply,
    Str,
    Text,
    Url,
    Whole,
    operation,
    path_parameter,
)
from app.apikit.shapes import PersonOut
from app.content_language import CONTENT_LANGUAGES, translations_json
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.learning import limits, services
from app.learning.models import (
    COMPLETION_KINDS,
    COMPLETION_SOURCES,
    PROGRAMME_STATUSES,
    SUBMISSION_STATUSES,
    Module,
    ModuleLink,
    Programme,
    Submission,
)
from app.sqltypes import utcnow

path_parameter("programme_id", "Programme id.")
path_parameter("module_id", "Module id.")
path_parameter("submission_id", "Submission id.")

# ---------------------------------------------------------------------------------------------------
# The contract

Hours = Annotated[float, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]
Completion = Literal[COMPLETION_KINDS]
ContentLanguage = Literal[CONTENT_LANGUAGES]
OriginalLanguage = Annotated[ContentLanguage, Field(description="The language the text is written in.")]
TRANSLATIONS_DOC = ("By language code (not the original language): each language given replaces that "
                    "translation, null removes it, languages not given stay.")


class ProgrammeTranslationOut(TypedDict):
    title: str
    summary: str
    description: str


class ModuleTranslationOut(TypedDict):
    title: str
    description: str
    objectives: str


class ModuleLinkOut(TypedDict):
    id: Id
    event_id: Id | None
    session_id: Id | None
    event_title: str | None
    session_title: str | None
    starts_at: DateTime | None


class ModuleOut(TypedDict):
    id: Id
    programme_id: Id
    position: Annotated[int, Field(ge=1)]
    title: str
    description: str
    objectives: str
    hours: Hours
    required: bool
    completion: Completion
    prerequisites: list[Id]
    links: list[ModuleLinkOut]
    archived: bool
    language: OriginalLanguage
    translations: Annotated[dict[ContentLanguage, ModuleTranslationOut], Field(description=(
        "Title, description and objectives in other languages, by language code."))]


class ModuleArchived(TypedDict):
    """People completed or submitted the module, so it was archived instead of deleted."""

    id: Id
    archived: Literal[True]
    message: str


class ProgrammeBriefOut(TypedDict):
    id: Id
    slug: str
    title: str
    summary: str
    status: Literal[PROGRAMME_STATUSES]
    topics: Annotated[list[str], Field(description="Topic slugs.")]
    total_hours: float
    url: Url
    language: OriginalLanguage
    translations: Annotated[dict[ContentLanguage, ProgrammeTranslationOut], Field(description=(
        "Title, summary and description in other languages, by language code."))]


class ProgrammeOut(ProgrammeBriefOut):
    description: str
    organisers: list[PersonOut]
    modules: Annotated[list[ModuleOut], Field(description="Active modules in order.")]
    created_at: DateTime
    published_at: DateTime | None


class ProgrammeList(TypedDict):
    items: list[ProgrammeOut]


class SubmissionOut(TypedDict):
    id: Id
    module_id: Id
    user_id: Id
    text: str
    link: Url | None
    status: Literal[SUBMISSION_STATUSES]
    submitted_at: DateTime
    reviewer_comment: str
    reviewed_at: DateTime | None


class ProgressModuleOut(TypedDict):
    id: Id
    title: str
    required: bool
    completion: Completion
    hours: float
    status: Literal["done", "submitted", "returned", "available", "locked"]
    completed_at: DateTime | None
    source: Literal[COMPLETION_SOURCES] | None
    retained_reason: Annotated[str | None, Field(description="Why a completion stays although its attendance "
                                                             "was undone.")]
    missing_prerequisites: list[Id]
    submission: SubmissionOut | None


class ProgrammeCompletionOut(TypedDict):
    completed_at: DateTime
    hours: float


class ProgressOut(TypedDict):
    programme: ProgrammeBriefOut
    user_id: Id
    joined: bool
    joined_at: DateTime | None
    modules: list[ProgressModuleOut]
    hours_done: float
    hours_total: float
    required_done: Count
    required_total: Count
    completion: ProgrammeCompletionOut | None


class ProgressList(TypedDict):
    items: list[ProgressOut]


class ProgrammeTranslationWrite(Body):
    """A translation of the programme's text; the title is required, the others default to empty."""

    title: Text(limits.TITLE_MAX, min_length=1)
    summary: Text(limits.SUMMARY_MAX) = None
    description: Text(limits.MAX_TEXT, description="Markdown.") = None


class ModuleTranslationWrite(Body):
    """A translation of the module's text; the title is required, the others default to empty."""

    title: Text(limits.TITLE_MAX, min_length=1)
    description: Text(limits.MAX_TEXT, description="Markdown.") = None
    objectives: Text(limits.MAX_TEXT, description="Learning objectives, Markdown.") = None


class ProgrammeWrite(Body):
    title: Text(limits.TITLE_MAX, min_length=1) = None
    summary: Text(limits.SUMMARY_MAX) = None
    description: Text(limits.MAX_TEXT, description="Markdown.") = None
    topics: Annotated[list[Str], Field(description="Topic slugs.")] = None
    organisers: Annotated[list[Id], Field(min_length=1, description="User ids of organiser or admin "
                                                                     "accounts.")] = None
    language: Annotated[ContentLanguage, Field(description="The language the text is written in (default en).")] = None
    translations: Annotated[dict[ContentLanguage, ProgrammeTranslationWrite | None],
                            Field(description=TRANSLATIONS_DOC)] = None


class ProgrammeCreate(ProgrammeWrite):
    """Created as a draft; the creator is its organiser by default."""

    title: Text(limits.TITLE_MAX, min_length=1)


class ProgrammeUpdate(ProgrammeWrite):
    """The fields to change (at least one)."""

    min_fields = 1


class ModuleWrite(Body):
    title: Text(limits.TITLE_MAX, min_length=1) = None
    description: Text(limits.MAX_TEXT, description="Markdown.") = None
    objectives: Text(limits.MAX_TEXT, description="Learning objectives, Markdown.") = None
    hours: Annotated[
        Annotated[Number, Field(ge=0, le=float(limits.MAX_HOURS))]
        | Annotated[Str, Field(pattern=r"^[0-9]{1,4}(\.[0-9]{1,2})?$")],
        Field(description="Estimated hours, a number or its decimal text.")] = None
    required: Annotated[Bool, Field(description="Optional modules add hours only.")] = None
    completion: Annotated[Completion, Field(description=(
        "event: attending a linked event or session completes it; self_study: an approved submission "
        "does."))] = None
    prerequisites: Annotated[list[Id], Field(description="Ids of modules of the same programme; cycles are "
                                                         "refused.")] = None
    position: Whole(ge=1, le=100_000, description="1-based place in the programme.") = None
    language: Annotated[ContentLanguage, Field(description="The language the text is written in (default en).")] = None
    translations: Annotated[dict[ContentLanguage, ModuleTranslationWrite | None],
                            Field(description=TRANSLATIONS_DOC)] = None


class ModuleCreate(ModuleWrite):
    title: Text(limits.TITLE_MAX, min_length=1)


class ModuleUpdate(ModuleWrite):
    """The fields to change (at least one)."""

    min_fields = 1


class LinkRequest(Body):
    """An event or one of its sessions, exactly one."""

    model_config = {"json_schema_extra": {"oneOf": [{"required": ["event_id"]}, {"required": ["session_id"]}]}}

    event_id: Id = None
    session_id: Id = None


class SubmissionRequest(Body):
    """Give a text, a link, or both."""

    text: Text(limits.MAX_SUBMISSION_TEXT, description="A short reflection.") = None
    link: Annotated[Annotated[Str, Field(max_length=limits.LINK_MAX)] | None,
                    Field(description="A link to the evidence.")] = None


class ProgressQuery(Query):
    user_id: Annotated[int, Field(ge=1, le=2_147_483_647, description="Organisers: the participant "
                                                                      "(default: the caller).")] = None


class ReviewRequest(Body):
    comment: Text(limits.MAX_SUBMISSION_TEXT, description="Required when returning a submission.") = None


def _hours(value: Decimal | None) -> float:
    return float(value or 0)


def _iso(value):
    return value.isoformat() if value is not None else None


def link_json(link: ModuleLink) -> ModuleLinkOut:
    event = link.event if link.event_id is not None else (link.session.event if link.session else None)
    return {
        "id": link.id,
        "event_id": event.id if event else None,
        "session_id": link.session_id,
        "event_title": event.title if event else None,
        "session_title": link.session.title if link.session_id is not None and link.session else None,
        "starts_at": _iso((link.session or event).starts_at) if event else None,
    }


def module_json(module: Module) -> ModuleOut:
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
        "language": module.language,
        "translations": translations_json(module, limits.MODULE_TRANSLATION_LIMITS),
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
        "language": programme.language,
        "translations": translations_json(programme, limits.PROGRAMME_TRANSLATION_LIMITS),
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


def progress_json(progress: services.ProgrammeProgress, user_id: int) -> ProgressOut:
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


def submission_json(submission: Submission) -> SubmissionOut:
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
        raise NotFound("learning.programme_not_found")
    return programme


# Programmes -----------------------------------------------------------------------------------------

@operation(bp.get, "/programmes", tag="Programmes", public=True,
           summary="Published programmes (and, with a token, the ones you organise)",
           replies={200: Reply("Programmes by title.", ProgrammeList)})
def programmes_list():
    user = api_user()
    items = services.list_programmes(db.session, viewer=user, include_managed=user is not None)
    return jsonify({"items": [programme_json(p) for p in items]})


@operation(bp.post, "/programmes", tag="Programmes", summary="Create a draft programme (organisers)",
           body=ProgrammeCreate, errors=[403, 409], replies={201: Reply("The new draft.", ProgrammeOut)})
@role_required("organiser")
def programmes_create():
    programme = services.create_programme(db.session, data=json_body(), created_by_id=api_user().id,
                                          now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme.id))), 201


@operation(bp.get, "/programmes/<int:programme_id>", tag="Programmes", summary="One programme with its modules",
           public=True, errors=[404], replies={200: Reply("The programme.", ProgrammeOut)})
def programmes_detail(programme_id: int):
    return jsonify(programme_json(_visible(programme_id)))


@operation(bp.patch, "/programmes/<int:programme_id>", tag="Programmes",
           summary="Change a programme (its organisers)", body=ProgrammeUpdate, errors=[403, 404, 409],
           replies={200: Reply("The programme.", ProgrammeOut)})
@token_required
def programmes_update(programme_id: int):
    services.update_programme(db.session, programme_id=programme_id, data=json_body(), actor_id=api_user().id,
                              now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme_id)))


@operation(bp.post, "/programmes/<int:programme_id>/publish", tag="Programmes",
           summary="Publish a programme (needs a required module)", errors=[403, 404, 409, 422],
           replies={200: Reply("The programme.", ProgrammeOut)})
@token_required
def programmes_publish(programme_id: int):
    services.publish_programme(db.session, programme_id=programme_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return jsonify(programme_json(services.load_programme(db.session, programme_id)))


@operation(bp.post, "/programmes/<int:programme_id>/modules", tag="Modules", summary="Add a module",
           body=ModuleCreate, errors=[403, 404, 409], replies={201: Reply("The new module.", ModuleOut)})
@token_required
def modules_create(programme_id: int):
    module = services.add_module(db.session, programme_id=programme_id, data=json_body(), actor_id=api_user().id,
                                 now=utcnow())
    db.session.commit()
    return jsonify(module_json(services.get_module(db.session, module.id))), 201


@operation(bp.patch, "/modules/<int:module_id>", tag="Modules", summary="Change a module (position moves it)",
           body=ModuleUpdate, errors=[403, 404, 409], replies={200: Reply("The module.", ModuleOut)})
@token_required
def modules_update(module_id: int):
    module = services.update_module(db.session, module_id=module_id, data=json_body(), actor_id=api_user().id,
                                    now=utcnow())
    db.session.commit()
    return jsonify(module_json(services.get_module(db.session, module.id)))


@operation(bp.delete, "/modules/<int:module_id>", tag="Modules",
           summary="Delete a module (archived instead once people used it)", errors=[403, 404, 409],
           replies={204: Reply("Done; no content."), 200: Reply("Archived, not deleted.", ModuleArchived)})
@token_required
def modules_delete(module_id: int):
    outcome = services.delete_module(db.session, module_id=module_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    if outcome == "deleted":
        return "", 204
    return jsonify({"id": module_id, "archived": True,
                    "message": _("People have completed or submitted this module, so it was archived.")})


@operation(bp.post, "/modules/<int:module_id>/links", tag="Modules",
           summary="Let a published event or one of its sessions teach the module", body=LinkRequest,
           errors=[403, 404, 409], replies={201: Reply("The link.", ModuleLinkOut)})
@token_required
def modules_link(module_id: int):
    data = json_body()
    unknown = sorted(set(data) - {"event_id", "session_id"})
    if unknown:
        raise ValidationFailed("learning.unknown_fields", field=unknown[0], names=", ".join(unknown))
    link = services.link_module(db.session, module_id=module_id, actor_id=api_user().id, now=utcnow(),
                                event_id=data.get("event_id"), session_id=data.get("session_id"))
    db.session.commit()
    return jsonify(link_json(db.session.get(ModuleLink, link.id))), 201


@operation(bp.post, "/programmes/<int:programme_id>/join", tag="Programmes", summary="Join a published programme",
           errors=[404, 409], replies={201: Reply("Joined now; your progress.", ProgressOut),
                                       200: Reply("Already joined; your progress.", ProgressOut)})
@token_required
def programmes_join(programme_id: int):
    user = api_user()
    already = services.participant(db.session, programme_id=programme_id, user_id=user.id) is not None
    services.join_programme(db.session, programme_id=programme_id, user_id=user.id, now=utcnow())
    db.session.commit()
    progress = services.programme_progress(db.session, programme_id=programme_id, user_id=user.id,
                                           viewer_id=user.id)
    return jsonify(progress_json(progress, user.id)), 200 if already else 201


@operation(bp.get, "/programmes/<int:programme_id>/progress", tag="Programmes",
           summary="Progress in a programme (yours; organisers: anyone's)", query=ProgressQuery,
           errors=[403, 404], replies={200: Reply("Modules with status, hours, completed_at, and the completion.",
                                                  ProgressOut)})
@token_required
def programmes_progress(programme_id: int):
    user = api_user()
    raw = request.args.get("user_id")
    user_id = user.id
    if raw not in (None, ""):
        try:
            user_id = int(raw)
        except ValueError as exc:
            raise ValidationFailed("learning.user_id_not_whole", field="user_id") from exc
    progress = services.programme_progress(db.session, programme_id=programme_id, user_id=user_id,
                                           viewer_id=user.id)
    return jsonify(progress_json(progress, user_id))


# Self-study -------------------------------------------------------------------------------------------

@operation(bp.post, "/modules/<int:module_id>/submissions", tag="Self-study", summary="Hand in self-study work",
           body=SubmissionRequest, errors=[403, 404, 409],
           replies={201: Reply("The submission, waiting for review.", SubmissionOut)})
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
        raise ValidationFailed("learning.comment_not_text", field="comment")
    return comment


@operation(bp.post, "/submissions/<int:submission_id>/approve", tag="Self-study",
           summary="Approve a submission (the programme's organisers)", body=ReviewRequest, body_required=False,
           errors=[403, 404, 409], replies={200: Reply("The approved submission; the module is done.",
                                                       SubmissionOut)})
@token_required
def submissions_approve(submission_id: int):
    submission = services.approve_submission(db.session, submission_id=submission_id, actor_id=api_user().id,
                                             now=utcnow(), comment=_comment())
    db.session.commit()
    return jsonify(submission_json(submission))


@operation(bp.post, "/submissions/<int:submission_id>/return", tag="Self-study",
           summary="Return a submission with a comment", body=ReviewRequest, errors=[403, 404, 409],
           replies={200: Reply("The returned submission.", SubmissionOut)})
@token_required
def submissions_return(submission_id: int):
    submission = services.return_submission(db.session, submission_id=submission_id, actor_id=api_user().id,
                                            comment=_comment(), now=utcnow())
    db.session.commit()
    return jsonify(submission_json(submission))


@operation(bp.get, "/me/programmes", tag="Programmes", summary="The caller's programmes with progress",
           replies={200: Reply("One progress per programme joined.", ProgressList)})
@token_required
def me_programmes():
    user = api_user()
    items = services.my_programmes(db.session, user_id=user.id, now=utcnow())
    return jsonify({"items": [progress_json(p, user.id) for p in items]})
