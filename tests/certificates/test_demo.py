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


def test_demo_certificates_come_in_several_languages_and_scripts(session):
    from app.certificates import services as svc
    from tests.certificates.test_scripts import embedded_fonts

    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    certificates = session.scalars(sa.select(Certificate)).all()
    languages = {c.language for c in certificates}
    # the holders' own (Arabic and French among them), and Portuguese chosen for the Curitiba tour
    assert {"en", "de", "pt", "ar", "fr"} <= languages
    curitiba = [c for c in certificates if "Curitiba" in c.snapshot["title"]]
    assert curitiba and {c.language for c in curitiba} == {"pt"}
    names = {c.snapshot["holder_name"] for c in certificates}
    assert {"Анна Ковальчук", "Γιώργος Παπαδόπουλος", "Nguyễn Văn An", "فاطمة الزهراء"} <= names
    arabic = next(c for c in certificates if c.snapshot["holder_name"] == "فاطمة الزهراء" and c.language == "ar")
    assert any(font.endswith(("NotoNaskhArabic", "NotoNaskhArabic-Regular")) or "Arabic" in font
               for font in embedded_fonts(svc.render_pdf(arabic)))
    for certificate in certificates[:3]:
        assert embedded_fonts(svc.render_pdf(certificate))[0].startswith("DejaVuSerif")
