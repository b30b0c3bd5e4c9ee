"""Hostile input: one bad file never stops a build, and no input is slow.

``tests/fixtures/hostile`` keeps every single-file crash found so far (each once ended build,
check and serve with a traceback). The timing suite compares adversarial shapes with ordinary
text of the same size, inside one test: ratios, not absolute times.
"""

from __future__ import annotations

import codecs
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.config import load_config
from generator.diagnostics import SourceError
from generator.readers import read_bytes, read_file
from generator.readers.clean import UNSAFE
from generator.render import MessageRenderer
from generator.site import build
from tests.conftest import FIXTURES, transcript

HOSTILE = FIXTURES / "hostile"


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.iterdir()))
def test_each_hostile_file_reads_or_is_an_error_about_itself(name):
    started = time.perf_counter()
    try:
        result = read_file(HOSTILE / name, name)
    except SourceError as err:
        assert err.diagnostic.path == name and "Antiphon bug" not in err.diagnostic.message
    else:
        renderer = MessageRenderer()
        for conversation in result.conversations:
            assert not UNSAFE.search(conversation.title)
            for message in conversation.messages:
                assert not UNSAFE.search(message.text + message.speaker), "an unsafe character was kept"
                renderer.render(message.text)
    assert time.perf_counter() - started < 5


def test_a_folder_of_hostile_files_still_builds_the_good_one(tmp_path):
    shutil.copytree(HOSTILE, tmp_path / "content")
    (tmp_path / "content/good.md").write_text(transcript(header="**Started:** 2025-01-01 10:00:00"), "utf-8")
    weird = tmp_path / "content" / b"name-\xff-not-utf8.md".decode("utf-8", "surrogateescape")
    weird.write_text(transcript(title="E ↔ F"), "utf-8")
    config = load_config(None, tmp_path)
    result = build(config)
    assert result.failed() and result.conversations >= 10
    assert (config.output_path / "c/2025-01-01-alice-bob/index.html").is_file()
    assert any(d.path.endswith("name-%FF-not-utf8.md") for d in result.diagnostics) or \
        (config.output_path / "c/e-f/index.html").is_file()
    for page in config.output_path.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "\x00" not in html and "\x1b" not in html
    errors = {d.path.rsplit("/", 1)[-1] for d in result.errors}
    assert errors == {"nested-1000.json", "integer-5000-digits.json", "chatgpt-parent-loop.json",
                      "runner-conversations-string.json", "sharegpt-value-number.jsonl"}
    assert not any("Antiphon bug" in d.message for d in result.diagnostics)


# -- no input is slow ----------------------------------------------------------------------------

SIZE = 100_000  # characters: large enough that quadratic work shows, small enough to run in seconds
# An adversarial shape may take this many times as long as ordinary text of its size rendered by
# markdown-it (the fast path takes a tenth of that, so it is no fair measure of the slow one).
LIMIT = 15
# ... and four times the text may take at most this many times as long (linear: 4; quadratic: 16).
GROWTH = 9


def _ordinary(size: int) -> tuple[str, str]:
    turn = ("*leans closer* The lighthouse keeps its own time, and the tide keeps another.\n"
            "We could **count** them both, or `ignore` them, or write them down:\n\n"
            "- one wave\n- two waves\n\nAnd then the sea again.\n")
    body = []
    while sum(map(len, body)) < size:  # each message its own (the renderer remembers short ones it has seen)
        body.append(f"---\n\n### {'Alice' if len(body) % 2 else 'Bob'}\n\n{turn}That was turn {len(body)}.\n\n")
    return "ordinary.md", "# Alice ↔ Bob\n\n" + "".join(body) + "---\n"


