"""Gemini CLI sessions as the terminal shows them (copied from it).

Replies start at the left margin with '✦', their lines indented by two spaces; the user's prompts
are '> ' lines, or sit in a box of their own; each tool Gemini runs is a box whose first line is
its status, name and arguments, and whose other lines are its output::

    > Run the tests

     ╭──────────────────────────────╮
     │ ✔  Shell pytest -q           │
     │                              │
     │    12 passed in 0.40s        │
     ╰──────────────────────────────╯
    ✦ All twelve pass.

A box that is neither (the answer to '/about') is kept as a note. Text before the first prompt (the
banner and its tips) is a folded context message. The terminal's wrapping of what was said is undone
as for Claude Code's terminal (readers/claude_console.py).
"""

from __future__ import annotations

import re

from generator.readers.claude_console import at_margin, prose, strip_indent, terminal_width
from generator.readers.common import Turn, conversation, fenced, request_title
from generator.readers.plaintext import PREFACE

NAME = "gemini-console"
USER, GEMINI, TOOL = "User", "Gemini", "Tool"
_REPLY = "✦"
_PROMPT = "> "
_BOX_TOP, _BOX_SIDE, _BOX_BOTTOM = "╭", "│", "╰"
# A tool box's first line: its status (done, failed, running, waiting, cancelled), then the tool.
_STATUS = r"(?:✔|✓|x|✗|✖|⊷|o|\?|-)"
_TOOL_LINE = re.compile(_STATUS + r"\s+\S.*")


_BOXED = re.compile(r"^ ?│ (?: > |" + _STATUS + r"  \S)", re.M)  # a prompt's box, or a tool's


def sniff(head: str) -> bool:
    """A reply at the margin with Gemini's '✦', a prompt, and a box of Gemini's own (a prompt's or a
    tool's): models write '✦' and '>' themselves (AI-to-AI logs hold both), but not those boxes."""
    return (at_margin(head, _REPLY + " ") and (at_margin(head, _PROMPT) or "│  > " in head)
            and _BOXED.search(head) is not None)


def read(path, text, display):
    lines = text.lstrip("\ufeff").split("\n")
    blocks = list(_blocks(lines))
    width = terminal_width(len(line) + (2 if at == 0 else 0) for kind, _, block in blocks if kind == _REPLY
                           for at, line in enumerate(block))
    turns = [turn for kind, line, block in blocks for turn in _turns(kind, block, line, width)]
    prompts = (turn.text for turn in turns if turn.speaker == USER and turn.kind == "message")
    return [conversation(path, turns, title=request_title(prompts),
                         metadata={"Source format": "Gemini CLI terminal"})], []


def _blocks(lines: list[str]):
    """(kind, line number, lines) for each block: '' (before the first), '>', '✦' or 'box' (a box's
    inner lines, without its borders)."""
    kind, start, block, in_box = "", 1, [], False
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        if in_box:
            if stripped.startswith(_BOX_BOTTOM):
                in_box = False
            else:
                block.append(_inside(stripped))
            continue
        found = ("box" if stripped.startswith(_BOX_TOP) and len(line) - len(stripped) <= 1
                 else ">" if line.startswith(_PROMPT) or line.rstrip() == ">"
                 else _REPLY if line.startswith(_REPLY + " ") or line.rstrip() == _REPLY else "")
        if not found:
            block.append(line)
            continue
        if kind or any(part.strip() for part in block):
            yield kind, start, block
        kind, start, in_box = found, number, found == "box"
        block = [] if in_box else [line[len(found):].removeprefix(" ")]
    if kind or any(part.strip() for part in block):
        yield kind, start, block


def _inside(line: str) -> str:
    """A box's line without its borders (a line too wide for the terminal has lost its right one)."""
    inner = line[len(_BOX_SIDE):] if line.startswith(_BOX_SIDE) else line
    trimmed = inner.rstrip()
    if trimmed.endswith(_BOX_SIDE) and trimmed[:-1].endswith(" "):
        trimmed = trimmed[:-1]
    return trimmed.rstrip()


def _turns(kind: str, block: list[str], line: int, width: int) -> list[Turn]:
    if not kind:
        return [Turn(PREFACE, "\n".join(block).strip("\n"), line, kind="context")]
    if kind == _REPLY:
        return [Turn(GEMINI, prose(block, width), line)]
    if kind == ">":
        return [_prompt(prose(block, width), line)]
    return _box(block, line)


def _box(inside: list[str], line: int) -> list[Turn]:
    """A box: a prompt, a tool's call and output, or else a note (its borders are gone)."""
    first = next((at for at, part in enumerate(inside) if part.strip()), None)
    if first is None:
        return []
    head = inside[first].strip()
    if head.startswith(_PROMPT.strip()):
        said = [head[1:].strip()] + [part.strip() for part in inside[first + 1:]]
        return [_prompt("\n".join(said).strip(), line)]
    if not _TOOL_LINE.fullmatch(head):
        return [Turn(GEMINI, fenced("\n".join(inside).strip("\n")), line, kind="note")]
    turns = [Turn(GEMINI, fenced(head), line, kind="tool_call")]  # with its status: done, failed…
    output = "\n".join(strip_indent(part, 4) for part in inside[first + 1:]).strip("\n")
    if output:
        turns.append(Turn(TOOL, fenced(output), line + first + 2, kind="tool_result"))
    return turns


def _prompt(text: str, line: int) -> Turn:
    return Turn(USER, fenced(text) if text.startswith("/") else text, line,
                kind="command" if text.startswith("/") else "message")
