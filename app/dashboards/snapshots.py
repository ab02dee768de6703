"""Figures of the whole network, kept for a few minutes once counted.

Counting who learns from whom reads every confirmed enrolment (100,000 of them take ~0.3 s on SQLite), and the
figures of a whole network barely move from one minute to the next; so, as Indico keeps its category statistics
in a cache, a worker keeps each counted set of figures (per filters and audience) for `ttl` seconds, and the page
and the API say when they were counted. The figures of one event or programme are always counted live: their
organisers act on them. A `ttl` of 0 counts every time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


class FigureCache(Generic[T]):
    """At most `size` sets of figures, each kept `ttl` seconds from when it was counted (one per worker)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[datetime, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, count: Callable[[], T], *, now: datetime, ttl: int) -> tuple[T, datetime]:
        """The figures for `key` and when they were counted: kept ones while fresh, else `count()` now."""
        if ttl > 0:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and now - entry[0] < timedelta(seconds=ttl):
                    self._entries.move_to_end(key)
                    return entry[1], entry[0]
        figures = count()  # outside the lock: two workers' threads may count at once, never wait on each other
        if ttl > 0:
            with self._lock:
                self._entries[key] = (now, figures)
                self._entries.move_to_end(key)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return figures, now

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


NETWORK_FIGURES: FigureCache = FigureCache()
