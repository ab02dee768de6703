"""Matched words marked in the text as written: the text is folded one character at a time, keeping where each
folded character came from, so "Medellín" is marked for "medel" and "Straße" for "strasse"."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import escape

from app.search.fold import PREFIX_FROM, fold, word_pattern

SCAN = 1000


def _folded_with_positions(text: str) -> tuple[str, list[int] | range]:
    """The folded text and, for each of its characters, the index of the character it came from."""
    if text.isascii():  # most text: folding is lower-casing, positions do not move
        return text.lower(), range(len(text))
    pieces = [_ASCII[code] if (code := ord(char)) < 128 else _fold_one(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text) and all(len(piece) == 1 for piece in pieces):
        return folded, range(len(text))
    origin: list[int] = []
    for index, piece in enumerate(pieces):
        origin += [index] * len(piece)
    return folded, origin


_ASCII = [chr(code).lower() for code in range(128)]


@lru_cache(maxsize=4096)
def _fold_one(char: str) -> str:
    return fold(char)


def _spans(text: str, items: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` of each word that starts with one of the query's words."""
    if not text or not items:
        return []
    folded, origin = _folded_with_positions(text)
    found = list(word_pattern(folded).finditer(folded))
    spans = []
    firsts = {w[0] for w in items if w}
    for index, match in enumerate(found):
        word = match.group()
        if word[0] not in firsts:
            continue
        best = max((len(w) for w in items if word.startswith(w) and (len(w) >= PREFIX_FROM or word == w)), default=0)
        if best:
            # the whole character ("ß" for a prefix ending in "s")
            spans.append((origin[match.start()], origin[match.start() + best - 1] + 1))
        elif index + 1 < len(found) and any(len(w) > len(word) and w.startswith(word) for w in items):
            # a word written in two ("Đà Nẵng" for "danang", as the index joins them)
            joined = word + found[index + 1].group()
            if any(joined.startswith(w) and len(w) > len(word) for w in items):
                spans.append((origin[match.start()], origin[found[index + 1].end() - 1] + 1))
    return spans


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out.append(str(escape(text[last:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(str(escape(text[last:])))
    return "".join(out)


def highlight(text: str, items) -> str:
    """The whole text, escaped, with the matched words in <mark>."""
    return _marked(text or "", _spans(text or "", tuple(items)))


def snippet(text: str, items, *, context: int = 80) -> str:
    """About 2 x `context` characters of the text around its first match (its start when nothing matches),
    escaped, with the matched words in <mark> and "…" where it was cut."""
    text = " ".join((text or "").split())
    spans = _spans(text[:SCAN], tuple(items))  # the match is usually early (title, summary): look there first
    if not spans and len(text) > SCAN:
        spans = _spans(text, tuple(items))
    if spans:
        first = spans[0][0]
        start = max(0, first - context)
        if start:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
    else:
        start = 0
    end = min(len(text), start + 2 * context)
    if end < len(text):
        space = text.rfind(" ", start + context, end)
        end = space if space != -1 else end
    part = text[start:end]
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    return ("…" if start else "") + _marked(part, inside) + ("…" if end < len(text) else "")
