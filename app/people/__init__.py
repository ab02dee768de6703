"""People: practitioner profiles, contact without exposing addresses, finding peers (issue 14)."""

from flask import Blueprint

bp = Blueprint("people", __name__)

from app.people import views, views_match  # noqa: E402,F401  (the pages and /match, registered on bp)
