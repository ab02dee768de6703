"""Write the pseudo-locale catalogue from the English template: every msgstr a visibly marked msgid.

    python scripts/pseudo_locale.py app/translations/messages.pot app/translations/en_US_POSIX/LC_MESSAGES/messages.po

"Log in" becomes "⟦Ĺöĝ ïñ⟧": accented letters, wrapped in ⟦…⟧, so a page rendered in it shows at a glance
(and to tests/main/test_pseudo_locale.py) every string that never went through the catalogue. Placeholders
(%(name)s, %s, %%), HTML tags and entities are kept exactly, so the page still renders and formats.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

OPEN, CLOSE = "⟦", "⟧"
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥïĵķĺɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÏĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# kept as they are: placeholders, tags, entities
_KEEP = re.compile(r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif%]|<[^>]+>|&[#A-Za-z0-9]+;")


def pseudo(text: str) -> str:
    """The marked form of one message."""
    if not text:
        return text
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[last:match.start()].translate(_ACCENTS))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(_ACCENTS))
    return OPEN + "".join(out) + CLOSE


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def write_pseudo(pot_path: Path, po_path: Path) -> int:
    """Write the .po by hand (every entry translated, no fuzzy flags, plural forms of English)."""
    with pot_path.open("rb") as handle:
        template = read_po(handle)
    lines = [
        'msgid ""', 'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: en_US_POSIX\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', "",
    ]
    count = 0
    for message in template:
        if not message.id:
            continue
        count += 1
        if message.context:
            lines.append(f"msgctxt {_quote(message.context)}")
        if message.pluralizable:
            singular, plural = message.id
            lines += [f"msgid {_quote(singular)}", f"msgid_plural {_quote(plural)}",
                      f"msgstr[0] {_quote(pseudo(singular))}", f"msgstr[1] {_quote(pseudo(plural))}", ""]
        else:
            lines += [f"msgid {_quote(message.id)}", f"msgstr {_quote(pseudo(message.id))}", ""]
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po_path.write_text("\n".join(lines), encoding="utf-8")
    return count


if __name__ == "__main__":
    pot, po = (Path(arg) for arg in sys.argv[1:3])
    print(f"{write_pseudo(pot, po)} messages written to {po}")
