"""Message text -> HTML: golden snapshots for every rendering rule, and safety properties."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import MessageRenderer
from tests.conftest import FIXTURES, GOLDEN, UPDATE_GOLDEN

CASES = sorted((FIXTURES / "messages").glob("*.md"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_message_matches_golden_html(case: Path):
    html = MessageRenderer().render(case.read_text("utf-8"))
    golden = GOLDEN / "messages" / (case.stem + ".html")
    if UPDATE_GOLDEN:
        golden.write_text(html, "utf-8")
    assert golden.exists(), f"no golden file; run ANTIPHON_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert html == golden.read_text("utf-8")


def test_every_rendering_rule_has_a_golden_case():
    assert {c.stem for c in CASES} >= {
        "stage-direction-line", "stage-direction-paragraph", "stage-direction-nested", "verse", "code",
        "unsafe-input", "emphasis-is-not-direction", "headings-and-rules", "unicode", "table", "end"}


def render(text: str) -> str:
    return MessageRenderer().render(text)


def test_first_line_direction_then_speech():
    html = render("*leans in*  \nYou summoned me.")
    assert html == '<p><span class="stage">leans in</span><br>\nYou summoned me.</p>\n'


def test_direction_paragraph_and_nested_emphasis_leave_no_asterisk():
    html = render("*The space cools—no, *settles*, like ash.*")
    assert html == '<p class="stage">The space cools—no, <em>settles</em>, like ash.</p>\n'


def test_inline_emphasis_is_not_a_direction():
    assert "stage" not in render("*smiles* and *waves*")
    assert "stage" not in render("**bold line**")


def test_every_newline_is_a_line_break_in_verse_mode_but_not_in_markdown_mode():
    assert render("one\ntwo") == "<p>one<br>\ntwo</p>\n"
    assert MessageRenderer(verse=False).render("one\ntwo") == "<p>one\ntwo</p>\n"


def test_code_is_highlighted_with_classes():
    html = render("```python\nreturn 1\n```")
    assert html.startswith('<pre class="code" data-lang="python" tabindex="0"><code><span class="k">return</span>')


@pytest.mark.parametrize("fence", ["```", "~~~~"])
@pytest.mark.parametrize("closed", [True, False])
def test_a_table_in_code_is_shown_exactly_as_written(fence, closed):
    """Extra table cells and deep quote markers are escaped before parsing so their text is kept
    (render/markdown.py); inside code that added a backslash the message never had."""
    from html import unescape
    code = "a | b\n--|--\nc | d | e\n" + "> " * 10 + "deep"  # and quote markers past markdown.py's depth
    text = f"Shell output:\n\n{fence}\n{code}\n" + (f"{fence}\n\nAfter." if closed else "")
    for renderer in (MessageRenderer(), MessageRenderer(fast=False)):
        html = renderer.render(text)
        shown = unescape(re.sub(r"<[^>]+>", "", html[html.index("<code>"):html.index("</code>")]))
        assert shown == code + "\n"


_code = st.text(st.sampled_from(list("()[]{}.,;:+-*/=<>&\"' \nabc019_#@$%!?`\\")), max_size=60)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 300)), deadline=None)
@given(st.sampled_from(["python", "js", "rust", "json", "sh", "diff", "html", "c"]), _code,
       st.sampled_from([("xcode", "github-dark"), ("default", "monokai"), ("friendly", "native")]),
       st.booleans())
def test_code_without_the_spans_of_plain_tokens_keeps_its_text_and_the_rest_of_its_spans(language, code, styles,
                                                                                           fast):
    """Leaving out the spans of tokens both styles show as plain text keeps every character and every
    other span, by either path."""
    from generator.render.highlight import plain_classes
    text = f"Run this:\n\n```{language}\n{code}\n```\n"
    whole = MessageRenderer(fast=fast).render(text)
    lean = MessageRenderer(fast=fast, code_styles=styles).render(text)
    plain = plain_classes(*styles)
    kept = re.sub(r'<span class="([a-z0-9]+)">([^<]*)</span>', lambda m: m.group(2) if m.group(1) in plain else m.group(0),
                  whole)
    assert lean == kept
    assert not any(f'<span class="{name}">' in lean for name in plain)
    assert MessageRenderer(fast=not fast, code_styles=styles).render(text) == lean


def test_empty_and_whitespace_messages_render_nothing():
    assert render("") == ""
    assert render(" \n  ") == ""


def test_each_distinct_text_is_rendered_once():
    renderer = MessageRenderer()
    first = renderer.render("[END]")
    assert renderer.render("[END]") is first


_tricky = st.lists(st.sampled_from(list("<>\"'&:=/()[]!*_`\n ab") + [
    "script", "javascript:", "JaVaScRiPt:", "onerror", "<img", "<svg", "data:", "vbscript:", "&#106;", "%6A"]),
    max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_tricky)
def test_no_markup_or_script_from_transcript_text_survives(text):
    html = render(text)
    assert not re.search(r"<(script|img|svg|iframe|style)", html, re.I)
    assert not re.search(r"""href=["']?\s*(javascript|vbscript|data):""", html, re.I)
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html, re.I)


