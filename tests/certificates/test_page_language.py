"""Certificate pages follow the page's language: sentences from the catalogue (seen as ⟦…⟧ markers in the
pseudo-locale), dates, shares and hours written by Babel in the page's locale, reasons made at the edge."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import request
from flask_babel import refresh

from app.certificates import services as svc
from app.certificates.messages import Day, Share, Why
from app.certificates.views import hours_text
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, check_in, enrol, event_days, past_event
from tests.conftest import post_form
from tests.factories import make_user

PSEUDO = "en_US_POSIX"
SETTINGS = svc.CertificateSettings(base_url="http://cc.test", network_name="Connective Cities")
MARKED = re.compile(r"⟦[^⟧]*⟧")


def _text(body: str) -> str:
    """The page's main text, tags taken away."""
    main = body[body.find("<main"):body.find("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _unmarked(body: str) -> str:
    return MARKED.sub(" ", _text(body))


def _revoked_and_replaced(session):
    event = past_event(session, days=2)
    attendee(session, event, name="Анна Ковальчук", email="anna@example.org")
    (certificate,) = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow(),
                                                  settings=SETTINGS).issued
    svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="Name misspelt",
                           now=datetime(2026, 3, 4, 12, tzinfo=UTC))
    new = svc.reissue_certificate(session, code=certificate.code, actor_id=None, now=utcnow(), settings=SETTINGS)
    session.commit()
    return event, certificate, new


def test_verify_page_in_the_pseudo_locale_has_no_english_status_or_label(session, client):
    _, old, new = _revoked_and_replaced(session)
    body = client.get(f"/verify/{old.code}?lang={PSEUDO}").get_data(as_text=True)
    marked = " ".join(MARKED.findall(body))
    assert "⟦" in marked and "Name misspelt" in body and new.code in body
    left = _unmarked(body)
    for english in ("Revoked", "Replaced", "Holder", "Hours", "Issuer", "Issued on", "Certificate of attendance",
                    "Workshop", "hours", "replaced by"):
        assert english not in left, english
    assert "4 March 2026" in _text(body)  # the revocation's date, by Babel (English for the pseudo-locale)
    valid = client.get(f"/verify/{new.code}?lang={PSEUDO}").get_data(as_text=True)
    assert "Valid." not in _unmarked(valid) and "⟦" in valid


def test_verify_page_writes_dates_in_the_viewers_language(session, client):
    _, old, _new = _revoked_and_replaced(session)
    french = _text(client.get(f"/verify/{old.code}?lang=fr").get_data(as_text=True))
    assert "4 mars 2026" in french
    arabic = client.get(f"/verify/{old.code}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic and "مارس" in arabic
    assert f"<bdi>{_new.code}</bdi>" in arabic  # a code inside an Arabic sentence keeps its own direction


def test_organiser_page_reasons_are_made_in_the_page_language(session, client, auth):
    event = past_event(session, days=2)
    attendee(session, event, name="Full Attendee")
    partial = make_user(session, name="Half Attendee")
    check_in(session, enrol(session, event, partial), event, days=event_days(event)[:1])
    session.commit()
    auth.login(event.organisers[0].email)
    url = f"/certificates/event/{event.id}"
    assert "attended 1 of 2 (50%); the minimum is 100%" in client.get(url).get_data(as_text=True)
    french = client.get(f"{url}?lang=fr").get_data(as_text=True)
    assert re.search(r"\(50[\u00a0\u202f]%\)", french)  # French puts a no-break space before the sign
    pseudo = client.get(f"{url}?lang={PSEUDO}").get_data(as_text=True)
    assert "attended" not in _unmarked(pseudo) and "can receive a certificate now" not in _unmarked(pseudo)
    event.organisers[0].language = PSEUDO  # the profile's language decides after the redirect
    session.commit()
    response = post_form(client, url, {}, follow_redirects=True)
    flashed = _unmarked(response.get_data(as_text=True))
    assert "Issued 1" not in flashed and "got none" not in flashed


def test_issued_flash_counts_with_plurals(session, client, auth):
    event = past_event(session, days=2)
    attendee(session, event, name="First Attendee")
    attendee(session, event, name="Second Attendee")
    session.commit()
    auth.login(event.organisers[0].email)
    response = post_form(client, f"/certificates/event/{event.id}", {}, follow_redirects=True)
    assert "Issued 2 certificates." in response.get_data(as_text=True)
    assert "got none" not in response.get_data(as_text=True)


def test_reasons_are_codes_with_values_made_into_sentences_when_shown(session, app):
    why = Why("certificate.why.attendance", {"attended": 1, "total": 3, "share": Share(1 / 3),
                                             "minimum": Share(0.75)})
    assert str(why) == "attended 1 of 3 (33%); the minimum is 75%"  # English outside a request (CLI, logs)
    assert str(Day(datetime(2026, 3, 4).date())) == "2026-03-04"
    with app.test_request_context("/?lang=fr"):
        refresh()  # the app context is shared with the other requests here: forget their locale
        assert request.args["lang"] == "fr"
        assert str(why).replace("\u00a0", " ").replace("\u202f", " ") == "présence à 1 sur 3 (33 %) ; le minimum est de 75 %"
        assert str(Day(datetime(2026, 3, 4).date())) == "4 mars 2026"
    with app.test_request_context(f"/?lang={PSEUDO}"):
        refresh()
        assert str(why).startswith("⟦") and str(why).endswith("⟧")


def test_hours_are_counted_in_the_page_language(app):
    with app.test_request_context("/"):
        refresh()
        assert hours_text(1) == "1 hour" and hours_text(16) == "16 hours" and hours_text(4.5) == "4.5 hours"
    with app.test_request_context("/?lang=de"):
        refresh()
        assert hours_text(7.5).startswith("7,5")
