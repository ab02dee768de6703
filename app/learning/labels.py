"""Words the learning pages show for the package's codes (statuses, kinds, audit actions), through the catalogue.

Lazy (`_l`): they are translated when a page renders them, in that page's language. The services keep the
codes; only the edges (views, templates) read these.
"""

from __future__ import annotations

from app.i18n import _l
from app.learning.reports import CELL_LABELS

# a participant's state in one module (app.learning.reports.ModuleProgress.status)
STATUS_LABELS = {
    "done": _l("Done"), "submitted": _l("Submitted, waiting for review"),
    "returned": _l("Returned: please revise"), "available": _l("Open"), "locked": _l("Prerequisites first"),
    "open": _l("Open"),
}

COMPLETION_KIND_LABELS = {"event": _l("Event-based"), "self_study": _l("Self-study")}

# how a module was completed (ModuleCompletion.source)
SOURCE_LABELS = {
    "attendance": _l("by attendance"), "submission": _l("by an approved submission"),
    "manual": _l("recorded by an organiser"),
}

PROGRAMME_STATUS_LABELS = {"draft": _l("draft"), "published": _l("published"), "archived": _l("archived")}

# the matrix's cells and its filter by state (app.learning.reports: MatrixCell.status, MATRIX_STATES)
MATRIX_CELL_LABELS = {status: _l(label) for status, label in CELL_LABELS.items()}
MATRIX_STATE_LABELS = {
    "": _l("Everyone"), "completed": _l("Completed"), "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
}

# LearningAudit.action
AUDIT_ACTION_LABELS = {
    "marked_done": _l("marked done"), "unmarked": _l("completion withdrawn"),
    "approved": _l("submission approved"), "returned": _l("submission returned"),
    "uncompleted": _l("completion removed: the check-in was undone"),
    "kept": _l("completion kept"), "programme_completed": _l("programme completed"),
    "programme_uncompleted": _l("programme completion removed"),
}
