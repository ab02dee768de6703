"""Certificates in six languages and names in any script: text extracted back with pypdf, fonts checked with
fontTools (an independent parser), right-to-left lines in the order UAX #9 gives."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from functools import lru_cache

import pypdf
import pytest
from bidi import get_display
from fontTools.ttLib import TTFont

from app.certificates import i18n
from app.certificates.pdf import (
    BUNDLED_BOLD,
    BUNDLED_REGULAR,
    FALLBACK_FONTS,
    FONT_DIR,
    certificate_fonts,
    font_runs,
    render_certificate_pdf,
    visual,
)
from tests.certificates.test_pdf import decode_qr, snapshot

NAMES = [
    "Zoë Müller-Łukasiewicz", "Nguyễn Văn An", "Анна Ковальчук", "Γιώργος Παπαδόπουλος", "فاطمة الزهراء",
    "שרה כהן", "李小龙", "山田太郎", "김민준", "प्रिया देशपांडे",
]
MIXED_TITLE = "Workshop: إدارة النفايات 2027 — 李小龙"
TITLES = [
    "Climate-resilient drainage workshop", "Quản lý chất thải đô thị", "Управление отходами", "Διαχείριση αποβλήτων",
    "إدارة النفايات الصلبة في المدن", "ניהול פסולת עירונית", "城市固体废物管理", "都市廃棄物管理", "도시 폐기물 관리",
    "शहरी अपशिष्ट प्रबंधन", MIXED_TITLE,
]


def pdf_text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def normal(value: str) -> str:
    """Presentation forms back to letters (NFKC), runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def found(value: str, extracted: str) -> bool:
    """The value is in the extracted text, in logical order or (pypdf keeps what the page draws) in the visual
    order the bidi algorithm gives; word by word for a line that mixes directions."""
    text = normal(extracted)
    if normal(value) in text or normal(get_display(value)) in text:
        return True
    return all(word in text or word[::-1] in text for word in normal(value).split())


@lru_cache
def cmap_of(font_name: str) -> frozenset[int]:
    """The code points a registered certificate font has glyphs for, read from its file with fontTools."""
    files = {"CCSerif": BUNDLED_REGULAR, "CCSerif-Bold": BUNDLED_BOLD}
    for name, regular, bold in FALLBACK_FONTS:
        files[name] = FONT_DIR / regular
        if bold:
            files[name + "-Bold"] = FONT_DIR / bold
    font = TTFont(files[font_name])
    return frozenset(font.getBestCmap())


def assert_every_glyph_present(value: str, font: str) -> None:
    """Each character of the drawn line is in the cmap of the font its run uses: no .notdef boxes."""
    for run, name in font_runs(visual(value), font):
        missing = [c for c in run if ord(c) not in cmap_of(name) and not c.isspace()]
        assert not missing, f"{name} has no glyph for {missing!r} in {value!r}"


def test_every_bundled_font_is_truetype_with_glyf_outlines():
    files = sorted(FONT_DIR.glob("*.ttf"))
    assert len(files) == 9
    for path in files:
        font = TTFont(path)
        assert "glyf" in font and "CFF " not in font, path.name
    assert sum(p.stat().st_size for p in files) < 10 * 1024 * 1024
    assert (FONT_DIR / "LICENSE-OFL-1.1.txt").exists() and (FONT_DIR / "LICENSE-Apache-2.0.txt").exists()


@pytest.mark.parametrize("name", NAMES)
def test_names_in_any_script_render_with_a_glyph_for_every_letter(name):
    data = render_certificate_pdf(snapshot(holder_name=name))
    extracted = pdf_text(data)
    assert "\ufffd" not in extracted
    assert found(name, extracted), extracted
    assert all(c in normal(extracted) for c in normal(name) if not c.isspace())
    assert_every_glyph_present(name, certificate_fonts().bold)


@pytest.mark.parametrize("title", TITLES)
def test_titles_in_any_script_render_even_mixed_in_one_line(title):
    data = render_certificate_pdf(snapshot(title=title, holder_name="李小龙"))
    extracted = pdf_text(data)
    assert found(title, extracted), extracted
    assert found("李小龙", extracted)
    assert_every_glyph_present(title, certificate_fonts().bold)


def test_a_mixed_line_keeps_digits_and_latin_in_order_and_runs_the_arabic_right_to_left():
    drawn = visual(MIXED_TITLE)
    assert drawn.startswith("Workshop: ") and drawn.endswith(" — 李小龙")
    assert "2027" in drawn  # digits never reversed
    # the Arabic (with the number that belongs to it) in right-to-left order, letters joined
    arabic = normal(drawn[len("Workshop: "):-len(" — 李小龙")])
    assert arabic == normal("2027 " + "إدارة النفايات"[::-1])
    runs = font_runs(drawn, certificate_fonts().bold)
    assert [name for _, name in runs] == ["CCSerif-Bold", "CCArabic-Bold", "CCSerif-Bold", "CCCJK"]


def test_arabic_letters_are_joined_into_their_contextual_forms():
    drawn = visual("فاطمة")
    assert all("\ufe70" <= c <= "\ufeff" for c in drawn)  # presentation forms B, not the isolated letters
    assert normal(drawn) == "فاطمة"[::-1]


