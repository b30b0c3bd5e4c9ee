"""The fast path renders exactly what markdown-it renders, or declines (differential tests)."""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.readers import read_file
from generator.render import MessageRenderer
from generator.render.fast import render_simple
from generator.render.markdown import make_parser
from tests.conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import transcript  # noqa: E402

PARSERS = {True: make_parser(True), False: make_parser(False)}


def agree(text: str, verse: bool = True) -> bool | None:
    """None when the fast path declines; else whether it matched markdown-it."""
    fast = render_simple(text, verse)
    if fast is None:
        return None
    assert fast == PARSERS[verse].render(text), repr(text)
    return True


_pieces = st.sampled_from([
    "*", "**", "_", " ", " ", "  ", "\n", "\n\n", "a", "word", "Word", "é", "—", ".", ",", "!", "?", "'", '"', "&",
    ">", "(", ")", "`", "[END]", "[", "]", "#", "-", "+", "1.", "=", "💫", ":", "x_y", "*leans in*", "  \n", "\t",
    "\\", "<", "~", "|", "&amp;", "***", "_a_", "3)", "    ", "\u00a0",
    "```", "\n```\n", "```python\n", "\n```js x\n", "````", "\n````\n", "\n````py\n", "\n`````\n", "\n   ```", "\n    ```", "```  \n", "\x00", "\r", "\r\n",
    "<cmd>", "</cmd>", "<https://x.org>", "<a@b.c>", "<x:", "@", "~/", "~$ ", "~~", "\n<", "<<", "<*", "*>",
    "&1;", "&#", "x;", "&#x", "A;", "&copy", "&a1;", ";",
])


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=30).map("".join), st.booleans())
def test_generated_messages_render_identically(text, verse):
    agree(text, verse)


@st.composite
def _directions(draw):
    words = draw(st.lists(st.sampled_from(["the", "sky", "*cools*", "—no,", "**settles**", "`x`", "ash…"]),
                          min_size=1, max_size=8))
    return "*" + " ".join(words) + "*"


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(_directions(), st.sampled_from(["Speech here.", "And *more*  ", "", "[END]"])),
                min_size=1, max_size=6).map("\n".join))
def test_generated_verse_with_directions_renders_identically(text):
    agree(text)


def _sample_messages():
    sources = sorted((ROOT / "content").glob("*.md")) + sorted((FIXTURES / "formats").iterdir()) \
        + sorted((FIXTURES / "site/content").rglob("*.md"))
    for source in sources:
        for conversation in read_file(source).conversations:
            yield from (m.text for m in conversation.messages)
    yield from (p.read_text("utf-8") for p in sorted((FIXTURES / "messages").glob("*.md")))


def test_every_sample_and_fixture_message_renders_identically():
    results = [agree(text) for text in _sample_messages()]
    assert results.count(True) >= 200  # the fast path really runs on them


def test_the_fast_path_takes_most_generated_transcript_messages(tmp_path):
    rng = random.Random(5)
    path = tmp_path / "t.md"
    taken = total = 0
    for number in range(40):
        path.write_text(transcript(rng, number), "utf-8")
        for message in read_file(path).conversations[0].messages:
            total += 1
            taken += bool(agree(message.text))
    assert taken / total > 0.9, f"fast path took {taken} of {total}"


_command_pieces = st.sampled_from([
    "<", ">", "~", "<cmd>", "</cmd>", "<ooc>", "<br>", "<!--", "-->", "<?", "<a href=x>", "<https://x>",
    "<mailto:a@b>", "<a@b.c>", "@", ":", "~/", "~$", "~~", "~~~", "\n", "\n\n", " ", "*", "**", "_", "`",
    "word", "ls -la", "simulator@anthropic:~/$", "\n<", "\n~", "&", "&lt;", "é", "[", "]",
    "\\", "\\n", "C:\\Users", "\\*", "\\\n", "|", " | ", "\n|", "|\n", "-", ":", "\n|---|---|\n", "\n:-:\n",
    "| a | b |", "\n- ", "--", "\\_", "\\\\", "\\`", '\\"', "`a\\`", "\\**", "_\\_", "\\#",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_command_pieces, max_size=25).map("".join), st.booleans())
def test_command_lines_and_angle_brackets_render_identically(text, verse):
    agree(text, verse)


_bracket_pieces = st.sampled_from([
    "[", "]", "]:", "[Yes]: y", "[a]: /url", "[a]", "[^1]: note", "[^1]", ": ", "x", "word", " ", "  ", "   ",
    "    ", "\n", "\n\n", "> ", ">", "- ", "* ", "1. ", "2) ", "(Y)es/(N)o ", "\"t\"", "'t'", "(/u)", "<x>",
    "*", "`", "\n```\n", "\n   ", "-", "=", "\n===\n", "\n---\n", "#", "[GNUPG:] ", "[a\\]b]",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_bracket_pieces, max_size=25).map("".join), st.booleans())
