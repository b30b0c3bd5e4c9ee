"""Pagefind is given each conversation page cut down to what it reads (search/documents.py).

A differential test: Pagefind's bundle of the cut pages must be the bundle of the whole pages, byte
for byte, on an archive with every page kind and on transcripts that write Pagefind's own markup.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.search import EXCLUDED, bundle_files
from generator.search.documents import CJK, cut, search_document, words_apart
from generator.search.pagefind import PagefindService
from generator.site import build
from tests.conftest import FIXTURES, transcript

# What a transcript might say that looks like the markup the cutting looks for.
TRICKY = [
    ("Ada ↔ Bo", (("Ada", 'A link [with a title](https://example.org/ "x data-pagefind-filter=speaker:Eve")'),
                 ("Bo", "<header><h2>Not a header</h2></header> and <img src=x> as text"),
                 ("Ada", '```html\n<article class="msg sp-1" id="m-9"><header><h2>Fake</h2></header>\n```'))),
    ("Cy ↔ Di", (("Cy", "Pagefind reads data-pagefind-body, and *data-pagefind-meta=\"title\"* too."),
                 ("Di", "> quoted </header> and </div></article> closing what is not open"))),
]


def _pages(site: Path) -> list[tuple[str, bytes]]:
    return [(f"/c/{path.parent.name}/", path.read_bytes()) for path in sorted((site / "c").glob("*/index.html"))]


def test_pagefind_writes_the_same_bundle_from_the_cut_pages(sample_project):
    # Every import format (tool calls, thinking, metadata), every message shape, and the tricky ones.
    for folder in ("formats", "messages"):
        shutil.copytree(FIXTURES / folder, sample_project / "content" / folder)
    for number, (title, messages) in enumerate(TRICKY):
        (sample_project / "content" / f"tricky-{number}.md").write_text(transcript(title=title, messages=messages), "utf-8")
    assert not build(load_config(None, sample_project)).failed()
    pages = _pages(sample_project / "site")
    documents = [(url, search_document(page)) for url, page in pages]
    cut_urls = {url for (url, page), (_, document) in zip(pages, documents) if document is not page}
    assert len(pages) > 20
    # Every page is cut but the one whose text names the body's attribute (then it is given whole).
    assert cut_urls == {url for url, page in pages if page.count(b"data-pagefind-body") == 1}
    assert len(cut_urls) == len(pages) - 1
    assert all(len(document) < len(page) for (_, page), (url, document) in zip(pages, documents) if url in cut_urls)
    with PagefindService() as service:
        whole = bundle_files(service.index([(url, words_apart(page)) for url, page in pages], EXCLUDED), primary=False)
        given = bundle_files(service.index(documents, EXCLUDED), primary=False)
    assert given == whole


def test_a_page_of_another_shape_is_given_whole():
    body = b'<main><div data-pagefind-body><p>What was said.</p></div></main></body></html>'
    head = b'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
    marked = b'<h1 data-pagefind-meta="title">T</h1>'
    assert search_document(head + marked + body) != head + marked + body
    for page in (head + b"<h1>T</h1>" + body,  # Pagefind would take the title from the first <h1>
                 head + marked + b'<img src="a.png">' + body,  # and the image from the first <img>
                 head + marked + b'<span data-pagefind-filter="tag">open' + body,  # not closed
                 head + marked + b"<p>no body</p></body></html>",
                 b"<body>" + marked + body):  # no <html> tag to give the language
        assert search_document(page) is page


def test_the_cut_page_keeps_the_language_the_marked_elements_and_the_body():
    page = (b'<!DOCTYPE html>\n<html lang="fr">\n<head><title>T</title><link rel="stylesheet" href="s.css"></head>'
            b'<body><nav>Archive</nav><h1 data-pagefind-meta="title">T</h1><p>facts</p>'
            b'<span hidden data-pagefind-filter="tag"><b>a</b><span>b</span></span><meta data-pagefind-meta="x" content="y">'
            b'<div class="messages" data-pagefind-body>'
            b'<article class="msg sp-1" id="m-1"><header><h2>Ada</h2><a href="#m-1">#1</a></header><p>Hi.</p></article>'
            b'</div><footer>made</footer></body></html>')
    document = search_document(page)
    assert document.startswith(b'<!DOCTYPE html><html lang="fr">')
    assert b'<h1 data-pagefind-meta="title">T</h1><span hidden data-pagefind-filter="tag"><b>a</b><span>b</span></span>' \
           b'<meta data-pagefind-meta="x" content="y">' in document
    assert b'<article class="msg sp-1" id="m-1"><p>Hi.</p></article>' in document
    assert b"Archive" not in document and b"facts" not in document and b"<h2>Ada" not in document



def test_chinese_and_japanese_characters_are_put_apart_in_the_body_only():
    page = ('<!DOCTYPE html><html lang="en"><head></head><body><h1 data-pagefind-meta="title">潮汐表</h1>'
            '<span hidden data-pagefind-filter="speaker">兰</span><div class="messages" data-pagefind-body>'
            '<article class="msg sp-1" id="m-1"><header><h2>兰</h2></header>'
            '<p>VoIP的计算，<em>フェリー</em> <a href="https://example.org/潮汐">表</a> 2&gt;1 😀 한국어 ภาษาไทย</p>'
            '</article></div><footer>页脚</footer></body></html>').encode()
    document = search_document(page).decode()
    assert '<h1 data-pagefind-meta="title">潮汐表</h1>' in document  # shown in results as it is
    assert 'data-pagefind-filter="speaker">兰</span>' in document
    assert ('<p>VoIP 的  计  算  ， <em> フ  ェ  リ  ー </em> <a href="https://example.org/潮汐"> 表 </a> '
            '2&gt;1 😀 한국어 ภาษาไทย</p>') in document  # not in a tag; Korean and Thai as they are
    assert document.endswith("</div><footer>页脚</footer></body></html>")
    plain = b'<html lang="en"><body><div data-pagefind-body><p>Only ASCII \xe2\x80\x94 and a dash.</p></div></body></html>'
    assert words_apart(plain) is plain


_CJK_PARTS = st.sampled_from(["<div data-pagefind-body>", "</div>", "<p>", "</p>", "<a href='潮'>", "<", ">",
                              "data-pagefind-body", "潮", "フ", "。", "𠀀", "a", " "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_CJK_PARTS, st.text(max_size=6)), max_size=30).map("".join))
def test_putting_words_apart_only_adds_spaces(text):
    page = text.encode("utf-8", "surrogatepass")
    apart = words_apart(page)
    assert apart.replace(b" ", b"") == page.replace(b" ", b"")


def test_the_search_page_puts_the_same_characters_apart():
    """search.js splits a query as documents.py splits the pages: the same ranges of characters."""
    script = (Path(__file__).parent.parent / "themes/default/static/search.js").read_text("utf-8")
    quoted = re.search(r'const CJK = ((?:"[^"]*"\s*\+?\s*)+);', script).group(1)
    ranges = "".join(re.findall(r'"([^"]*)"', quoted)).replace("\\\\", "\\")
    in_js = re.sub(r"\\u\{([0-9a-f]+)\}|\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1) or m.group(2), 16)), ranges)
    assert in_js == CJK


_PAGE_PARTS = st.sampled_from([b"<html lang=\"en\">", b"<head>", b"</head>", b"<body>", b"<h1 data-pagefind-meta=\"title\">",
                               b"</h1>", b"<span data-pagefind-filter=\"tag\">", b"</span>", b"<div data-pagefind-body>",
                               b"</div>", b'<article class="msg sp-1" id="m-1">', b"<header><h2>", b"</h2></header>",
                               b"</article>", b"<img src=x>", b"<", b">", b"/>", b"data-pagefind-", b"\"", b" "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PAGE_PARTS, st.binary(max_size=12)), max_size=40))
def test_cutting_any_page_gives_the_page_or_a_page_with_its_body(parts):
    """Whatever the page (the cutting sees a theme's pages, and a transcript's text in them), it
    answers without error: the page itself, or a page with the language and the body."""
    page = b"".join(parts)
    document = cut(page)
    if document is not page:
        at = page.index(b"data-pagefind-body")
        assert document.startswith(b"<!DOCTYPE html><html") and b"data-pagefind-body" in document
        assert page.count(b"data-pagefind-body") == 1 and page.rfind(b"<", 0, at) < at



def _cutting_costs(*sizes: int, rounds: int = 5) -> list[float]:
    """Seconds (the best of ``rounds``, the sizes taking turns, so that a busy moment of the machine
    falls on both) to cut a page whose title says the attribute's name so many times."""
    import time
    pages = [b'<html lang="en"><head><title>' + b"data-pagefind-filter " * times + b'</title></head><body>'
             b'<h1 data-pagefind-meta="title">T</h1><span data-pagefind-filter="tag">a</span>'
             b'<div data-pagefind-body>x</div>' for times in sizes]
    best = [float("inf")] * len(pages)
    for _ in range(rounds):
        for number, page in enumerate(pages):
            started = time.perf_counter()
            assert cut(page) is not page
            best[number] = min(best[number], time.perf_counter() - started)
    return best


def test_cutting_takes_time_in_proportion_to_the_page():
    """Each occurrence of the name in text is passed over without looking back over the text before it."""
    small, large = _cutting_costs(20_000, 80_000)
    assert large / small < 8  # 4 when linear, 16 when quadratic (best of three of each, 2 and 4: failed under load)


def test_cutting_a_page_of_headers_never_closed_takes_time_in_proportion_to_it():
    """Each message header is looked through to its end tag or the next message, not to the page's end."""
    import time

    def page(size: int) -> bytes:
        messages = "".join(f'<article class="msg sp-1" id="m-{n}"><header><h2>S</h2>said {n} ' for n in range(size))
        return (f'<html lang="en"><body><h1 data-pagefind-meta="title">T</h1>'
                f'<div data-pagefind-body>{messages}</div></body></html>').encode()
    pages = [page(500), page(2000)]
    best = [float("inf")] * 2
    for _ in range(5):
        for number, one in enumerate(pages):
            started = time.perf_counter()
            cut(one)
            best[number] = min(best[number], time.perf_counter() - started)
    assert best[1] / best[0] < 8  # 4 when linear, 16 when quadratic (as it was)
