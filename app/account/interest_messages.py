"""Catalogue entries of interests, the member digest and unsubscribing: reasons raised and sentences shown."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "interests.too_many": msg("Follow at most %(maximum)s of these."),
    "interests.frequency_invalid": msg("The digest comes weekly, monthly or never (got %(value)s)."),
    "interests.sdg_goal_invalid": msg("SDG goals are whole numbers from 1 to 17 (got %(value)s)."),
    "interests.region_invalid": msg("%(value)s is not a UN M49 sub-region code (such as 155, Western Europe)."),
    "interests.organisation_unknown": msg("No organisation with the id(s) %(ids)s."),
    "interests.saved": msg("Your interests are saved."),
    "interests.unsubscribe_invalid": msg(
        "This unsubscribe link is not valid: it may have been changed or cut short. Sign in and choose "
        "“never” on your interests page instead."),
    "interests.unsubscribed": msg("You will receive no more digests. You can turn them on again on your interests page."),
})