@pytest.mark.parametrize("text, shown", [
    ("[the report](https://[KEY]@reports.example/q3)", "<p>the report (https://[KEY]@reports.example/q3)</p>\n"),
    ("[bank](https://bank.example@elsewhere.example/login)",
     "<p>bank (https://bank.example@elsewhere.example/login)</p>\n"),
    ("<https://user:secret@host.example/>", "<p>https://user:secret@host.example/</p>\n"),
    ("![the chart](https://user@charts.example/q3.png)", "<p>[image: the chart] (https://user@charts.example/q3.png)</p>\n"),
    ("[a page](https://example.org/people/@ines)",  # '@' in the path: an ordinary link
     '<p><a href="https://example.org/people/@ines" rel="nofollow noopener">a page</a></p>\n'),
])
def test_a_link_with_credentials_in_its_host_is_shown_as_text_with_its_address(text, shown):
    """'https://name@host/' is no valid URL in a page, and the classic disguise of where a link goes."""
    assert render(text) == shown


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz—…,.'", min_size=1, max_size=8).filter(lambda w: w[0].isalpha() and w[-1].isalpha())


@st.composite
def _direction(draw):
    words = draw(st.lists(st.one_of(_word, _word.map(lambda w: f"*{w}*")), min_size=1, max_size=8))
    if words[0].startswith("*") or words[-1].startswith("*"):
        words = ["the"] + words + ["sky"]
    return "*" + " ".join(words) + "*"


@settings(max_examples=300, deadline=None)
@given(_direction(), st.sampled_from(["", "  \nAnd then speech.", "\n\nA new paragraph."]))
def test_stage_directions_never_leave_stray_asterisks(direction, rest):
    html = render(direction + rest)
    assert 'class="stage"' in html
    assert "*" not in html


def test_quotes_in_text_are_written_as_themselves_and_escaped_in_attributes():
    assert render('She said "stay".') == '<p>She said "stay".</p>\n'
    assert render('```\nprint("x")\n```') == '<pre class="code" tabindex="0"><code>print("x")\n</code></pre>\n'
    linked = render('[a](https://example.org "the \\"best\\"") and "b"')
    assert 'title="the &quot;best&quot;"' in linked  # a message with a quote in a tag keeps them all
    assert '"b"' not in linked


def _parsed(html: str) -> list:
    from html.parser import HTMLParser

    class Events(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.events = []

        def handle_starttag(self, tag, attrs):
            self.events.append(("start", tag, attrs))

        def handle_endtag(self, tag):
            self.events.append(("end", tag))

        def handle_data(self, data):
            self.events.append(("data", data))

    parser = Events()
    parser.feed(html)
    parser.close()
    return parser.events


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['"', "'", "&", "<", "a", " ", "\n", "*", "`", "[x](https://e.org", ' "t"', ")",
                                 "```", "> ", "\\"]), max_size=30).map("".join))
def test_writing_quotes_as_themselves_changes_no_text_and_no_attribute(text):
    from generator.render import plain_quotes
    from generator.render.markdown import make_parser
    html = make_parser(True).render(text)
    assert _parsed(plain_quotes(html)) == _parsed(html)


@pytest.mark.parametrize("fast", [True, False])
def test_a_heading_with_no_text_is_shown_as_its_line(fast):
    """A bare '#' in a script's comment block: as an empty heading it showed nothing."""
    renderer = MessageRenderer(fast=fast)
    assert renderer.render("#!/bin/sh\n# Setup\n#\n# Run") == \
        "<p>#!/bin/sh</p>\n<h3>Setup</h3>\n<p>#</p>\n<h3>Run</h3>\n"
    assert renderer.render("## ##") == "<p>## ##</p>\n"
    assert renderer.render("> ###\n> a") == "<blockquote>\n<p>###</p>\n<p>a</p>\n</blockquote>\n"
    assert "<h" not in renderer.render("x\n\n#   \n\nz")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["[", "](https://a.example/)", "![x](https://b.example/i.png)", "![](https://c.example/j.png)",
                                 "text ", "\n", "\n\n", "**", "`", "<https://d.example/>", "https://e.example/f", "]"]),
                max_size=16))
def test_a_link_never_holds_a_link(pieces):
    """An image is shown as a link to it: inside a link's text it is text, for a link in a link is
    no valid HTML (browsers close the outer one there, and the rest of the text loses its link)."""
    from html.parser import HTMLParser

    class Depth(HTMLParser):
        open = deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.open += 1
                self.deepest = max(self.deepest, self.open)

        def handle_endtag(self, tag):
            self.open -= tag == "a"

    parser = Depth()
    parser.feed(MessageRenderer().render("".join(pieces)))
    assert parser.deepest <= 1 and parser.open == 0
