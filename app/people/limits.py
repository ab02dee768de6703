"""Limits of a practitioner profile and of a message, defined once (model, forms, services, API read them)."""

from __future__ import annotations

VISIBILITIES = ("hidden", "members", "public")  # hidden is the default: nobody sees a profile until its owner opts in
POSITION_MAX = 200
BIO_MAX = 2000
MAX_SPOKEN_LANGUAGES = 12
MAX_EXPERTISE_TARGETS = 30
SUBJECT_MAX = 200
MESSAGE_TEXT_MAX = 5000
REPORT_REASON_MAX = 1000
DEFAULT_DAILY_MESSAGES = 10  # per sender per day; PEOPLE_DAILY_MESSAGE_LIMIT overrides
NEW_ACCOUNT_HOURS = 24  # accounts younger than this may not contact anyone unless an organiser invited them
SIZE_BANDS = ("small", "medium", "large", "metropolis")  # < 100k, < 500k, < 1M, ≥ 1M inhabitants
DIGEST_FREQUENCIES = ("weekly", "monthly", "never")
