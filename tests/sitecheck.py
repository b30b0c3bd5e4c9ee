"""Helpers that inspect a built site: every internal link and fragment must resolve."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text("utf-8"))
    return collector


def broken_links(site: Path, base_path: str = "/", reachable: bool = False) -> list[str]:
    """Every internal href/src on every page that does not resolve to a file (and fragment); with
    ``reachable``, on the pages a visitor can reach from the index (not pages a build is removing)."""
    pages = {p.relative_to(site).as_posix(): parse(p) for p in site.rglob("*.html")}
    if reachable:
        pages = {page: pages[page] for page in _reachable(site, pages, base_path)}
    problems = []
    for page, collected in sorted(pages.items()):
        for link in collected.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    problems.append(f"{page}: {link} leaves the base path {base_path}")
                    continue
                target = parts.path[len(base_path):]
            elif parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
                if parts.path.endswith("/"):
                    target += "/"
                if target.startswith(".."):
                    problems.append(f"{page}: {link} leaves the site")
                    continue
            else:
                target = page
            file = target + "index.html" if target.endswith("/") or target in ("", ".") else target
            file = file.lstrip("./") if file.startswith("./") else file
            if not (site / file).is_file():
                problems.append(f"{page}: {link} -> {file} does not exist")
            elif parts.fragment and file in pages and parts.fragment not in pages[file].ids:
                problems.append(f"{page}: {link} -> no id {parts.fragment!r} in {file}")
    return problems


def _reachable(site: Path, pages: dict, base_path: str) -> set[str]:
    """The pages linked, directly or not, from index.html."""
    seen, pending = set(), ["index.html"]
    while pending:
        page = pending.pop()
        if page in seen or page not in pages:
            continue
        seen.add(page)
        for link in pages[page].links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):
                target = parts.path[len(base_path):] if parts.path.startswith(base_path) else ""
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
                target += "/" if parts.path.endswith("/") else ""
            pending.append(target + "index.html" if target.endswith("/") or target in ("", ".") else target)
    return seen
