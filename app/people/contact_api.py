"""JSON API of messages between members (registered on app.apikit.bp): the same services as the pages."""

from __future__ import annotations

from flask import g

from app.apikit import bp
from app.apikit.auth import api_user, json_body
from app.apikit.contract import Reply, operation, path_parameter, respond
from app.extensions import db
from app.people import contact as services
from app.people.contact_links import links, origin_url, settings
from app.people.contact_schemas import MessageFilters, MessageOut, MessagePage, MessageRequest
from app.sqltypes import utcnow

path_parameter("user_id", "A person's (user) id.")

TAG = "Messages"


@operation(bp.post, "/people/<int:user_id>/messages", tag=TAG, body=MessageRequest, errors=[403, 429],
           summary="Write to a person; the platform emails them (Reply-To: you), their address stays hidden",
           description=("404: unknown person or profile not visible to you (hidden); 403: contact switched off, "
                        "yourself, your contact suspended, or an account younger than a day not invited by an "
                        "organiser; 429: past the daily limit of messages (PEOPLE_DAILY_MESSAGE_LIMIT)."),
           replies={201: Reply("The message as sent.", MessageOut)})
def messages_send(user_id: int):
    data = json_body()
    user = api_user()
    practice_id = data.get("practice_id")
    message = services.send_message(
        db.session, sender_id=user.id, recipient_id=user_id, subject=data["subject"], text=data["text"],
        now=utcnow(), settings=settings(), links=links(), origin_url=origin_url(user_id, practice_id),
        practice_id=practice_id)
    db.session.commit()
    return respond(MessageOut, services.message_json(
        services.MessageRow(message=message, direction="sent", reported=False)), 201)


@operation(bp.get, "/me/messages", tag=TAG, query=MessageFilters,
           summary="The messages you sent and received, newest first (each with its direction)",
           replies={200: Reply("A page of messages.", MessagePage)})
def messages_mine():
    query = g.api_query
    rows, total = services.list_messages(db.session, user_id=api_user().id, page=query.page,
                                         per_page=query.per_page)
    return respond(MessagePage, {"items": [services.message_json(row) for row in rows], "total": total,
                                 "page": query.page, "per_page": query.per_page})
