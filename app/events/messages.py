"""Catalogue entries of events: the reasons raised about events, their agenda, enrolments and check-in.

The services raise a reason and its values (``NotFound("event.not_found", field="event_id")``); the sentence is
made at the edge from these templates. Keys start with event., enrolment., agenda. or checkin.
"""

from __future__ import annotations

from app.errors import msg, register_messages, register_value_labels

register_messages({
    # input of any event field (inputs.py); label is the field's name as a phrase ("Starts at")
    "event.field.required": msg("%(label)s is required."),
    "event.field.whole_number": msg("%(name)s must be a whole number."),
    "event.field.at_least": msg("%(label)s must be at least %(minimum)s."),
    "event.field.at_most": msg("%(label)s must be at most %(maximum)s."),
    "event.field.boolean": msg("%(name)s must be true or false."),
    "event.field.datetime_format": msg(
        "%(name)s must be an ISO 8601 date and time such as 2026-05-04T09:00+02:00."),
    "event.field.datetime_type": msg("%(name)s must be a date and time."),
    "event.field.out_of_range": msg("%(name)s is out of range."),
    "event.field.number": msg("%(name)s must be a number."),
    "event.field.between": msg("%(label)s must be between 0 and %(maximum)s."),
    "event.field.list": msg("%(name)s must be a list."),
    "event.field.unknown": msg("Unknown field(s): %(names)s."),
    "event.timezone_unknown": msg("Unknown time zone %(zone)r; use an IANA name such as Europe/Berlin."),
    "event.time_skipped": msg(
        "%(local)s does not exist in %(zone)s: the clocks go forward then. Choose a time outside the change."),
    "event.languages_invalid": msg("Languages are two-letter ISO 639-1 codes such as en, de, pt."),
    "event.languages_too_many": msg("At most %(maximum)s languages."),
    # the filters of the events list (parse_filters), in the API's words
    "event.filter.invalid": msg("%(name)s is not valid."),
    "event.filter.format": msg("format must be one of %(formats)s."),
    "event.filter.date": msg("%(name)s must be a date (YYYY-MM-DD) or an ISO 8601 date-time."),
    "event.filter.language": msg("language must be a two-letter code."),
    # ... and in the words of the filter form on the events page, which then ignores the filter
    "event.filter_ignored.date_range": msg(
        "“%(label)s” must be a date between the years 1900 and 9998; the filter was ignored."),
    "event.filter_ignored.date": msg("“%(label)s” must be a date such as 2031-05-04; the filter was ignored."),
    "event.filter_ignored.language": msg(
        "“%(label)s” must be a two-letter code such as en or de; the filter was ignored."),
    "event.filter_ignored.too_long": msg(
        "“%(label)s” is too long (at most 200 characters); the filter was ignored."),
    "event.filter_ignored.invalid": msg("“%(label)s” is not valid; the filter was ignored."),
    # lookups and permissions
    "event.not_found": msg("No such event."),
    "event.user_not_found": msg("No such user."),
    "event.organisers_only": msg("Only the event's organisers can do that."),
    "event.busy": msg("Many people are enrolling right now; please try again in a moment."),
    "event.cancelled": msg("This event was cancelled."),
    "event.past": msg("This event has already taken place."),
    # planning
    "event.data_not_object": msg("The event data must be an object."),
    "event.format_invalid": msg("Format must be one of %(formats)s."),
    "event.country_not_text": msg("Country must be a two-letter code."),
    "event.online_url_not_text": msg("Online URL must be text."),
    "event.waitlist_mode_invalid": msg("Waiting-list mode must be auto or offer."),
    "event.reminders_invalid": msg(
        "Give each reminder as a whole number of hours before the start, between 1 and 2160 (90 days), "
        "separated by commas, such as 168, 24."),
    "event.topics_not_slugs": msg("Topics are given by their slugs."),
    "event.hosts_unknown": msg("Unknown organisation id(s): %(ids)s."),
    "event.organisers_unknown": msg("Unknown user id(s): %(ids)s."),
    "event.organisers_not_organisers": msg("Only organisers can organise events: %(names)s."),
    "event.organisers_none": msg("An event needs at least one organiser."),
    "event.slug_taken": msg("Another event already uses that slug."),
    "event.slug_race": msg(
        "Another event was saved with the same web address at the same moment; please save again."),
    "event.end_before_start": msg("The end must be after the start."),
    "event.too_long": msg("An event lasts at most %(days)s days."),
    "event.registration_closes_before_opening": msg("Registration must close after it opens."),
    "event.registration_opens_after_end": msg("Registration must open before the event ends."),
    "event.place_missing": msg("Give a venue and city, or an online URL."),
    "event.create_organisers_only": msg("Only organisers can create events."),
    "event.cancelled_unchangeable": msg("A cancelled event can no longer be changed."),
    "event.capacity_below_taken": msg("Capacity cannot be below the %(taken)s confirmed or offered seats."),
    "event.publish_not_draft": msg("Only drafts can be published; this event is %(status)s."),
    "event.already_cancelled": msg("This event is already cancelled."),
    "event.delete_not_draft": msg(
        "Only drafts can be deleted; this event is %(status)s. Cancel it instead, so that everyone enrolled is told."),
    # agenda
    "agenda.data_not_object": msg("The session data must be an object."),
    "agenda.not_found": msg("No such session."),
    "agenda.item_outside_event": msg(
        "The agenda item %(title)r would lie outside the event; move or delete it first."),
    "agenda.item_cannot_move": msg("The agenda item %(title)r cannot move with the event: %(detail)s"),
    "agenda.end_before_start": msg("The session must end after it starts."),
    "agenda.outside_event": msg("Sessions must lie within the event (%(starts)s – %(ends)s %(timezone)s)."),
    "agenda.has_checkins": msg("%(count)s check-in(s) are recorded for this session; undo them before deleting it."),
    # enrolment
    "enrolment.not_found": msg("No such enrolment."),
    "enrolment.not_published": msg("This event is not published yet."),
    "enrolment.not_open_yet": msg("Registration opens on %(opens_on)s (%(timezone)s)."),
    "enrolment.closed": msg("Registration is closed."),
    "enrolment.others_organisers_only": msg("Only the event's organisers can enrol other people."),
    "enrolment.over_capacity_organisers_only": msg("Only the event's organisers can enrol beyond capacity."),
    "enrolment.draft_event": msg("This event is not published yet; publish it before enrolling people."),
    "enrolment.already_enrolled_self": msg("You are already enrolled in this event (%(status)s)."),
    "enrolment.already_enrolled": msg("%(name)s is already enrolled in this event (%(status)s)."),
    "enrolment.already_enrolled_race": msg("This person is already enrolled in this event."),
    "enrolment.declined": msg("The organisers declined your enrolment; contact them if this is a mistake."),
    "enrolment.already_inactive": msg("This enrolment is already %(status)s."),
    "enrolment.cancel_after_event": msg("This event has already taken place; it can no longer be cancelled."),
    "enrolment.reject_organisers_only": msg("Only the event's organisers can reject enrolments."),
    "enrolment.approve_organisers_only": msg("Only the event's organisers can approve enrolments."),
    "enrolment.promote_organisers_only": msg("Only the event's organisers can promote from the waiting list."),
    "enrolment.approve_not_pending": msg("Only pending enrolments can be approved; this one is %(status)s."),
    "enrolment.promote_not_waiting": msg(
        "Only waiting or pending enrolments can be promoted; this one is %(status)s."),
    "enrolment.no_open_offer": msg("There is no open offer on this enrolment (it is %(status)s)."),
    "enrolment.offer_expired": msg("The offer has expired; the seat goes to the next person waiting."),
    "enrolment.status_filter_invalid": msg("status must be one of %(statuses)s."),
    "enrolment.person_not_registered": msg(
        "Nobody is registered with that email; ask them to create an account first."),
    # check-in and attendance
    "checkin.not_found": msg("No such check-in."),
    "checkin.ticket_not_found": msg("No such ticket."),
    "checkin.session_not_in_event": msg("That session is not part of this event."),
    "checkin.day_invalid": msg("Day must be a date such as 2026-05-04."),
    "checkin.day_not_text": msg("day must be a date such as 2026-05-04."),
    "checkin.per_session": msg("This event has an agenda: check in per session."),
    "checkin.day_not_in_event": msg("That day is not part of this event."),
    "checkin.choose_unit": msg("Choose the session (or day) to check in for."),
    "checkin.ticket_code_not_text": msg("The ticket code must be text."),
    "checkin.ticket_code_not_text_api": msg("ticket_code must be text."),
    "checkin.no_ticket_with_code": msg("No ticket with the code %(code)r."),
    "checkin.ticket_for_other_event": msg("This ticket is for another event."),
    "checkin.enrolment_not_in_event": msg("No such enrolment in this event."),
    "checkin.nobody_chosen": msg("Give a ticket code or choose a participant."),
    "checkin.pending": msg("%(name)s is waiting for approval: only confirmed participants can be checked in."),
    "checkin.waitlisted": msg("%(name)s is on the waiting list: only confirmed participants can be checked in."),
    "checkin.offered": msg("%(name)s has been offered a seat but has not accepted it yet: "
                           "only confirmed participants can be checked in."),
    "checkin.expired": msg("%(name)s let the offered seat expire: only confirmed participants can be checked in."),
    "checkin.cancelled": msg("%(name)s cancelled the enrolment: only confirmed participants can be checked in."),
    "checkin.rejected": msg("%(name)s was not accepted: only confirmed participants can be checked in."),
    "checkin.not_confirmed": msg("%(name)s is not confirmed: only confirmed participants can be checked in."),
    "checkin.already_checked_in": msg("%(name)s is already checked in for %(unit)s."),
    "checkin.before_event": msg(
        "%(name)s is being checked in before the event: it starts on %(first_day)s. Confirm to check in anyway."),
    "checkin.undo_refused": msg("This attendance cannot be undone: %(detail)s"),
})

# an event's or an enrolment's status named inside a sentence ("this event is %(status)s") reads as a word of
# the reader's language; in English the words are the codes themselves
register_value_labels("status", {
    "draft": msg("draft"), "published": msg("published"), "cancelled": msg("cancelled"),
    "confirmed": msg("confirmed"), "pending": msg("pending"), "waitlisted": msg("waitlisted"),
    "offered": msg("offered"), "expired": msg("expired"), "rejected": msg("rejected"),
})
