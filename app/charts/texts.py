"""The few words a chart writes itself; callers may pass their own. Lazy, so they follow the reader's language
at render time (outside a request they stay English)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NO_DATA = _l("No data yet")
OTHERS = _l("Others")
PEOPLE = _l("People")
SHARE_OF_FIRST = _l("Share of the first step")
NOTE = _l("Note")
CATEGORY = _l("Category")
