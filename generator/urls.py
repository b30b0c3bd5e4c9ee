"""Slugs and links. Every internal link is relative, so one build works at ``/`` and under a subpath."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


@lru_cache(maxsize=65536)
def slugify(text: str, fallback: str = "") -> str:
    """ASCII, lowercase, hyphen-separated; never empty, never '.' or '..', never a '/'.

    Text with no ASCII letters or digits (say, a Japanese title) gets a short
    stable hash so it still has a name of its own.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")[:MAX_SLUG].rstrip("-")
    if slug:
        return slug
    if fallback:
        return fallback
    return "x-" + _short_hash(text)


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
