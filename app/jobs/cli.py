"""`flask scheduler run`, `flask jobs list`, `flask jobs run NAME`; starts the scheduler inside `flask run`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db
from app.sqltypes import utcnow

scheduler_cli = AppGroup("scheduler", help="The job scheduler (APScheduler).")
jobs_cli = AppGroup("jobs", help="Scheduled jobs: list them, run one now.")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the scheduler in this process until interrupted (production: its own process)."""
    from app.jobs.scheduler import run_blocking

    run_blocking(current_app._get_current_object())


@jobs_cli.command("list")
def jobs_list() -> None:
    """Each job with its schedule, last run and last result."""
    from app.jobs.services import format_age, heartbeat_status, job_statuses

    now = utcnow()
    rows = [("job", "schedule", "last run", "last result", "next run")]
    for status in job_statuses(db.session, now=now):
        last = status.last_run
        if last is None:
            last_run, result = "never", ""
        else:
            last_run = f"{last.started_at:%Y-%m-%d %H:%M:%S} UTC"
            result = f"error: {last.error}" if last.error else (last.result or "")
        if status.lease is not None:
            next_run = f"running in {status.lease.holder}"
        elif status.next_run is None:
            next_run = "when the scheduler starts"
        else:
            next_run = f"{status.next_run:%Y-%m-%d %H:%M:%S} UTC"
        rows.append((status.name, status.spec.schedule, last_run, result[:70], next_run))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    beat = heartbeat_status(db.session, now=now)
    state = "running" if beat.is_running else "NOT running"
    click.echo(f"\nScheduler {state} (last heartbeat: {format_age(beat.age)}{' ago' if beat.age else ''}).")


@jobs_cli.command("run")
@click.argument("name")
def jobs_run(name: str) -> None:
    """Run the job NAME once, now, under its lease (for cron-style deployments and tests)."""
    from app.errors import render_message
    from app.jobs import messages  # noqa: F401  (the sentences printed here)
    from app.jobs.jobs import JOBS
    from app.jobs.services import run_job

    if name not in JOBS:
        raise click.UsageError(render_message("jobs.unknown_in_cli", {"name": name, "jobs": ", ".join(JOBS)}))
    outcome = run_job(db.session, name, now=utcnow(), config=current_app.config)
    click.echo(str(outcome))
    if outcome.status == "error":
        raise SystemExit(1)


def register(app: Flask) -> None:
    """Add this package's commands to the app's CLI; start the embedded scheduler under `flask run`."""
    from app.jobs.scheduler import start_embedded_scheduler

    app.cli.add_command(scheduler_cli)
    app.cli.add_command(jobs_cli)
    start_embedded_scheduler(app)
