"""Outgoing mail: an outbox written in the caller's transaction, delivered by SMTP later; the admin outbox."""

from flask import Blueprint

bp = Blueprint("mail", __name__)

from app.mail import views  # noqa: E402,F401
