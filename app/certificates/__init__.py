"""Certificates of attendance and completion: issuing, PDF rendering and public verification."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)

from app.certificates import views  # noqa: E402,F401
