"""The review workflow: draft -> submitted -> published, or returned with a comment; archived at the end.

    draft ──submit──> submitted ──publish──> published ──archive──> archived
      ^                 │   ^                   │  ^                   │
      └──(edit)─ returned <─return─┘   └──(member edits: back to review) └─publish (again)

Members of the practice's organisation submit; organisers and admins (reviewers) publish, return and archive
(an editor may also archive their own practice, withdrawing it). Every transition is a revision with its
action and comment. Returning emails the author in the author's language, through the outbox, in the same
transaction.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import Conflict, ValidationFailed, msg
from app.language import translator
from app.mail.render import render_mail
from app.mail.services import queue_email
from app.practices.limits import COMMENT_MAX
from app.practices.lookups import editable_practice, record_revision, reviewed_practice
from app.practices.models import Practice
from app.validation import clean_text

# ---------------------------------------------------------------------------------------------------
# The review checklist: shown on the review page; some items are checked automatically, the reviewer decides

REVIEW_CHECKLIST = ("evidence_of_results", "transferability_explained", "contact_present", "no_personal_data",
                    "images_credited")
CHECKLIST_REASONS = {
    "evidence_of_results": "practice.check.evidence_of_results",
    "transferability_explained": "practice.check.transferability_explained",
    "contact_present": "practice.check.contact_present",
    "no_personal_data": "practice.check.no_personal_data",
    "images_credited": "practice.check.images_credited",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a phone number: an optional +, then 8 or more digits with spaces, dots, dashes or brackets between them
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){7,}(?![\w])")


def personal_data_in(text: str) -> list[str]:
    """The email addresses and phone numbers found in a text (years, amounts and target codes are not)."""
    found = _EMAIL.findall(text or "")
    for match in _PHONE.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 8:
            found.append(match.group().strip())
    return found


def check_practice(practice: Practice) -> dict[str, bool]:
    """Which checklist items pass automatically (True) and which need the reviewer's attention (False)."""
    texts = [practice.title, practice.summary, *(getattr(practice, name) for name in (
        "challenge", "solution", "results", "costs_and_funding", "stakeholders", "success_factors", "obstacles",
        "transferability"))]
    for translation in practice.translations:
        texts += [translation.title, translation.summary, translation.results, translation.challenge,
                  translation.solution, translation.costs_and_funding, translation.stakeholders,
                  translation.success_factors, translation.obstacles, translation.transferability]
    texts += [f.caption for f in practice.files]
    return {
        "evidence_of_results": bool((practice.results or "").strip()) or bool(practice.indicators),
        "transferability_explained": bool((practice.transferability or "").strip()),
        "contact_present": practice.contact_id is not None,
        "no_personal_data": not any(personal_data_in(t) for t in texts if t),
        "images_credited": all((f.credit or "").strip() for f in practice.images),
    }


# ---------------------------------------------------------------------------------------------------
# Transitions


def submit_practice(session: Session, *, practice_id: int, actor_id: int, now: datetime) -> Practice:
    """Send a draft or returned practice to the reviewers."""
    practice, user = editable_practice(session, practice_id, actor_id)
    if practice.status not in ("draft", "returned"):
        raise Conflict("practice.cannot_submit", field="status")
    practice.status = "submitted"
    practice.submitted_at = now
    record_revision(session, practice, action="submitted", actor_id=user.id, now=now)
    session.flush()
    return practice


def publish_practice(session: Session, *, practice_id: int, actor_id: int, now: datetime,
                     comment: str = "") -> Practice:
    """Publish (reviewers only): from any status but published; an archived practice can come back."""
    practice, user = reviewed_practice(session, practice_id, actor_id, reason="practice.publish_reviewers_only")
    if practice.status == "published":
        raise Conflict("practice.cannot_publish", field="status")
    comment = clean_text(comment, field="comment", limit=COMMENT_MAX)
    practice.status = "published"
    practice.published_at = practice.published_at or now
    practice.archived_at = None
    practice.review_comment = ""
    practice.last_verified_at = practice.last_verified_at or now
    record_revision(session, practice, action="published", actor_id=user.id, now=now, comment=comment)
    session.flush()
    return practice


def return_practice(session: Session, *, practice_id: int, actor_id: int, now: datetime, comment: str,
                    base_url: str = "", network_name: str = "Connective Cities") -> Practice:
    """Return a submitted (or published) practice to its author with a comment, emailed in their language."""
    practice, user = reviewed_practice(session, practice_id, actor_id)
    comment = clean_text(comment, field="comment", limit=COMMENT_MAX)
    if not comment:
        raise ValidationFailed("practice.comment_required", field="comment")
    if practice.status not in ("submitted", "published"):
        raise Conflict("practice.cannot_return", field="status")
    practice.status = "returned"
    practice.review_comment = comment
    record_revision(session, practice, action="returned", actor_id=user.id, now=now, comment=comment)
    session.flush()
    if practice.author is not None and practice.author.is_active_account:
        _email_returned(session, practice, comment=comment, reviewer_name=user.name, now=now, base_url=base_url,
                        network_name=network_name)
    return practice


def archive_practice(session: Session, *, practice_id: int, actor_id: int, now: datetime,
                     comment: str = "") -> Practice:
    """Archive: reviewers, or the practice's own editors withdrawing it. It leaves lists; its page stays for
    its editors and reviewers."""
    practice, user = editable_practice(session, practice_id, actor_id)
    if practice.status == "archived":
        raise Conflict("practice.cannot_archive", field="status")
    comment = clean_text(comment, field="comment", limit=COMMENT_MAX)
    practice.status = "archived"
    practice.archived_at = now
    record_revision(session, practice, action="archived", actor_id=user.id, now=now, comment=comment)
    session.flush()
    return practice


# ---------------------------------------------------------------------------------------------------
# The author's email

RETURNED_SUBJECT = msg("Your practice “%(title)s” was returned with comments")


def practice_url(base_url: str, practice: Practice, suffix: str = "") -> str:
    return f"{base_url}/practices/{practice.id}{suffix}"


def _email_returned(session: Session, practice: Practice, *, comment: str, reviewer_name: str, now: datetime,
                    base_url: str, network_name: str) -> None:
    author = practice.author
    t = translator(author.language)
    subject = t.gettext(RETURNED_SUBJECT, title=practice.title)
    edit_url = practice_url(base_url, practice, "/edit")
    lines = [
        t.gettext("Hello %(name)s,", name=author.name), "",
        t.gettext("%(reviewer)s returned your practice “%(title)s” with this comment:", reviewer=reviewer_name,
                  title=practice.title), "",
        comment, "",
        t.gettext("Change it and submit it again: %(url)s", url=edit_url), "",
        f"— {network_name}", "",
    ]
    html = render_mail("practices/email/returned.html", language=author.language, name=author.name,
                       reviewer=reviewer_name, title=practice.title, comment=comment, edit_url=edit_url,
                       network_name=network_name, subject=subject)
    queue_email(session, to=author.email, to_name=author.name, subject=subject, text="\n".join(lines), html=html,
                now=now, kind="practice_returned", user_id=author.id,
                dedupe_key=f"practice-returned:{practice.id}:{practice.revision}")
