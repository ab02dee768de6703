"""The learning package's message catalogue: reason -> English sentence (named placeholders).

The services raise reasons with values (``Conflict("learning.join_first", programme=...)``); the edges make the
sentence in the reader's language from these templates (app.errors.render_message).
"""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    # lookups and authorisation
    "learning.programme_not_found": msg("No such programme."),
    "learning.module_not_found": msg("No such module."),
    "learning.managers_only": msg("Only the programme's organisers can do that."),
    "learning.user_not_found": msg("No such user."),
    # input checks
    "learning.unknown_fields": msg("Unknown field(s): %(names)s."),
    "learning.hours_not_number": msg("%(label)s must be a number."),
    "learning.hours_negative": msg("%(label)s cannot be negative."),
    "learning.hours_too_many": msg("%(label)s can be at most %(maximum)s."),
    "learning.required_not_boolean": msg("Required must be true or false."),
    "learning.organisers_not_ids": msg("Organisers must be a list of ids."),
    "learning.prerequisites_not_ids": msg("Prerequisites must be a list of ids."),
    # programmes
    "learning.programme_not_object": msg("Send the programme as an object."),
    "learning.topics_not_slugs": msg("Topics must be a list of topic slugs."),
    "learning.organisers_invalid": msg("Organisers must be existing organiser or admin accounts."),
    "learning.organisers_missing": msg("A programme needs at least one organiser."),
    "learning.create_organisers_only": msg("Only organisers can create programmes."),
    "learning.manage_organisers_only": msg("Only organisers manage programmes."),
    "learning.programme_already_published": msg("The programme is already published."),
    "learning.publish_needs_required_module": msg("Add at least one required module before publishing."),
    "learning.programme_already_archived": msg("The programme is already archived."),
    # modules
    "learning.programme_archived": msg("The programme is archived; publish it again before adding modules."),
    "learning.module_not_object": msg("Send the module as an object."),
    "learning.module_archived": msg("The module is archived."),
    "learning.module_already_archived": msg("The module is already archived."),
    "learning.self_study_has_links": msg("Remove the module's event links before making it self-study."),
    "learning.completion_kind_invalid": msg("Completion must be 'event' or 'self_study'."),
    "learning.position_invalid": msg("Position must be a whole number from 1."),
    "learning.direction_invalid": msg("Direction must be up or down."),
    "learning.prerequisite_is_itself": msg("A module cannot be its own prerequisite."),
    "learning.prerequisites_elsewhere": msg("Prerequisites must be modules of the same programme (not: %(ids)s)."),
    "learning.prerequisites_cycle": msg(
        "These prerequisites would make a cycle (%(cycle)s; → means “needs”). Remove one of them."),
    # links to events
    "learning.link_self_study": msg("Only event-based modules are linked to events; this one is self-study."),
    "learning.link_target_missing": msg("Give either an event_id or a session_id."),
    "learning.link_id_not_whole": msg("%(name)s must be a whole number."),
    "learning.session_not_found": msg("No such session."),
    "learning.event_not_found": msg("No such event."),
    "learning.link_event_draft": msg("“%(title)s” is a draft; publish it before linking it."),
    "learning.link_event_cancelled": msg("“%(title)s” is cancelled and cannot teach a module."),
    "learning.link_exists": msg("That link already exists."),
    "learning.link_not_found": msg("No such link."),
    # joining
    "learning.programme_closed": msg("This programme is not open for joining."),
    "learning.join_first": msg("You must join “%(programme)s” first."),
    "learning.person_join_first": msg("The person must join “%(programme)s” first."),
    # self-study and manual completion
    "learning.submissions_closed": msg("This module is not open for submissions."),
    "learning.module_by_attendance": msg("This module is completed by attending an event, not by a submission."),
    "learning.link_not_text": msg("The link must be text."),
    "learning.submission_empty": msg("Write a short reflection or give a link to your evidence."),
    "learning.module_already_completed": msg("You have already completed this module."),
    "learning.prerequisites_first": msg("Complete the prerequisites first: %(modules)s."),
    "learning.submission_pending": msg("Your earlier submission is still waiting for review."),
    "learning.submission_not_found": msg("No such submission."),
    "learning.review_own_submission": msg("You cannot review your own submission."),
    "learning.approve_own_submission": msg(
        "You cannot approve or return your own submission; another organiser must review it."),
    "learning.submission_already_approved": msg("This submission was already approved."),
    "learning.submission_already_returned": msg("This submission was already returned."),
    "learning.submission_already_reviewed": msg("This submission was already reviewed."),
    "learning.approve_after_prerequisites": msg(
        "This module can be approved once its prerequisites are completed: %(modules)s."),
    "learning.mark_own_modules": msg("You cannot mark your own modules as done; another organiser must do it."),
    "learning.module_already_done": msg("The module is already done for this person."),
    "learning.mark_prerequisites_first": msg(
        "Mark the prerequisites done first (a module is completed only after them): %(modules)s."),
    "learning.completed_at_same_moment": msg(
        "The module was completed for this person at the same moment; reload the page."),
    "learning.module_not_done": msg("The module is not done for this person."),
    # the reason comes whole from the package that objects (certificates: one stands on the programme)
    "learning.completion_kept": msg("%(reason)s"),
    "learning.review_organisers_only": msg("Only organisers review submissions."),
    # progress and the organisers' matrix
    "learning.participant_not_found": msg("No such participant."),
    "learning.not_joined": msg("That person has not joined this programme."),
    "learning.state_filter_unknown": msg("Unknown state filter."),
    "learning.module_not_in_programme": msg("No such module in this programme."),
    # JSON API
    "learning.user_id_not_whole": msg("user_id must be a whole number."),
    "learning.comment_not_text": msg("The comment must be text."),
})


def title_list(titles) -> str:
    """Titles as a value for a message ("“A”, “B”"): the one place to make list formatting follow the locale."""
    return ", ".join(f"“{title}”" for title in titles)


def title_path(titles) -> str:
    """Titles along a path of prerequisites ("“A” → “B” → “A”"), as a value for a message."""
    return " → ".join(f"“{title}”" for title in titles)
