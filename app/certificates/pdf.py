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


def _ellipsis(value: str, font: str, size: float, width: float) -> str:
    """The value, cut at a word (else a character) and ended with '…' so that it fits the width."""
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    words = value.split()
    while len(words) > 1 and pdfmetrics.stringWidth(" ".join(words) + "…", font, size) > width:
        words.pop()
    cut = " ".join(words).rstrip(" ,;:–-")
    while cut and pdfmetrics.stringWidth(cut + "…", font, size) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _wrap_to_fit(value: str, font: str, width: float, *, size: float, one_line_minimum: float, minimum: float,
                 max_lines: int) -> tuple[float, list[str]]:
    """(size, lines): one line as large as possible down to one_line_minimum, else wrapped onto at most
    max_lines down to minimum; whatever still does not fit ends in '…' (nothing ever runs off the page)."""
    single = _fit_size(value, font, size, one_line_minimum, width)
    if pdfmetrics.stringWidth(value, font, single) <= width:
        return single, [value]
    current = min(size, one_line_minimum)
    while True:
        lines = simpleSplit(value, font, current, width)
        fits = all(pdfmetrics.stringWidth(line, font, current) <= width for line in lines)
        if (len(lines) <= max_lines and fits) or current <= minimum:
            break
        current -= 1
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [_ellipsis(" ".join(lines[max_lines - 1:]), font, current, width)]
    return current, [_ellipsis(line, font, current, width) for line in lines]


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


# The body (from "This is to certify that" to the modules) sits between the heading and the footer.
BODY_TOP = PAGE_HEIGHT - 164  # baseline of its first line when the body fills the space
BODY_BOTTOM = 142  # just above the signature line, the code and the QR code
TEXT_WIDTH = PAGE_WIDTH - 180


@dataclass(frozen=True)
class ModuleLayout:
    columns: int
    font_size: float
    row_height: float
    column_width: float
    gutter: float


# tried in order: the first that shows every module in the space left wins
MODULE_LAYOUTS = (
    ModuleLayout(1, 9.5, 13.5, 380, 0),
    ModuleLayout(2, 9, 12.5, 320, 32),
    ModuleLayout(2, 8.5, 11, 320, 32),
    ModuleLayout(3, 8, 10.5, 222, 20),
    ModuleLayout(3, 7.5, 9.5, 222, 20),
)
MODULES_HEADING = 22  # from the hours line's baseline to the "Modules completed" baseline
MODULES_FIRST_ROW = 14  # from that heading to the first row


