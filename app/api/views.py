"""API basics: the caller, topics and organisations."""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.api.auth import api_user, load_api_user, token_required
from app.auth.models import User
from app.directory.services import list_organisations, list_topics
from app.extensions import db, limiter

bp.before_request(load_api_user)


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def user_json(user: User) -> dict:
    from app.calendar.services import feed_urls  # the calendar package owns feed URLs

    data = {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": (
            {"id": user.organisation.id, "name": user.organisation.name} if user.organisation else None
        ),
        "country": user.country,
        "timezone": user.timezone,
        "language": user.language,
    }
    data["calendar_feed_url"] = feed_urls(user)["feed_url"] if user.calendar_token else None
    return data


@bp.get("/me")
@token_required
def me():
    return jsonify(user_json(api_user()))


@bp.get("/topics")
@limiter.exempt
def topics():
    return jsonify(
        {"items": [{"id": t.id, "slug": t.slug, "name": t.name, "description": t.description}
                   for t in list_topics(db.session)]}
    )


@bp.get("/organisations")
def organisations():
    return jsonify(
        {"items": [
            {"id": o.id, "name": o.name, "kind": o.kind, "city": o.city, "country": o.country,
             "website": o.website}
            for o in list_organisations(db.session)
        ]}
    )
