"""Catalogue entries of scheduled jobs: the reasons raised and the sentences the jobs page and CLI show."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "jobs.unknown": msg("No job called %(name)r; the jobs are: %(jobs)s."),
    "jobs.unknown_in_cli": msg("No job called %(name)r. The jobs are: %(jobs)s."),
    "jobs.heartbeat_not_from_page": msg(
        "The heartbeat comes from a running scheduler process; it cannot be run from this page."),
    # result: the job's own one-line report
    "jobs.outcome": msg("%(name)s: %(result)s"),
})
