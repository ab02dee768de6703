"""Plain factory functions: make_<thing>(session, **overrides). They flush; tests commit when requests need it."""

from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.auth.models import User
from app.directory.models import Organisation, Topic

PASSWORD = "correct-horse-battery"
TEST_HASH = "pbkdf2:sha256:1000"
_seq = itertools.count(1)


def make_organisation(session, **overrides) -> Organisation:
    n = next(_seq)
    values = {"name": f"City {n}", "kind": "municipality", "city": f"Town {n}", "country": "DE"}
    values.update(overrides)
    org = Organisation(**values)
    session.add(org)
    session.flush()
    return org


def make_user(session, *, password: str = PASSWORD, **overrides) -> User:
    n = next(_seq)
    values = {"email": f"person{n}@example.org", "name": f"Person {n}", "role": "participant", "country": "DE",
              "timezone": "UTC", "language": "en"}
    values.update(overrides)
    return auth_services.register_user(session, password=password, hash_method=TEST_HASH, **values)


def make_organiser(session, **overrides) -> User:
    return make_user(session, role="organiser", **overrides)


def make_admin(session, **overrides) -> User:
    return make_user(session, role="admin", **overrides)


def make_token(session, user: User, *, now=None) -> str:
    from app.sqltypes import utcnow

    _, plain = auth_services.create_api_token(session, user.id, now=now or utcnow())
    return plain


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def topic(session, slug: str) -> Topic:
    import sqlalchemy as sa

    return session.scalar(sa.select(Topic).where(Topic.slug == slug))
