"""Catalogue entries of contact between members: why a message cannot be sent, reported or handled.

Keys start with contact.; the sentence is made at the edge in the reader's language.
"""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "contact.not_found": msg("This person cannot be found, or their profile is not visible to you."),
    "contact.practice_not_found": msg("This practice is not published, or this person is not its contact."),
    "contact.oneself": msg("You cannot write a message to yourself."),
    "contact.switched_off": msg("This person does not accept messages."),
    "contact.suspended": msg("An administrator suspended your contact with other members: %(reason)s"),
    "contact.account_too_new": msg(
        "New accounts may send messages %(hours)s hours after registering, unless an organiser invited them."),
    "contact.daily_limit": msg("You have sent %(limit)s messages in the last 24 hours; please try again later."),
    "contact.subject_required": msg("Give a subject."),
    "contact.subject_too_long": msg("The subject may have at most %(maximum)s characters."),
    "contact.text_required": msg("Write a message."),
    "contact.text_too_long": msg("The message may have at most %(maximum)s characters (it has %(length)s)."),
    "contact.message_not_found": msg("There is no such message among those you received."),
    "contact.report_too_long": msg("The reason may have at most %(maximum)s characters."),
    "contact.report_not_found": msg("There is no such report."),
    "contact.report_handled": msg("This report was already handled."),
    "contact.suspension_reason_required": msg("Say why the sender's contact is suspended; they will be told."),
})
