"""Signals of the directory, sent inside the caller's transaction."""

from blinker import Namespace

_signals = Namespace()

# sender: Topic; kwargs: session, now. A topic's slug or name changed (feeds that show it must be rebuilt).
topic_changed = _signals.signal("topic-changed")
