"""The JSON API's shared ground: its blueprint (/api/v1), the declared contract (contract.py), token
authentication (auth.py) and the shapes every domain's answers share (shapes.py).

A foundation module: each domain's api.py builds on it, and app.api, at the top, imports those api.py modules
so that every route is registered. Nothing here imports a domain's api.py.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

INFO = {
    "title": "Connective Cities API",
    "version": "1.0.0",
    "summary": "Events, learning programmes, certificates and good practices of the Connective Cities network.",
    "description": (
        "Send a personal API token (`flask users token EMAIL`, revocable from the profile) as "
        "`Authorization: Bearer <token>`; the session cookie is never used. Datetimes are ISO 8601 with "
        "a UTC offset. Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`."
    ),
}
TAGS = [
    {"name": "Meta", "description": "This document."},
    {"name": "Account", "description": "The caller's account."},
    {"name": "Directory", "description": "Topics and organisations (member cities, partners)."},
    {"name": "Calendar", "description": "The personal iCalendar feed."},
    {"name": "Events", "description": "Conferences, workshops, training sessions and information trips."},
    {"name": "Agenda", "description": "Sessions of an event (itinerary stops on information trips)."},
    {"name": "Enrolments", "description": "Enrolment with capacity, waiting list, offers and approval."},
    {"name": "Attendance", "description": "Check-in and attendance."},
    {"name": "Programmes", "description": "Learning programmes, joining and progress."},
    {"name": "Modules", "description": "Modules of a programme and their links to events."},
    {"name": "Self-study", "description": "Submissions for self-study modules and their review."},
    {"name": "Certificates", "description": "Attendance and completion certificates."},
    {"name": "Verification", "description": "Public verification of certificate codes."},
    {"name": "Practices", "description": "Good practices of member cities: drafting, review, files, interest."},
    {"name": "Messages", "description": "Messages between members; the platform emails them, addresses stay hidden."},
    {"name": "Peers", "description": "Finding practices, organisations and people that faced a challenge like yours."},
    {"name": "Search", "description": "One search across practices, events, programmes and organisations."},
    {"name": "People", "description": "Practitioner profiles: the directory and your own profile."},
    {"name": "Network", "description": "The network dashboard's figures: who learns from whom, events, reach."},
]
