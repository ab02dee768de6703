"""APScheduler 3: `flask scheduler run` (its own process) and the scheduler embedded in `flask run`.

Every firing opens an app context and goes through run_job (lease, commit, record), so several
scheduler processes at once never duplicate work. max_instances=1 and coalesce=True keep one
process from piling up runs; each job also runs once right at start, catching up after downtime.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import threading
from datetime import timedelta

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app.jobs.jobs import JOBS
from app.sqltypes import utcnow

log = logging.getLogger(__name__)

EMBEDDED_FIRST_RUN_DELAY = 5  # seconds
_embedded: BackgroundScheduler | None = None
_embedded_lock = threading.Lock()
_embedded_app: Flask | None = None


def execute(app: Flask, name: str) -> None:
    """One firing of a job: an app context, run_job (lease, commit, record), a clean session after."""
    from app.extensions import db
    from app.jobs.services import run_job

    with app.app_context():
        try:
            outcome = run_job(db.session, name, now=utcnow(), config=app.config)
            level = logging.WARNING if outcome.status == "error" else logging.DEBUG
            log.log(level, "%s", outcome)
        except Exception:  # the database may be away; the next firing tries again
            db.session.rollback()
            log.exception("job %s could not run", name)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, scheduler_cls: type[BaseScheduler], *, first_run_delay: float = 0) -> BaseScheduler:
    """A scheduler with every job: max_instances=1, coalesced, first run now (or after a delay)."""
    # APScheduler logs every firing at INFO; our runner logs failures, and job_run records every run
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = scheduler_cls(
        timezone="UTC",
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    start = utcnow() + timedelta(seconds=first_run_delay)
    for spec in JOBS.values():
        scheduler.add_job(execute, trigger=spec.make_trigger(), args=[app, spec.name], id=spec.name,
                          name=spec.name, next_run_time=start, replace_existing=True,
                          max_instances=1, coalesce=True, misfire_grace_time=None)
    return scheduler


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)


def run_blocking(app: Flask) -> None:
    """`flask scheduler run`: run every job on its schedule until Ctrl+C or SIGTERM."""
    scheduler = build_scheduler(app, BlockingScheduler)
    # systemd, docker and supervisord stop with SIGTERM, which would otherwise kill the process on the
    # spot; as SystemExit it stops like Ctrl+C: running jobs finish and give their leases back
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    click.echo(f"Scheduler running {len(JOBS)} jobs ({', '.join(JOBS)}); Ctrl+C to stop.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        _sign_off(app)
        signal.signal(signal.SIGTERM, previous)
        click.echo("Scheduler stopped.")


def should_start_embedded(app: Flask, *, environ=os.environ) -> bool:
    """True only inside the process that serves `flask run`, and only once under the reloader.

    Needs SCHEDULER_ENABLED (development turns it on; testing and production do not). Other flask
    commands (db upgrade, seed-demo ...) and gunicorn workers never start one.
    """
    if not app.config.get("SCHEDULER_ENABLED") or app.config.get("TESTING"):
        return False
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.command is None or ctx.command.name != "run":
        return False
    reload = ctx.params.get("reload")
    if reload is None:  # flask run's default: reload when debugging
        from flask.helpers import get_debug_flag

        reload = get_debug_flag()
    # with the reloader, the parent only watches files; the child (WERKZEUG_RUN_MAIN) serves
    return environ.get("WERKZEUG_RUN_MAIN") == "true" if reload else True


def start_embedded_scheduler(app: Flask) -> BackgroundScheduler | None:
    """Start the background scheduler in this process if it should run here (at most one per process)."""
    global _embedded, _embedded_app
    if not should_start_embedded(app):
        return None
    with _embedded_lock:
        if _embedded is None:
            # create_app is still running: let it finish (templates, filters) before the first runs
            _embedded = build_scheduler(app, BackgroundScheduler, first_run_delay=EMBEDDED_FIRST_RUN_DELAY)
            _embedded_app = app
            _embedded.start()
            atexit.register(_stop_embedded)
            log.info("scheduler started inside the development server (pid %s)", os.getpid())
    return _embedded


def _stop_embedded() -> None:
    global _embedded, _embedded_app
    if _embedded is not None and _embedded.running:
        _embedded.shutdown(wait=False)
        _sign_off(_embedded_app)
    _embedded = None


def _sign_off(app: Flask | None) -> None:
    """Remove this process's heartbeat on a clean stop (best effort: the database may be gone)."""
    if app is None:
        return
    from app.extensions import db
    from app.jobs.jobs import sign_off

    try:
        with app.app_context():
            sign_off(db.session)
            db.session.commit()
    except Exception:  # noqa: BLE001 - stopping must never fail; a stale heartbeat only ages out
        log.warning("could not remove the scheduler heartbeat on stop", exc_info=True)
