"""Machine-readable outputs: Atom feeds (RFC 4287), sitemap.xml and robots.txt.

These need absolute URLs, so they are written only when ``base_url`` is set.
Dates without a time zone are taken as UTC. Nothing here depends on the build
time: a feed's ``updated`` is its newest entry's.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

FEED_ENTRIES = 20
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Not xml.sax.saxutils: it imports urllib, http and email, a sixth of the start-up of a small rebuild.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def absolute(base_url: str, site_path: str) -> str:
    return base_url.rstrip("/") + "/" + site_path


def rfc3339(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.isoformat().replace("+00:00", "Z")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value).translate(_TEXT)


def _attr(value: str) -> str:
    return '"' + _NOT_XML.sub("", value).translate(_ATTRIBUTE) + '"'


def atom(base_url: str, feed_path: str, page_path: str, title: str, subtitle: str, language: str,
         entries: list[dict]) -> str:
    """An Atom feed. Each entry: title, url, started, ended (datetimes), speakers, tags, summary."""
    dated = [e for e in entries if e["started"] is not None][:FEED_ENTRIES]
    updated = max((e["ended"] or e["started"] for e in dated), default=_EPOCH, key=_comparable)
    feed_url = absolute(base_url, feed_path)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attr(language)}>',
        f"  <title>{_text(title)}</title>",
    ]
    if subtitle:
        lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
    lines += [
        f'  <link rel="self" type="application/atom+xml" href={_attr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={_attr(absolute(base_url, page_path))}/>',
        f"  <id>{_text(feed_url)}</id>",
        f"  <updated>{rfc3339(updated)}</updated>",
        f"  <author><name>{_text(title)}</name></author>",
        "  <generator>Antiphon</generator>",
    ]
    for entry in dated:
        url = absolute(base_url, entry["url"])
        lines += [
            "  <entry>",
            f"    <title>{_text(entry['title'])}</title>",
            f'    <link rel="alternate" type="text/html" href={_attr(url)}/>',
            f"    <id>{_text(url)}</id>",
            f"    <published>{rfc3339(entry['started'])}</published>",
            f"    <updated>{rfc3339(entry['ended'] or entry['started'])}</updated>",
            *(f"    <author><name>{_text(name)}</name></author>" for name in entry["speakers"]),
            *(f"    <category term={_attr(tag)}/>" for tag in entry["tags"]),
            f"    <summary>{_text(entry['summary'])}</summary>" if entry["summary"] else "",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(line for line in lines if line) + "\n"


def _comparable(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def sitemap(base_url: str, page_paths: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{_text(absolute(base_url, path))}</loc></url>" for path in sorted(page_paths)]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(base_url: str) -> str:
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"Sitemap: {absolute(base_url, 'sitemap.xml')}\n"
    return text
