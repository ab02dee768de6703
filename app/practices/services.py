"""Good practices: drafting, review, files, interest and finding them.

Plain functions taking ids, data and `now`; they flush, never commit. This module is the table of contents:
the rules live in one module per sub-domain and are re-exported here, so callers write
`from app.practices import services; services.create_practice(...)`.

- inputs.py      reading a practice's data (the API's JSON names), checked and normalised
- lookups.py     one practice with the permission a use case needs; revisions recorded
- editing.py     create, update, translations (a member's edit of a published practice goes back to review)
- workflow.py    submit, publish, return (emailing the author), archive; the review checklist
- files.py       documents and images: type from the content, re-encoded images, storage outside the web root
- interest.py    "We want to try this": one registration per organisation
- queries.py     the list with filters and facets, related practices, revisions
- presenting.py  the API's JSON and the text in the reader's language
"""

from __future__ import annotations

from app.practices.editing import (
    create_practice,
    linked_practice_ids,
    set_translation,
    translatable_fields,
    update_practice,
)
from app.practices.files import (
    FileRefused,
    add_file,
    file_of,
    open_file,
    remove_file,
    update_file,
)
from app.practices.inputs import READ_ONLY, WRITABLE, slugify
from app.practices.interest import (
    interest_count,
    interest_counts,
    interest_of,
    interested,
    new_interest_since,
    register_interest,
    withdraw_interest,
)
from app.practices.lookups import REVISION_ACTIONS, editable_practice, get_practice, visible_practice
from app.practices.presenting import Shown, file_path, pick_translation, practice_json, practice_path
from app.practices.queries import (
    FACETS,
    PracticeFilters,
    facet_counts,
    find_members,
    fold,
    linked_practices,
    list_practices,
    parse_filters,
    related_practices,
    revisions,
)
from app.practices.workflow import (
    CHECKLIST_REASONS,
    REVIEW_CHECKLIST,
    archive_practice,
    check_practice,
    personal_data_in,
    publish_practice,
    return_practice,
    submit_practice,
)

__all__ = [
    # editing
    "create_practice", "update_practice", "set_translation", "translatable_fields", "linked_practice_ids",
    "WRITABLE", "READ_ONLY", "slugify",
    # files
    "FileRefused", "add_file", "update_file", "remove_file", "open_file", "file_of",
    # interest
    "register_interest", "withdraw_interest", "interest_count", "interest_counts", "interested", "interest_of",
    "new_interest_since",
    # lookups
    "get_practice", "visible_practice", "editable_practice", "REVISION_ACTIONS",
    # presenting
    "practice_json", "pick_translation", "Shown", "practice_path", "file_path",
    # queries
    "FACETS", "PracticeFilters", "parse_filters", "list_practices", "facet_counts", "related_practices",
    "revisions", "fold", "linked_practices", "find_members",
    # workflow
    "REVIEW_CHECKLIST", "CHECKLIST_REASONS", "check_practice", "personal_data_in", "submit_practice",
    "publish_practice", "return_practice", "archive_practice",
]
