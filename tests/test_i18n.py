"""Languages: which one a page is in, the switcher, right-to-left, formats by locale, zones by country."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.i18n import LANGUAGES, PSEUDO_LOCALE, main_zone_for_country, valid_zone
from tests.conftest import csrf_from
from tests.factories import make_user


def _html_tag(body: str) -> str:
    return body[body.index("<html"):body.index(">", body.index("<html")) + 1]


def test_six_languages_each_named_in_itself():
    assert LANGUAGES == {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
                         "pt": "Português", "ar": "العربية"}


def test_english_by_default_with_lang_and_dir(client):
    assert _html_tag(client.get("/").get_data(as_text=True)) == '<html lang="en" dir="ltr">'


def test_accept_language_chooses_when_nothing_else_does(client):
    body = client.get("/", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"}).get_data(as_text=True)
    assert 'lang="fr"' in _html_tag(body)
    body = client.get("/", headers={"Accept-Language": "ja, zh;q=0.8"}).get_data(as_text=True)
    assert 'lang="en"' in _html_tag(body)


def test_lang_parameter_wins_and_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=ar", headers={"Accept-Language": "de"})
    assert _html_tag(response.get_data(as_text=True)) == '<html lang="ar" dir="rtl">'
    assert "lang=ar" in response.headers["Set-Cookie"]
    again = client.get("/events/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert _html_tag(again) == '<html lang="ar" dir="rtl">'


def test_unknown_lang_parameter_is_ignored_not_an_error(client):
    response = client.get("/?lang=xx%3Cscript%3E")
    assert response.status_code == 200
    assert 'lang="en"' in _html_tag(response.get_data(as_text=True))


def test_arabic_pages_load_the_local_rtl_stylesheet(client):
    body = client.get("/?lang=ar").get_data(as_text=True)
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in body
    assert "/bootstrap/static/css/bootstrap.min.css" not in body
    css = client.get("/static/vendor/bootstrap/bootstrap.rtl.min.css")
    assert css.status_code == 200 and b"Bootstrap" in css.data[:200]
    css.close()
    assert "bootstrap.rtl.min.css" not in client.get("/?lang=fr").get_data(as_text=True)


def test_switcher_on_every_page_names_each_language_in_itself(client):
    body = client.get("/auth/login").get_data(as_text=True)
    for code, name in LANGUAGES.items():
        assert f'name="lang" value="{code}"' in body
        assert f">{name}</button>" in body


def test_switcher_sets_the_cookie_for_a_visitor(client):
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"lang": "de", "next": "/events/?q=x", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/events/?q=x")
    assert 'lang="de"' in _html_tag(client.get("/").get_data(as_text=True))


def test_switcher_never_redirects_elsewhere(client):
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"lang": "fr", "next": "//evil.example/", "csrf_token": token})
    assert response.headers["Location"].endswith("/") and "evil" not in response.headers["Location"]


def test_profile_language_beats_cookie_and_switcher_stores_it(client, session, auth):
    user = make_user(session, email="fr@example.org")
    user.language = "fr"
    session.commit()
    auth.login("fr@example.org")
    client.set_cookie("lang", "de")
    assert 'lang="fr"' in _html_tag(client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True))
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/language", data={"lang": "ar", "next": "/", "csrf_token": token})
    session.expire_all()
    assert session.get(type(user), user.id).language == "ar"
    assert 'dir="rtl"' in _html_tag(client.get("/").get_data(as_text=True))


def test_pseudo_locale_marks_catalogue_strings(client):
    body = client.get(f"/?lang={PSEUDO_LOCALE}").get_data(as_text=True)
    assert ">⟦Ĺöĝ ïñ⟧</a>" in body  # the navigation's "Log in", marked


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Fri, 8 Jan 2027"),
    ("fr", "ven. 8 janv. 2027"),
    ("de", "Fr., 8. Jan. 2027"),
])
def test_dates_follow_the_page_locale(app, lang, expected):
    from app.templating import format_in_zone

    moment = datetime(2027, 1, 8, 9, 30, tzinfo=UTC)
    with app.test_request_context(f"/?lang={lang}"):
        assert format_in_zone(moment, "Europe/Paris", "%a %d %b %Y") == expected
        assert format_in_zone(moment, "Europe/Paris", "%H:%M") == "10:30"
        # machine formats (comparisons, attributes) stay as strftime writes them
        assert format_in_zone(moment, "Europe/Paris", "%Y-%m-%d") == "2027-01-08"


def test_arabic_numbers_and_percentages(app):
    from app.i18n import format_number, format_percentage

    with app.test_request_context("/?lang=ar"):
        assert format_number(1234) and format_percentage(0.75)  # CLDR's "ar" writes Latin digits
    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale("ar_EG"):
            assert format_number(1234.5, 1) == "1٬234٫5"  # Arabic-Indic digits where the locale uses them
    with app.test_request_context("/?lang=fr"):
        assert format_percentage(0.75).replace("\u202f", " ").replace("\xa0", " ") == "75 %"
        assert format_number(1234.5, 1).replace("\u202f", " ") == "1 234,5"


def test_main_zone_of_a_country_is_deterministic_never_utc():
    assert main_zone_for_country("de") == "Europe/Berlin"
    assert main_zone_for_country("BR") == "America/Sao_Paulo"
    assert main_zone_for_country("US") == "America/New_York"
    assert main_zone_for_country("EG") == "Africa/Cairo"
    assert main_zone_for_country("XX") is None
    assert valid_zone("Europe/Lisbon") == "Europe/Lisbon"
    assert valid_zone("Mars/Olympus") is None and valid_zone("") is None


def test_registration_proposes_the_browsers_zone_else_the_countrys_main_zone(app):
    from app.auth.forms import RegisterForm

    with app.test_request_context("/auth/register", method="POST",
                                  data={"country": "BR", "timezone": "America/Manaus"}):
        form = RegisterForm(meta={"csrf": False})
        assert form.chosen_timezone() == "America/Manaus"
    with app.test_request_context("/auth/register", method="POST", data={"country": "BR", "timezone": ""}):
        assert RegisterForm(meta={"csrf": False}).chosen_timezone() == "America/Sao_Paulo"
    with app.test_request_context("/auth/register", method="POST", data={"country": "FR", "timezone": "Nowhere/X"}):
        assert RegisterForm(meta={"csrf": False}).chosen_timezone() == "Europe/Paris"


def test_register_page_has_the_zone_field_the_script_fills(client):
    body = client.get("/auth/register").get_data(as_text=True)
    assert "data-browser-timezone" in body and "/static/timezone.js" in body


def test_templates_render_outside_a_request_in_english(app):
    """Jobs render mail templates with no request: English, no error."""
    from flask import render_template_string

    with app.app_context():
        assert render_template_string("{{ _('Log in') }} {{ html_lang() }}") == "Log in en"


def test_api_error_message_follows_accept_language_and_the_code_never_changes(client):
    """An integration asks for its messages' language per call; error.code stays the same in every language.
    (The pseudo-locale stands for a translated language: every catalogue string comes back marked ⟦…⟧.)"""
    english = client.get("/api/v1/events/999999").get_json()["error"]
    assert english == {"code": "not_found", "message": "No such event.", "fields": {"event_id": "No such event."}}
    for header in ("en_US_POSIX", "en-US-POSIX, en;q=0.5"):
        response = client.get("/api/v1/events/999999", headers={"Accept-Language": header})
        error = response.get_json()["error"]
        assert response.status_code == 404 and error["code"] == "not_found"
        assert error["message"].startswith("⟦") and error["message"].endswith("⟧")
        assert error["message"] != english["message"] and error["fields"]["event_id"] == error["message"]
    # the switcher's cookie is for pages: an API call that names its language gets that one
    client.set_cookie("lang", PSEUDO_LOCALE)
    error = client.get("/api/v1/events/999999", headers={"Accept-Language": "en"}).get_json()["error"]
    assert error == english


def test_error_pages_say_their_own_sentence_in_the_page_language(client):
    response = client.get("/no-such-page?lang=" + PSEUDO_LOCALE)
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "requested URL" not in body
    lead = body[body.index('<p class="lead">'):body.index("</p>", body.index('<p class="lead">'))]
    assert "⟦" in lead
    english = client.get("/no-such-page?lang=en").get_data(as_text=True)
    assert "There is no page at this address." in english


def test_the_log_in_request_is_in_the_visitors_language(client):
    """Flask-Login's "please log in" goes through the catalogue like every sentence of ours."""
    from app.language import translator

    client.set_cookie("lang", "en_US_POSIX")
    response = client.get("/events/mine", follow_redirects=True)
    page = response.get_data(as_text=True)
    marked = translator("en_US_POSIX").gettext("Please log in to open this page.")
    assert marked != "Please log in to open this page." and marked in page


def test_every_date_shape_the_code_asks_for_is_written_by_babel():
    """A shape missing from app.i18n._SKELETONS falls back to strftime: English month names on an Arabic page."""
    import re
    from pathlib import Path

    from app.i18n import _SKELETONS

    root = Path(__file__).resolve().parents[1] / "app"
    call = re.compile(r"""(?:in_zone\(|format_when\()[^)]*?["'](%[^"']*)["']""")
    shapes = {shape for path in [*root.rglob("*.py"), *root.rglob("*.html")]
              for shape in call.findall(path.read_text(encoding="utf-8"))}
    machine = {shape for shape in shapes if "%b" not in shape and "%a" not in shape and "%B" not in shape}
    assert "%d %b, %H:%M" in shapes
    assert shapes - machine <= set(_SKELETONS), sorted(shapes - machine - set(_SKELETONS))
