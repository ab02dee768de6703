"""JSON API routes of one's data and of invitations (registered on app.apikit.bp): the same services as the
pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import current_app
from pydantic import Field
from typing_extensions import TypedDict

from app.account import (
    data_messages,  # noqa: F401  (the reasons raised here)
    invitations,
)
from app.account.invitations import NAME_MAX
from app.account.views_data import data_download
from app.apikit import bp
from app.apikit.auth import api_user, json_body, token_required
from app.apikit.contract import Body, Reply, Text, operation, respond
from app.extensions import db
from app.language import LANGUAGES
from app.sqltypes import utcnow


class AccountData(TypedDict):
    """Everything the platform holds about the caller; sections of packages that register an exporter too
    (messages, interests)."""

    format_version: int
    exported_at: str
    account: dict[str, Any]
    profile: dict[str, Any] | None
    enrolments: Annotated[list[dict[str, Any]], Field(description="Each with its attendance.")]
    learning: Annotated[dict[str, Any], Field(
        description="programmes, module_completions, submissions, programme_completions.")]
    certificates: list[dict[str, Any]]
    practices: dict[str, Any]
    organising: dict[str, Any]
    invitations: list[dict[str, Any]]
    api_tokens: Annotated[list[dict[str, Any]], Field(description="Names and prefixes, never secrets.")]
    messages: Annotated[list[dict[str, Any]], Field(description="Messages sent and received through the "
                                                                "platform; the other side by name only.")]
    interests: Annotated[dict[str, Any], Field(description="What the person follows and how often their "
                                                           "digest comes.")]


class InvitationRequest(Body):
    email: Text(254, min_length=3, description="The invitee's address; an existing account is enrolled directly.")
    name: Text(NAME_MAX, description="How the invitation greets them.") = None
    language: Literal[tuple(LANGUAGES)] = Field(
        default="en", description="The invitation email's language (the invitee has no account, so no language "
                                  "of their own yet); English unless given.")


class InvitationOut(TypedDict):
    outcome: Annotated[Literal["invited", "enrolled"], Field(
        description="`invited`: an email with a one-time link went out; `enrolled`: the address has an account "
                    "and was enrolled directly (they hear it by the usual enrolment email).")]
    email: str
    status: Annotated[str | None, Field(description="The enrolment's status when `enrolled` into an event.")]


@operation(bp.get, "/me/data", tag="Account", summary="Everything the platform holds about you, as a JSON download",
           replies={200: Reply("A file (Content-Disposition: attachment).", AccountData)})
@token_required
def me_data():
    return data_download(api_user().id)


def _invite(**target):
    body = json_body()
    result = invitations.invite(
        db.session, inviter_id=api_user().id, email=body["email"], name=body.get("name") or "",
        language=body.get("language") or "en", base_url=current_app.config["BASE_URL"],
        network=current_app.config.get("NETWORK_NAME", "Connective Cities"),
        secret_key=current_app.config["SECRET_KEY"], now=utcnow(),
        max_age=current_app.config.get("INVITATION_MAX_AGE", invitations.DEFAULT_MAX_AGE), **target)
    db.session.commit()
    status = result.enrolment.status if result.enrolment is not None else None
    return respond(InvitationOut, {"outcome": result.outcome, "email": result.email, "status": status}, 201)


@operation(bp.post, "/events/<int:event_id>/invitations", tag="Enrolments",
           summary="Invite someone by email to an event (its organisers)", body=InvitationRequest,
           errors=[403, 404, 409, 503], replies={201: Reply("Invited, or enrolled directly.", InvitationOut)})
@token_required
def invite_to_event(event_id: int):
    return _invite(event_id=event_id)


@operation(bp.post, "/programmes/<int:programme_id>/invitations", tag="Programmes",
           summary="Invite someone by email to a programme (its organisers)", body=InvitationRequest,
           errors=[403, 404, 409], replies={201: Reply("Invited, or joined directly.", InvitationOut)})
@token_required
def invite_to_programme(programme_id: int):
    return _invite(programme_id=programme_id)
