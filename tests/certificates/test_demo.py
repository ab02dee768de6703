"""The demo data: certificates for past demo events' attendees and for the completed programme."""

from __future__ import annotations

import sqlalchemy as sa

from app.certificates.models import Certificate
from app.demo import seed_all
from tests.factories import TEST_HASH


def test_demo_certificates_are_issued_once(session):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    certificates = session.scalars(sa.select(Certificate)).all()
    kinds = {c.kind for c in certificates}
    assert "event" in kinds and "programme" in kinds
    assert all(c.is_valid for c in certificates)
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == len(certificates)
