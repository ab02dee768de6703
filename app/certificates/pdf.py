"""The certificate PDF: a pure function from a snapshot (plain data) to bytes, byte-identical every time.

A4 landscape, one page, and a QR code drawn as vector squares from segno's matrix (reportlab's own QR widget
costs several times the whole page). Text of any script: every line is put in visual order first (Arabic
joined into its presentation forms by arabic-reshaper, right-to-left runs reversed by python-bidi's UAX #9),
then cut into runs by the first font of a fallback chain that has each letter's glyph: DejaVu Serif (Latin
with diacritics, Cyrillic, Greek, Vietnamese), Noto Naskh Arabic, Noto Serif Hebrew, Noto Sans Devanagari,
Droid Sans Fallback (Chinese, Japanese, Korean). reportlab embeds only the fonts a page uses, as subsets, so a
Latin certificate carries DejaVu alone. Arabic certificates are laid out right to left. Each font is parsed
and registered once per process, the fallbacks only when a letter first needs them.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import arabic_reshaper
import segno
from bidi import get_display
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.certificates.i18n import format_date, format_date_range, format_hours, is_rtl, text

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BUNDLED_REGULAR = FONT_DIR / "DejaVuSerif.ttf"
BUNDLED_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"
# The fallback chain after the main font, in order: (registered name, regular file, bold file)
FALLBACK_FONTS = (
    ("CCArabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("CCHebrew", "NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"),
    ("CCDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    ("CCCJK", "DroidSansFallback.ttf", None),  # no bold face: bold CJK uses the regular one
)

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


def _fallback_chain(bold: bool) -> tuple[tuple[str, Path], ...]:
    out = []
    for name, regular, bold_file in FALLBACK_FONTS:
        if bold and bold_file:
            out.append((name + "-Bold", FONT_DIR / bold_file))
        else:
            out.append((name, FONT_DIR / regular))
    return tuple(out)


_coverage: dict[str, frozenset[int] | dict] = {}
_broken: set[str] = set()


def _covered(name: str, path: Path | None = None) -> frozenset[int] | dict:
    """The code points the font has glyphs for (registering a fallback on first need)."""
    covered = _coverage.get(name)
    if covered is not None:
        return covered
    with _fonts_lock:
        if name not in _coverage:
            try:
                if path is not None:
                    _register(name, path)
                font = pdfmetrics.getFont(name)
                face = getattr(font, "face", None)
                char_to_glyph = getattr(face, "charToGlyph", None)
                # a standard PDF font (the Helvetica of a broken install) has Latin-1 only
                _coverage[name] = char_to_glyph if char_to_glyph is not None else frozenset(range(32, 256))
            except Exception as exc:
                log.warning("the certificate font %s (%s) cannot be loaded (%s); its script prints as boxes",
                            name, path, exc)
                _broken.add(name)
                _coverage[name] = frozenset()
        return _coverage[name]


def _joins_run(char: str) -> bool:
    """Spaces, digits, punctuation and combining marks stay in the run they are in when its font has them."""
    return not unicodedata.category(char).startswith("L")


def font_runs(value: str, font: str) -> list[tuple[str, str]]:
    """The string (in visual order) as (text, font) runs: each letter in the first font of the chain (the
    main font, then the fallbacks) whose cmap has it; the main font when none has it."""
    bold = font.endswith("-Bold") or font == "Helvetica-Bold"
    chain = ((font, None), *_fallback_chain(bold))
    runs: list[tuple[str, str]] = []
    current: str | None = None
    start = 0
    for index, char in enumerate(value):
        code = ord(char)
        if current is not None and _joins_run(char) and code in _covered(current):
            continue
        chosen = next((name for name, path in chain if code in _covered(name, path)), font)
        if chosen != current:
            if current is not None and index > start:
                runs.append((value[start:index], current))
            current, start = chosen, index
    if current is not None:
        runs.append((value[start:], current))
    return runs


def _has_rtl(value: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL", "AN") for char in value)


def visual(value: str, rtl: bool | None = None) -> str:
    """The line in visual order, Arabic letters in their joined forms. rtl: the paragraph's direction (the
    certificate's language for its own texts); None takes it from the first strong letter, as dir="auto"."""
    if not rtl and not _has_rtl(value):
        return value
    shaped = arabic_reshaper.reshape(value) if any("\u0600" <= c <= "\u06ff" for c in value) else value
    return get_display(shaped, base_dir="R" if rtl else "L" if rtl is False else None)


def text_width(value: str, font: str, size: float, rtl: bool | None = None) -> float:
    return sum(pdfmetrics.stringWidth(run, name, size) for run, name in font_runs(visual(value, rtl), font))


def draw_text(canvas: Canvas, x: float, y: float, value: str, font: str, size: float, *, align: str = "left",
              rtl: bool | None = None, char_space: float = 0) -> None:
    """Draw one line, aligned at x ('left', 'right' or 'centre'), in one text object with a font per run."""
    runs = font_runs(visual(value, rtl), font)
    width = sum(pdfmetrics.stringWidth(run, name, size) for run, name in runs)
    if char_space:
        width += (sum(len(run) for run, _ in runs) - 1) * char_space
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    text_object = canvas.beginText(x, y)
    if char_space:
        text_object.setCharSpace(char_space)
    for run, name in runs:
        text_object.setFont(name, size)
        text_object.textOut(run)
    if char_space:
        text_object.setCharSpace(0)  # Tc is graphics state: it would space every later line too
    canvas.drawText(text_object)


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


