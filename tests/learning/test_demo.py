"""The learning demo data: programmes linked to events, partial and complete progress; idempotent."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo import seed_foundation
from app.events import demo as events_demo
from app.learning import demo
from app.learning.models import ModuleLink, Programme, ProgrammeCompletion, Submission
from app.sqltypes import utcnow
from tests.factories import TEST_HASH


def test_demo_seed_is_realistic_and_idempotent(session):
    now = utcnow()
    ctx = seed_foundation(session, password="demo-password-123", hash_method=TEST_HASH)
    events_demo.seed(session, ctx=ctx, now=now)
    demo.seed(session, ctx=ctx, now=now)
    demo.seed(session, ctx=ctx, now=now)
    session.commit()
    programmes = {p.slug: p for p in session.scalars(sa.select(Programme))}
    assert programmes["circular-economy-for-municipalities"].status == "published"
    assert programmes["climate-friendly-urban-mobility"].status == "published"
    assert programmes["energy-efficient-municipal-buildings"].status == "draft"
    assert session.scalar(sa.select(sa.func.count()).select_from(ModuleLink)) >= 5
    assert session.scalar(sa.select(sa.func.count()).select_from(ProgrammeCompletion)) == 2
    assert session.scalar(sa.select(sa.func.count()).select_from(Submission)
                          .where(Submission.status == "submitted")) == 2


def test_demo_completes_no_module_before_its_prerequisites(session):
    from app.learning.models import ModuleCompletion

    now = utcnow()
    ctx = seed_foundation(session, password="demo-password-123", hash_method=TEST_HASH)
    events_demo.seed(session, ctx=ctx, now=now)
    demo.seed(session, ctx=ctx, now=now)
    session.commit()
    completions = list(session.scalars(sa.select(ModuleCompletion)))
    when = {(c.module_id, c.user_id): c.completed_at for c in completions}
    assert completions
    for completion in completions:
        for prerequisite in completion.module.prerequisites:
            done = when.get((prerequisite.id, completion.user_id))
            assert done is not None and done <= completion.completed_at, (
                f"{completion.module.title!r} completed before {prerequisite.title!r}")
