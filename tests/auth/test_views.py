"""Registration, login, profile, password change and reset through the HTML forms."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.mail.models import OutboxMessage
from tests.conftest import csrf_from, post_form
from tests.factories import PASSWORD, make_organisation, make_user

REGISTRATION = {"name": "Zoë Müller", "password": "long-enough-pw", "confirm": "long-enough-pw",
                "organisation_id": "0", "country": "DE"}


def test_register_creates_account_and_sends_a_welcome_mail(client, session):
    org = make_organisation(session, name="City of Leipzig", city="Leipzig")
    session.commit()
    response = post_form(client, "/auth/register", {
        **REGISTRATION, "email": "Zoe@Example.org", "organisation_id": str(org.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    user = session.scalar(sa.select(User).where(User.email == "zoe@example.org"))
    assert user is not None and user.organisation_id == org.id and user.role == "participant"
    assert user.password_hash.startswith("pbkdf2:") or user.password_hash.startswith("scrypt:")
    assert "long-enough-pw" not in user.password_hash
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "zoe@example.org"))
    assert mail is not None and mail.kind == "registration" and "http://cc.test/auth/login" in mail.text_body
    assert auth_login_works(client, "zoe@example.org", "long-enough-pw")


def auth_login_works(client, email: str, password: str) -> bool:
    response = post_form(client, "/auth/login", {"email": email, "password": password})
    return response.status_code == 302


def test_register_answers_the_same_for_a_taken_email_and_tells_its_owner(app, client, session):
    make_user(session, email="taken@example.org", name="Taken Owner")
    session.commit()
    fresh = post_form(app.test_client(), "/auth/register", {**REGISTRATION, "email": "new@example.org"},
                      follow_redirects=True)
    taken = post_form(client, "/auth/register", {**REGISTRATION, "email": "TAKEN@example.org"},
                      follow_redirects=True)
    assert taken.status_code == fresh.status_code == 200
    assert "Check your email" in taken.get_data(as_text=True)
    assert "already" not in taken.get_data(as_text=True)
    assert taken.request.path == fresh.request.path == "/auth/login"
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    owner_mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "taken@example.org"))
    assert owner_mail is not None and owner_mail.kind == "registration_existing"
    assert "someone tried to create" in owner_mail.text_body and "/auth/reset" in owner_mail.text_body
    assert "long-enough-pw" not in owner_mail.text_body


def test_registration_is_rate_limited_per_address(app, client, session):
    app.config["REGISTER_RATE_LIMIT"] = "2 per minute"
    try:
        statuses = [post_form(client, "/auth/register", {**REGISTRATION, "email": f"r{n}@example.org"}).status_code
                    for n in range(3)]
    finally:
        app.config["REGISTER_RATE_LIMIT"] = "10 per hour"
    assert statuses == [302, 302, 429]
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_register_bad_input_gives_form_errors(client):
    response = post_form(client, "/auth/register", {
        "name": "", "email": "not-an-email", "password": "short", "confirm": "other",
        "organisation_id": "0", "country": "",
    })
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "This field is required" in body
    assert "Passwords differ" in body


def test_register_escapes_html_in_name(client, session):
    post_form(client, "/auth/register", {
        "name": "<script>alert(1)</script>", "email": "x@example.org", "password": "long-enough-pw",
        "confirm": "long-enough-pw", "organisation_id": "0", "country": "DE",
    })
    assert auth_login_works(client, "x@example.org", "long-enough-pw")
    body = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_login_logout(client, session, auth):
    make_user(session, email="ana@example.org", name="Ana")
    session.commit()
    response = auth.login("ana@example.org")
    assert response.status_code == 302
    assert "Ana" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_login_wrong_password_and_unknown_email_look_the_same(client, session, auth):
    make_user(session, email="ana@example.org")
    session.commit()
    wrong = auth.login("ana@example.org", "wrong-password").get_data(as_text=True)
    unknown = auth.login("nobody@example.org", "wrong-password").get_data(as_text=True)
    assert "Email or password is not correct." in wrong
    assert "Email or password is not correct." in unknown


def test_post_without_csrf_token_is_refused(client, session):
    make_user(session, email="ana@example.org")
    session.commit()
    response = client.post("/auth/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_login_rate_limited_per_account(app, session):
    from app import create_app
    from config import TestingConfig

    class Limited(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        LOGIN_RATE_LIMIT = "3 per minute"

    limited = create_app(Limited)
    limited.test_client_class = type(app.test_client())
    client = limited.test_client()
    make_user(session, email="ana@example.org")
    session.commit()
    statuses = []
    for _ in range(4):
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        answer = client.post("/auth/login", data={
            "email": "ana@example.org", "password": "wrong-password", "csrf_token": token})
        statuses.append(answer.status_code)
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert "Too many login attempts" in answer.get_data(as_text=True)  # the sentence from the catalogue
    with limited.app_context():
        from app.extensions import db
        db.engine.dispose()


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "/\tevil", "javascript:alert(1)",
])
def test_login_redirect_ignores_external_next(client, session, target):
    from urllib.parse import quote

    make_user(session, email="ana@example.org")
    session.commit()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(f"/auth/login?next={quote(target)}", data={
        "email": "ana@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_redirect_follows_a_local_next(client, session):
    make_user(session, email="ana@example.org")
    session.commit()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login?next=/events/%3Fq%3Dleipzig", data={
        "email": "ana@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/events/?q=leipzig"


def test_profile_requires_login(client):
    response = client.get("/auth/profile")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_profile_update_and_bad_timezone(client, session, auth):
    user = make_user(session, email="ana@example.org")
    session.commit()
    auth.login("ana@example.org")
    bad = post_form(client, "/auth/profile", {
        "name": "Ana B", "organisation_id": "0", "country": "ZA", "timezone": "Mars/Olympus", "language": "de"})
    assert bad.status_code == 200 and "Unknown time zone" in bad.get_data(as_text=True)
    good = post_form(client, "/auth/profile", {
        "name": "Ana B", "organisation_id": "0", "country": "ZA", "timezone": "Africa/Johannesburg",
        "language": "de"})
    assert good.status_code == 302
    session.expire_all()
    fresh = session.get(User, user.id)
    assert (fresh.name, fresh.country, fresh.timezone, fresh.language) == (
        "Ana B", "ZA", "Africa/Johannesburg", "de")


def test_change_password(client, session, auth):
    make_user(session, email="ana@example.org")
    session.commit()
    auth.login("ana@example.org")
    wrong = post_form(client, "/auth/profile", {
        "current_password": "nope-nope-nope", "new_password": "brand-new-password",
        "confirm": "brand-new-password"}, action="/auth/password", follow_redirects=True)
    assert "current password is not correct" in wrong.get_data(as_text=True)
    ok = post_form(client, "/auth/profile", {
        "current_password": PASSWORD, "new_password": "brand-new-password",
        "confirm": "brand-new-password"}, action="/auth/password", follow_redirects=True)
    assert "Password changed." in ok.get_data(as_text=True)
    auth.logout()
    assert auth.login("ana@example.org", "brand-new-password").status_code == 302


def _reset_link(session) -> str:
    message = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
    assert message is not None
    return re.search(r"http://cc\.test(/auth/reset/\S+)", message.text_body).group(1)


def test_password_reset_flow(client, session, auth):
    make_user(session, email="ana@example.org")
    session.commit()
    response = post_form(client, "/auth/reset", {"email": "ANA@example.org"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    link = _reset_link(session)
    post = post_form(client, link, {"password": "a-new-password-1", "confirm": "a-new-password-1"})
    assert post.status_code == 302
    assert auth.login("ana@example.org", "a-new-password-1").status_code == 302
    # the link works once
    again = client.get(link, follow_redirects=True)
    assert "already been used" in again.get_data(as_text=True)


def test_password_reset_unknown_email_says_the_same_and_queues_nothing(client, session):
    response = post_form(client, "/auth/reset", {"email": "ghost@example.org"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_password_reset_expired_and_forged_tokens(app, client, session):
    from app.auth.services import make_reset_token

    user = make_user(session, email="ana@example.org")
    session.commit()
    forged = client.get("/auth/reset/not-a-token", follow_redirects=True)
    assert "not valid" in forged.get_data(as_text=True)
    token = make_reset_token(user, app.config["SECRET_KEY"])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        expired = client.get(f"/auth/reset/{token}", follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "expired" in expired.get_data(as_text=True)


def test_api_tokens_created_and_revoked_from_profile(client, session, auth):
    make_user(session, email="ana@example.org")
    session.commit()
    auth.login("ana@example.org")
    created = post_form(client, "/auth/profile", {"name": "laptop"}, action="/auth/tokens", follow_redirects=True)
    token = re.search(r"(cc_[A-Za-z0-9_\-]+)", created.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    from app.auth.models import ApiToken
    token_id = session.scalar(sa.select(ApiToken.id))
    post_form(client, "/auth/profile", {}, action=f"/auth/tokens/{token_id}/revoke")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def _redis_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False



_WORKER_SCRIPT = """
import re, sys
from app import create_app
from config import TestingConfig