EXPECTED = {
    "en": ("Certificate of attendance", "This is to certify that", "14.5 hours", "10 March 2025"),
    "de": ("Teilnahmebescheinigung", "Hiermit wird bestätigt, dass", "14,5 Stunden", "10. März 2025"),
    "fr": ("Attestation de participation", "Nous certifions que", "14,5 heures", "10 mars 2025"),
    "es": ("Certificado de asistencia", "Por la presente se certifica que", "14,5 horas", "10 de marzo de 2025"),
    "pt": ("Certificado de participação", "Certificamos que", "14,5 horas", "10 de março de 2025"),
    "ar": ("شهادة حضور", "تمنح هذه الشهادة إلى", "14.5 ساعة", "10 مارس 2025"),
}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_of_the_six_languages_has_its_own_texts_and_babel_dates(lang):
    assert set(EXPECTED) == set(i18n.LANGUAGES)
    assert set(i18n.STRINGS[lang]) >= set(i18n.STRINGS["en"]) - {"hours.one"}
    title, certify, hours, issued = EXPECTED[lang]
    assert i18n.format_date(date(2025, 3, 10), lang) == issued
    data = render_certificate_pdf(snapshot(language=lang, holder_name="فاطمة الزهراء",
                                           country_name=i18n.country_name("DE", lang)))
    extracted = pdf_text(data)
    for expected in (title, certify, hours, issued, "فاطمة الزهراء", "Climate-resilient drainage workshop",
                     i18n.country_name("DE", lang), "CC-7KQ2-M9XD-4HTP"):
        assert found(expected, extracted), (expected, extracted)
    assert decode_qr(data) == ["http://cc.test/verify/CC-7KQ2-M9XD-4HTP"]
    for key in ("title.event", "certify", "lead.event", "issued_on", "code", "verify"):
        assert_every_glyph_present(i18n.text(lang, key, date=issued), certificate_fonts().regular)


def test_hours_follow_each_languages_plural_rule():
    assert [i18n.format_hours(h, "en") for h in (1, 2, 7.5)] == ["1 hour", "2 hours", "7.5 hours"]
    assert [i18n.format_hours(h, "fr") for h in (1, 1.5, 2)] == ["1 heure", "1,5 heure", "2 heures"]
    assert [i18n.format_hours(h, "ar") for h in (1, 2, 3, 11, 100)] == [
        "ساعة واحدة", "ساعتان", "3 ساعات", "11 ساعة", "100 ساعة"]


def text_positions(data: bytes) -> dict[str, float]:
    """x of each extracted line (NFKC), from pypdf's text matrices."""
    out = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            out.setdefault(normal(text), tm[4] * cm[0] + cm[4])

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return out


def test_an_arabic_certificate_is_mirrored():
    english = text_positions(render_certificate_pdf(snapshot(language="en")))
    arabic_data = render_certificate_pdf(snapshot(language="ar"))
    arabic = text_positions(arabic_data)
    # the issuer's block starts on the left in English, ends on the right in Arabic; the code the other way
    assert english["Olivia Okafor"] < 100
    assert arabic["Olivia Okafor"] > 842 / 2
    assert english["CC-7KQ2-M9XD-4HTP"] > 842 / 2
    assert arabic["CC-7KQ2-M9XD-4HTP"] < 842 / 2
    assert decode_qr(arabic_data) == ["http://cc.test/verify/CC-7KQ2-M9XD-4HTP"]


def embedded_fonts(data: bytes) -> list[str]:
    fonts = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    out = []
    for key in fonts:
        font = fonts[key].get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = font.get("/FontDescriptor") or (
            descendants[0].get_object().get("/FontDescriptor") if descendants else None)
        if descriptor is not None and "/FontFile2" in descriptor.get_object():
            out.append(str(font["/BaseFont"]).split("+")[-1])
    return sorted(set(out))


def test_a_latin_certificate_embeds_only_dejavu_and_stays_small():
    data = render_certificate_pdf(snapshot(holder_name="Zoë Müller-Łukasiewicz", language="fr"))
    assert embedded_fonts(data) == ["DejaVuSerif", "DejaVuSerif-Bold"]
    assert len(data) < 60_000


def test_only_the_fonts_a_certificate_needs_are_embedded():
    data = render_certificate_pdf(snapshot(holder_name="李小龙", title="ניהול פסולת עירונית"))
    assert embedded_fonts(data) == ["DejaVuSerif", "DejaVuSerif-Bold", "DroidSansFallback", "NotoSerifHebrew-Bold"]
    assert len(data) < 120_000  # subsets: a few glyphs of a 3 MB font


@pytest.mark.parametrize("lang, name", [("ar", "فاطمة الزهراء"), ("en", MIXED_TITLE), ("de", "प्रिया देशपांडे")])
def test_every_script_renders_byte_identically_twice(lang, name):
    snap = snapshot(language=lang, holder_name=name, title=MIXED_TITLE)
    assert render_certificate_pdf(snap) == render_certificate_pdf(dict(snap))


def test_a_many_script_certificate_is_byte_identical_in_a_fresh_process():
    import hashlib
    import json
    import subprocess
    import sys

    snap = snapshot(language="ar", holder_name="שרה כהן", title=MIXED_TITLE,
                    modules=[{"title": "प्रिया", "hours": 2}, {"title": "김민준", "hours": 1}], kind="programme",
                    format="programme", completed_on="2025-03-05")
    script = ("import hashlib, json, sys\n"
              "from app.certificates.pdf import render_certificate_pdf\n"
              "print(hashlib.sha256(render_certificate_pdf(json.loads(sys.stdin.read()))).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", script], input=json.dumps(snap), capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == hashlib.sha256(render_certificate_pdf(snap)).hexdigest()


def test_only_the_network_heading_is_letter_spaced():
    """Character spacing (Tc) is graphics state: left on, it would widen every later line past its measure."""
    page = pypdf.PdfReader(io.BytesIO(render_certificate_pdf(snapshot(language="ar")))).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    assert content.count(" Tc") == 2 and "0 Tc" in content
