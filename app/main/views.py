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
    # a pooled connection, not the ORM session: its set-up and teardown cost more than the check itself
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError as exc:
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "database": "ok"})
