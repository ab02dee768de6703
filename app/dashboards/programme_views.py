"""/programmes/<id>/dashboard: how a programme is doing, for its organisers (and admins), with a CSV per chart."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_skeleton
from flask import abort, render_template
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import organiser_required
from app.charts import Chart, Series
from app.charts.web import requested_csv
from app.dashboards import bp
from app.dashboards import programme_stats as stats
from app.errors import DomainError
from app.extensions import db
from app.i18n import PSEUDO_LOCALE, format_number, format_when
from app.sqltypes import utcnow

DAILY_UP_TO = 92  # days; a longer history is drawn by month


def _module_label(module: stats.ModuleStats) -> str:
    return f"{format_number(module.position)}. {module.title}"


def _month_label(day: date) -> str:
    locale = str(get_locale() or "en")
    locale = "en_GB" if locale in ("en", PSEUDO_LOCALE) else locale
    return format_skeleton("yMMM", day, locale=locale)


def _timeline(figures: stats.ProgrammeStats, today: date) -> tuple[list[str], list[int]]:
    """Cumulative completions from the first completion to today: by day, or by month for a long history."""
    days = figures.completions_over_time
    if not days:
        return [], []
    first, last = days[0].day, max(days[-1].day, today)
    by_day = {d.day: d.cumulative for d in days}
    labels, values, running = [], [], 0
    if (last - first).days <= DAILY_UP_TO:
        day = first
        while day <= last:
            running = by_day.get(day, running)
            labels.append(format_when(day, fmt="%d %b %Y"))
            values.append(running)
            day += timedelta(days=1)
        return labels, values
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        running = max((c for d, c in by_day.items() if d < following), default=running)
        labels.append(_month_label(month))
        values.append(running)
        month = following
    return labels, values


def programme_charts(figures: stats.ProgrammeStats, today: date) -> dict[str, Chart]:
    """The page's charts by key (the `?csv=` names), built from the service's figures."""
    modules = figures.modules
    labels = [_module_label(m) for m in modules]
    funnel = Chart(
        key="modules", kind="hbar", title=_("Participants per module"),
        categories=labels, category_header=_("Module"),
        series=(Series(label=_("Started"), values=[m.started for m in modules]),
                Series(label=_("Completed"), values=[m.completed for m in modules])),
        description=_("For each module in the programme's order: how many participants started it and how "
                      "many completed it."),
        empty_text=_("This programme has no modules yet."))
    steps = [m for m in modules if m.continued is not None]
    drop = Chart(
        key="drop", kind="stacked_hbar", title=_("Where people stop between modules"),
        categories=[_module_label(m) for m in steps], category_header=_("Completed module"),
        series=(Series(label=_("Went on to the next module"), values=[m.continued for m in steps]),
                Series(label=_("Have not started the next module"), values=[m.stopped for m in steps])),
        description=_("Of the participants who completed each module, how many started the next one."),
        empty_text=_("Nobody has completed a module that has a next one yet."))
    categories, values = _timeline(figures, today)
    completions = Chart(
        key="completions", kind="line", title=_("Programme completions over time"),
        categories=categories, category_header=_("Date"),
        series=(Series(label=_("Completed the programme (cumulative)"), values=values),),
        description=ngettext("%(num)s participant has completed the programme.",
                             "%(num)s participants have completed the programme.", figures.completed),
        empty_text=_("Nobody has completed this programme yet."))
    return {chart.key: chart for chart in (funnel, drop, completions)}


@bp.get("/programmes/<int:programme_id>/dashboard")
@organiser_required
def programme_dashboard(programme_id: int):
    try:
        programme = stats.managed_programme(db.session, programme_id=programme_id, actor_id=current_user.id)
    except DomainError:
        abort(404)  # as the programme's other organiser pages answer
    figures = stats.programme_stats(db.session, programme_id=programme.id)
    charts = programme_charts(figures, utcnow().date())
    download = requested_csv(charts.values(), f"programme-{programme.slug}")
    if download is not None:
        return download
    return render_template("dashboards/programme.html", programme=programme, figures=figures, charts=charts)
