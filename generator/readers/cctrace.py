"""Claude Code sessions exported to Markdown by cctrace (and its port cctrace-js).

The export writes a header of fields, then each message after a rule: its time, one of the
export's headings, and the text::

    # Claude Code Session Export

    **Session ID:** `f33cdb42-…`
    **Project:** `/home/keeper/tides`
    **Start Time:** 2025-07-02T20:06:59.614Z

    ---

    **[2025-07-02 20:06:59]**

    ### 👤 User

    What the user wrote.

    ---

    **[2025-07-02 20:07:10]**

    ### 🤖 Assistant (claude-opus-4-20250514)

    What the model answered.

An assistant's message may instead be its reasoning (a ``<details>`` block, "💭 Internal
Reasoning") or a tool call ("🔧 **Tool Use: Name**" and its input as JSON); a tool's result is
written as the user's message ("📊 **Tool Result:**" and a code block). A message begins only at a
heading whose time follows a rule: a model's own '---' stays in its message.
"""

from __future__ import annotations

import json
import re

from generator.diagnostics import SourceError
from generator.readers.claude_code import tool_text, user_turn
from generator.readers.common import Turn, block_turns, conversation, request_title
from generator.readers.jsondoc import timestamp
from generator.readers.runs import model_name

NAME = "cctrace"
TITLE = "# Claude Code Session Export"
_RULE = "---"
_TIME = re.compile(r"\*\*\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\]\*\*")
_HEADING = re.compile(r"### (?:👤 User|🤖 Assistant(?: \(([^()\n]*)\))?)")
_FIELD = re.compile(r"\*\*([^*\n]+):\*\* ?(.*)")
_FIELD_NAMES = {"Session ID": "Session", "Project": "Folder"}
_REASONING = re.compile(r"<details>\n<summary>💭 Internal Reasoning[^\n]*</summary>\n\n```\n(.*)\n```\n</details>", re.S)
_TOOL_USE = re.compile(r"🔧 \*\*Tool Use: ([^*\n]+)\*\*(?: \(ID: [^()\n]*\))?\n```json\n(.*)\n```", re.S)
_TOOL_RESULT = re.compile(r"📊 \*\*Tool Result:\*\*\n```\n(.*)\n```", re.S)


def sniff(head: str) -> bool:
    """The export's title first, then one of its headings."""
    head = head.lstrip("\ufeff").lstrip()
    return head.startswith(TITLE + "\n") and any(_HEADING.fullmatch(line.rstrip()) for line in head.split("\n"))


def read(path, text, display):
    lines = text.lstrip("\ufeff").split("\n")
    rule = next((n for n, line in enumerate(lines) if line.rstrip() == _RULE), None)
    if rule is None:
        raise SourceError(display, 1, f"expected a '{_RULE}' line after the export's header")
    metadata = {"Source format": "Claude Code session (cctrace export)"}
    times, other = {}, []
    for number, line in enumerate(lines[:rule], 1):
        field = _FIELD.fullmatch(line.strip())
        when = timestamp(field.group(2).strip()) if field and field.group(1) in ("Start Time", "End Time") else None
        if when is not None:
            times[field.group(1)] = when
        elif field:  # kept as the export wrote it (a time it did not write as one, too)
            metadata[_FIELD_NAMES.get(field.group(1), field.group(1))] = field.group(2).strip().strip("`")
        elif line.strip() and line.strip() != TITLE:  # a line the export does not write: kept, before the messages
            other.append((number, line))
    turns = [Turn("Export", "\n".join(line for _, line in other), other[0][0], None, "note")] if other else []
    turns += [turn for start, end in _messages(lines, rule) for turn in _turns(lines, start, end)]
    title = request_title(t.text for t in turns if t.speaker == "User" and t.kind == "message")
    return [conversation(path, turns, title=title, started=times.get("Start Time"), ended=times.get("End Time"),
                         metadata=metadata)], []


def _messages(lines: list[str], rule: int) -> list[tuple[int, int]]:
    """(heading line, end) of each message: a heading after a rule, with its time between them."""
    starts = []
    after_rule, timed = True, False
    for number in range(rule + 1, len(lines)):
        line = lines[number].rstrip()
        if not line:
            continue
        if after_rule and _TIME.fullmatch(line) and not timed:
            timed = True
            continue
        if after_rule and _HEADING.fullmatch(line):
            starts.append(number)
        after_rule, timed = line == _RULE, False
    ends = [_message_end(lines, start + 1, following) for start, following in zip(starts, starts[1:] + [len(lines)])]
    return list(zip(starts, ends))


def _message_end(lines: list[str], start: int, following: int) -> int:
    """Where a message's text ends: before the rule, and the time, that open the next one (the last
    message's own last lines stay, whatever they look like)."""
    end = _before_blank_lines(lines, start, following)
    if following < len(lines) and end > start and _TIME.fullmatch(lines[end - 1].rstrip()):
        end = _before_blank_lines(lines, start, end - 1)
    return end - 1 if end > start and lines[end - 1].rstrip() == _RULE else end


def _before_blank_lines(lines: list[str], start: int, end: int) -> int:
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _turns(lines: list[str], start: int, end: int) -> list[Turn]:
    heading = _HEADING.fullmatch(lines[start].rstrip())
    when = next((timestamp(found.group(1)) for line in reversed(lines[max(start - 3, 0):start])
                 if (found := _TIME.fullmatch(line.rstrip()))), None)
    text = "\n".join(lines[start + 1:end]).strip("\n")
    line = start + 1
    if not text.strip():
        return []
    if lines[start].startswith("### 👤"):
        result = _TOOL_RESULT.fullmatch(text.strip())
        if result:
            return block_turns([{"type": "tool_result", "content": result.group(1)}], "User", line, when,
                               result_speaker="Tool")
        return [user_turn("User", text, line, when)]
    speaker = model_name(heading.group(1)) if heading.group(1) else "Claude"
    reasoning = _REASONING.fullmatch(text.strip())
    if reasoning:
        return [Turn(speaker, reasoning.group(1), line, when, "thinking")]
    use = _TOOL_USE.fullmatch(text.strip())
    if use:
        try:
            tool_input = json.loads(use.group(2))
        except ValueError:
            return [Turn(speaker, text, line, when, "tool_call")]
        return block_turns([{"type": "tool_use", "name": use.group(1).strip(), "input": tool_input}], speaker, line,
                           when, describe=tool_text)
    return [Turn(speaker, text, line, when)]
