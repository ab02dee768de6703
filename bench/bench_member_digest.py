"""The member digest job for 2,000 and 20,000 following members: peak memory (tracemalloc) and time per member.

Memory should stay flat as members grow: members are read in keyset batches and nothing is kept from one batch
to the next, so the peak depends on the candidate items and the batch size, not on the number of members.
The same 300 candidate items (practices, events with seats, programmes) in both runs; each member follows two
topics, an SDG goal and a sub-region, so most get a short digest.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import timedelta

import sqlalchemy as sa

from bench.common import Figure, bench_app

SIZES = (2_000, 20_000)
PRACTICES = 200
EVENTS = 60
PROGRAMMES = 40


def _seed(session, now, members: int) -> None:
    from app.account.interests_models import (
        MemberInterest,
        interest_region,
        interest_sdg_goal,
        interest_topic,
    )
    from app.auth.models import User
    from app.directory.models import Organisation, Topic
    from app.events.models import Event, event_topic
    from app.learning.models import Programme, programme_topic
    from app.practices.models import Practice, PracticeSdgGoal, practice_topic

    topic_ids = list(session.scalars(sa.select(Topic.id).order_by(Topic.id)))
    org = Organisation(name="Bench city", kind="municipality", city="Leipzig", country="DE", region="155")
    session.add(org)
    session.flush()
    session.execute(sa.insert(User), [
        {"email": f"m{i}@bench.test", "name": f"Member {i}", "password_hash": "x", "role": "participant",
         "timezone": "UTC", "language": ("en", "fr", "de", "es", "pt", "ar")[i % 6], "is_active_account": True,
         "created_at": now} for i in range(members)])
    user_ids = list(session.scalars(sa.select(User.id).order_by(User.id)))
    session.execute(sa.insert(MemberInterest), [
        {"user_id": uid, "frequency": "weekly", "created_at": now, "updated_at": now} for uid in user_ids])
    session.execute(sa.insert(interest_topic), [
        {"user_id": uid, "topic_id": topic_ids[(i + k) % len(topic_ids)]}
        for i, uid in enumerate(user_ids) for k in (0, 3)])
    session.execute(sa.insert(interest_sdg_goal), [{"user_id": uid, "goal": 1 + i % 17}
                                                   for i, uid in enumerate(user_ids)])
    session.execute(sa.insert(interest_region), [{"user_id": uid, "region": ("155", "202", "419")[i % 3]}
                                                 for i, uid in enumerate(user_ids)])
    for i in range(PRACTICES):
        region, country = (("039", "IT"), ("145", "JO"), ("034", "IN"))[i % 3]
        p = Practice(slug=f"p-{i}", title=f"Practice {i}", status="published", organisation_id=org.id,
                     country=country, region=region, published_at=now - timedelta(days=1 + i % 6), revision=1)
        session.add(p)
        session.flush()
        session.execute(sa.insert(practice_topic), [{"practice_id": p.id, "topic_id": topic_ids[i % len(topic_ids)]}])
        session.add(PracticeSdgGoal(practice_id=p.id, goal=1 + i % 17))
    for i in range(EVENTS):
        start = now + timedelta(days=5 + i)
        e = Event(slug=f"e-{i}", title=f"Workshop {i}", format="workshop", timezone="Europe/Berlin",
                  starts_at=start, ends_at=start + timedelta(hours=8), status="published", city="Leipzig",
                  country="DE", published_at=now - timedelta(days=20), languages=["en"], capacity=None)
        session.add(e)
        session.flush()
        session.execute(sa.insert(event_topic), [{"event_id": e.id, "topic_id": topic_ids[(i * 5) % len(topic_ids)]}])
    for i in range(PROGRAMMES):
        pr = Programme(slug=f"pr-{i}", title=f"Programme {i}", status="published",
                       published_at=now - timedelta(days=2))
        session.add(pr)
        session.flush()
        session.execute(sa.insert(programme_topic), [{"programme_id": pr.id,
                                                      "topic_id": topic_ids[(i * 7) % len(topic_ids)]}])
    session.commit()


def run() -> list[Figure]:
    from app.account.digest import send_member_digests
    from app.extensions import db
    from app.sqltypes import utcnow

    figures = []
    peaks = {}
    for size in SIZES:
        with bench_app() as app, app.app_context():
            now = utcnow()
            _seed(db.session, now, size)
            db.session.expunge_all()
            tracemalloc.start()
            started = time.perf_counter()
            result = send_member_digests(db.session, now=now, config=app.config)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            db.session.commit()
            assert result.members == size and result.sent > 0.9 * size, result
            peaks[size] = peak / 2**20
            figures.append(Figure(f"member digest, {size:,} members: peak memory (tracemalloc)", peaks[size], "MiB",
                                  f"{result.sent:,} sent, {result.items:,} items"))
            figures.append(Figure(f"member digest, {size:,} members: per member (traced)", elapsed / size * 1000,
                                  "ms"))
    small, large = SIZES
    figures.append(Figure(f"peak memory {large:,} vs {small:,} members", peaks[large], "MiB",
                          f"{small:,} members {peaks[small]:.1f} MiB", peaks[large] / peaks[small],
                          "flat: ≈1x for 10x the members"))
    return figures
