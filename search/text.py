"""Query text → terms, and article text → plain text: shared by search and highlight.

Everything here is linear in its input and capped, so no query, however long or
odd, can make it slow (the bad-input corpus in tests/search/ pins that).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

import snowballstemmer
from django.utils.html import strip_tags

# The API refuses longer q (400); functions here cap rather than fail.
MAX_QUERY_CHARS = 256
MAX_TERMS = 16
MAX_TERM_CHARS = 64
WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL's english configuration drops these; so does highlighting.
STOP_WORDS = frozenset(
    "a about above after again against all am an and any are as at be because been "
    "before being below between both but by can did do does doing down during each "
    "few for from further had has have having he her here hers herself him himself "
    "his how i if in into is it its itself just me more most my myself no nor not now "
    "of off on once only or other our ours ourselves out over own same she should so "
    "some such than that the their theirs them themselves then there these they this "
    "those through to too under until up very was we were what when where which while "
    "who whom why will with you your yours yourself yourselves".split()
)
_stemmer = snowballstemmer.stemmer("english")


def clean_query(q: str | None) -> str:
    """``q`` capped, without NUL or other control characters, NFC-normalised."""
    if not q:
        return ""
    q = q[:MAX_QUERY_CHARS]
    q = "".join(ch if ch.isprintable() else " " for ch in q)
    return unicodedata.normalize("NFC", q).strip()


def search_terms(q: str | None) -> list[str]:
    """The words of ``q``, lower-cased, deduplicated, in order, capped in number."""
    seen: dict[str, None] = {}
    for word in WORD.findall(clean_query(q)):
        word = word.lower()[:MAX_TERM_CHARS].strip("_")
        if word:
            seen.setdefault(word, None)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)


def content_terms(q: str | None) -> list[str]:
    """:func:`search_terms` without stop words (what full-text search matches)."""
    return [t for t in search_terms(q) if t not in STOP_WORDS]


def stem(word: str) -> str:
    return _stem(word.lower())


@functools.lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    # Highlighting stems every word it scans; prose repeats its words, and the
    # Snowball stemmer in pure Python costs ~60 µs a word: memoised, bounded.
    return _stemmer.stemWord(word)


def html_to_text(value: str) -> str:
    """Rich text HTML → plain text (tags dropped, entities decoded)."""
    return html.unescape(strip_tags(value))


def block_text(block_type: str | None, value) -> list[str]:
    """Plain text of one raw StreamField block (no database access)."""
    if isinstance(value, str):
        if block_type == "embed":
            return []
        return [html_to_text(value) if block_type == "paragraph" else value]
    if isinstance(value, dict):
        parts = [
            str(value.get(key) or "")
            for key in ("text", "caption", "alt", "attribution")
        ]
        for item in value.get("items") or []:
            if isinstance(item, dict):
                item = item.get("value")
            if isinstance(item, str):
                parts.append(item)
        return parts
    return []


def body_text(raw_blocks) -> str:
    parts: list[str] = []
    for block in raw_blocks or []:
        if isinstance(block, dict):
            parts.extend(block_text(block.get("type"), block.get("value")))
    return " ".join(p.strip() for p in parts if p and p.strip())
