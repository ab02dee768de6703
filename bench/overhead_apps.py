"""The apps bench_overhead serves with gunicorn: a bare Flask (+ Flask-SQLAlchemy) baseline and ours.

gunicorn builds them in its workers from `bench.overhead_apps:bare()` / `bench.overhead_apps:ours()`;
the database URL comes from BENCH_OVERHEAD_DB (the parent process creates and fills the tables).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

BARE_ROWS = 1000
BARE_PER_PAGE = 50


class _BareBase(DeclarativeBase):
    pass


bare_db = SQLAlchemy(model_class=_BareBase)


class BareItem(bare_db.Model):
    __tablename__ = "bench_bare_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500))
    city: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2))
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


# what a plain list page looks like: a layout, a table, a pager
_TEMPLATES = {
    "base.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="/static/app.css"></head><body><nav><a href="/">Home</a></nav>
<main>{% block content %}{% endblock %}</main></body></html>""",
    "items.html": """{% extends "base.html" %}{% block title %}Items{% endblock %}{% block content %}
<h1>Items</h1><p>{{ page.total }} items</p><table><thead><tr><th>Title</th><th>When</th><th>Where</th></tr></thead><tbody>
{% for item in page.items %}<tr><td><a href="{{ url_for('item', item_id=item.id) }}">{{ item.title }}</a><br>{{ item.summary }}</td>
<td>{{ item.starts_at.strftime('%a %d %b %Y, %H:%M') }}</td><td>{{ item.city }} ({{ item.country }})</td></tr>
{% endfor %}</tbody></table>
{% if page.has_next %}<a href="{{ url_for('items', page=page.next_num) }}">Next</a>{% endif %}
{% endblock %}""",
}


def _database_url() -> str:
    return os.environ["BENCH_OVERHEAD_DB"]


def bare() -> Flask:
    """Hello-world at /hello; 50 of 1,000 rows at /items (HTML) and /items.json (JSON)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url()
    app.jinja_loader = DictLoader(_TEMPLATES)
    bare_db.init_app(app)

    @app.get("/hello")
    def hello():
        return "Hello, World!"

    def _page():
        stmt = sa.select(BareItem).order_by(BareItem.starts_at, BareItem.id)
        return bare_db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=BARE_PER_PAGE)

    @app.get("/items")
    def items():
        return render_template("items.html", page=_page())

    @app.get("/items.json")
    def items_json():
        page = _page()
        return jsonify({"items": [
            {"id": i.id, "title": i.title, "summary": i.summary, "city": i.city, "country": i.country,
             "starts_at": i.starts_at.isoformat(), "url": request.host_url + f"items/{i.id}"}
            for i in page.items
        ], "total": page.total, "page": page.page, "per_page": page.per_page})

    @app.get("/items/<int:item_id>")
    def item(item_id: int):
        return bare_db.get_or_404(BareItem, item_id).title

    return app


def seed_bare() -> None:
    """Create and fill the baseline's table (in the same database as ours)."""
    app = bare()
    with app.app_context():
        BareItem.__table__.drop(bare_db.engine, checkfirst=True)
        BareItem.__table__.create(bare_db.engine)
        start = datetime(2030, 1, 1, 9, tzinfo=UTC)
        bare_db.session.execute(sa.insert(BareItem), [
            {"title": f"Workshop {i}: circular economy", "summary": "Practitioners share what worked.",
             "city": "Leipzig", "country": "DE", "starts_at": start + timedelta(hours=i)}
            for i in range(BARE_ROWS)
        ])
        bare_db.session.commit()
        bare_db.engine.dispose()


def drop_bare() -> None:
    app = bare()
    with app.app_context():
        BareItem.__table__.drop(bare_db.engine, checkfirst=True)
        bare_db.engine.dispose()


def ours() -> Flask:
    """Our app as production runs it (rate limiter on, pool_pre_ping on), on the bench database."""
    from app import create_app
    from config import Config

    class Served(Config):
        SECRET_KEY = "bench-secret-key"
        SQLALCHEMY_DATABASE_URI = _database_url()
        BASE_URL = "http://bench.test"
        MAIL_SERVER = None
        SCHEDULER_ENABLED = False
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    return create_app(Served)
