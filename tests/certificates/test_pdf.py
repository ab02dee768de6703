"""The certificate PDF, parsed back with pypdf and rendered with PDFium to decode its QR code."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import subprocess
import sys

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app.certificates import services as svc
from app.certificates.pdf import certificate_fonts, render_certificate_pdf
from tests.certificates.helpers import NAMES


def snapshot(**overrides) -> dict:
    code = overrides.pop("code", "CC-7KQ2-M9XD-4HTP")
    data = {
        "version": 1, "network": "Connective Cities", "kind": "event", "language": "en", "code": code,
        "verify_url": f"http://cc.test/verify/{code}", "holder_name": "Zoë Müller-Łukasiewicz",
        "title": "Climate-resilient drainage workshop", "format": "workshop", "start_date": "2025-03-04",
        "end_date": "2025-03-05", "timezone": "Europe/Berlin", "online": False, "city": "Leipzig", "country": "DE",
        "country_name": "Germany", "hours": 14.5, "modules": [], "issuer_name": "Olivia Okafor",
        "issuer_organisation": "Association of German Cities", "issued_on": "2025-03-10",
    }
    data.update(overrides)
    return data


def pdf_text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def decode_qr(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        image = page.render(scale=2).to_pil()
        page.close()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("name", NAMES)
def test_every_script_renders_and_extracts(name):
    data = render_certificate_pdf(snapshot(holder_name=name))
    text = pdf_text(data)
    assert name in text
    assert "Climate-resilient drainage workshop" in text
    assert "14.5 hours" in text
    assert "CC-7KQ2-M9XD-4HTP" in text
    assert "Certificate of attendance" in text
    assert "4\u2009–\u20095 March 2025" in text and "Leipzig, Germany" in text  # Babel, en_GB


def test_page_is_one_a4_landscape_with_the_font_embedded():
    reader = pypdf.PdfReader(io.BytesIO(render_certificate_pdf(snapshot())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [fonts[key].get_object()["/FontDescriptor"].get_object() for key in fonts
                   if "/FontDescriptor" in fonts[key].get_object()]
    assert descriptors and all("/FontFile2" in d for d in descriptors)
    assert all("DejaVuSerif" in str(d["/FontName"]) for d in descriptors)


def test_qr_code_opens_the_verification_url_which_is_also_printed():
    data = render_certificate_pdf(snapshot(code="CC-ABCD-EFGH-JKLM"))
    assert decode_qr(data) == ["http://cc.test/verify/CC-ABCD-EFGH-JKLM"]
    assert "http://cc.test/verify/CC-ABCD-EFGH-JKLM" in pdf_text(data)


def test_two_renders_are_byte_identical_even_in_another_process():
    snap = snapshot(holder_name="Nguyễn Văn An")
    first = render_certificate_pdf(snap)
    assert render_certificate_pdf(snap) == first
    script = ("import hashlib, json, sys\n"
              "from app.certificates.pdf import render_certificate_pdf\n"
              "print(hashlib.sha256(render_certificate_pdf(json.loads(sys.stdin.read()))).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", script], input=json.dumps(snap), capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()


def test_german_holder_gets_german_strings():
    text = pdf_text(render_certificate_pdf(snapshot(language="de", country_name="Deutschland", hours=7.5)))
    assert "Teilnahmebescheinigung" in text
    assert "Hiermit wird bestätigt, dass" in text
    assert "7,5 Stunden" in text
    assert "4.–5. März 2025" in text
    assert "Leipzig, Deutschland" in text
    assert "Ausgestellt am 10. März 2025" in text


def words_off_the_page(data: bytes) -> list[str]:
    """Text drawn outside the inner frame (26 pt from each edge), from pypdf's positions of each text run."""
    from reportlab.pdfbase import pdfmetrics

    outside = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        width = pdfmetrics.stringWidth(text, "CCSerif-Bold", font_size) * 1.01  # the wider face: an upper bound
        if x < 26 or y < 26 or y > 595 - 26 or x + width > 842 - 26:
            outside.append(text)

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return outside


