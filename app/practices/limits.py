"""Limits of a good practice's input, defined once (model columns, forms, services, API schemas read them)."""

from __future__ import annotations

TITLE_MAX = 200
SUMMARY_MAX = 1000
CITY_MAX = 120
SECTION_MAX = 20_000  # each narrative section (Markdown)
# the narrative, in the order a practice page shows it
SECTIONS = ("challenge", "solution", "results", "costs_and_funding", "stakeholders", "success_factors",
            "obstacles", "transferability")
TRANSLATABLE = ("title", "summary", *SECTIONS)
STAGES = ("idea", "pilot", "implemented", "scaled")
STATUSES = ("draft", "submitted", "returned", "published", "archived")
FIRST_YEAR = 1900  # a start or end year before this is refused; after next year too
INDICATOR_TEXT_MAX = 200  # indicator name, unit, source
MAX_INDICATORS = 30
COMMENT_MAX = 5000  # a reviewer's comment when returning a practice
INTEREST_NOTE_MAX = 1000
CAPTION_MAX = 300
CREDIT_MAX = 200
MAX_DOCUMENTS = 20
MAX_IMAGES = 20
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024  # defaults; PRACTICE_DOCUMENT_MAX_BYTES / PRACTICE_IMAGE_MAX_BYTES override
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 2400  # the longer side after re-encoding
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
DOCUMENT_TYPES = ("application/pdf",)
