"""/match: describe a challenge, see the practices, organisations and people that faced one like it and why;
organisers enrol the people found in an event they organise. Each view parses, calls one service, commits (or
rolls back and shows the error), and redirects or renders."""

from __future__ import annotations

from babel.lists import format_list
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import organiser_required
from app.directory.regions import REGIONS, SUB_REGIONS, region_name
from app.errors import DomainError
from app.extensions import db
from app.i18n import page_gettext
from app.language import LANGUAGES, translator
from app.people import bp, matching
from app.people.match_forms import MatchEnrolForm
from app.people.match_queries import find_matches, topic_choices
from app.people.match_services import enrol_matched_people, events_to_invite_to
from app.practices.sdg import GOAL_NAMES, TARGETS, goal_of
from app.sqltypes import utcnow
from app.viewhelpers import local_path

FIELDS = ("topics", "sdg_targets", "region", "size_band", "languages", "text")
LISTS = ("topics", "sdg_targets", "languages")
# the languages offered as checkboxes: the interface's, then other widely used ones in the network
WORKING_LANGUAGES = (*LANGUAGES, "it", "nl", "pl", "ru", "uk", "tr", "fa", "hi", "ur", "bn", "id", "vi", "th", "zh",
                     "ja", "ko", "sw", "am", "ha")


def _challenge_data() -> dict:
    return {name: request.args.getlist(name) if name in LISTS else request.args.get(name, "")
            for name in FIELDS}


def _choices(t) -> dict:
    """What the form offers, named in the page's language."""
    goals = {}
    for code in TARGETS:
        goals.setdefault(goal_of(code), []).append(code)
    regions = [(region_name(code, page_gettext),
                sorted(((sub, region_name(sub, page_gettext)) for sub, (_, parent, _) in SUB_REGIONS.items()
                        if parent == code), key=lambda item: item[1]))
               for code in REGIONS]
    languages = sorted(((code, t.language_name(code)) for code in WORKING_LANGUAGES), key=lambda item: item[1])
    return {
        "topics": topic_choices(db.session),
        "goals": [(goal, page_gettext(GOAL_NAMES[goal]), targets) for goal, targets in goals.items()],
        "regions": sorted(regions, key=lambda item: item[0]),
        "sizes": [(band, page_gettext(label)) for band, label in matching.SIZE_LABELS.items()],
        "languages": languages,
    }


@bp.get("/match")
def match():
    t = translator(str(get_locale() or "en"))
    data = _challenge_data()
    searched = any(name in request.args for name in FIELDS)
    matches, error, error_field = [], None, None
    if searched:
        try:
            challenge = matching.parse_challenge(data, known_topics=[topic.slug for topic in topic_choices(db.session)])
            matches = find_matches(db.session, challenge, signed_in=current_user.is_authenticated)
        except DomainError as exc:
            error = exc.message_for()
            error_field = next(iter(exc.fields), None)
    organiser = current_user.is_authenticated and current_user.is_organiser
    events = events_to_invite_to(db.session, user=current_user, now=utcnow()) \
        if organiser and any(m.kind == "person" for m in matches) else []
    reasons = {(m.kind, m.id): [matching.reason_text(reason, t) for reason in m.reasons] for m in matches}
    return render_template("people/match.html", data=data, searched=searched, matches=matches, reasons=reasons,
                           error=error, error_field=error_field, choices=_choices(t), events=events,
                           enrol_form=MatchEnrolForm(next=request.full_path) if events else None)


@bp.post("/match/enrol")
@organiser_required
def match_enrol():
    form = MatchEnrolForm()
    back = local_path(form.next.data) or url_for("people.match")
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(back)
    try:
        event_id = request.form.get("event_id", type=int)
        user_ids = [int(value) for value in request.form.getlist("user_ids") if value.isdigit()]
        outcome = enrol_matched_people(db.session, event_id=event_id, user_ids=user_ids, actor_id=current_user.id,
                                       now=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message_for(), "danger")
        return redirect(back)
    t = translator(str(get_locale() or "en"))
    locale = "en_GB" if t.language in ("en", "en_US_POSIX") else t.language
    if outcome.enrolled:
        flash(ngettext("%(num)d person enrolled: %(names)s.", "%(num)d people enrolled: %(names)s.",
                       len(outcome.enrolled), names=format_list(outcome.enrolled, locale=locale)), "success")
    if outcome.already:
        flash(ngettext("Already enrolled: %(names)s.", "Already enrolled: %(names)s.", len(outcome.already),
                       names=format_list(outcome.already, locale=locale)), "info")
    return redirect(back)
