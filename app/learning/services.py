"""Learning programmes: the package's use cases, by sub-domain (this module is their table of contents).

- app.learning.lookups    programmes and modules by id, who may see and manage them, the audit trail
- app.learning.catalogue  input checks, programmes, modules (prerequisites, order), links to events
- app.learning.progress   joining, attendance, completion of a programme, self-study review, manual marks
- app.learning.reports    one person's progress, upcoming events per module, the organisers' matrix and CSV

Callers import from here (``from app.learning import services``); the rules are documented in progress.py.
"""

from __future__ import annotations

from app.learning.catalogue import (
    RESERVED_SLUGS,
    add_module,
    archive_programme,
    create_programme,
    delete_module,
    link_module,
    list_programmes,
    load_programme,
    managed_programmes,
    move_module,
    parse_hours,
    publish_programme,
    set_prerequisites,
    unlink_module,
    update_module,
    update_programme,
)
from app.learning.limits import MODULE_FIELDS, PROGRAMME_FIELDS
from app.learning.lookups import (
    can_manage,
    can_view,
    get_module,
    get_programme,
    get_programme_by_slug,
    recent_audit,
)
from app.learning.progress import (
    approve_submission,
    completed_modules,
    join_programme,
    mark_module_done,
    missing_prerequisites,
    modules_linked_to_event,
    participant,
    programme_completion,
    return_submission,
    review_queue,
    submit_work,
    sync_attendance_for_event,
    unmark_module,
)
from app.learning.reports import (
    MATRIX_STATES,
    MatrixCell,
    MatrixRow,
    ModuleProgress,
    ProgrammeProgress,
    ProgressMatrix,
    learning_modules_for_event,
    matrix_csv_rows,
    my_programmes,
    programme_progress,
    progress_matrix,
    upcoming_events_for_modules,
)
from app.spreadsheet import safe_cell as csv_safe

__all__ = [
    # lookups
    "can_manage", "can_view", "get_module", "get_programme", "get_programme_by_slug", "recent_audit",
    # catalogue
    "RESERVED_SLUGS", "MODULE_FIELDS", "PROGRAMME_FIELDS", "parse_hours",
    "create_programme", "update_programme", "publish_programme", "archive_programme", "load_programme",
    "list_programmes", "managed_programmes",
    "add_module", "update_module", "set_prerequisites", "move_module", "delete_module",
    "link_module", "unlink_module",
    # progress
    "join_programme", "participant", "missing_prerequisites", "modules_linked_to_event",
    "sync_attendance_for_event", "programme_completion", "completed_modules",
    "submit_work", "approve_submission", "return_submission", "mark_module_done", "unmark_module", "review_queue",
    # reports
    "ModuleProgress", "ProgrammeProgress", "programme_progress", "my_programmes", "upcoming_events_for_modules",
    "learning_modules_for_event", "MATRIX_STATES", "MatrixCell", "MatrixRow", "ProgressMatrix", "progress_matrix",
    "matrix_csv_rows", "csv_safe",
]
