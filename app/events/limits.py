"""Limits of an event's and an agenda session's input, defined once.

The model's column lengths, the WTForms forms, the services' checks and the API's declared contract
(app/api/contract.py, hence the OpenAPI document) all read these names, so they cannot drift apart.
"""

from __future__ import annotations

# field -> maximum length of the text fields of an event and of an agenda session
EVENT_TEXT_LIMITS = {"title": 200, "summary": 500, "description": 20000, "venue": 200, "address": 300,
                     "city": 120}
# the fields an event's translation carries, with the same limits as the original's
EVENT_TRANSLATION_LIMITS = {name: EVENT_TEXT_LIMITS[name] for name in ("title", "summary", "description")}
SESSION_TEXT_LIMITS = {"title": 200, "location": 200, "address": 300, "speakers": 500, "description": 10000}
ONLINE_URL_MAX = 300
SLUG_MAX = 200
MAX_CAPACITY = 1_000_000
OFFER_HOURS = (1, 720)  # inclusive range of hours an offered seat is held
MIN_ATTENDANCE_PERCENT = (1, 100)
MAX_HOURS = 9999  # declared hours, stated on certificates
REMINDER_HOURS = (1, 24 * 90)  # a reminder goes out this many hours before the start
MAX_REMINDERS = 5
MAX_LANGUAGES = 10
REASON_MAX = 500  # cancelling or rejecting an enrolment
NOTE_MAX = 500  # an enrolment's note
CANCEL_EVENT_REASON_MAX = 2000

EVENT_WRITABLE = (
    "title", "format", "summary", "description", "timezone", "starts_at", "ends_at", "venue", "address", "city",
    "country", "online_url", "capacity", "registration_opens_at", "registration_closes_at", "requires_approval",
    "waitlist_mode", "offer_hours", "hours", "min_attendance_percent", "topics", "hosts", "organisers",
    "languages", "auto_certificates", "reminder_offsets_hours", "slug", "language", "translations", "latitude",
    "longitude",
)
EVENT_REQUIRED = ("title", "format", "timezone", "starts_at", "ends_at")
# keys a client may send back unchanged from GET (they are ignored)
EVENT_READ_ONLY = ("id", "status", "url", "ical_url", "seats_left", "waitlist_length", "confirmed_count",
                   "revision", "cancel_reason", "is_past", "created_at", "published_at", "duplicated_from_id")
SESSION_REQUIRED = ("title", "starts_at", "ends_at")
SESSION_READ_ONLY = ("id", "event_id")
COORDINATES = ("latitude", "longitude")  # optional, both or neither (app.validation.check_coordinates)