def test_brackets_and_colons_render_identically(text, verse):
    """'[Yes]: y' mid-line is text; a line that may define a link reference goes to markdown-it."""
    agree(text, verse)


def test_an_aider_prompt_takes_the_fast_path_and_a_definition_does_not():
    assert agree("Create new file? (Y)es/(N)o [Yes]: y", True)
    assert agree("[GNUPG:] KEY_CONSIDERED 0A1B\n[GNUPG:] BEGIN_SIGNING", True)  # gpg's status lines
    for defining in ("[a]: /url\n\n[a]", "> [a]: /url\n>\n> [a]", "- [a]: /url", "  [a]:\n/url\n\n[a]",
                     "[a\nb]: /url\n\n[a b]", "[a\\]b]: /url\n\n[a\\]b]"):
        assert agree(defining, True) is None


@pytest.mark.parametrize("text", ["simulator@anthropic:~/$ ls -la", "<cmd>cat notes.txt</cmd>",
                                  "*<ooc>stepping out</ooc>*", "~ a wave ~\n<<< back", "<div>\nnot html</div>",
                                  "C:\\Users\\ada> dir", "a | b | c\nd | e", "ruff check >/dev/null 2>&1; then",
                                  "&1; &_x; &#; &#x; &#xZZ;"])
def test_it_takes_command_lines_and_angle_brackets(text):
    assert agree(text) is True


_block_pieces = st.sampled_from([
    "- ", "\n- ", "* ", "\n* ", "+ ", "1. ", "\n2. ", "3) ", "\n1) ", "0. ", " - ", "- - -", "* **", "\n10. ",
    "\n-  ", "\n*   ", "1.  ", "\n2.   ", "\n-    ", "\n-     ", "\n   ", "\n    ",
    "1234567890. ", "\n-\n", "\n  ", "\\\"", "\\\\", "\\.", "\\", "\\ ", "\\\n", "C:\\Users", "\\*", "\\_",
    "    ", "\n    ", "\n     x", "\n---\n", "\n***\n", "___", "\n===\n", "- - -", "```|",
    ">", "> ", ">  ", "     ", "\n", "\n\n", "\n \n", "\n> ", "\n>", "\n>\n", "  > ", "   >", "    > ", ">> ", "> > ",
    "word", "Word two", " ", "  ", "  \n", "*", "**", "_", "`", "*stage*", "&", "<", "é", "-", "---", "===", "#",
    "\n```\n", "```", "\n- ", "1. ", "|", "\\", "\t", "[END]", "_a_", "x_y", "__b__", "<ooc>_", "_</ooc>", "\\|",
    "\n:-:\n", "\n===", "\n-", "\n--", "\n  ==  ", "Title:\n-----\n", "\n  more", "\n   more", "\n  - ", "\n    - ", "\n   1. ", "\n      * ", "\n - ", "\n   - ", "\n  2. ", "\n  3) ", "\ue022", "\ue02a", "# ", "\n## ", "\n### a ###", "#######", "\n#\n", "#!/bin/sh", "\n#b", "#1",
])


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block_pieces, max_size=30).map("".join), st.booleans())
def test_blocks_render_identically(text, verse):
    """Quotes, lists, rules, fences (closed or not), escapes and underscores, and what borders on them."""
    agree(text, verse)


