"""Claude Code sessions exported to Markdown by claude-conversation-extractor ("# Claude Conversation Log").

The export writes a header, then each message as one of its own headings, the text, and a rule::

    # Claude Conversation Log

    Session ID: 6f7b5e59-…
    Date: 2025-11-20 00:18:21

    ---

    ## 👤 User

    What the user wrote.

    ---

    ## 🤖 Claude

    What Claude answered.

    ---

A message begins only at one of the export's headings right after a rule, so what the models
wrote themselves (a '---' then '## Summary') stays in their messages. The detailed export adds
'### 🔧 Tool Use', '### 📤 Tool Result' and '### ℹ️ System' messages, and writes each tool Claude
called into its message as '🔧 Using tool: Name' and 'Input: {…}': those become tool calls, shown as
the session's own JSONL shows them (readers/claude_code.py).
"""

from __future__ import annotations

import json
import re

from generator.diagnostics import SourceError, note
from generator.readers.claude_code import WARM_UP, is_warm_up, tool_text, user_turn
from generator.readers.common import Turn, block_turns, conversation, opening_title, request_title
from generator.readers.jsondoc import timestamp

NAME = "claude-log"
TITLE = "# Claude Conversation Log"
# The export's headings: who speaks, and what kind of message it is.
HEADINGS = {"## 👤 User": ("User", "message"), "## 🤖 Claude": ("Claude", "message"),
            "### 🔧 Tool Use": ("Claude", "tool_call"), "### 📤 Tool Result": ("Tool", "tool_result"),
            "### ℹ️ System": ("System", "note"), "### ℹ System": ("System", "note")}
_RULE = "---"
_TOOL_USE = re.compile(r"^🔧 Using tool: (?P<name>[^\n]*)\nInput: ", re.M)


def sniff(head: str) -> bool:
    """The export's title first, and one of its headings after it. The title is looked for first, in
    place: every text file of a build is sniffed, and few are these logs."""
    head = head.lstrip("\ufeff")
    start = len(head) - len(head.lstrip())
    after = head[start + len(TITLE):start + len(TITLE) + 1]
    if not head.startswith(TITLE, start) or (after and not after.isspace()):  # not '# Claude Conversation Logs'
        return False
    return any(line.rstrip() in HEADINGS for line in _dedented(head).split("\n"))


def read(path, text, display):
    lines = _dedented(text.lstrip("\ufeff")).split("\n")
    title_at = next(n for n, line in enumerate(lines) if line.strip())  # sniff found the title there
    header_end = next((n for n, line in enumerate(lines) if n > title_at and line.rstrip() == _RULE), None)
    if header_end is None:
        raise SourceError(display, title_at + 1, f"expected a '{_RULE}' line after the header")
    metadata = {"Source format": "Claude Code log (Markdown)"}
    started, other = None, []
    for line in lines[title_at + 1:header_end]:
        key, _, value = line.partition(":")
        if key.strip() == "Session ID" and value.strip():
            metadata["Session"] = value.strip()
        elif key.strip() == "Date" and timestamp(value.strip()) is not None:
            started = timestamp(value.strip())
        elif line.strip():  # a line the export does not write: kept, with the messages
            other.append(line)
    turns = _message("", "", other, title_at + 2) + _turns(lines, header_end + 1)
    # A sub-agent's log leaves out what it was asked: a warm-up is its greeting alone.
    if metadata.get("Session", "").startswith("agent-") and is_warm_up(turns, "User"):
        return [], [note(display, 1, WARM_UP)]
    return [conversation(path, turns, title=_title(turns, metadata), started=started, metadata=metadata)], []


def _dedented(text: str) -> str:
    """The text without its first line's indentation, on each line that has it (a log pasted into
    another document, and marked up there): the export's own lines begin at the margin."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    indent = first[:len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return text
    return "\n".join(line[len(indent):] if line.startswith(indent) else line for line in text.split("\n"))


def _turns(lines: list[str], start: int) -> list[Turn]:
    """The messages after the header's rule: each from one of HEADINGS right after a rule to the rule
    that ends it (the last rule before the next such heading)."""
    turns: list[Turn] = []
    body: list[str] = []
    speaker, kind, line_number = "", "", 0
    after_rule = True  # the header ends with one
    for number, line in enumerate(lines[start:], start + 1):
        heading = line.rstrip()
        if after_rule and heading in HEADINGS:
            turns += _message(speaker, kind, body, line_number)
            (speaker, kind), body, line_number = HEADINGS[heading], [], number
            after_rule = False
            continue
        if heading == _RULE:
            after_rule = True
        elif heading:
            after_rule = False
        body.append(line)
    return turns + _message(speaker, kind, body, line_number)


def _message(speaker: str, kind: str, body: list[str], line: int) -> list[Turn]:
    """A message's turns, without the rule and blank lines that end it. Text before the first heading
    (the export writes none) is kept as a note."""
    while body and not body[-1].strip():
        body.pop()
    if body and body[-1].rstrip() == _RULE:
        body.pop()
    text = "\n".join(body).strip("\n")
    if not text.strip():
        return []
    if not speaker:
        return [Turn("Log", text, line, None, "note")]
    if speaker == "User" and kind == "message":  # (Claude Code's own words, sent as the user's, are notes)
        return [user_turn(speaker, text, line, None)]
    if speaker == "Claude" and kind == "message":
        return block_turns(_blocks(text), speaker, line, None, describe=tool_text) or [Turn(speaker, text, line)]
    return [Turn(speaker, text, line, None, kind)]


def _blocks(text: str) -> list[dict]:
    """Claude's message as content blocks: its text, and each '🔧 Using tool' with the JSON input after
    it as a tool call (left as text where the input is not JSON)."""
    blocks, done, decoder = [], 0, json.JSONDecoder()
    uses = list(_TOOL_USE.finditer(text))
    for found, following in zip(uses, uses[1:] + [None]):
        # The input ends before the next tool's line (JSON holds no raw line break in a string). Decoded
        # from its own slice: a decoding error counts the lines before it, which must not be the whole text.
        try:
            tool_input, length = decoder.raw_decode(text[found.end():following.start() if following else len(text)])
        except ValueError:
            continue
        _add_text(blocks, text[done:found.start()])
        blocks.append({"type": "tool_use", "name": found.group("name").strip(), "input": tool_input})
        done = found.end() + length
    _add_text(blocks, text[done:])
    return blocks


def _add_text(blocks: list[dict], text: str) -> None:
    if text.strip():
        blocks.append({"type": "text", "text": text.strip("\n")})


def _title(turns: list[Turn], metadata: dict[str, str]) -> str:
    """What the user first asked (as claude_code.py titles a session), else what was first said."""
    asked = request_title(t.text for t in turns if t.speaker == "User" and t.kind == "message")
    said = opening_title(next((t.text for t in turns if t.kind == "message"), ""))
    return asked or said or f"Session {metadata.get('Session', '')}".strip()
