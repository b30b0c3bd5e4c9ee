"""What Pagefind is given of a conversation page it reads as HTML (one that records.py cannot read
as a record): only what it reads.

Pagefind indexes the element marked ``data-pagefind-body`` and takes metadata and filters from the
elements marked ``data-pagefind-meta`` and ``data-pagefind-filter`` anywhere on the page; it still
parses all the rest (the head, the navigation, the shape, every message's header that
``EXCLUDED`` leaves out). Given a page cut down to those parts it writes the same bundle, byte
for byte (tests/test_search_documents.py), with less work: over 5,000 generated conversation pages
Pagefind's own command line took 36 s of processor time on the cut pages against 49 s on the whole
ones; in the build, where the pages also travel to Pagefind's service, the search phase took about
a tenth less. A page whose shape is not the one expected here, as a theme of one's own may make
it, is given whole.
"""

from __future__ import annotations

import re

_HTML = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)[\s/>]")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track",
         b"wbr"}
# A message's header (speaker, number, time), as the default theme writes it: the first child of the
# message's article, which search/__init__.py's EXCLUDED selector leaves out of the index anyway.
# A header runs to its end tag, not past the next message's start (one never closed is looked through
# once, not once for each message before it).
_MESSAGE_HEADER = re.compile(rb'(<article class="msg[ "][^<>]*>)<header>[^<]*(?:<(?!/header>|article\b)[^<]*)*</header>')
_end_tags: dict[bytes, re.Pattern] = {}
# Chinese and Japanese are written without spaces between words, and Pagefind splits words at spaces
# only (unless the page's language is Chinese, Japanese or Thai, and a page's language is the site's):
# a word in the middle of a sentence could not be found. So each of their characters is made a word
# of its own, as Lucene's standard tokenizer does with ideographs; the search page puts a query's
# characters apart the same way (search.js, CJK), and its excerpts join them again. Korean and Thai
# are left: Korean puts spaces between words, and Thai's marks would be torn from their letters.
# Ranges: CJK punctuation, kana, CJK extension A, unified ideographs, compatibility ideographs,
# fullwidth punctuation, halfwidth katakana, and the supplementary ideographs (extensions B to H).
CJK = ("\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
       "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uff66-\uff9f\U00020000-\U0003134f")
_CJK_CHARACTER = re.compile(f"([{CJK}])")
# The UTF-8 lead bytes of those ranges (and of a few neighbours): a page without one needs no look.
_MAY_HOLD_CJK = re.compile(rb"[\xe3-\xe9]|\xef[\xa4-\xab\xbc-\xbe]|\xf0[\xa0-\xb1]")
_ASCII = bytes(range(0x80))
_BELOW_U3000 = bytes(range(0xE3))  # all but the lead bytes of characters from U+3000 up
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_WITH_CJK = re.compile(f"<[^>{CJK}]*[{CJK}][^>]*>")


def search_document(page: bytes) -> bytes:
    """What Pagefind is given of ``page``: the parts it reads, as a page of their own (or the page
    whole), with the words of Chinese and Japanese text apart."""
    return words_apart(cut(page))


def words_apart(page: bytes) -> bytes:
    """``page`` with a space on each side of every Chinese or Japanese character in the text of its
    ``data-pagefind-body`` element (the title and filters, outside it, are shown as they are)."""
    at = page.find(b"data-pagefind-body")
    if at == -1 or page.find(b"data-pagefind-body", at + 1) != -1 or not may_hold_cjk(page):
        return page
    body, tag_end = start_tag(page, at), page.find(b">", at) + 1
    if body is None or tag_end == 0:
        return page
    end = element_end(page, tag_name(page, body), tag_end) or len(page)
    text = page[tag_end:end].decode("utf-8", "surrogateescape")
    if _TAG_WITH_CJK.search(text):  # (a link to a page with such a name): only the text is spaced
        parts = _TAG_OR_TEXT.split(text)  # tags alternate with text, where a '<' is always escaped
        parts[::2] = [_CJK_CHARACTER.sub(r" \1 ", part) for part in parts[::2]]
        text = "".join(parts)
    else:
        text = _CJK_CHARACTER.sub(r" \1 ", text)
    return page[:tag_end] + text.encode("utf-8", "surrogateescape") + page[end:]


def may_hold_cjk(page: bytes) -> bool:
    # Most pages hold no character from U+3000 up, which bytes.translate finds out in C, much faster
    # than a regular expression over the whole page; the rest are looked at in their non-ASCII bytes.
    return bool(page.translate(None, _BELOW_U3000)) and _MAY_HOLD_CJK.search(page.translate(None, _ASCII)) is not None


def cut(page: bytes) -> bytes:
    """The parts of ``page`` Pagefind reads, as a page of their own (or ``page`` itself)."""
    at = page.find(b"data-pagefind-body")
    if at == -1 or page.find(b"data-pagefind-body", at + 1) != -1:  # none, or also in what was said
        return page
    body = start_tag(page, at)
    html = _HTML.search(page, 0, body) if body is not None else None
    if html is None:
        return page
    before = page[:body]
    # Pagefind takes a page's title from its first <h1>, and its image from the first <img>, unless
    # they are marked: anything unmarked of that kind before the body keeps the page whole.
    if b'data-pagefind-meta="title"' not in before or b"<img" in before.lower():
        return page
    marked = _marked_elements(before)
    if marked is None:
        return page
    return b"".join((b"<!DOCTYPE html>", html.group(), b'<head><meta charset="utf-8"></head><body>', *marked,
                     _MESSAGE_HEADER.sub(_start_tag_only, page[body:])))


def _start_tag_only(match: re.Match) -> bytes:
    # A function, not the template rb"\1": the re module expands a template in Python at each match,
    # and a page holds one match per message (a third less time for the whole cut).
    return match[1]


def start_tag(html: bytes, at: int, after: int = 0) -> int | None:
    """Where the start tag that ``at`` is inside begins, if after ``after``; None when ``at`` is in
    text, not in a tag (a value cannot hold a raw '<' or '>': Jinja and the renderer escape both, as
    they do a transcript's)."""
    start = html.rfind(b"<", after, at)
    if start == -1 or html.find(b">", start, at) != -1 or not _TAG_NAME.match(html, start):
        return None
    return start


def _marked_elements(html: bytes) -> list[bytes] | None:
    """Each element of ``html`` whose start tag carries a Pagefind attribute, whole; None if one is not
    closed (then the page is not cut). One in text, not in a tag, is passed over."""
    elements = []
    position = 0
    while (at := html.find(b"data-pagefind-", position)) != -1:
        # Only back to where the last look ended (in text, or after an element): each byte is looked at once.
        start = start_tag(html, at, position)
        if start is None:
            position = at + 1
            continue
        name = tag_name(html, start)
        tag_end = html.find(b">", at) + 1
        if tag_end == 0:
            return None
        end = tag_end if name in _VOID or html[tag_end - 2:tag_end] == b"/>" else element_end(html, name, tag_end)
        if end is None:
            return None
        elements.append(html[start:end])
        position = end
    return elements


def tag_name(html: bytes, start: int) -> bytes:
    """The name of the start tag at ``start`` (one start_tag found), in lower case."""
    return _TAG_NAME.match(html, start).group(1).lower()


def element_end(html: bytes, name: bytes, position: int) -> int | None:
    """Where the element whose start tag ends at ``position`` ends (after its end tag)."""
    tags = _end_tags.get(name)
    if tags is None:
        tags = _end_tags[name] = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(b">", tag.end() - 1)
            return close + 1 if close != -1 else None
    return None
