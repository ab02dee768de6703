"""Catalogue entries of the mail outbox: the reasons raised and the sentences its admin pages flash."""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    "mail.message_not_found": msg("No such message."),
    "mail.retry_not_failed": msg("Only failed messages can be retried."),
    "mail.requeued": msg("Message #%(message_id)s to %(to)s is queued again."),
})
