"""Home page and /healthz."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template

from app.directory.services import list_topics
from app.events.services import upcoming_events_for_home
from app.extensions import db, limiter
from app.main import bp


@bp.get("/")
def index():
    upcoming = upcoming_events_for_home(db.session, limit=6)
    return render_template("main/index.html", topics=list_topics(db.session), upcoming=upcoming)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "database": "ok"})