def _module_layout(count: int, space: float) -> tuple[ModuleLayout, int]:
    """The layout for `count` modules in `space` points, and how many rows it uses."""
    for layout in MODULE_LAYOUTS:
        if layout.columns == 1 and count > 6:
            continue
        rows = -(-count // layout.columns)
        if rows * layout.row_height <= space:
            return layout, rows
    layout = MODULE_LAYOUTS[-1]
    return layout, max(int(space // layout.row_height), 1)


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

    # the body as (text, font, size, colour, distance from the previous baseline), measured before drawing
    name_size, name_lines = _wrap_to_fit(snapshot["holder_name"], bold, TEXT_WIDTH, size=30, one_line_minimum=22,
                                         minimum=16, max_lines=2)
    title_size, title_lines = _wrap_to_fit(snapshot["title"], bold, TEXT_WIDTH - 20, size=19, one_line_minimum=17,
                                           minimum=12, max_lines=3)
    if len(title_lines) > 2:  # three lines of a long title read better a little smaller
        title_size, title_lines = _wrap_to_fit(snapshot["title"], bold, TEXT_WIDTH - 20, size=min(title_size, 15),
                                               one_line_minimum=12, minimum=12, max_lines=3)
    what = _what_line(snapshot, lang)
    body = [(text(lang, "certify"), regular, 13, MUTED, 0)]
    for index, line in enumerate(name_lines):
        body.append((line, bold, name_size, INK, 14 + name_size if index == 0 else name_size * 1.15))
    body.append((text(lang, f"lead.{kind}"), regular, 13, MUTED, 0.25 * name_size + 24.5))
    for index, line in enumerate(title_lines):
        body.append((line, bold, title_size, INK, 15 + title_size if index == 0 else title_size * 1.25))
    body.append((what, regular, _fit_size(what, regular, 12, 8, width - 160), INK, title_size * 1.25 + 4))
    body.append((text(lang, "total_hours", hours=format_hours(snapshot["hours"], lang)), bold, 12, GREEN, 20))
    text_height = sum(item[4] for item in body)

    modules = snapshot.get("modules") or []
    modules_height = 0.0
    if modules:
        space = BODY_TOP - BODY_BOTTOM - text_height - MODULES_HEADING - MODULES_FIRST_ROW
        layout, rows = _module_layout(len(modules), space)
        modules_height = MODULES_HEADING + MODULES_FIRST_ROW + (rows - 1) * layout.row_height
    # centre the body in the space it has (a little above the middle), never above BODY_TOP
    free = max(BODY_TOP - BODY_BOTTOM - text_height - modules_height, 0)
    y = BODY_TOP - free * 0.42
    for value, font, size, color, advance in body:
        y -= advance
        _centred(canvas, value, font, size, y, color)
    if modules:
        _draw_modules(canvas, modules, lang, fonts, layout=layout, rows=rows, top=y - MODULES_HEADING)

    _draw_footer(canvas, snapshot, lang, fonts)


def _draw_modules(canvas: Canvas, modules: list[dict], lang: str, fonts: CertificateFonts, *,
                  layout: ModuleLayout, rows: int, top: float) -> None:
    width = PAGE_WIDTH
    canvas.setFont(fonts.bold, 9.5)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(width / 2, top, text(lang, "modules"))
    capacity = rows * layout.columns
    shown = modules if len(modules) <= capacity else modules[: capacity - 1]
    columns = min(layout.columns, -(-len(shown) // rows))
    left = (width - columns * layout.column_width - (columns - 1) * layout.gutter) / 2
    size = layout.font_size
    canvas.setLineWidth(0.5)
    canvas.setDash(0.5, 2.5)
    canvas.setStrokeColor(MUTED)
    for index, module in enumerate(shown):
        col, row = divmod(index, rows)
        x = left + col * (layout.column_width + layout.gutter)
        y = top - MODULES_FIRST_ROW - row * layout.row_height
        hours = format_hours(module["hours"], lang)
        hours_width = pdfmetrics.stringWidth(hours, fonts.regular, size)
        title = _ellipsis(module["title"], fonts.regular, size, layout.column_width - hours_width - 14)
        title_width = pdfmetrics.stringWidth(title, fonts.regular, size)
        canvas.setFont(fonts.regular, size)
        canvas.setFillColor(INK)
        canvas.drawString(x, y, title)
        canvas.drawRightString(x + layout.column_width, y, hours)
        leader_from, leader_to = x + title_width + 4, x + layout.column_width - hours_width - 4
        if leader_to - leader_from > 6:  # dotted leaders tie each module to its hours
            canvas.line(leader_from, y + 1, leader_to, y + 1)
    canvas.setDash()
    if len(shown) < len(modules):
        canvas.setFont(fonts.regular, size)
        canvas.setFillColor(MUTED)
        last_col, last_row = divmod(len(shown), rows)
        x = left + last_col * (layout.column_width + layout.gutter)
        canvas.drawString(x, top - MODULES_FIRST_ROW - last_row * layout.row_height,
                          text(lang, "more_modules", count=len(modules) - len(shown)))


def _draw_footer(canvas: Canvas, snapshot: dict, lang: str, fonts: CertificateFonts) -> None:
    width = PAGE_WIDTH
    left = 72
    issuer_width = 290  # the code and URL, right-aligned next to the QR code, start beyond it
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, 124, left + 230, 124)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 8.5)
    canvas.drawString(left, 112, text(lang, "issuer"))
    canvas.setFillColor(INK)
    issuer = snapshot.get("issuer_name") or snapshot["network"]
    size = _fit_size(issuer, fonts.bold, 11, 8, issuer_width)
    canvas.setFont(fonts.bold, size)
    canvas.drawString(left, 98, _ellipsis(issuer, fonts.bold, size, issuer_width))
    organisation = snapshot.get("issuer_organisation")
    if organisation:
        size = _fit_size(organisation, fonts.regular, 9, 7, issuer_width)
        canvas.setFont(fonts.regular, size)
        canvas.drawString(left, 85, _ellipsis(organisation, fonts.regular, size, issuer_width))
    canvas.setFont(fonts.regular, 9)
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