def test_programme_lists_every_module_with_hours_on_one_page():
    modules = [{"title": f"Module {i}: integrated water planning", "hours": 2} for i in range(30)]
    data = render_certificate_pdf(snapshot(kind="programme", format="programme", modules=modules,
                                           completed_on="2025-03-05", hours=60))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Certificate of completion" in text and "60 hours" in text
    assert all(f"Module {i}:" in text for i in range(30)) and "more modules" not in text
    assert words_off_the_page(data) == []


def test_too_many_modules_end_with_how_many_more():
    modules = [{"title": f"Module {i}", "hours": 1} for i in range(60)]
    data = render_certificate_pdf(snapshot(kind="programme", format="programme", modules=modules,
                                           completed_on="2025-03-05", hours=60))
    text = pdf_text(data)
    shown = sum(f"Module {i}\n" in text or f"Module {i} " in text for i in range(60))
    assert f"… and {60 - shown} more modules" in text and shown >= 25
    assert words_off_the_page(data) == []


def test_a_very_long_name_wraps_large_and_a_very_long_title_never_runs_off_the_page():
    name = "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Montenegro-Łukasiewicz"
    title = ("Integrated, participatory and climate-resilient urban development planning for intermediate cities "
             "in the MENA region and Sub-Saharan Africa: from strategy to implementation and monitoring ") * 2
    organisation = "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ) GmbH, Bonn and Eschborn, Germany"
    data = render_certificate_pdf(snapshot(holder_name=name, title=title, issuer_organisation=organisation))
    text = pdf_text(data)
    assert "Maria Fernanda de los Ángeles Rodríguez-Villanueva" in text and "Montenegro-Łukasiewicz" in text
    assert "Integrated, participatory" in text and "…" in text  # cut at three lines, visibly
    assert words_off_the_page(data) == []
    sizes = {}
    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, fd, size: sizes.setdefault(t.strip(), size))
    assert sizes["y Montenegro-Łukasiewicz"] >= 20  # wrapped, the name stays the largest line of the body
    one_word = render_certificate_pdf(snapshot(holder_name="W" * 120, title="X" * 220))
    assert words_off_the_page(one_word) == []


def test_online_event_says_online():
    text = pdf_text(render_certificate_pdf(snapshot(online=True, city="", country=None, country_name="")))
    assert "· Online" in text


def test_missing_configured_font_warns_and_falls_back(caplog, tmp_path):
    missing = str(tmp_path / "nope.ttf")
    with caplog.at_level(logging.WARNING, logger="app.certificates.pdf"):
        fonts = certificate_fonts(missing)
    assert "CERTIFICATE_FONT_PATH" in caplog.text and missing in caplog.text
    assert fonts == certificate_fonts(None)
    data = render_certificate_pdf(snapshot(holder_name="Анна Ковальчук"), font_path=missing)
    assert "Анна Ковальчук" in pdf_text(data)


def test_configured_font_is_used(tmp_path):
    from app.certificates.pdf import BUNDLED_BOLD

    custom = tmp_path / "custom.ttf"
    custom.write_bytes(BUNDLED_BOLD.read_bytes())
    data = render_certificate_pdf(snapshot(), font_path=str(custom))
    assert data != render_certificate_pdf(snapshot())
    assert "Zoë Müller-Łukasiewicz" in pdf_text(data)


def test_codes_are_random_readable_and_normalised():
    codes = {svc.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        prefix, *groups = code.split("-")
        assert prefix == "CC" and [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) & set("0O1I")
    # 12 symbols from 32 = 60 bits
    assert len(svc.CODE_ALPHABET) == 32 and svc.CODE_GROUPS * svc.CODE_GROUP_LENGTH == 12
    assert svc.normalise_code("cc7kq2m9xd4htp") == "CC-7KQ2-M9XD-4HTP"
    assert svc.normalise_code(" 7kq2-m9xd-4htp ") == "CC-7KQ2-M9XD-4HTP"
    assert svc.normalise_code("CC-7KQ2-M9XD-4HT0") is None
    assert svc.normalise_code("CC-7KQ2") is None
    assert svc.normalise_code("") is None
