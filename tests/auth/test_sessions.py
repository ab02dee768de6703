"""Sessions end for good: logout kills a copied session cookie; a password change ends every other session."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.mail.models import OutboxMessage
from tests.conftest import csrf_from, post_form
from tests.factories import PASSWORD, make_user

EMAIL = "ana@example.org"
NEW_PASSWORD = "brand-new-password"


def _login(client, *, remember: bool = False):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302


def _signed_in(client) -> bool:
    response = client.get("/auth/profile")
    return response.status_code == 200


def _copy_cookie(source, target, name: str) -> None:
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    target.set_cookie(name, cookie.value)


def _change_password(client):
    response = post_form(client, "/auth/profile", {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        action="/auth/password", follow_redirects=True)
    assert "Password changed." in response.get_data(as_text=True)


def test_logout_ends_that_session_for_good(app, client, session, auth):
    make_user(session, email=EMAIL)
    session.commit()
    _login(client, remember=True)
    thief, remembered = app.test_client(), app.test_client()
    _copy_cookie(client, thief, "session")
    _copy_cookie(client, remembered, "remember_token")
    assert _signed_in(thief) and _signed_in(remembered)
    auth.logout()
    assert not _signed_in(client)
    assert not _signed_in(thief), "a session cookie copied before logout still works"
    fresh = app.test_client()
    _copy_cookie(remembered, fresh, "remember_token")
    assert not _signed_in(fresh), "a remember-me cookie from before logout still works"


def test_password_change_ends_every_other_session_and_remember_cookie(app, client, session):
    make_user(session, email=EMAIL)
    session.commit()
    other, remembered_only = app.test_client(), app.test_client()
    _login(client, remember=True)
    _login(other, remember=True)
    _copy_cookie(other, remembered_only, "remember_token")
    old_remember = client.get_cookie("remember_token").value
    _change_password(client)
    assert _signed_in(client), "the browser that changed the password stays signed in"
    assert not _signed_in(other), "another browser kept its session after the password change"
    assert not _signed_in(remembered_only), "a remember-me cookie survived the password change"
    # this browser's own remember-me cookie is renewed, the old value is dead
    assert client.get_cookie("remember_token").value != old_remember
    stale = app.test_client()
    stale.set_cookie("remember_token", old_remember)
    assert not _signed_in(stale)
    renewed = app.test_client()
    _copy_cookie(client, renewed, "remember_token")
    assert _signed_in(renewed)


def test_password_reset_ends_every_session(app, client, session):
    make_user(session, email=EMAIL)
    session.commit()
    _login(client, remember=True)
    anonymous = app.test_client()
    post_form(anonymous, "/auth/reset", {"email": EMAIL})
    message = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
    link = re.search(r"http://cc\.test(/auth/reset/\S+)", message.text_body).group(1)
    assert post_form(anonymous, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert not _signed_in(client)


def test_sessions_from_before_the_upgrade_still_work(app, client, session):
    """A session cookie holding only the user id (written before auth_version existed) stays valid."""
    user = make_user(session, email=EMAIL)
    session.commit()
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(user.id)
        cookie_session["_fresh"] = False
    assert _signed_in(client)
