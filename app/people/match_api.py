"""POST /api/v1/match: finding peers for a challenge (registered on app.apikit.bp), the page's ranking as JSON."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale

from app.apikit import bp
from app.apikit.auth import api_user, json_body
from app.apikit.contract import Reply, operation, respond
from app.extensions import db
from app.language import translator
from app.people import matching
from app.people.match_queries import find_matches, topic_choices
from app.people.match_schemas import MatchList, MatchRequest


@operation(bp.post, "/match", tag="Peers", public=True, body=MatchRequest, body_required=False,
           summary="Find practices, organisations and people that faced a challenge like yours",
           description=(
               "Ranked by points: each shared SDG target 4, each shared topic 3, the same sub-region 2 (only the "
               "same continent 1), a city of the same size band 2, each shared language 1 (people: spoken; "
               "practices: written in), the free text found by the site search 3, a practice presented at an "
               "event 1. Equal scores: practices, organisations, then people; then by id. At most "
               f"{matching.MAX_RESULTS} results. People: public profiles, and members-only ones with a token. "
               "Nothing selected is a 422."),
           replies={200: Reply("The best matches with their reasons.", MatchList)})
def match():
    data = json_body()
    challenge = matching.parse_challenge(data, known_topics=[t.slug for t in topic_choices(db.session)])
    found = find_matches(db.session, challenge, signed_in=api_user() is not None)
    t = translator(str(get_locale() or "en"))
    base = current_app.config["BASE_URL"].rstrip("/")
    return respond(MatchList, {"items": [
        {"type": m.kind, "id": m.id, "title": m.title, "score": m.score, "url": base + m.url,
         "reasons": [matching.reason_json(reason, t) for reason in m.reasons]} for m in found]})
