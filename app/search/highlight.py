"""Matched words marked in the text as written: the text is folded one character at a time, keeping where each
folded character came from, so "Medellín" is marked for "medel" and "Straße" for "strasse"."""

from __future__ import annotations

from markupsafe import escape

from app.search.fold import _word_pattern, fold


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    folded, origin = [], []
    for index, char in enumerate(text):
        piece = fold(char) if not char.isascii() else char.lower()
        folded.append(piece)
        origin += [index] * len(piece)
    return "".join(folded), origin


def _spans(text: str, items: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` of each word that starts with one of the query's words."""
    if not text or not items:
        return []
    folded, origin = _folded_with_positions(text)
    found = list(_word_pattern().finditer(folded))
    spans = []
    for index, match in enumerate(found):
        word = match.group()
        best = max((len(w) for w in items if word.startswith(w)), default=0)
        if best:
            # the whole character ("ß" for a prefix ending in "s")
            spans.append((origin[match.start()], origin[match.start() + best - 1] + 1))
        elif index + 1 < len(found):
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
