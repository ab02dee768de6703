"""Application factory: reads like a table of contents and does no database work."""

from __future__ import annotations

import logging
import os

from flask import Flask

from config import Config, config_from_env


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the Flask application for a configuration class (or a dict of overrides for tests)."""
    app = Flask(__name__, instance_path=os.path.join(os.path.dirname(os.path.dirname(__file__)), "instance"))
    if config is None or isinstance(config, dict):
        config_cls = config_from_env()
        config_cls.validate()
        app.config.from_object(config_cls)
        if isinstance(config, dict):
            app.config.update(config)
    else:
        config.validate()
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    register_converters(app)
    register_extensions(app)
    register_i18n(app)
    register_blueprints(app)
    register_receivers(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_host_check(app)
    register_health_check(app)
    return app


def register_converters(app: Flask) -> None:
    from app.converters import init_converters

    init_converters(app)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from app.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    if app.config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {}  # the socket timeouts are for Redis and the like
        if app.config.get("RATELIMIT_SHARED_STORAGE_REQUIRED") and app.config.get("RATELIMIT_ENABLED", True):
            logging.getLogger("app.ratelimit").error(
                "RATELIMIT_STORAGE_URI is memory://: each worker process counts login and registration "
                "attempts alone, so the limits let through several times as many; set it to a shared "
                "storage such as redis://127.0.0.1:6379"
            )
    limiter.init_app(app)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks and not any(
        app.config.get(name) for name in ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
    ):
        # Every limit is declared on the view it guards, and those decorators check it themselves; with no
        # default, application or meta limit the per-request hook only finds nothing to do (23% of /healthz).
        hooks.remove(limiter._check_request_limit)

    from app.session_cookie import CachedSerializerSessionInterface

    app.session_interface = CachedSerializerSessionInterface()

    from app.auth.login import init_login

    init_login(app)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from app.dbsetup import enable_sqlite_pragmas

        with app.app_context():
            enable_sqlite_pragmas(db.engine)


def register_i18n(app: Flask) -> None:
    from app.i18n import init_i18n

    init_i18n(app)


def register_blueprints(app: Flask) -> None:
    from app.account import bp as account_bp
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.calendar import bp as calendar_bp
    from app.certificates import bp as certificates_bp
    from app.dashboards import bp as dashboards_bp
    from app.events import bp as events_bp
    from app.extensions import csrf
    from app.jobs import bp as jobs_bp
    from app.learning import bp as learning_bp
    from app.mail import bp as mail_bp
    from app.main import bp as main_bp
    from app.map import bp as map_bp
    from app.organisations import bp as organisations_bp
    from app.people import bp as people_bp
    from app.people.contact_views import bp as contact_bp
    from app.practices import bp as practices_bp
    from app.search import bp as search_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(practices_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(map_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(contact_bp)
    app.register_blueprint(account_bp)
    csrf.exempt(api_bp)  # the API authenticates with Bearer tokens only, never cookies
    app.register_blueprint(api_bp)


def register_receivers(app: Flask) -> None:
    """Every reaction to a domain event (emails, invitations, learning progress, certificates), listed in
    app/receivers.py."""
    from app.receivers import register_receivers as register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.calendar.cli import register as register_calendar
    from app.certificates.cli import register as register_certificates
    from app.demo import seed_demo_command
    from app.jobs.cli import register as register_jobs
    from app.mail.cli import mail_cli
    from app.search.cli import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(search_cli)
    register_calendar(app)
    register_certificates(app)
    register_jobs(app)


def register_host_check(app: Flask) -> None:
    from app.hosts import init_host_check

    init_host_check(app)


def register_health_check(app: Flask) -> None:
    """GET/HEAD /healthz answered in front of the Flask request stack (app/main/health.py)."""
    from app.main.health import init_health_check

    init_health_check(app)


def register_template_helpers(app: Flask) -> None:
    from app.charts.web import init_charts
    from app.security import init_security_headers
    from app.templating import init_templating

    init_templating(app)
    init_charts(app)
    init_security_headers(app)
