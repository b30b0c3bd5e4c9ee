"""Conversation pages given to Pagefind as records (search/records.py), read as Pagefind reads their HTML.

Differential tests: for each page, Pagefind's own reading of the page (its words, where each
message starts, its metadata and filters) must be what the record gives it, on an archive with
every import format and message shape, on text made to trip the reading up, and on any messages
Hypothesis writes through the renderer. Pages of other shapes are given as HTML.
"""

from __future__ import annotations

import gzip
import json
import shutil
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.render import MessageRenderer
from generator.search import EXCLUDED
from generator.search.documents import search_document
from generator.search.pagefind import PagefindService
from generator.search.records import Record, _where_messages_start, message_starts, record_of, search_entry
from generator.site import build
from tests.conftest import FIXTURES, transcript

# Text that tests each rule of the reading: a sentence's full stop after a letter, a digit, a quote
# (escaped on the page), a mark that joins a letter, emoji with their variation selector, letters in
# circles, characters of no word (superscripts, an ampersand); spaces of one kind to JavaScript and
# another to Pagefind; Chinese, which is put apart; inline and block markup of every kind.
TRICKY = (
    ("Ada", 'He said "yes"\n\nIt\'s \'quoted\'\n\nAn ampersand &\n\n'
            "Speed in kg/m³\n\nEyes 👁️👁️"),
    ("Bo", "s̶t̶r̶u̶c̶k̶\n\npress Ⓜ\n\nzero\u200bwidth and \ufeffmark\n\n潮汐表。波\n\n"
           "- one\n- *two*\n\n1. first\n2. `second`"),
    ("Ada", "| a | b |\n| --- | --- |\n| **x** | y_ |\n\n> quoted (aside)\n\n"
            "```python\nprint('x')\n```\n\n### A heading\n\ntext"),
    ("Bo", "verse line one\nline two\n\n*stage directions*\n\n[a link](https://example.org/) and <b>raw</b> &amp; 2 > 1"),
)


def _fragments(service: PagefindService, entries: list[tuple[str, bytes | Record]]) -> dict[str, dict]:
    files = service.index(entries, EXCLUDED)
    fragments = {}
    for path, data in files.items():
        if path.startswith("fragment/"):
            fragment = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
            fragments[fragment["url"]] = fragment
    return fragments


def _as_read(fragment: dict) -> dict:
    """What the search page uses of a page's fragment: its words, where its messages start, its
    metadata and filters."""
    meta = dict(fragment["meta"])
    written = meta.pop("messages", None)
    # U+FEFF parts words to JavaScript, not to Pagefind: a record makes it a space, so a word of
    # nothing else is no word, and no place.
    alone = [word.strip("\ufeff") == "" for word in fragment["content"].split(" ")]
    if written is None:
        starts = [(int(anchor["id"][2:]), anchor["location"] - sum(alone[:anchor["location"]]))
                  for anchor in fragment["anchors"] if anchor["id"].startswith("m-")]
    else:
        starts = message_starts(written)
    return {"words": fragment["content"].replace("\ufeff", " ").split(), "starts": starts, "meta": meta,
            "filters": fragment["filters"]}


def _assert_read_alike(service: PagefindService, pages: list[tuple[str, bytes]]) -> list[str]:
    """Each page's record is read as Pagefind reads the page; returns the URLs of the pages with a record."""
    records = [(url, record_of(page)) for url, page in pages]
    with_record = [(url, record) for url, record in records if record is not None]
    as_html = _fragments(service, [(url, search_document(page)) for url, page in pages])
    as_records = _fragments(service, with_record)
    for url, _ in with_record:
        assert _as_read(as_records[url]) == _as_read(as_html[url]), url
    return [url for url, _ in with_record]


@pytest.fixture(scope="module")
def service():
    with PagefindService() as service:
        yield service


def test_records_are_read_as_pagefind_reads_the_pages(sample_project, service):
    for folder in ("formats", "messages"):
        shutil.copytree(FIXTURES / folder, sample_project / "content" / folder)
    (sample_project / "content" / "tricky.md").write_text(transcript(title="Ada ↔ Bo", messages=TRICKY), "utf-8")
    assert not build(load_config(None, sample_project)).failed()
    site = sample_project / "site"
    pages = [(f"/c/{path.parent.name}/", path.read_bytes()) for path in sorted((site / "c").glob("*/index.html"))]
    recorded = _assert_read_alike(service, pages)
    assert len(pages) > 40
    # Every page has a record, those that weigh a title the source gave too (read as text: a record
    # has no weights).
    assert len(recorded) == len(pages)
    assert sum(b"data-pagefind-weight" in page for _, page in pages) > 10
    tricky = next(page for url, page in pages if b"kg/m" in page)
    assert "Speed in kg/m³ Eyes 👁️👁️." in record_of(tricky).content


def _page(messages: list[str], title: str = "T") -> bytes:
    """A conversation page of the default theme's shape, its messages made by the renderer."""
    renderer = MessageRenderer()
    articles = "".join(f'<article class="msg sp-{n % 2} side-a" id="m-{n}"><header><h2>S{n % 2}</h2>'
                       f'<a href="#m-{n}">#{n}</a></header>\n{renderer.render(text)}</article>\n'
                       for n, text in enumerate(messages, 1))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><title>{title}</title></head><body><main>'
            f'<h1 data-pagefind-meta="title">{title}</h1><span hidden data-pagefind-filter="speaker">S0</span>'
            f'<div class="messages" data-pagefind-body>\n{articles}</div><nav>More</nav></main></body></html>').encode()


