"""A status named inside a sentence is a word of the reader's language, never the stored code."""

from __future__ import annotations

from app.errors import render_message
from app.language import translator


def test_a_status_in_a_message_is_translated_with_the_message():
    import app.events.messages  # noqa: F401  (registers the sentences and the status words)

    french = translator("fr")
    sentence = render_message("event.publish_not_draft", {"status": "cancelled"}, french.gettext)
    assert french.gettext("cancelled") in sentence and "cancelled" not in sentence
    # English keeps the code as its word; a value without a label is left as it is
    assert render_message("event.publish_not_draft", {"status": "cancelled"}, lambda s: s).endswith(
        "this event is cancelled.")
    assert "mystery" in render_message("event.publish_not_draft", {"status": "mystery"}, french.gettext)
