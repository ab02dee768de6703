"""Calendars: .ics files, subscription feeds and email invitations (iTIP)."""

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

from app.calendar import views  # noqa: E402,F401
