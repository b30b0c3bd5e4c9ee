"""Claude Code sessions as the terminal shows them: copied from the terminal, or saved by ``/export``.

Each block starts at the left margin with its mark, and what follows it is indented::

    > What the user typed (a pasted prompt may go on at the margin)

    ⏺ What Claude said, its lines
      indented by two spaces.

    ⏺ Bash(pytest -q)
      ⎿  12 passed in 0.4s
         and the rest of the output, indented by five.

    ✻ Thinking…

      What Claude thought.

A '⏺' block whose first line is a tool's name and its arguments (``Read(file_path: …)``,
``Web Search("…")``), or that has a '⎿' output under it, is a tool call, and the output its result.
A prompt that starts with '/' is a command. Older terminals show '●' for '⏺'. Text before the first
block (the welcome box) is kept as a folded context message.
"""

from __future__ import annotations

import re
from collections import Counter

from generator.readers.common import Turn, conversation, fenced, request_title
from generator.readers.plaintext import PREFACE

NAME = "claude-console"
USER, CLAUDE, TOOL = "User", "Claude", "Tool"
_PROMPT = "> "
_SAID = ("⏺", "●")
_THINKING = "✻ Thinking"
_OUTPUT = "⎿"
_AFTER_OUTPUT = re.compile("⎿[ \u00a0]{0,2}")  # the terminal pads the mark with a space and a no-break space
_SENTENCE_END = (".", "!", "?", ":")  # a line that ends a sentence is taken to end where it was written
_BLOCK_START = re.compile(r"\s*(?:[-*+] |\d+[.)] |#|>|\||```)")  # a line Markdown starts a block with
_TOOL_CALL = re.compile(r"[A-Z][A-Za-z_]*(?: [A-Z][A-Za-z_]*)?\(|Update Todos\s*$")


def sniff(head: str) -> bool:
    """A prompt and a reply at the margin: '⏺' is Claude Code's own mark; '●' (a common bullet)
    counts only with the '⎿' of a tool's output."""
    if not at_margin(head, _PROMPT):
        return False
    return at_margin(head, "⏺ ") or (at_margin(head, "● ") and _OUTPUT in head)


def at_margin(text: str, mark: str) -> bool:
    """Does a line of ``text`` start with ``mark``?"""
    return text.startswith(mark) or "\n" + mark in text


def read(path, text, display):
    turns = []
    # (line number, mark, the block's lines, its own lines and the output under them)
    blocks = [(line, mark, block, *_split_output(block)) for line, mark, block in _blocks(
        text.lstrip("\ufeff").split("\n"))]
    width = terminal_width(len(line) + (2 if at == 0 else 0)  # a block's first line has lost its mark
                           for _, mark, _, said, _ in blocks if mark for at, line in enumerate(said))
    for line, mark, block, said, output in blocks:
        turns += _turns(mark, block, said, output, line, width)
    title = request_title(turn.text for turn in turns if turn.speaker == USER and turn.kind == "message")
    return [conversation(path, turns, title=title, metadata={"Source format": "Claude Code terminal"})], []


def terminal_width(lengths) -> int:
    """The width the terminal wrapped lines of these ``lengths`` at. Wrapped lines crowd just under it
    and almost none pass it: it is the length with the most lines in the dozen below it for each line
    longer than it. A few longer lines (a long link, a pasted line) do not move it; with no such crowd
    it is the longest line, and nothing is joined."""
    counts = Counter(lengths)
    if not counts:
        return 0
    longer, cliff = 0, {}
    for length in sorted(counts, reverse=True):
        crowd = sum(counts.get(shorter, 0) for shorter in range(length - _WRAP_SLACK, length + 1))
        if length >= _NARROWEST and crowd >= _CROWD:
            cliff[length] = crowd / (longer + 1)
        longer += counts[length]
    return max(cliff, key=lambda length: (cliff[length], length)) if cliff else max(counts)


_WRAP_SLACK = 11  # a wrapped line ends at most this much short of the width (a long word went on)
_CROWD = 3
_NARROWEST = 60  # no terminal a session is read in is narrower


