"""Mail templates render in the language they are given, whatever language the current request is in."""

from __future__ import annotations

from datetime import UTC, datetime

from app.calendar.invitations import Notice, Paragraph, render_notice, say
from app.calendar.site import Site
from app.language import PSEUDO_LOCALE, translator
from app.mail.render import render_mail

SITE = Site(base_url="http://cc.test")
P = translator(PSEUDO_LOCALE)


def _notice(t) -> Notice:
    return Notice(
        subject="s", heading=t.gettext("Your place is confirmed"),
        paragraphs=[Paragraph((say(t.gettext("“%(title)s” is full, so you are on its waiting list."),
                                   title="Roofs <b> & ponds"),
                               say(t.gettext("You are number %(position)s on the list."), position="2")))],
        facts=[(t.gettext("What"), "Roofs <b> & ponds"), (t.gettext("Event page"), "http://cc.test/events/1")],
    )


def test_a_mail_follows_its_reader_not_the_request(app):
    with app.test_request_context("/?lang=de"):
        text, html = render_notice(_notice(P), name="Ana <x>", site=SITE, language=PSEUDO_LOCALE)
    assert f'<html lang="{P.html_lang}" dir="ltr">' in html
    assert P.gettext("Hello %(name)s,", name="Ana <x>") in text
    assert P.gettext("Hello %(name)s,", name="<bdi>Ana &lt;x&gt;</bdi>") in html
    # one paragraph of whole sentences; user text escaped and isolated in the HTML, as it is in the text
    assert (P.gettext("“%(title)s” is full, so you are on its waiting list.", title="Roofs <b> & ponds") + " "
            + P.gettext("You are number %(position)s on the list.", position="2")) in text
    assert P.gettext("“%(title)s” is full, so you are on its waiting list.",
                     title="<bdi>Roofs &lt;b&gt; &amp; ponds</bdi>") in html
    assert "<b>" not in html and f"{P.gettext('Event page')}: http://cc.test/events/1" in text


def test_arabic_mails_are_right_to_left():
    ar = translator("ar")
    _, html = render_notice(_notice(ar), name="فاطمة", site=SITE, language="ar")
    assert '<html lang="ar" dir="rtl">' in html and '<body dir="rtl"' in html
    assert "text-align: right" in html and "<bdi>فاطمة</bdi>" in html


def test_dates_in_a_template_are_in_the_readers_language_and_zone():
    since = datetime(2030, 3, 11, 2, 35, tzinfo=UTC)
    for language in ("en", "fr", "ar", PSEUDO_LOCALE):
        t = translator(language)
        body = render_mail("jobs/mail/digest.txt", language=language, user={"name": "Priya"},
                           digest={"since": since, "zone": "Asia/Kolkata", "events": [], "submissions": 0,
                                   "failed_emails": 0},
                           manage_url="http://cc.test/m", outbox_url="", learning_url="", network_name="CC")
        assert t.when(since, "Asia/Kolkata", "MMMEd", "Hm") in body  # 08:05 in Kolkata
        assert t.gettext("Manage your events: %(url)s", url="http://cc.test/m") in body
