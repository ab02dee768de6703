"""`flask certificates issue|export|due`: bulk issuing with a progress bar, and a streaming ZIP export."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.certificates import services as svc
from app.certificates.i18n import LANGUAGES
from app.errors import DomainError
from app.extensions import db
from app.sqltypes import utcnow

certificates_cli = AppGroup("certificates", help="Certificates of attendance and completion.")


def _settings() -> svc.CertificateSettings:
    return svc.CertificateSettings.from_config(current_app.config)


def _one_target(event_id: int | None, programme_id: int | None) -> None:
    if (event_id is None) == (programme_id is None):
        raise click.UsageError("Give exactly one of --event ID or --programme ID.")


@certificates_cli.command("issue")
@click.option("--event", "event_id", type=int, help="Issue to everyone eligible in this event.")
@click.option("--programme", "programme_id", type=int, help="Issue to everyone who completed this programme.")
@click.option("--language", type=click.Choice(LANGUAGES),
              help="The certificates' language (default: each holder's own).")
def issue(event_id: int | None, programme_id: int | None, language: str | None) -> None:
    """Issue certificates to everyone eligible (idempotent), with a progress bar and a summary line."""
    _one_target(event_id, programme_id)
    session = db.session
    now = utcnow()
    try:
        if event_id is not None:
            _, candidates = svc.event_candidates(session, event_id=event_id, now=now)
        else:
            _, candidates = svc.programme_candidates(session, programme_id=programme_id)
        due = sum(1 for c in candidates if c.eligible)
        with click.progressbar(length=due, label="Issuing certificates", show_pos=True) as bar:
            def advance(_certificate) -> None:
                bar.update(1)

            if event_id is not None:
                report = svc.issue_event_certificates(session, event_id=event_id, actor_id=None, now=now,
                                                      settings=_settings(), progress=advance, language=language)
            else:
                report = svc.issue_programme_certificates(session, programme_id=programme_id, actor_id=None,
                                                          now=now, settings=_settings(), progress=advance,
                                                          language=language)
        session.commit()
    except DomainError as exc:
        session.rollback()
        raise click.ClickException(exc.message_for()) from exc
    reasons: dict[str, int] = {}
    for _, reason in report.skipped:
        key = str(reason).split(" (")[0].split(";")[0]
        reasons[key] = reasons.get(key, 0) + 1
    detail = "; ".join(f"{count}× {reason}" for reason, count in sorted(reasons.items()))
    click.echo(f"Issued {len(report.issued)} certificate(s), skipped {len(report.skipped)}"
               + (f" ({detail})" if detail else "") + ".")


@certificates_cli.command("export")
@click.option("--event", "event_id", type=int, help="Export this event's certificates.")
@click.option("--programme", "programme_id", type=int, help="Export this programme's certificates.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The ZIP file to write.")
@click.option("--include-revoked", is_flag=True, help="Also export revoked certificates.")
def export(event_id: int | None, programme_id: int | None, out_path: str, include_revoked: bool) -> None:
    """Write every certificate's PDF into a ZIP, one at a time (memory stays flat however many)."""
    _one_target(event_id, programme_id)
    tmp_path = out_path + ".part"
    try:
        total = svc.count_certificates(db.session, event_id=event_id, programme_id=programme_id,
                                       include_revoked=include_revoked)
        with open(tmp_path, "wb") as out, click.progressbar(length=total, label="Exporting", show_pos=True) as bar:
            count = svc.export_certificates_zip(
                db.session, out=out, event_id=event_id, programme_id=programme_id,
                include_revoked=include_revoked, now=utcnow(), settings=_settings(),
                progress=lambda _code: bar.update(1),
            )
        os.replace(tmp_path, out_path)
    except DomainError as exc:
        raise click.ClickException(exc.message_for()) from exc
    finally:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
    click.echo(f"Wrote {count} certificate(s) to {out_path}.")


@certificates_cli.command("due")
def due() -> None:
    """Issue what the scheduler would: events that ended an hour ago and programme completions."""
    report = svc.issue_due_certificates(db.session, now=utcnow(), settings=_settings())
    db.session.commit()
    click.echo(f"Issued {len(report.issued)} certificate(s).")


def register(app: Flask) -> None:
    """Add this package's commands to the app's CLI."""
    app.cli.add_command(certificates_cli)
