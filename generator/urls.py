"""Slugs and links. Every internal link is relative, so one build works at ``/`` and under a subpath."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_NON_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


@lru_cache(maxsize=65536)
def slugify(text: str, fallback: str = "") -> str:
    """ASCII, lowercase, hyphen-separated; never empty, never '.' or '..', never a '/'.

    Letters of other scripts are spelled in Latin ('Разговор' -> 'razgovor', '潮汐表' ->
    'chao-xi-biao'); text with no letter or digit at all (emoji) gets a short stable hash so it
    still has a name of its own.
    """
    slug = _NON_SLUG.sub("-", _in_latin(text).lower()).strip("-")[:MAX_SLUG].rstrip("-")
    if slug:
        return slug
    if fallback:
        return fallback
    return "x-" + _short_hash(text)


def _in_latin(text: str) -> str:
    """Each character as ASCII: accents dropped ('é' -> 'e'), another script's letters, marks and digits
    transliterated by anyascii (kana and Hangul joined as their words are, each Chinese character a
    syllable of its own); symbols and emoji left out, as they always were."""
    parts = []
    for character in unicodedata.normalize("NFC", text):
        folded = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode("ascii")
        if folded or not unicodedata.category(character).startswith(("L", "N", "M")):
            parts.append(folded)
        elif unicodedata.name(character, "").startswith("CJK"):  # an ideograph: a syllable, a word of its own
            parts.append(f" {anyascii(character)} ")
        else:
            parts.append(anyascii(character))
    return "".join(parts)


def bounded(slug: str, limit: int = MAX_SLUG) -> str:
    """``slug`` cut to ``limit`` characters, with a hash of the whole so that cut slugs stay distinct
    (a folder name must fit the file system's 255-byte limit)."""
    if len(slug) <= limit:
        return slug
    return slug[:limit - 9].rstrip("-") + "-" + _short_hash(slug)


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def relative(target: str, page: str) -> str:
    """Link from the page at site path ``page`` to the site path ``target``.

    Paths are site-relative with '/' separators; a path ending in '/' is a folder
    (served as its index.html). ``relative('tags/', 'c/x/')`` is ``'../../tags/'``.
    Every link on every page comes through here, so it splits strings rather than
    calling posixpath.relpath (which normalises and makes paths absolute first).
    """
    depth = page.count("/")  # the folders the page is in: 'tags/x/' and 'tags/x/index.html' are in two
    if not depth or target.partition("/")[0] != page.partition("/")[0]:
        return "../" * depth + target or "./"  # nothing in common: most links (assets, the menu, cards)
    folder = page.split("/")[:-1]  # 'tags/x/' and 'tags/x/index.html' are both in ['tags', 'x']
    parts = [part for part in target.split("/") if part]
    common = 0
    while common < len(folder) and common < len(parts) and folder[common] == parts[common]:
        common += 1
    link = "/".join([".."] * (len(folder) - common) + parts[common:]) or "."
    if target.endswith("/") or target == "":
        link = "./" if link == "." else link + "/"
    return link