class Shared(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    LOGIN_RATE_LIMIT = "3 per minute"
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
    RATELIMIT_KEY_PREFIX = sys.argv[2]

client = create_app(Shared).test_client()
statuses = []
for _ in range(2):
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses.append(client.post("/auth/login", data={
        "email": "ana@example.org", "password": "wrong-password", "csrf_token": token}).status_code)
print(" ".join(map(str, statuses)))
"""


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_login_limit_is_shared_by_processes_through_redis(app, session):
    """With RATELIMIT_STORAGE_URI on Redis, two worker processes count login attempts together."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    make_user(session, email="ana@example.org")
    session.commit()
    prefix = f"cc-test-{uuid.uuid4().hex}"
    root = Path(__file__).resolve().parents[2]
    outputs = []
    for _ in range(2):  # two processes, one after the other: 2 attempts each against a limit of 3
        result = subprocess.run(
            [sys.executable, "-c", _WORKER_SCRIPT, app.config["SQLALCHEMY_DATABASE_URI"], prefix],
            cwd=root, capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append(result.stdout.strip().splitlines()[-1])
    assert outputs == ["200 200", "200 429"]


def test_register_with_a_nul_character_is_a_form_error_on_every_database(client, session):
    response = post_form(client, "/auth/register", {
        "name": "Zoë\x00Müller", "email": "nul@example.org", "password": "long-enough-pw",
        "confirm": "long-enough-pw", "organisation_id": "0", "country": "DE",
    })
    assert response.status_code == 200
    assert "not allowed (NUL)" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


_OUTAGE_SCRIPT = """
import re, socket, sys
from app import create_app
from config import TestingConfig

with socket.socket() as s:  # a port nothing listens on: Redis is "down"
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]

class Outage(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    LOGIN_RATE_LIMIT = "2 per minute"
    RATELIMIT_STORAGE_URI = f"redis://127.0.0.1:{port}"

client = create_app(Outage).test_client()
statuses = []
for _ in range(4):
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses.append(client.post("/auth/login", data={
        "email": "ana@example.org", "password": "wrong-password", "csrf_token": token}).status_code)
print(" ".join(map(str, statuses)))
"""


def test_login_answers_when_the_rate_limit_storage_is_down(app, session):
    """Redis unreachable: limits fall back to the process's memory, never a 500."""
    import subprocess
    import sys
    from pathlib import Path

    make_user(session, email="ana@example.org")
    session.commit()
    result = subprocess.run(
        [sys.executable, "-c", _OUTAGE_SCRIPT, app.config["SQLALCHEMY_DATABASE_URI"]],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    statuses = result.stdout.strip().splitlines()[-1].split()
    assert "500" not in statuses
    assert statuses[:2] == ["200", "200"]
    assert statuses[-1] == "429", statuses  # the in-memory fallback still limits


def test_production_logs_an_error_when_rate_limits_are_counted_per_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    env = {"APP_ENV": "production", "PATH": "/usr/bin:/bin", "SECRET_KEY": "9c2e7b1f4a6d8e0c3b5a7f9d1e2c4b6a8f0e",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite'}"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert " ERROR " in result.stderr and "RATELIMIT_STORAGE_URI" in result.stderr
    shared = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True, timeout=60,
                            env={**env, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"},
                            cwd=Path(__file__).resolve().parents[2])
    assert shared.returncode == 0, shared.stderr[-2000:]
    assert "RATELIMIT_STORAGE_URI" not in shared.stderr


# Time zone and language of a new account (issue 12, point 8): the browser's zone, else the main zone of the
# chosen country, never silently UTC; the language the registration page was read in.

def _registered(session, email: str) -> User:
    return session.scalar(sa.select(User).where(User.email == email))


def test_register_keeps_the_zone_the_browser_proposed(client, session):
    page = client.get("/auth/register").get_data(as_text=True)
    assert "data-browser-timezone" in page and 'name="timezone"' in page  # static/timezone.js fills it
    response = post_form(client, "/auth/register", {**REGISTRATION, "email": "tz@example.org", "country": "DE",
                                                     "timezone": "America/Sao_Paulo"})
    assert response.status_code == 302
    assert _registered(session, "tz@example.org").timezone == "America/Sao_Paulo"


def test_register_without_a_zone_takes_the_main_zone_of_the_country(client, session):
    post_form(client, "/auth/register", {**REGISTRATION, "email": "br@example.org", "country": "BR"})
    assert _registered(session, "br@example.org").timezone == "America/Sao_Paulo"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "not a zone", "Europe/../../etc/passwd", "CET+1"])
def test_register_with_a_bad_zone_falls_back_to_the_country(client, session, zone):
    response = post_form(client, "/auth/register", {**REGISTRATION, "email": "bad@example.org", "country": "EG",
                                                    "timezone": zone})
    assert response.status_code == 302
    assert _registered(session, "bad@example.org").timezone == "Africa/Cairo"


def test_register_keeps_the_language_of_the_page(client, session):
    post_form(client, "/auth/register?lang=fr", {**REGISTRATION, "email": "fr@example.org", "country": "FR"})
    user = _registered(session, "fr@example.org")
    assert (user.language, user.timezone) == ("fr", "Europe/Paris")
    post_form(client, "/auth/register?lang=en", {**REGISTRATION, "email": "en@example.org", "country": "GB"})
    assert _registered(session, "en@example.org").language == "en"


def test_register_offers_countries_in_the_pages_language(client):
    body = client.get("/auth/register?lang=de").get_data(as_text=True)
    assert '<option value="DE">Deutschland</option>' in body
    assert '<option value="EG">Ägypten</option>' in body
