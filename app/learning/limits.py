"""Limits of a programme's, a module's and a submission's input, defined once.

Read by the models' column lengths, the WTForms forms, the services' checks and the API's declared
contract (hence the OpenAPI document), so they cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal

TITLE_MAX = 200  # a programme's or a module's title
SUMMARY_MAX = 500
MAX_TEXT = 20_000  # descriptions and learning objectives (Markdown)
MAX_SUBMISSION_TEXT = 5_000  # a reflection handed in, a reviewer's comment
MAX_HOURS = Decimal("9999.99")
LINK_MAX = 300
NOTE_MAX = 2000  # why an organiser marked a module done or undone

PROGRAMME_FIELDS = frozenset({"title", "summary", "description", "topics", "organisers", "language",
                              "translations"})
MODULE_FIELDS = frozenset({"title", "description", "objectives", "hours", "required", "completion",
                           "prerequisites", "position", "language", "translations"})
# the fields a translation carries, with the same limits as the original's
PROGRAMME_TRANSLATION_LIMITS = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "description": MAX_TEXT}
MODULE_TRANSLATION_LIMITS = {"title": TITLE_MAX, "description": MAX_TEXT, "objectives": MAX_TEXT}
