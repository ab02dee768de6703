"""People: practitioner profiles, contact without exposing addresses, finding peers (issue 14)."""

from flask import Blueprint

bp = Blueprint("people", __name__)
