"""Folding and words: the one definition of "the same word" that both databases search with.

Indexed text and queries go through the same functions here, in Python, so SQLite (FTS5) and PostgreSQL
(tsvector) are handed the same words and cannot disagree about accents, case or letters that Unicode does not
decompose: "Medellín" and "medellin", "Đà Nẵng" and "da nang", "Straße" and "strasse", "Łódź" and "lodz".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# letters that NFKD does not split into a base letter and a mark (after casefold, so lower case only)
_LETTERS = str.maketrans({
    "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ł": "l", "ø": "o", "œ": "oe", "æ": "ae", "þ": "th", "ŧ": "t",
    "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f", "ɗ": "d", "ɓ": "b", "ƙ": "k", "ƴ": "y", "ǝ": "e", "ɛ": "e",
    "ɔ": "o", "ʃ": "s", "ʒ": "z",
    "\u0640": "",  # Arabic tatweel: a stretch of the line, not a letter
})
# a word: a run of letters, digits, marks and private-use characters (Unicode categories L*, N*, M*, Co),
# exactly the classes the FTS5 tokenizer is told to keep (models.FTS5_TOKENIZE); anything else separates
_WORD: re.Pattern | None = None


def _word_pattern() -> re.Pattern:
    global _WORD
    if _WORD is None:
        ranges, start, previous = [], None, None
        for code in range(0x110000):
            category = unicodedata.category(chr(code))
            keep = category[0] in "LNM" or category == "Co"
            if keep and start is None:
                start = code
            elif not keep and start is not None:
                ranges.append((start, previous))
                start = None
            previous = code
        if start is not None:
            ranges.append((start, previous))
        body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        _WORD = re.compile(f"[{body}]+")
    return _WORD


PREFIX_FROM = 2  # a query word of at least this many characters matches as a prefix, a shorter one only itself
MAX_WORD = 60  # longer "words" are cut (a URL, a hash): both databases index the same prefix


def fold(text: str | None) -> str:
    """Case- and accent-free text: casefold, NFKD, combining marks dropped, undecomposable letters mapped."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.translate(_LETTERS)).casefold()


def fold_char(char: str) -> str:
    """fold() of one character (for mapping matches back onto the original text)."""
    return fold(char)


_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same pattern on text that is plain ASCII once folded (8x faster)


def word_pattern(folded: str) -> re.Pattern:
    """The pattern finding words in a folded text."""
    return _ASCII_WORD if folded.isascii() else _word_pattern()


def words(text: str | None) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return [w[:MAX_WORD] for w in word_pattern(folded).findall(folded)]


def pairs(items: list[str]) -> list[str]:
    """Adjacent words joined ("da", "nang" -> "danang"), so a place written in one word or two is found."""
    return [a + b for a, b in zip(items, items[1:], strict=False)]


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
