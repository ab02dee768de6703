"""Catalogue entries of accounts: the reasons app.auth raises and the sentences its pages flash."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    # services
    "auth.email_required": msg("Email is required."),
    # detail: email_validator's own explanation (English)
    "auth.email_invalid": msg("Not a valid email address: %(detail)s"),
    "auth.timezone_unknown": msg("Unknown time zone %(zone)r; use an IANA name such as Europe/Berlin."),
    "auth.password_too_short": msg("Password must be at least %(minimum)s characters."),
    "auth.password_too_long": msg("Password is at most %(limit)s characters."),
    "auth.name_control_characters": msg("Name cannot contain control characters."),
    "auth.user_not_found": msg("No such user."),
    "auth.role_invalid": msg("Role must be one of %(roles)s."),
    "auth.language_unsupported": msg("Unsupported language."),
    "auth.email_taken": msg("An account with that email already exists."),
    "auth.current_password_wrong": msg("The current password is not correct."),
    "auth.reset_expired": msg("This reset link has expired; ask for a new one."),
    "auth.reset_invalid": msg("This reset link is not valid; ask for a new one."),
    "auth.reset_used": msg("This reset link has already been used; ask for a new one."),
    "auth.token_not_found": msg("No such token."),
    # pages
    "auth.permission_denied": msg("You do not have permission to do that."),
    "auth.login_failed": msg("Email or password is not correct."),
    "auth.too_many_logins": msg("Too many login attempts; wait a minute."),
    "auth.too_many_logins_for_account": msg("Too many login attempts for this account; wait a minute."),
    "auth.too_many_registrations": msg("Too many registrations from your network; wait a while and try again."),
    "auth.welcome": msg("Welcome, %(name)s."),
    "auth.logged_out": msg("You are logged out."),
    "auth.registration_answered": msg(
        "Check your email: we have sent a message to the address you gave. If your account is new, you can log "
        "in now."),
    "auth.profile_saved": msg("Profile saved."),
    "auth.password_changed": msg("Password changed."),
    "auth.reset_sent": msg("If an account exists for that address, we have sent it a reset link."),
    "auth.password_reset_done": msg("Your password is changed; log in with it now."),
    "auth.token_name_invalid": msg("Give the token a name of at most %(limit)s characters."),
    "auth.token_created": msg("Your new API token (shown only once): %(token)s"),
    "auth.form_expired": msg("The form expired; try again."),
    "auth.token_revoked": msg("Token revoked."),
    # CLI
    "auth.no_account_for": msg("No account for %(email)s."),
})