_SHAPES = {
    "native header value with spaces": lambda n: ("a.md", "# A ↔ B\n\n**Note:** a" + " " * n + "b\n\n---\n\n### A\n\nx\n"),
    "native heading with spaces": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A" + " " * n + "x\n\nhi\n\n---\n"),
    "backrooms header with spaces": lambda n: ("a.txt", "### a ###\nhello\n### a" + " " * n + "b\nmore\n"),
    "backrooms header tabs and brackets": lambda n: ("a.txt", "### a ###\nx\n### a [" + "\t[" * (n // 2) + " ###\n"),
    "WebVTT unclosed voices": lambda n: ("a.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n" + "<v a" * (n // 4) + "\n"),
    "WebVTT voice of spaces": lambda n: ("a.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v" + " " * n + "x\n"),
    "nested directions": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "*sighs, *softly*, and waits*\n" * (n // 29)
                                    + "\n---\n"),
    "star runs": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "*a " * (n // 3) + "\n\n---\n"),
    # closers with no opener (each looked back over all the others: 42 s for 80,000 characters)
    "closing star runs": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "a* " * (n // 3) + "\n\n---\n"),
    "stars inside words": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "a*b " * (n // 4) + "\n\n---\n"),
    "runs that open and close": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + '"*"a"**" ' * (n // 10)
                                           + "\n\n---\n"),
    "a line of directions": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "*a* " * (n // 4) + "\n\n---\n"),
    "brackets": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "[" * n + "\n\n---\n"),
    "quote runs": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + (">" * 40 + " x\n") * (n // 43) + "\n---\n"),
    "table with extra cells": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n| a | b |\n|---|---|\n"
                                         + ("| 1 | 2 | 3 | 4 |\n" * (n // 17)) + "\n---\n"),
    "plain labels with spaces": lambda n: ("a.txt", "A: hi\nB: yo\nA: " + " " * n + "x\nB: ok\n"),
    "labels the title names, and many it does not": lambda n: ("a.md", "# Ada ↔ Bo\n" + "".join(
        f"**Ada:** x\n**Bo:** y\n**L{number}:** z\n**L{number}:** z\n" for number in range(n // 40))),
    "a CSV export of many rows": lambda n: ("a.csv", "AuthorID,Author,Date,Content,Attachments,Reactions\n"
                                             + '"1","a","7/20/2025 6:36 PM","hi there","",""\n' * (n // 45)),
    "a CSV export whose quote never closes": lambda n: ("a.csv", "AuthorID,Author,Date,Content,Attachments,Reactions\n"
                                                        '"1","a","7/20/2025 6:36 PM","' + "x,\n" * (n // 3)),
    "rules after every message": lambda n: ("a.txt", "A: x\n\n---\n\nB: y\n\n---\n\n" * (n // 24)),
    "headings with numbers between messages": lambda n: ("a.md", ("A: x\n\n---\n\n## Round 1" + " 2" * 40
                                                                   + " a\n\nB: y\n\n") * (n // 100)),
    "one exchange under front matter": lambda n: ("a.md", "---\n" + "k: v\n" * 99 + "---\n# T\n*2026-01-05 09:14*\n\n"
                                                  "**USER:**\n\nq\n\n**ASSISTANT:**\n\n" + "a\n" * (n // 2)),
    "indented code blocks between lines": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n"
                                                     + "a\n\n    x\n\n" * (n // 10) + "\n---\n"),
    "empty headings": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "a\n#\n" * (n // 4) + "\n---\n"),
    "a list item and its lines": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n- a\n" + "  b\n" * (n // 4) + "\n---\n"),
    "a quote and its lazy lines": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n> a\n" + "b\n" * (n // 2) + "\n---\n"),
    "a list item and its lazy lines": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n- a\n" + "b\n" * (n // 2) + "\n---\n"),
    "list markers taking turns": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "- a\n* b\n1. c\n2) d\n" * (n // 20)
                                            + "\n---\n"),
    "lists in lists": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n"
                                 + "".join("  " * (i % 9) + "- x\n" for i in range(n // 12)) + "\n---\n"),
    "a long fence holding short ones": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n````\n" + "```\n" * (n // 4)
                                                  + "\n---\n"),
    "heading with spaces and hashes": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n## a" + " # " * (n // 3)
                                                 + "\n\n---\n"),
    "rules and headings": lambda n: ("a.md", "# A ↔ B\n\n" + "---\n\n### X\n\n" * (n // 12) + "---\n"),
    "drawn alignment": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n" + "a  b  c  d\n" * (n // 11) + "\n---\n"),
    "directions across paragraphs": lambda n: ("a.md", "# A ↔ B\n\n---\n\n### A\n\n*a\n\n" + "b\n\n" * (n // 3)
                                               + "c*\n\n---\n"),
    "Claude log tool inputs never closed": lambda n: ("a.md", "# Claude Conversation Log\n\n---\n\n## 🤖 Claude\n\n"
                                                      + '🔧 Using tool: a\nInput: ["x\n' * (n // 27)),
    "conversation-logger exchanges": lambda n: ("a.txt", ("=" * 80 + "\n👤 USER (10:00:00):\nq\n" + "-" * 80
                                                           + "\n🤖 CLAUDE [2026-01-01 10:00:01]:\n● a\n") * (n // 200)),
    "conversation-logger outputs": lambda n: ("a.txt", "=" * 80 + "\n🤖 CLAUDE [2026-01-01 10:00:01]:\n● Bash(x)\n\n"
                                                        + "  ⎿  x\n" * (n // 7)),
    "conversation-logger tool outputs never closed": lambda n: ("a.md", "# Conversation Log — 2026-01-01\n\n"
                                                                 "## 🤖 Claude — 10:00:00\n\n"
                                                                 + "### 🛠️ Tool: `a`\n\n````\n" * (n // 24)),
    "conversation-logger heads": lambda n: ("a.md", "# Conversation Log — 2026-01-01\n\n"
                                             + "## 👤 User — 23:59:59\n\nq\n\n## 🤖 Claude — 00:00:00\n\n" * (n // 60)),
    "SpecStory heads and rules": lambda n: ("a.md", "<!-- Generated by SpecStory -->\n\n"
                                             + "_**User**_\n\nq\n\n---\n\n_**Assistant**_\n\na\n\n---\n\n" * (n // 44)),
    "SpecStory parts of one answer": lambda n: ("a.md", "<!-- Generated by SpecStory -->\n\n_**Assistant**_\n\n"
                                                + "a\n\n---\n\n<details>\n\n---\n\n" * (n // 24)),
    "SpecStory thinking never closed": lambda n: ("a.md", "<!-- Generated by SpecStory -->\n\n_**Assistant**_\n\n"
                                                  + "<think><details><summary>Thought Process</summary>\n---\n" * (n // 56)),
    "SpecStory summaries never closed": lambda n: ("a.md", "<!-- Generated by SpecStory -->\n\n_**Assistant**_\n\n"
                                                   "<tool-use>\n" + "<summary>x\n" * (n // 12) + "</tool-use>\n"),
    "a VS Code chat of many answer pieces": lambda n: ("a.json", '{"responderUsername":"x","requests":[{"message":"q",'
                                                           '"response":[' + '{"value":"a "},' * (n // 14) + '{"value":"b"}]}]}'),
    "Cline elements never closed": lambda n: ("a.md", "**User:**\n\n<task>\nq\n</task>\n\n---\n\n**Assistant:**\n\n"
                                               + "<read_file>\n<a_b>\n" * (n // 18) + "\n"),
    "Cline answers never closed": lambda n: ("a.md", "**User:**\n\n<task>\nq\n</task>\n" + "<task>\n<answer>\n" * (n // 16)
                                              + "\n---\n\n**Assistant:**\n\nhi\n"),
    "Cline messages": lambda n: ("a.md", "**User:**\n\n<task>\nq\n</task>\n\n---\n\n"
                                  + "**Assistant:**\n\n<thinking>\nt\n</thinking>\n\n---\n\n**User:**\n\n[x for 'y'] Result:\nz\n\n---\n\n"
                                  * (n // 90)),
    "Claude log rules and headings": lambda n: ("a.md", "# Claude Conversation Log\n\n---\n\n"
                                                + "## 🤖 Claude\n\nx\n\n---\n\n" * (n // 24)),
    "JSON strings of escapes": lambda n: ("a.json", '{"messages":[{"role":"user","content":"' + "\\u0000" * (n // 6)
                                          + '"}]}'),
    "JSON escaped backslashes before escapes": lambda n: ("a.json", '{"messages":[{"role":"user","content":"'
                                                          + "\\\\" * (n // 8) + '\\r\\b"}]}'),
    "JSON chats nested deep in an app's export": lambda n: ("a.json", '{"a":' * 400 + '{"title":"t","m":['
                                                            + '{"role":"user","content":"hi"},' * (n // 32)
                                                            + '{"role":"ai","content":"yo"}]}' + "}" * 400),
    "Discord export of blank lines": lambda n: ("a.txt", "=" * 62 + "\nGuild: g\nChannel: c\n" + "=" * 62 + "\n"
                                                 + "\n" * n + "=" * 30 + "\n"),
    "Discord export of message headers": lambda n: ("a.txt", "=" * 62 + "\nGuild: g\nChannel: c\n" + "=" * 62 + "\n"
                                                      + "[7/20/2025 6:36 PM] a#0001\n" * (n // 26)),
    "framed turns": lambda n: ("a.txt", ("=" * 30 + "\nTurn 1 | A\n" + "=" * 30 + "\nhi\n") * (n // 75)),
    "rules between rules": lambda n: ("a.txt", "=" * 30 + "\nHUMAN:\n" + "=" * 30 + "\nx\n" + ("=" * 30 + "\n") * (n // 31)),
    "many chats in one file": lambda n: ("a.txt", ("=" * 30 + "\nCONVERSATION: t\n" + "=" * 30 + "\n" + "-" * 30
                                                    + "\nHUMAN:\n" + "-" * 30 + "\nhi\n") * (n // 120)),
    "HTML elements never closed": lambda n: ("a.html", _DCE_MESSAGE + "<div>x" * (n // 6)),
    "HTML comments never closed": lambda n: ("a.html", _DCE_MESSAGE + "<!--" * (n // 4)),
    "HTML quotes never closed": lambda n: ("a.html", _DCE_MESSAGE + '<a title="x ' * (n // 12)),
    "HTML end tags with nothing open": lambda n: ("a.html", _DCE_MESSAGE + "</span>" * (n // 7)),
    "HTML groups within groups": lambda n: ("a.html", _DCE_MESSAGE * (n // len(_DCE_MESSAGE))),
    "HTML quotes within quotes": lambda n: ("a.html", _DCE_MESSAGE + '<div class="chatlog__markdown-quote"><div '
                                            'class="chatlog__markdown-quote-content">q' * (n // 88)),
    "HTML lists within lists": lambda n: ("a.html", _DCE_MESSAGE + "<ul><li>x" * (n // 9)),
    "HTML of many messages": lambda n: ("a.html", "".join(
        f'{_DCE_MESSAGE}a **line** of <em>message</em> {number}</span></div></div>' for number in range(n // 190))),
    "HTML times of long words": lambda n: ("a.html", _DCE_MESSAGE + '</span><div class="chatlog__short-timestamp" title="'
                                           + "Thursday, " * (n // 20) + "January" * (n // 14) + ' 29, 2026 1:16 PM">'),
    "Telegram page of many messages": lambda n: ("messages.html", '<div class="page_body chat_page">' + "".join(
        f'<div class="message default clearfix joined" id="message{number}"><div class="body"><div class="text">a '
        f'<b>line</b><br>of it</div></div></div>' for number in range(n // 120))),
    "Telegram messages within messages": lambda n: ("messages.html", '<div class="page_body chat_page">'
                                                    + '<div class="message default clearfix"><div class="body">' * (n // 60)),
    "JSON of many small chats": lambda n: ("a.json", '{"c":[' + ",".join(
        ['{"title":"t","turns":[{"role":"user","content":"a"},{"role":"ai","content":"b"}]}'] * (n // 80)) + "]}"),
}


_DCE_MESSAGE = ('<div class="chatlog__message-group"><div class="chatlog__message-container" data-message-id="1">'
                '<span class="chatlog__markdown-preserve">')


def _cost(name: str, text: str, fast: bool = True) -> float:
    """Processor seconds to read ``text`` and render its messages (the best of five): processor time,
    so that other work on the machine (a test suite run in parallel) does not count."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        try:
            result = read_bytes(Path(name), text.encode("utf-8"), name)
        except SourceError:
            result = None
        renderer = MessageRenderer(fast=fast)
        for conversation in result.conversations if result else []:
            for message in conversation.messages:
                renderer.render(message.text)
        best = min(best, time.process_time() - started)
    return best


def test_no_adversarial_shape_is_much_slower_than_ordinary_text():
    MessageRenderer(fast=False).render("*warm* up `markdown-it` and [links](x)")  # imports, off the clock
    ordinary = _cost(*_ordinary(SIZE), fast=False)
    ratios = {shape: _cost(*make(SIZE)) / ordinary for shape, make in _SHAPES.items()}
    worst = max(ratios, key=ratios.get)
    assert ratios[worst] < LIMIT, f"{worst}: {ratios[worst]:.1f}x ordinary text ({ratios})"


@pytest.mark.parametrize("shape", sorted(_SHAPES))
def test_every_shape_takes_time_in_proportion_to_its_size(shape):
    make = _SHAPES[shape]
    small, large = _cost(*make(SIZE // 2)), _cost(*make(SIZE * 2))
    assert large < GROWTH * max(small, 0.002), f"{shape}: {small:.3f} s, then {large:.3f} s for 4x the text"


def _cue(number: int) -> str:
    second = 2 * number
    clock = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
    return f"{number + 1}\n{clock},000 --> {clock},900\nwords of the one voice in this recording\n\n"


_LONG_MESSAGES = {  # a message built line by line (or cue by cue) with '+=' on an attribute is quadratic
    "a plain message of many lines": lambda n: ("a.txt", "A: x\nB: y\nA: z\n" + "some words on a line\n" * n),
    "subtitles of one voice": lambda n: ("a.srt", "".join(_cue(number) for number in range(n // 2))),
    # every line wrapped by the terminal: one paragraph joined again from n lines
    "a terminal reply wrapped at every line": lambda n: ("a.txt", "> go on\n\n⏺ " + "".join(
        f"{'x' * 70} {number:08d}\n  " for number in range(n))),
    "a Gemini tool's box of many lines": lambda n: ("a.txt", "> go on\n\n✦ Running.\n ╭──╮\n │ ✔  Shell ls │\n" + "".join(
        f" │    file-{number:08d}.txt │\n" for number in range(n)) + " ╰──╯\n✦ Done.\n"),
    "an aider session of many requests and notes": lambda n: ("a.md", "# aider chat started at 2025-06-01 09:15:02\n" + "".join(
        f"#### ask {number}  \n> noted {number}  \nthe answer {number}\n" for number in range(n // 3))),
    "an aider answer of many reasoning tags": lambda n: ("a.md", "# aider chat started at 2025-06-01 09:15:02\n#### ask  \n" + "".join(
        f"<thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>\nthought {number}\n</thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>\n"
        f"said {number}\n" for number in range(n // 4))),
    "an architect's many plans handed over": lambda n: ("a.md", "# aider chat started at 2025-06-01 09:15:02\n"
        "> Model: a/b with architect edit format  \n> Editor model: c/d with editor-diff edit format  \n" + "".join(
        f"#### ask {number}  \nplan {number} " + "step " * 20 + f"\n> Edit the files? (Y)es/(N)o [Yes]: y  \n"
        f"#### plan {number} " + "step " * 20 + "  \nedited\n" for number in range(n // 6))),
    "a bot framework's export of many exchanges": lambda n: ("a.md", "# Conversation: Ada & Echo\n**Date:** 2025-10-20\n" + "".join(
        f"### Exchange {number}\n*07:47:{number % 60:02d} PM*\n\n---\n\n## 💬 **{'Ada' if number % 2 else 'Echo'}**\n\n> line {number}\n>\n"
        for number in range(n // 6))),
    "a bot framework's message of many quoted lines": lambda n: ("a.md", "## 💬 **Ada**\n> hi\n## 💬 **Echo**\n> yo\n"
                                                                 "## 💬 **Ada**\n" + "> some words on a line\n" * n),
    "a tagged block of many lines, left open": lambda n: ("a.md", "<user>\nhi\n</user>\n<assistant>\n" + "".join(
        f'<user a="{number}" b="x"   line {number}\n' for number in range(n))),
}


@pytest.mark.parametrize("shape", sorted(_LONG_MESSAGES))
def test_a_long_message_is_read_in_linear_time(shape):
    """Reading alone, at sizes the shapes above do not reach: a 4 MB message took 107 s, a 3 MB
    recording of one voice 3.8 s (4x the cues took 20x the time)."""
    def cost(size: int) -> float:
        name, text = _LONG_MESSAGES[shape](size)
        best = float("inf")
        for _ in range(3):
            started = time.process_time()  # (see _cost)
            read_bytes(Path(name), text.encode("utf-8"), name)
            best = min(best, time.process_time() - started)
        return best
    small, large = cost(20_000), cost(80_000)
    assert large < GROWTH * max(small, 0.002), f"{small:.3f} s, then {large:.3f} s for 4x the text"


def test_carriage_returns_in_json_strings_are_line_ends():
    result = read_file(HOSTILE / "runner-carriage-return.json", "runner-carriage-return.json")
    texts = [message.text for message in result.conversations[0].messages]
    assert "one line\nthe next\nand a third" in texts and not result.diagnostics


def _percent(error: UnicodeDecodeError):
    return "".join(f"%{byte:02X}" for byte in error.object[error.start:error.end]), error.end


codecs.register_error("antiphon-test-percent", _percent)


@given(st.binary() | st.text().map(lambda text: text.encode("utf-8")))
def test_a_file_name_is_shown_with_each_undecodable_byte_as_percent_hex(raw):
    """A name as Python reads it from the file system (bytes that are not UTF-8 as lone surrogates)
    is shown with each such byte as %XX, and an ASCII name as it is."""
    from generator.sources import shown_name
    name = raw.decode("utf-8", "surrogateescape")
    assert shown_name(name) == raw.decode("utf-8", "antiphon-test-percent")
    shown_name(name).encode("utf-8")  # a page or a JSON file can hold it
