"""Scheduled jobs (APScheduler 3): mail delivery, reminders, offers, certificates, digests."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from app.jobs import views  # noqa: E402,F401