def _fit_size(value: str, font: str, size: float, minimum: float, width: float, rtl: bool | None = None) -> float:
    while size > minimum and text_width(value, font, size, rtl) > width:
        size -= 1
    return size


def _ellipsis(value: str, font: str, size: float, width: float, rtl: bool | None = None) -> str:
    """The value, cut at a word (else a character) and ended with '…' so that it fits the width."""
    if text_width(value, font, size, rtl) <= width:
        return value
    words = value.split()
    while len(words) > 1 and text_width(" ".join(words) + "…", font, size, rtl) > width:
        words.pop()
    cut = " ".join(words).rstrip(" ,;:–-")
    while cut and text_width(cut + "…", font, size, rtl) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _split(value: str, font: str, size: float, width: float, rtl: bool | None = None) -> list[str]:
    """Greedy lines at spaces (in logical order, so each line is then shaped on its own); a word wider than
    the line (a long name, or Chinese and Japanese, which have no spaces) is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in value.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size, rtl) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, font, size, rtl) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], font, size, rtl) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _wrap_to_fit(value: str, font: str, width: float, *, size: float, one_line_minimum: float, minimum: float,
                 max_lines: int) -> tuple[float, list[str]]:
    """(size, lines): one line as large as possible down to one_line_minimum, else wrapped onto at most
    max_lines down to minimum; whatever still does not fit ends in '…' (nothing ever runs off the page)."""
    single = _fit_size(value, font, size, one_line_minimum, width)
    if text_width(value, font, single) <= width:
        return single, [value]
    current = min(size, one_line_minimum)
    while True:
        lines = _split(value, font, current, width)
        fits = all(text_width(line, font, current) <= width for line in lines)
        if (len(lines) <= max_lines and fits) or current <= minimum:
            break
        current -= 1
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [_ellipsis(" ".join(lines[max_lines - 1:]), font, current, width)]
    return current, [_ellipsis(line, font, current, width) for line in lines]


def _centred(canvas: Canvas, value: str, font: str, size: float, y: float, color=INK,
             rtl: bool | None = None) -> None:
    canvas.setFillColor(color)
    draw_text(canvas, PAGE_WIDTH / 2, y, value, font, size, align="centre", rtl=rtl)


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
    """Draw the whole certificate page from the snapshot (mirrored for a right-to-left language)."""
    lang = snapshot.get("language") or "en"
    rtl = is_rtl(lang)
    kind = snapshot["kind"]
    width, height = PAGE_WIDTH, PAGE_HEIGHT
    regular, bold = fonts.regular, fonts.bold

    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(3)
    canvas.rect(18, 18, width - 36, height - 36, stroke=1, fill=0)
    canvas.setLineWidth(0.75)
    canvas.rect(26, 26, width - 52, height - 52, stroke=1, fill=0)

    canvas.setFillColor(GREEN)
    draw_text(canvas, width / 2, height - 72, snapshot["network"].upper(), bold, 13, align="centre", char_space=2)
    _centred(canvas, text(lang, f"title.{kind}"), bold, 30, height - 122, GREEN, rtl=rtl)

    # the body as (text, font, size, colour, distance from the previous baseline, direction), measured first;
    # the holder's name and the title are the holder's and the organiser's own words: their direction is
    # their own (dir="auto"), the certificate's texts take the certificate's
    name_size, name_lines = _wrap_to_fit(snapshot["holder_name"], bold, TEXT_WIDTH, size=30, one_line_minimum=22,
                                         minimum=16, max_lines=2)
    title_size, title_lines = _wrap_to_fit(snapshot["title"], bold, TEXT_WIDTH - 20, size=19, one_line_minimum=17,
                                           minimum=12, max_lines=3)
    if len(title_lines) > 2:  # three lines of a long title read better a little smaller
        title_size, title_lines = _wrap_to_fit(snapshot["title"], bold, TEXT_WIDTH - 20, size=min(title_size, 15),
                                               one_line_minimum=12, minimum=12, max_lines=3)
    what = _what_line(snapshot, lang)
    body = [(text(lang, "certify"), regular, 13, MUTED, 0, rtl)]
    for index, line in enumerate(name_lines):
        body.append((line, bold, name_size, INK, 14 + name_size if index == 0 else name_size * 1.15, None))
    body.append((text(lang, f"lead.{kind}"), regular, 13, MUTED, 0.25 * name_size + 24.5, rtl))
    for index, line in enumerate(title_lines):
        body.append((line, bold, title_size, INK, 15 + title_size if index == 0 else title_size * 1.25, None))
    body.append((what, regular, _fit_size(what, regular, 12, 8, width - 160, rtl), INK, title_size * 1.25 + 4,
                 rtl))
    body.append((text(lang, "total_hours", hours=format_hours(snapshot["hours"], lang)), bold, 12, GREEN, 20,
                 rtl))
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
    for value, font, size, color, advance, direction in body:
        y -= advance
        _centred(canvas, value, font, size, y, color, rtl=direction)
    if modules:
        _draw_modules(canvas, modules, lang, fonts, layout=layout, rows=rows, top=y - MODULES_HEADING)

    _draw_footer(canvas, snapshot, lang, fonts)


def _mirror(x: float, rtl: bool) -> float:
    return PAGE_WIDTH - x if rtl else x


def _draw_modules(canvas: Canvas, modules: list[dict], lang: str, fonts: CertificateFonts, *,
                  layout: ModuleLayout, rows: int, top: float) -> None:
    width = PAGE_WIDTH
    rtl = is_rtl(lang)
    start, end = ("right", "left") if rtl else ("left", "right")
    canvas.setFillColor(MUTED)
    draw_text(canvas, width / 2, top, text(lang, "modules"), fonts.bold, 9.5, align="centre", rtl=rtl)
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
        # x: where the row starts in reading order (the right edge of the column when right to left)
        x = _mirror(left + col * (layout.column_width + layout.gutter), rtl)
        far = x - layout.column_width if rtl else x + layout.column_width
        y = top - MODULES_FIRST_ROW - row * layout.row_height
        hours = format_hours(module["hours"], lang)
        hours_width = text_width(hours, fonts.regular, size, rtl)
        title = _ellipsis(module["title"], fonts.regular, size, layout.column_width - hours_width - 14)
        title_width = text_width(title, fonts.regular, size)
        canvas.setFillColor(INK)
        draw_text(canvas, x, y, title, fonts.regular, size, align=start)
        draw_text(canvas, far, y, hours, fonts.regular, size, align=end, rtl=rtl)
        leader = layout.column_width - hours_width - title_width - 8
        if leader > 6:  # dotted leaders tie each module to its hours
            offset = title_width + 4
            leader_from = x - offset if rtl else x + offset
            leader_to = leader_from - leader if rtl else leader_from + leader
            canvas.line(leader_from, y + 1, leader_to, y + 1)
    canvas.setDash()
    if len(shown) < len(modules):
        canvas.setFillColor(MUTED)
        last_col, last_row = divmod(len(shown), rows)
        x = _mirror(left + last_col * (layout.column_width + layout.gutter), rtl)
        draw_text(canvas, x, top - MODULES_FIRST_ROW - last_row * layout.row_height,
                  text(lang, "more_modules", count=len(modules) - len(shown)), fonts.regular, size, align=start,
                  rtl=rtl)


def _draw_footer(canvas: Canvas, snapshot: dict, lang: str, fonts: CertificateFonts) -> None:
    """The issuer block at the start of the line (left, or right when right to left), the code, the URL and
    the QR code at its end."""
    width = PAGE_WIDTH
    rtl = is_rtl(lang)
    start, end = ("right", "left") if rtl else ("left", "right")
    left = _mirror(72, rtl)
    issuer_width = 290  # the code and URL, aligned next to the QR code, start beyond it
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, 124, left - 230 if rtl else left + 230, 124)
    canvas.setFillColor(MUTED)
    draw_text(canvas, left, 112, text(lang, "issuer"), fonts.regular, 8.5, align=start, rtl=rtl)
    canvas.setFillColor(INK)
    issuer = snapshot.get("issuer_name") or snapshot["network"]
    size = _fit_size(issuer, fonts.bold, 11, 8, issuer_width)
    draw_text(canvas, left, 98, _ellipsis(issuer, fonts.bold, size, issuer_width), fonts.bold, size, align=start)
    organisation = snapshot.get("issuer_organisation")
    if organisation:
        size = _fit_size(organisation, fonts.regular, 9, 7, issuer_width)
        draw_text(canvas, left, 85, _ellipsis(organisation, fonts.regular, size, issuer_width), fonts.regular,
                  size, align=start)
    issued_on = format_date(date.fromisoformat(snapshot["issued_on"]), lang)
    draw_text(canvas, left, 62, text(lang, "issued_on", date=issued_on), fonts.regular, 9, align=start, rtl=rtl)

    qr_size = 86
    qr_x = 60 if rtl else width - 60 - qr_size
    qr_y = 44
    draw_qr(canvas, snapshot["verify_url"], qr_x, qr_y, qr_size)
    right = qr_x + qr_size + 12 if rtl else qr_x - 12
    canvas.setFillColor(MUTED)
    draw_text(canvas, right, 118, text(lang, "code"), fonts.regular, 8.5, align=end, rtl=rtl)
    canvas.setFillColor(INK)
    draw_text(canvas, right, 103, snapshot["code"], fonts.bold, 12, align=end, rtl=False)
    canvas.setFillColor(MUTED)
    draw_text(canvas, right, 80, text(lang, "verify"), fonts.regular, 8.5, align=end, rtl=rtl)
    canvas.setFillColor(INK)
    url = snapshot["verify_url"]
    draw_text(canvas, right, 67, url, fonts.regular, _fit_size(url, fonts.regular, 9, 6, 330, False), align=end,
              rtl=False)


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
