"""The certificate PDF: a pure function from a snapshot (plain data) to bytes, byte-identical every time.

A4 landscape, one page, an embedded TTF font that covers Latin with diacritics, Cyrillic, Greek and
Vietnamese, and a QR code drawn as vector squares from segno's matrix (reportlab's own QR widget costs
several times the whole page). The font is parsed and registered once per process.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.certificates.i18n import format_date, format_date_range, format_hours, text

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BUNDLED_REGULAR = FONT_DIR / "DejaVuSerif.ttf"
BUNDLED_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
GREEN = Color(0.08, 0.33, 0.18)
INK = Color(0.13, 0.13, 0.13)
MUTED = Color(0.38, 0.38, 0.38)
MAX_MODULE_ROWS = 4  # per column; two columns keep the page to one


@dataclass(frozen=True)
class CertificateFonts:
    regular: str
    bold: str


_fonts: dict[str, CertificateFonts] = {}
_fonts_lock = threading.Lock()


def _register(name: str, path: Path | str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _bundled_fonts() -> CertificateFonts:
    try:
        return CertificateFonts(_register("CCSerif", BUNDLED_REGULAR), _register("CCSerif-Bold", BUNDLED_BOLD))
    except Exception as exc:  # a broken install: still issue a certificate, but say loudly why it looks poor
        log.warning("the bundled certificate font %s cannot be loaded (%s); falling back to Helvetica, "
                    "which cannot show Cyrillic, Greek or Vietnamese names", BUNDLED_REGULAR, exc)
        return CertificateFonts("Helvetica", "Helvetica-Bold")


def certificate_fonts(font_path: str | None = None) -> CertificateFonts:
    """The registered fonts for CERTIFICATE_FONT_PATH (None: the bundled DejaVu Serif); parsed once per process."""
    key = font_path or ""
    cached = _fonts.get(key)
    if cached is not None:
        return cached
    with _fonts_lock:
        cached = _fonts.get(key)
        if cached is not None:
            return cached
        fonts = None
        if font_path:
            if not os.path.isfile(font_path):
                log.warning("CERTIFICATE_FONT_PATH %s does not exist; certificates use the bundled DejaVu Serif "
                            "font instead", font_path)
            else:
                name = "CCFont-" + hashlib.sha1(os.path.abspath(font_path).encode()).hexdigest()[:10]
                try:
                    _register(name, font_path)
                    fonts = CertificateFonts(name, name)
                except Exception as exc:
                    log.warning("CERTIFICATE_FONT_PATH %s is not a usable TrueType font (%s); certificates use "
                                "the bundled DejaVu Serif font instead", font_path, exc)
        if fonts is None:
            fonts = _bundled_fonts()
        _fonts[key] = fonts
        return fonts


# A fixed data mask: any of the eight is valid for every reader, and choosing the "best" one by scoring all
# eight costs about four times the whole encoding.
QR_MASK = 0


def qr_matrix(payload: str) -> tuple[bytearray, ...]:
    """The QR code's modules (1 = dark), without the quiet zone; always a full QR code, never Micro QR."""
    return segno.make(payload, error="m", micro=False, mask=QR_MASK).matrix


