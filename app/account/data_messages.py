"""Catalogue entries of one's data, account deletion and invitations: reasons raised and sentences shown."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    # deletion
    "account.password_required": msg("Enter your password to delete your account."),
    "account.password_wrong": msg("The password is not correct."),
    "account.already_deleted": msg("This account has already been deleted."),
    "account.sole_organiser": msg(
        "You are the only organiser of %(titles)s. Name another organiser first, or cancel what has not "
        "taken place yet; then you can delete your account."),
    "account.deleted": msg("Your account has been deleted. Thank you for having been part of the network."),
    # invitations
    "invitation.not_allowed": msg("Only an organiser of this event or programme can invite people."),
    "invitation.email_invalid": msg("Give a valid email address."),
    "invitation.name_too_long": msg("The name is at most %(limit)s characters."),
    "invitation.name_control_characters": msg("The name cannot contain control characters."),
    "invitation.language_unsupported": msg("Choose one of the site's languages for the invitation."),
    "invitation.closed": msg("Invitations are closed: this event was cancelled or is over."),
    "invitation.programme_closed": msg("Invitations are closed: this programme is archived."),
    "invitation.invalid": msg("This invitation link is not valid."),
    "invitation.expired": msg("This invitation link has expired; ask the organiser for a new one."),
    "invitation.used": msg("This invitation has already been used; sign in instead."),
    "invitation.account_exists": msg("An account with this address exists already; sign in to take part."),
    "invitation.signed_in": msg("You are signed in already; this invitation is for someone without an account."),
    "invitation.sent": msg("Invitation sent to %(email)s."),
    "invitation.enrolled_existing": msg(
        "%(email)s already has an account: they were enrolled directly and told by email."),
    "invitation.accepted": msg("Welcome! Your account is ready and you are registered."),
})
