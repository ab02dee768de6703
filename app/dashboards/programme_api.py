"""GET /api/v1/programmes/<id>/stats: the programme dashboard's figures for its organisers (and admins)."""

from __future__ import annotations

from app.apikit import bp
from app.apikit.auth import api_user
from app.apikit.contract import Reply, operation, respond
from app.dashboards import programme_stats as stats
from app.dashboards.programme_schemas import ProgrammeStatsOut
from app.extensions import db


def stats_json(figures: stats.ProgrammeStats) -> ProgrammeStatsOut:
    return {
        "programme_id": figures.programme_id,
        "participants": figures.participants,
        "completed": figures.completed,
        "median_days_to_complete": figures.median_days_to_complete,
        "submissions_waiting": figures.submissions_waiting,
        "modules": [{
            "module_id": m.module_id, "title": m.title, "position": m.position, "completion": m.completion,
            "required": m.is_required, "started": m.started, "completed": m.completed, "continued": m.continued,
            "submissions_waiting": m.submissions_waiting,
        } for m in figures.modules],
        "completions_over_time": [{"date": d.day.isoformat(), "count": d.count, "cumulative": d.cumulative}
                                  for d in figures.completions_over_time],
    }


@operation(bp.get, "/programmes/<int:programme_id>/stats", tag="Programmes", errors=[403, 404],
           summary="How a programme is doing: people per module, where they stop, completions (its organisers)",
           replies={200: Reply("The programme dashboard's figures.", ProgrammeStatsOut)})
def programmes_stats(programme_id: int):
    programme = stats.managed_programme(db.session, programme_id=programme_id, actor_id=api_user().id)
    return respond(ProgrammeStatsOut, stats_json(stats.programme_stats(db.session, programme_id=programme.id)))
