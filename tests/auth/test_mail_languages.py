"""Account mails (welcome, address taken, password reset) are in the account owner's language, not the asker's.

Expectations come from translator(language) and the English sources, so they hold with the pseudo-locale's
catalogue (after `make translations`), without it and once real translations exist.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.auth import services
from app.language import PSEUDO_LOCALE, translator
from app.mail.models import OutboxMessage
from app.sqltypes import utcnow
from tests.factories import TEST_HASH, make_user

P = translator(PSEUDO_LOCALE)


def _mails(session, user) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id)
                                .order_by(OutboxMessage.id)))


def test_the_password_reset_mail_is_in_the_owners_language(session):
    owner = make_user(session, name="Zoë", email="zoe@example.org")
    owner.language = PSEUDO_LOCALE
    services.request_password_reset(session, "zoe@example.org", secret_key="k" * 32, base_url="http://cc.test",
                                    now=utcnow())
    [mail] = _mails(session, owner)
    assert mail.kind == "password_reset"
    assert mail.subject == P.gettext("Reset your Connective Cities password")
    assert P.gettext("Hello %(name)s,", name="Zoë") in mail.text_body
    assert P.gettext("Open this link within an hour to choose a new password:") in mail.text_body
    assert "http://cc.test/auth/reset/" in mail.text_body
    if P.gettext("Reset your Connective Cities password") != "Reset your Connective Cities password":  # in the catalogue
        assert "Reset your" not in mail.subject and "If it was not you" not in mail.text_body


def test_someone_registering_with_a_taken_address_writes_to_the_owner_in_the_owners_language(session):
    owner = make_user(session, name="Jonas", email="jonas@example.org", language="de")
    services.register_or_notify(session, email="jonas@example.org", name="Someone", password="a long password 1",
                                base_url="http://cc.test", now=utcnow(), hash_method=TEST_HASH)
    [mail] = _mails(session, owner)
    de = translator("de")
    assert mail.kind == "registration_existing"
    assert mail.subject == de.gettext("Someone tried to register with your address")
    assert de.gettext("Hello %(name)s,", name="Jonas") in mail.text_body
    assert "http://cc.test/auth/login\nhttp://cc.test/auth/reset" in mail.text_body


def test_the_welcome_mail_follows_the_new_accounts_language(session):
    user = services.register_or_notify(session, email="new@example.org", name="Nour", password="a long password 1",
                                       base_url="http://cc.test", now=utcnow(), hash_method=TEST_HASH)
    [mail] = _mails(session, user)
    t = translator(user.language)
    assert mail.kind == "registration"
    assert mail.subject == t.gettext("Your Connective Cities account is ready")
    assert t.gettext("Hello %(name)s,", name="Nour") in mail.text_body and "http://cc.test/auth/login" in mail.text_body
