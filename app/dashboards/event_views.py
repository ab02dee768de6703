"""The event dashboard page (/events/<id>/dashboard) for the event's organisers and admins, with a CSV of each
chart's numbers (?csv=<key>). The figures come from event_stats; this module only names and draws them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import organiser_required
from app.charts import Chart, Marker, Series
from app.charts.web import requested_csv
from app.dashboards import bp
from app.dashboards.event_stats import UNKNOWN, EventStats, event_stats
from app.directory.regions import region_name
from app.events import services
from app.extensions import db
from app.i18n import format_number, format_percentage, format_when
from app.language import LANGUAGES
from app.organisations.naming import KIND_LABELS, country_label
from app.sqltypes import utcnow

DAY = "%a %d %b"  # an axis label: "Tue 2 Mar" in the reader's language


def _named(values: dict[str, int], name) -> tuple[tuple[str, ...], tuple[int, ...]]:
    labels = tuple(_("Not known") if key == UNKNOWN else name(key) for key in values)
    return labels, tuple(values.values())


def _index_of(days, when, zone: str) -> int | None:
    """The category index of the local day of `when` on the registrations axis, if it is on it."""
    if when is None or not days:
        return None
    day = when.astimezone(ZoneInfo(zone)).date()
    return next((n for n, item in enumerate(days) if item.date == day), None)


def _registrations_chart(stats: EventStats) -> Chart:
    days, zone = stats.registrations_over_time, stats.timezone
    series = [Series(label=_("Enrolments (cumulative)"), values=tuple(d.cumulative for d in days))]
    if stats.capacity is not None:
        series.append(Series(label=_("Capacity"), values=(stats.capacity,) * len(days), style="reference"))
    markers = []
    for when, label in ((stats.registration_opens_at, _("Registration opens")),
                        (stats.registration_closes_at, _("Registration closes"))):
        index = _index_of(days, when, zone)
        if index is not None:
            markers.append(Marker(index=index, label=label))
    total = days[-1].cumulative if days else 0
    return Chart(
        key="registrations", title=_("Enrolments over time"), kind="line",
        categories=tuple(format_when(d.date, zone, DAY) for d in days), series=tuple(series),
        x_label=_("Day (%(zone)s)", zone=zone), y_label=_("Enrolments"), markers=tuple(markers),
        category_header=_("Day"),
        description=_("%(total)s enrolments made from %(first)s to %(last)s.", total=format_number(total),
                      first=format_when(days[0].date, zone, "%d %b %Y") if days else "",
                      last=format_when(days[-1].date, zone, "%d %b %Y") if days else ""),
        value_format=format_number)


def _funnel_chart(stats: EventStats) -> Chart:
    f = stats.funnel
    return Chart(
        key="funnel", title=_("From enrolment to certificate"), kind="funnel",
        categories=(_("Enrolled"), _("Confirmed"), _("Attended"), _("Certified")),
        series=(Series(label=_("People"), values=(f.registered, f.confirmed, f.attended, f.certified)),),
        category_header=_("Stage"), percent_format=format_percentage,
        description=_("%(registered)s enrolled, %(confirmed)s confirmed, %(attended)s attended, %(certified)s "
                      "certified.", registered=format_number(f.registered), confirmed=format_number(f.confirmed),
                      attended=format_number(f.attended), certified=format_number(f.certified)),
        value_format=format_number)


def _waiting_chart(stats: EventStats) -> Chart:
    w = stats.waiting_list
    return Chart(
        key="waiting_list", title=_("Waiting list and offers of seats"), kind="hbar",
        categories=(_("Put on the waiting list"), _("Waiting now"), _("Confirmed from the waiting list"),
                    _("Seats offered"), _("Offers accepted"), _("Offers expired"), _("Offers given up"),
                    _("Offers open")),
        series=(Series(label=_("Number"), values=(w.put_on_list, w.waiting_now, w.promoted, w.offers_made,
                                                  w.offers_accepted, w.offers_expired, w.offers_declined,
                                                  w.offers_open)),),
        category_header=_("Step"),
        value_format=format_number)


def _unit_label(unit, zone: str) -> str:
    if unit.session_id is not None:
        return _("%(title)s (%(when)s)", title=unit.title, when=format_when(unit.starts_at, zone, "%a %d %b, %H:%M"))
    return format_when(unit.day, zone, "%a %d %b %Y")


def _attendance_chart(stats: EventStats) -> Chart:
    units = stats.attendance
    return Chart(
        key="attendance", title=_("Attendance per session") if stats.has_sessions else _("Attendance per day"),
        # sessions are named by their (long) titles: written above horizontal bars, they are read whole, where
        # under vertical bars all but one were left out; a few days keep the columns
        kind="hbar" if stats.has_sessions or len(units) > 6 else "bar",
        categories=tuple(_unit_label(u, stats.timezone) for u in units),
        series=(Series(label=_("Checked in"), values=tuple(u.attended for u in units)),
                Series(label=_("No-shows (confirmed, not checked in)"),
                       values=tuple(u.no_shows or 0 for u in units))),
        description=_("No-shows are counted once a session (or day) has ended."),
        category_header=_("Session") if stats.has_sessions else _("Day"),
        value_format=format_number)


def _breakdown(key: str, title: str, heading: str, values: dict[str, int], name) -> Chart:
    categories, numbers = _named(values, name)
    return Chart(key=key, title=title, kind="hbar", categories=categories, category_header=heading,
                 series=(Series(label=_("Participants"), values=numbers),), value_format=format_number)


def _charts(stats: EventStats) -> list[Chart]:
    charts = [_registrations_chart(stats), _funnel_chart(stats), _waiting_chart(stats)]
    if stats.attendance:
        charts.append(_attendance_chart(stats))
    charts += [
        _breakdown("by_country", _("Participants by country"), _("Country"), stats.by_country, country_label),
        _breakdown("by_region", _("Participants by region"), _("Region"), stats.by_region, lambda code: region_name(code, _)),
        _breakdown("by_organisation_kind", _("Participants by kind of organisation"),
                   _("Kind of organisation"), stats.by_organisation_kind,
                   lambda kind: str(KIND_LABELS.get(kind, kind))),
        _breakdown("by_language", _("Participants by preferred language"), _("Language"),
                   stats.by_language,
                   lambda code: LANGUAGES.get(code, code)),
    ]
    return charts


@bp.get("/events/<int:event_id>/dashboard")
@organiser_required
def event_dashboard(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    stats = event_stats(db.session, event_id=event.id, now=utcnow())
    charts = _charts(stats) if stats.has_enrolments else []
    download = requested_csv(charts, f"event-{event.id}")
    if download is not None:
        return download
    return render_template("dashboards/event.html", event=event, stats=stats, charts=charts)