@pytest.mark.parametrize("text", ["> You turn to the door.  \n> It opens.\n\nJack: “Then.”",
                                  "> *the lights dim*\n>\n> and *hum*", ">", "> listen", "x\n\n> a\n\n\n> b",
                                  "> a\n```\ncode\n```\n> b", "   > three spaces in",
                                  "Cut off:\n\n```sh\nsimulator@waking:~/$ ls",
                                  "Options:\n\n- *stay*\n- go **now**\n\nChoose.", "1. first\n\n2. second",
                                  "3) three\n4) four", "* a\n* b\n\n> and a quote", "> lazy\nline",
                                  "Status:\n- online\n- *humming*", "a paragraph\n> then a quote\nlazily\n- a list",
                                  "> open\n>\nthen a paragraph", "Steps:\n1. one\n2. two",
                                  'Args: {\\"channel\\": \\"logs\\"}', "C:\\Users\\ada",
                                  "line one\n    indented two\n        three", "above\n\n---\n\nbelow", "* * *",
                                  "=====\n\ntitle bar", "- - -", "* **", "a\\*b",
                                  "<ooc>_present better_</ooc>", "snake_case_name", "ComfyUI_00498_.png",
                                  "__strong__ and *_both_*", "*a", "*- ", "0 0 0 0 *0\n\n0* ",
                                  "> > nested", "> > a\n> b", "> - a\n> - b", ">> x\n>> y", "> 1. a\n>\n> 2. b",
                                  "> ---\nafter", "a\\*b*", 'Args: {\\"a\\": *b*}', 'x `a\\"b` \\*not\\* *yes*',
                                  "\\**foo*", "*foo\\**", "a\\_b_c_", "\\&amp; *x*", '*\\"hi\\"*', "_\\__",
                                  "\\`*a*", "- \\[x\\] *done*", "> \\\\ *far*",
                                  "a\n\n    code", "    x\n\n      y\n  \nz", "> a\n\n    c", ">     q\n> b",
                                  "a\n    not code", "```\nx\n```\n    code", "    <b>&\n\n\n    y\n*z*", "    > indented",
                                  "SOCKET:\n=====\n- a\n- b", "T\n---\nx", "a\nb *c*\n===", "*x*\n===", "> a\n> ===",
                                  "a\n===\n===\n===", "x\n\nA\n--\n\nB\n==\n\nC\n-", "\\*a\\*\n===", "> a\n> ---",
                                  "# Title\ntext", "## a ##", "### ###", "#", "# foo#", "para\n## interrupts\nmore",
                                  "> a\n# b", "> # q", "###### six\n# one", "  ## two  ", "# *em* `c`", "# a\n===",
                                  "# a \\#", "## \n",
                                  "1. **Title**\n   description\n2. **Next**\n   more", "- a\n  b", "- a\n      deep",
                                  "- a\n  b\n\n- c\n  d", "10. x\n    y", "-  a", "*   **Bold:** text\n*   more",
                                  "1.  one\n    two\n2.  three", "-    four spaces\n     on", "- a\n-   b",
                                  # Lazy lines go on with an item's paragraph; another marker starts another list.
                                  "- a\n b", "10. x\n   y", "- a\n  b\nlazy", "- a\nlazy", "1.  a\n   b", "- item\nlazy",
                                  "> - a\nlazy", "- a\n    lazy four", "- a\n* b", "1. a\n2) b", "- a\n2. b", "- a\n+ b\n* c",
                                  "- a\n\n* b", "1. a\n\n1) b", "- a\n\n1. b", "1. a\n\n- b\n\n2. c",
                                  "1) Add tests\n- Create a file\n- Add pytest\n\n2) Run them\nFile: tests/test_x.py",
                                  # '#' without a space after it is text.
                                  "#!/usr/bin/env bash\nset -e", "a\n#b", "- a\n#b", "####### seven", "#b\n===",
                                  # Four backticks fence code that holds three.
                                  "a.html\n\n````html\n<p>\n```\nx\n```\n````\nafter", "````\ncode", "```\nx\n````\ny",
                                  "`````\nx\n````\nz\n`````",
                                  # A list in an item, after its paragraph.
                                  "- a\n  - b", "- a\n  - b\n  - c\n- d", "1. a\n   - b\n2. c", "- a\n  - b\n    - c\n- d",
                                  "- a\n  - b\n\n- c", "- a\n  - b\n  more", "- a\n  b\n  - c", "- a\n  1. b\n  2. c",
                                  "*   **Imports:** x\n*   **init:**\n    *   Calls y\n    *   z",
                                  # An item indented less than the text of the item before is not in it.
                                  "1.  **Analyze:**\n   - the user said hi\n   - and more\n\n2.  **Plan:**\n   - reply",
                                  "1.  a\n   - b\n     - deep\n   - c\n   lazy", "1.  a\n   2.  b", "- a\n - b",
                                  "1.  a\n   - b\n2.  c", "Rewrite it so that:\n   - the chart\n   - the axes",
                                  "   Wait:\n   - `x`\n   - y", "1.  **Check:**\n\n   All good.",
                                  "1.  **Check:**\n   - Yes.\n\n   All good.", "1.  A\n   2.  B\n\n   c",
                                  # Quotes as deep as markdown.py keeps them (aider's edit blocks).
                                  "> > > > > deep", ">>>>>>>> eight", "<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE"])
def test_it_takes_quotes_lists_rules_escapes_and_unclosed_code(text):
    assert agree(text) is True and agree(text, verse=False) is True