def _mark(line: str) -> str:
    """The mark a block starts with ('' for a line that goes on the block before)."""
    if line.startswith(_PROMPT) or line.rstrip() == ">":
        return ">"
    if line.startswith(_THINKING):
        return _THINKING
    if line[:1] in _SAID and (len(line) == 1 or line[1] == " "):
        return "⏺"
    return ""


def _blocks(lines: list[str]):
    """(line number, mark, lines without the mark) for each block; the text before the first is one
    block with the mark ''."""
    start, mark, block = 1, "", []
    for number, line in enumerate(lines, start=1):
        found = _mark(line)
        if found:
            if block and (mark or any(part.strip() for part in block)):
                yield start, mark, block
            start, mark, block = number, found, [line[len(found):].removeprefix(" ") if found != _THINKING
                                                 else line[len(found):].lstrip("…. ")]
        else:
            block.append(line)
    if block and (mark or any(part.strip() for part in block)):
        yield start, mark, block


def _turns(mark: str, lines: list[str], said: list[str], output: str | None, line: int, width: int) -> list[Turn]:
    """The turns of a block: ``lines`` whole, or ``said`` and the ``output`` under it."""
    if not mark:
        return [Turn(PREFACE, "\n".join(lines), line, kind="context")]
    if mark == _THINKING:
        return [Turn(CLAUDE, prose(lines, width), line, kind="thinking")]
    if mark == ">":
        prompt = prose(said, width)
        if prompt.startswith("/"):
            shown = fenced(prompt) + ("\n\n" + fenced(output) if output is not None else "")
            return [Turn(USER, shown, line, kind="command")]
        return [Turn(USER, prompt + ("\n\n" + fenced(output) if output is not None else ""), line)]
    if output is None and not _TOOL_CALL.match(said[0]):
        return [Turn(CLAUDE, prose(said, width), line)]
    turns = [Turn(CLAUDE, fenced(_dedent(said, 2)), line, kind="tool_call")]
    if output is not None:
        turns.append(Turn(TOOL, fenced(output), line + len(said), kind="tool_result"))
    return turns


def _split_output(lines: list[str]) -> tuple[list[str], str | None]:
    """A block's own lines, and the output under its first '⎿' (None when it has none)."""
    for at, line in enumerate(lines):
        if at and line.lstrip().startswith(_OUTPUT):
            first = _AFTER_OUTPUT.sub("", line.lstrip(), count=1)
            rest = [_AFTER_OUTPUT.sub("", part.lstrip(), count=1) if _indent(part) == _indent(line)
                    and part.lstrip().startswith(_OUTPUT) else strip_indent(part, 5) for part in lines[at + 1:]]
            return lines[:at], "\n".join([first] + rest).rstrip()
    return lines, None


def prose(lines: list[str], width: int) -> str:
    """What was said, without the terminal's indent, and with the lines the terminal wrapped joined
    again: a line is taken to go on where the next line's first word would not have fitted after it
    (the first line has lost its two-character mark). Lists, headings, tables and code keep their lines."""
    joined: list[list[str]] = []  # each line shown, as its wrapped parts (joined once: a long run is linear)
    fenced_code = False
    for at, line in enumerate(lines):
        text = line if at == 0 else strip_indent(line, 2)
        if text.lstrip().startswith("```"):
            fenced_code = not fenced_code
        previous = len(lines[at - 1]) + (2 if at == 1 else 0) if at else 0
        words = text.split()
        if (joined and joined[-1][-1].strip() and words and not fenced_code and not _BLOCK_START.match(text)
                and previous + 1 + len(words[0]) > width and not joined[-1][-1].rstrip().endswith(_SENTENCE_END)):
            joined[-1][-1] = joined[-1][-1].rstrip()
            joined[-1].append(text.lstrip())
        else:
            joined.append([text])
    return "\n".join(" ".join(parts) for parts in joined).strip("\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dedent(lines: list[str], width: int) -> str:
    """The lines after the first without up to ``width`` spaces of the terminal's indent."""
    return "\n".join(lines[:1] + [strip_indent(line, width) for line in lines[1:]]).strip("\n")


def strip_indent(line: str, width: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width):]
