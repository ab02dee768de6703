"""/admin/outbox: admins list messages by status (constant queries), read one, retry failed ones (CSRF)."""

from __future__ import annotations

import sqlalchemy as sa

from app.mail.models import OutboxMessage
from app.mail.services import queue_email
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_admin, make_user


def _messages(session, n: int, *, status: str = "pending") -> list[OutboxMessage]:
    rows = []
    for i in range(n):
        message = queue_email(session, to=f"m{i}@example.org", subject=f"Subject <{i}> ü", text="Body",
                              now=utcnow(), kind="test")
        message.status = status
        if status == "failed":
            message.attempts = 8
            message.last_error = "SMTPServerDisconnected: <gone>"
        rows.append(message)
    session.flush()
    return rows


def test_only_admins_see_the_outbox(session, client, auth):
    make_user(session, email="p@example.org")
    session.commit()
    assert client.get("/admin/outbox").status_code == 302  # to the login page
    auth.login("p@example.org")
    assert client.get("/admin/outbox").status_code == 403


def test_outbox_lists_by_status_with_constant_queries(session, client, auth, count_queries):
    make_admin(session, email="a@example.org")
    _messages(session, 2)
    _messages(session, 1, status="failed")
    session.commit()
    auth.login("a@example.org")
    with count_queries() as small:
        page = client.get("/admin/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Subject &lt;0&gt; ü" in html and "Retry" in html
    _messages(session, 40)
    _messages(session, 5, status="failed")
    session.commit()
    with count_queries() as large:
        assert client.get("/admin/outbox").status_code == 200
    assert large.count == small.count
    failed = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert failed.count("m0@example.org") == 2 and "m39@example.org" not in failed
    assert "SMTPServerDisconnected: &lt;gone&gt;" in failed
    assert "m1@example.org" in client.get("/admin/outbox?status=pending&page=1").get_data(as_text=True)
    assert client.get("/admin/outbox?status=bogus").status_code == 404


def test_message_page_and_retry(session, client, auth):
    make_admin(session, email="a@example.org")
    [failed] = _messages(session, 1, status="failed")
    [pending] = _messages(session, 1)
    session.commit()
    auth.login("a@example.org")
    page = client.get(f"/admin/outbox/{failed.id}")
    assert page.status_code == 200 and "SMTPServerDisconnected" in page.get_data(as_text=True)
    assert client.get("/admin/outbox/999999").status_code == 404
    # no CSRF token: refused, nothing changes
    client.post(f"/admin/outbox/{failed.id}/retry")
    session.expire_all()
    assert session.get(OutboxMessage, failed.id).status == "failed"
    response = post_form(client, f"/admin/outbox/{failed.id}", {}, action=f"/admin/outbox/{failed.id}/retry")
    assert response.status_code == 302
    session.expire_all()
    message = session.get(OutboxMessage, failed.id)
    assert message.status == "pending" and message.attempts == 0 and message.last_error is None
    # only failed messages can be retried
    response = post_form(client, f"/admin/outbox/{failed.id}", {"next": "https://evil.example/"},
                         action=f"/admin/outbox/{pending.id}/retry")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/outbox")
    assert session.scalar(sa.select(OutboxMessage.status).where(OutboxMessage.id == pending.id)) == "pending"


def test_outbox_in_the_admin_navigation(session, client, auth):
    make_admin(session, email="a@example.org")
    session.commit()
    auth.login("a@example.org")
    assert 'href="/admin/outbox"' in client.get("/admin/").get_data(as_text=True)


def test_outbox_pages_in_the_pseudo_locale_come_from_the_catalogue(session, client, auth):
    import re

    admin = make_admin(session, email="a@example.org")
    admin.language = "en_US_POSIX"  # the profile's language decides, after redirects too
    (failed,) = _messages(session, 1, status="failed")
    session.commit()
    auth.login("a@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert ">Retry<" not in page and ">Failed\n" not in page and "No messages." not in page
    assert re.search(r"badge bg-danger\">⟦[^⟧]+⟧</span>", page)  # the status word of the failed message
    one = client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
    assert "after 8 attempts" not in one and "Last error" not in one and "SMTPServerDisconnected" in one


def test_outbox_message_counts_attempts_with_plurals(session, client, auth):
    make_admin(session, email="a@example.org")
    (failed,) = _messages(session, 1, status="failed")
    failed.attempts = 1
    session.commit()
    auth.login("a@example.org")
    assert "failed after 1 attempt\n" in client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