_WORDS = st.sampled_from(["word", "It's", '"quoted"', "(aside)", "x_", "³", "&", "&amp;", "<b>", "👁️", "s̶", "Ⓜ",
                          "潮汐", "\u200b", "\ufeff", "\u00a0", "\u2028", "\x85", "\x1c", "e\u0301", "#", "*", "_",
                          "`", "|", "-", "1.", ">", "\n", "\n\n", " ", "```", "    ", "$", "中文", "한국어", "🜃"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=25).map(" ".join), min_size=1, max_size=4))
def test_any_messages_are_read_as_pagefind_reads_them(service, messages):
    page = _page(messages)
    if not _assert_read_alike(service, [("/c/a/", page)]):  # Pagefind would leave out a record of no word
        fragment = _fragments(service, [("/c/a/", search_document(page))]).get("/c/a/")
        assert fragment is None or not any(c.isalpha() or c.isdecimal() or c == "_" for c in fragment["content"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 300), st.integers(0, 5000)), max_size=40))
def test_where_messages_start_reads_back(steps):
    numbers, starts, number, start = [], [], 0, 0
    for gap, words in steps:
        number, start = number + gap, start + words
        numbers.append(number)
        starts.append(start)
    written = _where_messages_start(numbers, starts)
    assert message_starts(written) == list(zip(numbers, starts))
    assert not any(character.isalnum() for character in written)  # Pagefind indexes no word of it


def test_a_page_of_another_shape_is_given_as_html():
    page = _page(["Hello there."])
    assert isinstance(search_entry(page), Record)
    for other in (page.replace(b'<h1 data-pagefind-meta="title">', b'<h1 data-pagefind-meta="title" '
                                                                      b'data-pagefind-weight="7">'),
                  page.replace(b"Hello", b'<img src="a.png"> Hello'),  # Pagefind would take the page's image
                  page.replace(b"<nav>", b'<span data-pagefind-filter="tag">a</span><nav>'),  # marks after the body
                  page.replace(b"<header>", b"<header class='x'>"),  # a header the exclusion would take out
                  page.replace(b"<p>", b"<p data-pagefind-ignore>"),  # a message part left out...
                  page.replace(b"</p>", b"<span data-pagefind-ignore>hidden</span></p>").replace(
                      b"<span data-pagefind-ignore>", b'<span data-pagefind-ignore><b data-pagefind-meta="x">'),
                  page.replace(b'<span hidden data-pagefind-filter="speaker">S0</span>',
                               b'<span data-pagefind-filter="speaker"><b>S0</b></span>'),  # markup in a filter
                  page.replace(b' lang="en"', b""),  # no language
                  page.replace(b' lang="en"', b' lang="zh-Hans"'),  # words cut by a dictionary, not at spaces
                  page.replace(b"data-pagefind-body", b"data-pagefind-body data-pagefind-body")):
        assert record_of(other) is None
        assert isinstance(search_entry(other), bytes)
    # ...which a record leaves out, as Pagefind does, when it is closed.
    ignored = page.replace(b"<p>", b"<p><span data-pagefind-ignore>unseen</span>")
    assert "unseen" not in record_of(ignored).content and "Hello there." in record_of(ignored).content


_PARTS = st.sampled_from([b'<html lang="en">', b'<h1 data-pagefind-meta="title">', b"</h1>", b"<div data-pagefind-body>",
                          b"</div>", b'<article class="msg sp-1" id="m-1">', b"<header>", b"</header>", b"<p>", b"</p>",
                          b"<span data-pagefind-ignore>", b"</span>", b'<span data-pagefind-filter="tag">', b"<br>",
                          b"&amp;", b"&#39;", b"<", b">", b"data-pagefind-", b"\x00", b"\x1c", b" ", b"word"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PARTS, st.binary(max_size=8)), max_size=40))
def test_reading_any_page_gives_a_record_or_none(parts):
    """Whatever the page holds (a theme's, with a transcript's text in it), reading it answers: a
    record whose message starts are in order, or None."""
    record = record_of(b"".join(parts))
    if record is not None:
        starts = [start for _, start in message_starts(record.meta["messages"])]
        assert starts == sorted(starts) and all(start <= len(record.content.split()) for start in starts)


def _page_of_messages(size: int) -> bytes:
    return _page(["A line *with* `code`.\n\n- one\n- two\n\n> said\n\n| a | b |\n| - | - |\n| c | d |"] * size)


def _page_of_open_headers(size: int) -> bytes:
    """Messages whose headers are never closed: each would be looked through to the end of the page."""
    return _page(["x"] * size).replace(b"</h2>", b"").replace(b"</header>", b"")


def _reading_costs(make, *sizes: int, rounds: int = 5) -> list[float]:
    """Seconds (the best of ``rounds``, the sizes taking turns) to read the pages ``make`` makes of
    so many messages."""
    pages = [make(size) for size in sizes]
    best = [float("inf")] * len(pages)
    for _ in range(rounds):
        for number, page in enumerate(pages):
            started = time.perf_counter()
            record_of(page)
            best[number] = min(best[number], time.perf_counter() - started)
    return best


@pytest.mark.parametrize("make", [_page_of_messages, _page_of_open_headers])
def test_reading_takes_time_in_proportion_to_the_page(make):
    # Timed as read to the end: a record, or None only where a header is never closed.
    assert (record_of(make(3)) is None) == (make is _page_of_open_headers)
    small, large = _reading_costs(make, 500, 2000)
    assert large / small < 8  # 4 when linear, 16 when quadratic (the open headers were, at first)
