"""Every character of a message reaches its page: each letter and digit of the source appears in the
rendered HTML's text (or in a link's address), in order, whatever markup surrounds it.

Markup itself may go: link destinations and code languages (in the page's markup, not its text),
entity references (``&copy;`` becomes ©) and the numbers of ordered lists (which become ``<ol>``)
are left out of the source's letters before comparing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings, strategies as st

from generator.readers import read_file
from generator.render import MessageRenderer
from tests.conftest import FIXTURES, ROOT

RENDERERS = (MessageRenderer(), MessageRenderer(verse=False), MessageRenderer(fast=False))
EXAMPLES = int(__import__("os").environ.get("CONSERVATION_EXAMPLES", 3000))
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LIST_NUMBER = re.compile(r"^(?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*\d{1,9}[.)](?=[ \t]|$)", re.M)
# Where a link goes, and the language of a code block: in the page's markup, not its text.
_DESTINATION = re.compile(r"\]\([ \t\n]*[^()\s]*(?:[ \t\n]+\"(?:[^\"\\]|\\.)*\")?[ \t\n]*\)")
# A fence may open inside a block quote or a list item ('> ```py').
_FENCE_INFO = re.compile(r"^((?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*(?:`{3,}|~{3,}))[^\n]*", re.M)


class _Text(HTMLParser):
    """The text a reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def page_letters(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(c for c in "".join(parser.parts) if c.isalnum())


def source_letters(text: str) -> str:
    for markup, kept in ((_DESTINATION, "]"), (_FENCE_INFO, r"\1"), (_ENTITY, ""), (_LIST_NUMBER, "")):
        text = markup.sub(kept, text)
    return "".join(c for c in text if c.isalnum())


def is_subsequence(needle: str, haystack: str) -> bool:
    found = iter(haystack)
    return all(char in found for char in needle)


def assert_conserved(text: str) -> None:
    for renderer in RENDERERS:
        html = renderer.render(text)
        assert is_subsequence(source_letters(text), page_letters(html)), (text, html)


# -- generated messages that mix everything a real log holds ---------------------------------------

_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
_word = st.from_regex(r"[A-Za-z0-9éß]{1,8}", fullmatch=True)
_CONSTRUCTS = [
    lambda w: f"*{w}*", lambda w: f"**{w}**", lambda w: f"*{w}", lambda w: f"{w}*", lambda w: f"`{w}`",
    lambda w: f"[{w}]:", lambda w: f"[{w}]: {w}", lambda w: f"[{w}](#{w})", lambda w: f"[{w}](https://e.org/{w})",
    lambda w: f"![{w}](x.png)", lambda w: f"[{w}]({w}/{w}.md)", lambda w: f"<{w}>", lambda w: f"<b>{w}</b>", lambda w: f"&amp;{w}",
    lambda w: ">" * 25 + f" {w}", lambda w: f"> {w}", lambda w: f"- {w}", lambda w: f"1. {w}", lambda w: f"# {w}",
    lambda w: f"{w}\n---", lambda w: f"{w}\n===", lambda w: f"| {w} | b |\n|---|---|\n| {w} | 2 | {w} |",
    lambda w: f"```\n{w}\n```", lambda w: f"```py\n{w}\n", lambda w: f"    {w}", lambda w: f"\\{w}",
    lambda w: f"╔══╗\n║{w}║\n╚══╝", lambda w: f"{w}  {w}\n{w}  {w}", lambda w: f"~~{w}~~", lambda w: f"_{w}_",
    lambda w: f"{w}\\", lambda w: f"[END] {w}", lambda w: f"*{w}\n\n{w}*",
]


@st.composite
def messages(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):  # a construct around a word (links of words: their addresses are markup)
            pieces.append(draw(st.sampled_from(_CONSTRUCTS))(draw(_word)))
        else:  # any text at all
            pieces.append(draw(_words))
        pieces.append(draw(st.sampled_from([" ", "\n", "\n\n", "  \n", ""])))
    return "".join(pieces)


@settings(max_examples=EXAMPLES, deadline=None)
@given(messages())
def test_generated_messages_keep_every_letter_and_digit(text):
    assert_conserved(text)


def test_fixture_and_sample_messages_keep_every_letter_and_digit():
    paths = sorted((FIXTURES / "messages").glob("*.md")) + sorted((ROOT / "content").glob("*.md")) \
        + sorted((FIXTURES / "archives").rglob("*.md")) + sorted((FIXTURES / "archives").rglob("*.txt"))
    texts = [path.read_text("utf-8") for path in (FIXTURES / "messages").glob("*.md")]
    for path in paths:
        texts += [m.text for c in read_file(Path(path)).conversations for m in c.messages]
    assert len(texts) > 50
    for text in texts:
        assert_conserved(text)


def test_the_cases_found_on_real_logs():
    for text in ("[INCOMING TRANSMISSION]:\nthe relay is awake", ">" * 23 + " WELCOME TO HYPERTERM v2.3.1",
                 "ask [the user](#message)", "| a | b |\n|---|---|\n| 1 | 2 | 3 |"):
        assert_conserved(text)