def qr_path_operators(matrix) -> str:
    """PDF path operators, in module units, for one rectangle per horizontal run of dark modules."""
    parts = []
    for row_index, row in enumerate(matrix):
        count = len(row)
        col = 0
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                parts.append(f"{start} {row_index} {col - start} 1 re")
            else:
                col += 1
    return "\n".join(parts)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares: integer rectangles in a module-sized, top-down coordinate system."""
    matrix = qr_matrix(payload)
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColor(Color(0, 0, 0))
    canvas.transform(module, 0, 0, -module, x, y + size)
    canvas.addLiteral(qr_path_operators(matrix) + "\nf")
    canvas.restoreState()


def _fit_size(value: str, font: str, size: float, minimum: float, width: float) -> float:
    while size > minimum and pdfmetrics.stringWidth(value, font, size) > width:
        size -= 1
    return size


def _centred(canvas: Canvas, value: str, font: str, size: float, y: float, color=INK) -> None:
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, value)


def _what_line(snapshot: dict, lang: str) -> str:
    parts = [text(lang, f"format.{snapshot.get('format') or snapshot['kind']}")]
    if snapshot["kind"] == "programme":
        if snapshot.get("completed_on"):
            parts.append(text(lang, "completed_on", date=format_date(date.fromisoformat(snapshot["completed_on"]),
                                                                     lang)))
    else:
        start = date.fromisoformat(snapshot["start_date"])
        end = date.fromisoformat(snapshot.get("end_date") or snapshot["start_date"])
        parts.append(format_date_range(start, end, lang))
    place = place_line(snapshot, lang)
    if place:
        parts.append(place)
    return " · ".join(parts)


def place_line(snapshot: dict, lang: str) -> str:
    """'Leipzig, Germany', or 'Online'; empty for programmes without a place."""
    if snapshot.get("online"):
        return text(lang, "online")
    return ", ".join(p for p in (snapshot.get("city"), snapshot.get("country_name")) if p)


def draw_certificate(canvas: Canvas, snapshot: dict, fonts: CertificateFonts) -> None:
    """Draw the whole certificate page from the snapshot."""
    lang = snapshot.get("language") or "en"
    kind = snapshot["kind"]
    width, height = PAGE_WIDTH, PAGE_HEIGHT
    regular, bold = fonts.regular, fonts.bold

    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(3)
    canvas.rect(18, 18, width - 36, height - 36, stroke=1, fill=0)
    canvas.setLineWidth(0.75)
    canvas.rect(26, 26, width - 52, height - 52, stroke=1, fill=0)

    canvas.setFont(bold, 13)
    canvas.setFillColor(GREEN)
    canvas.drawCentredString(width / 2, height - 72, snapshot["network"].upper(), charSpace=2)
    _centred(canvas, text(lang, f"title.{kind}"), bold, 30, height - 122, GREEN)
    _centred(canvas, text(lang, "certify"), regular, 13, height - 164, MUTED)

    name = snapshot["holder_name"]
    _centred(canvas, name, bold, _fit_size(name, bold, 30, 14, width - 180), height - 208)
    _centred(canvas, text(lang, f"lead.{kind}"), regular, 13, height - 240, MUTED)

    title_size = 19
    lines = simpleSplit(snapshot["title"], bold, title_size, width - 200)
    while len(lines) > 2 and title_size > 12:
        title_size -= 1
        lines = simpleSplit(snapshot["title"], bold, title_size, width - 200)
    y = height - 274
    for line in lines[:3]:
        _centred(canvas, line, bold, title_size, y)
        y -= title_size * 1.25
    y -= 4
    what = _what_line(snapshot, lang)
    _centred(canvas, what, regular, _fit_size(what, regular, 12, 8, width - 160), y)
    y -= 20
    _centred(canvas, text(lang, "total_hours", hours=format_hours(snapshot["hours"], lang)), bold, 12, y, GREEN)

    modules = snapshot.get("modules") or []
    if modules:
        _draw_modules(canvas, modules, lang, fonts, top=y - 24)

    _draw_footer(canvas, snapshot, lang, fonts)


def _draw_modules(canvas: Canvas, modules: list[dict], lang: str, fonts: CertificateFonts, *, top: float) -> None:
    width = PAGE_WIDTH
    canvas.setFont(fonts.bold, 9.5)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(width / 2, top, text(lang, "modules"))
    shown = modules if len(modules) <= 2 * MAX_MODULE_ROWS else modules[: 2 * MAX_MODULE_ROWS - 1]
    columns = 1 if len(shown) <= MAX_MODULE_ROWS else 2
    col_width = 300 if columns == 2 else 420
    left = (width - columns * col_width - (columns - 1) * 24) / 2
    rows = (len(shown) + columns - 1) // columns
    for index, module in enumerate(shown):
        col, row = divmod(index, rows)
        x = left + col * (col_width + 24)
        y = top - 15 - row * 12.5
        hours = format_hours(module["hours"], lang)
        canvas.setFont(fonts.regular, 9)
        canvas.setFillColor(INK)
        hours_width = pdfmetrics.stringWidth(hours, fonts.regular, 9)
        title_lines = simpleSplit(module["title"], fonts.regular, 9, col_width - hours_width - 12)
        title = title_lines[0] if title_lines else ""
        if len(title_lines) > 1:
            title = title.rstrip() + "…"
        canvas.drawString(x, y, title)
        canvas.drawRightString(x + col_width, y, hours)
    if len(shown) < len(modules):
        canvas.setFont(fonts.regular, 9)
        canvas.drawCentredString(width / 2, top - 15 - rows * 12.5,
                                 text(lang, "more_modules", count=len(modules) - len(shown)))


def _draw_footer(canvas: Canvas, snapshot: dict, lang: str, fonts: CertificateFonts) -> None:
    width = PAGE_WIDTH
    left = 72
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, 124, left + 230, 124)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 8.5)
    canvas.drawString(left, 112, text(lang, "issuer"))
    canvas.setFillColor(INK)
    issuer = snapshot.get("issuer_name") or snapshot["network"]
    canvas.setFont(fonts.bold, _fit_size(issuer, fonts.bold, 11, 7, 300))
    canvas.drawString(left, 98, issuer)
    canvas.setFont(fonts.regular, 9)
    if snapshot.get("issuer_organisation"):
        canvas.drawString(left, 85, snapshot["issuer_organisation"])
    issued_on = format_date(date.fromisoformat(snapshot["issued_on"]), lang)
    canvas.drawString(left, 62, text(lang, "issued_on", date=issued_on))

    qr_size = 86
    qr_x = width - 60 - qr_size
    qr_y = 44
    draw_qr(canvas, snapshot["verify_url"], qr_x, qr_y, qr_size)
    right = qr_x - 12
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 8.5)
    canvas.drawRightString(right, 118, text(lang, "code"))
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 12)
    canvas.drawRightString(right, 103, snapshot["code"])
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 8.5)
    canvas.drawRightString(right, 80, text(lang, "verify"))
    canvas.setFillColor(INK)
    url = snapshot["verify_url"]
    canvas.setFont(fonts.regular, _fit_size(url, fonts.regular, 9, 6, 330))
    canvas.drawRightString(right, 67, url)


def render_certificate_pdf(snapshot: dict, *, font_path: str | None = None) -> bytes:
    """The certificate as PDF bytes; the same snapshot and font always give the same bytes."""
    fonts = certificate_fonts(font_path)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    lang = snapshot.get("language") or "en"
    canvas.setTitle(f"{text(lang, 'title.' + snapshot['kind'])}: {snapshot['holder_name']}")
    canvas.setAuthor(snapshot["network"])
    canvas.setSubject(f"{snapshot['title']} ({snapshot['code']})")
    draw_certificate(canvas, snapshot, fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