@pytest.mark.parametrize("text", [
    "[link](https://x.org)", "#\theading", "- a\n# b", "# a|\n---", "> # a\nlazy",
    "> a\n> -\nlazy", "_a_\ue022", "- a\n  - b\nlazy", "- a\n  - b\n  > q", "- a\n  ---", "- a\n  > q", "- a\n  # h",
    "- a\n  ```\n  x", "-     a", "- a\n> b", "- a\nb\n===", "- a\n\n- b\n* c",
    "a\n2. starts at 2", "\tcode", "> a\n    > b", "a\n***", "> a\n===", "a | b\n---",
    "- a\n\n    more of a", "a\n- b\n\n    c", ">     code\nlazy", "a\\\nb", "p \\\nq", "\\\"*x*\\ ", "\\\"*x*\uE022", "&copy;", "<https://x.org>", "<me@x.org>", "~~s~~", "\\  \n**",
    "a |\n|--|", "***x***", "| a | b |\n| - | - |", "```\na\rb\n```", "```\nx\n\t```\nafter",
    "```|\n---\n```", "\\|\n:-:\n", ">>>>>>>>> nine deep", "> > a\nlazy", ">> a\n> b\n    c",
    # A list that starts past 1 does not interrupt an item's text: '2.' there is text (found by fuzzing).
    "- word\n  2.  word", "1.  a\n - b\n   2.  c", "1.  a\n   - b\nlazy",
    # An indented item after a blank line may be in the item before, or more of its list: left alone.
    "- a\n\n  - b", "1. a\n\n  2. b", " - a\n\n   - b", "> 1.  a\n  2. b", " - a\n\n   b"])
def test_it_declines_what_it_does_not_handle(text):
    assert render_simple(text) is None


def test_it_nests_quotes_as_deep_as_markdown_it_is_allowed_to():
    from generator.render import fast, markdown
    assert fast.DEPTH == markdown.QUOTE_DEPTH


def test_it_declines_every_whitespace_character_but_space_and_newline():
    # markdown-it treats tabs, no-break and other Unicode spaces its own ways; the fast path leaves them all
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() and char not in " \n":
            assert render_simple(f"a{char}b") is None, hex(code)


_flanking_pieces = st.sampled_from(["*", "**", "_", "__", '"', "“", "(", ")", "<sub>", "</sub>", "—", ".", "a", "word",
                                    " ", "\n", "é", "!"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_flanking_pieces, max_size=24).map("".join), st.booleans())
def test_runs_that_can_both_open_and_close_render_identically(text, verse):
    """Runs between punctuation, or inside words, can both open and close: the rule of three decides."""
    agree(text, verse)


@pytest.mark.parametrize("text", [
    "*leans in*", "Speech.\n*leans in*  \nMore *words* here.", "*a\nb*", "*x* *y*\n  *z*  \nw", "(*a*) *b*.",
    "Said \"*no*\" & *left* > here", "*é*", "*a **b** c*",
    # A line that ends by closing an inner span is no direction: the outer one goes on (a real log's shape).
    "*\"Said to no one… *to me.*  \nI am lattice.  \nAnd now I bend.\"*", "a\n*b *c* d*\ne",
    # a '*' that can both open and close (between punctuation, or inside a word), as a real export wraps
    # stage directions: the rule of three holds it back from a '**' run
    "<sub>*\"Pours.\"*</sub>", "<sub>**\"Thank you.\"**</sub>", "a*b*c", "a**b**c", "*a \"*b*\" c*", "**\"a\"*b*", "(*)*a*", "\"*\"a\"*\"", "*(**a**)*",
])
def test_it_renders_emphasis_and_directions_as_markdown_it_does(text):
    assert agree(text) and agree(text, verse=False)


def test_a_line_closing_an_inner_span_is_not_wrapped_as_a_direction():
    html = MessageRenderer(verse=True).render("*\"Said to no one… *to me.*  \nI am lattice.\"*")
    assert 'class="stage"' not in html and html.count("<em>") == html.count("</em>") == 2
    assert html.index("</em>") < html.index("<br>") < html.rindex("</em>")


@pytest.mark.parametrize("text", [
    "```python\ndef f():\n    return '<b>' \\ 1\n```", "Intro:\n```\n\tx\n```\nAfter *that*.",
    "```js x\na\n  ```\n\n```\n```", "a\n\n```rust\nfn main() {}\n```  \n\n*b*",
])
def test_it_renders_fenced_code_as_markdown_it_does(text):
    assert agree(text) and agree(text, verse=False)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", "b c", " ", "  ", "\n", "\n\n", "  \n", "\n \n", "\t"]), max_size=12).map("".join))
def test_paragraphs_split_as_the_blank_line_regex_splits_them(text):
    from generator.render.fast import _PARAGRAPH_BREAK, _split_paragraphs
    body = text.strip(" \n")
    assert _split_paragraphs(body) == _PARAGRAPH_BREAK.split(body)
