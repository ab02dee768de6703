"""The event dashboard page (/events/<id>/dashboard) with a CSV of each chart (?csv=<key>)."""

from __future__ import annotations
