"""Organisation profiles: the directory of member cities and partners, and each one's public profile (what it
published, hosted and learnt in the network). Above the domains it reads (directory, events, learning,
practices), so it lives in its own package rather than in app.directory."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)

from app.organisations import views  # noqa: E402,F401
