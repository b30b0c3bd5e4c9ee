"""Tasks as Cline (and Roo Code, which grew out of it) export them: "Export task" saves
``cline_task_jul-2-2025_10-00-00-am.md`` (``roo_task_…``), each message of the conversation the
extension had with the model::

    **User:**

    <task>
    What the user asked.
    </task>
    <environment_details>
    # Current Time
    7/2/2025, 10:00:00 AM (Europe/Lisbon, UTC+1:00)
    …
    </environment_details>

    ---

    **Assistant:**

    <thinking>
    What the model thought.
    </thinking>

    <read_file>
    <path>tides/table.py</path>
    </read_file>

    ---

    **User:**

    [read_file for 'tides/table.py'] Result:
    what the tool gave back

Most of the "user's" messages are the extension's: a tool's result (``[name for 'x'] Result:``, or
``[Tool]`` in versions that used the model's own tool calls), and the editor's state after it
(``<environment_details>``, a folded context message whose time dates the message). What the user
wrote is the ``<task>``, and their ``<feedback>`` and ``<answer>``s. The model's messages hold its
``<thinking>`` and its tool calls as XML elements (``[Tool Use: name]`` in older versions); its answer
to the user is the ``<result>`` of ``attempt_completion``, the ``<question>`` it asks, or its words.
A message starts only at ``**User:**`` or ``**Assistant:**`` after a ``---`` line (or first).

The task's own record, ``api_conversation_history.json`` (in the extension's ``tasks/<id>/`` folder),
is what the export is written from: a list of ``{"role", "content": [blocks]}``; it is read as the
export would write it (``ClineJSON``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import datetime, timedelta, timezone

from generator.readers.common import Turn, conversation, fenced, request_title, without_closing_rule
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of

NAME = "cline"
USER, MODEL, TOOL, EXTENSION = "User", "Assistant", "Tool", "Cline"
_HEADS = {"**User:**": USER, "**Assistant:**": MODEL}
_RULE = "---"
_MARKS = re.compile(r"^(?:<task>|<environment_details>|\[Tool Use: [^\]\n]+\]|\[Tool(?: \(Error\))?\]$"
                    r"|\[[a-z_]+(?: for [^\n]*)?\] Result:)", re.M)
_RESULT = re.compile(r"\[(?P<tool>[a-z_]+)(?: for (?P<what>[^\n]*?))?\] Result:[ \t]*\n?|\[Tool(?P<error> \(Error\))?\]\n?")
_USER_ELEMENT = re.compile(r"<(?P<tag>task|feedback|answer|user_message)>")
_ELEMENT = re.compile(r"^<(?P<tag>[a-z][a-z_]*)>[ \t]*$", re.M)
_ANSWERS = {"attempt_completion": "result", "ask_followup_question": "question", "plan_mode_respond": "response"}
_OLD_TOOL = re.compile(r"^\[Tool Use: (?P<name>[^\]\n]+)\]$", re.M)
_TIME = re.compile(r"# Current Time\s*\n\s*(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}),? (?P<hour>\d{1,2}):(?P<minute>\d\d)"
                   r"(?::(?P<second>\d\d))? ?(?P<half>[AP]M)?(?: \([^()\n]*?UTC(?P<sign>[+-])(?P<zh>\d{1,2}):(?P<zm>\d\d)\))?")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED = re.compile(r"(?:cline|roo)_task_(?P<month>[a-z]{3})-(?P<day>\d{1,2})-(?P<year>\d{4})_(?P<hour>\d{1,2})-(?P<minute>\d\d)"
                    r"-(?P<second>\d\d)-(?P<half>am|pm)")


def sniff(head: str) -> bool:
    """Its first message is the user's, and a mark of the extension's is in it (a task, the editor's
    state, a tool's result or call): plain '**User:**' chats are the plain reader's."""
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("**User:**") and "\n**Assistant:**" in head and bool(_MARKS.search(head))


def read(path, text, display):
    lines = text.lstrip("\ufeff").split("\n")
    heads = [at for at, line in enumerate(lines) if line.rstrip() in _HEADS and (not at or _after_rule(lines, at))]
    turns: list[Turn] = []
    for number, at in enumerate(heads):
        end = heads[number + 1] if number + 1 < len(heads) else len(lines)
        body = without_closing_rule(lines[at + 1:end], _RULE)
        turns += _message(_HEADS[lines[at].rstrip()], "\n".join(body).strip("\n"), at + 2)
    return [_task(path, turns)], []


class ClineJSON:
    """The task's record (``api_conversation_history.json``), among the JSON readers."""
    NAME = NAME
    ONE_CONVERSATION = False  # one value: the list of messages

    @staticmethod
    def claims(first: Record, lines: bool) -> bool:
        """Its first message is the user's and holds the task, or the editor's state."""
        value = first.value
        message = value[0] if isinstance(value, list) and value else value
        if lines or not isinstance(message, dict) or message.get("role") != "user":
            return False
        said = _blocks_text(message.get("content"))
        return "<task>" in said or "<environment_details>" in said

    @staticmethod
    def read(records, source, display):
        turns: list[Turn] = []
        for record in records:
            shape = Shape(record, display)
            messages = record.value if isinstance(record.value, list) else [record.value]
            for message in messages:
                message = shape.object(message, record.path)
                role = USER if text_of(message.get("role")) == "user" else MODEL
                turns += _message(role, _blocks_text(message.get("content")).strip("\n"), record.line)
        return [_task(source, turns)], []


def _blocks_text(content) -> str:
    """A message's content blocks as the export writes them: text as it is, a tool's use and result in
    brackets, an image as '[Image]'."""
    if isinstance(content, str):
        return content
    parts = []
    for block in map(dict_of, list_of(content)):
        kind = text_of(block.get("type"))
        if kind == "text":
            parts.append(text_of(block.get("text")))
        elif kind == "image":
            parts.append("[Image]")
        elif kind == "tool_use":
            given = block.get("input")
            arguments = ("\n".join(f"{key[:1].upper()}{key[1:]}: {text_of(value) if isinstance(value, str) else value}"
                                   for key, value in given.items()) if isinstance(given, dict) else text_of(given))
            parts.append(f"[Tool Use: {text_of(block.get('name')) or 'tool'}]\n{arguments}")
        elif kind == "tool_result":
            output = _blocks_text(block.get("content"))
            parts.append("[Tool (Error)]" if block.get("is_error") is True else "[Tool]")
            parts[-1] += f"\n{output}" if output else ""
        elif kind in ("thinking", "reasoning"):
            thought = text_of(block.get("thinking")) or text_of(block.get("text"))
            parts.append(f"<thinking>\n{thought}\n</thinking>" if thought else "")
    return "\n".join(part for part in parts if part)  # as the export joins them


def _message(role: str, text: str, line: int) -> list[Turn]:
    return _user(text, line) if role == USER else _model(text, line)


def _task(source, turns: list[Turn]):
    title = request_title(turn.text for turn in turns if turn.speaker == USER and turn.kind == "message")
    # The file's name says when in local time, the editor's state with its offset: the state first.
    started = None if any(turn.time for turn in turns) else _named_time(source.name)
    return conversation(source, turns, title=title, started=started, metadata={"Source format": "Cline task"})


def _after_rule(lines: list[str], at: int) -> bool:
    before = at - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    return before >= 0 and lines[before].strip() == _RULE


def _user(text: str, line: int) -> list[Turn]:
    """The extension's message on the user's behalf: a tool's result, what the user wrote (in its
    elements), the editor's state (context; its time dates the message)."""
    state = ""
    found = re.search(r"<environment_details>\n?(.*?)(?:</environment_details>|\Z)", text, re.DOTALL)
    if found:
        state, text = found[1].strip("\n"), (text[:found.start()] + text[found.end():]).strip("\n")
    when = _state_time(state)
    turns: list[Turn] = []
    result = _RESULT.match(text)
    if result:
        label = result["tool"] or "tool"
        output, said = _users_words(text[result.end():])
        head = f"**{label}**" + (f" {result['what']}" if result["what"] else "") + (" (error)" if result["error"] else "")
        turns.append(Turn(TOOL, head + ("\n\n" + fenced(output) if output.strip() else ""), line, when, kind="tool_result"))
        if said:  # the user's answer to a question, or their feedback on a tool refused
            turns.append(Turn(USER, "\n\n".join(said), line, when))
    elif text.strip():
        turns += _elements(USER, text, line, when)
    if state.strip():
        turns.append(Turn(EXTENSION, state, line, when, kind="context"))
    return turns


def _elements(speaker: str, text: str, line: int, when) -> list[Turn]:
    """What the user wrote: the text of each element it is in (<task>, <feedback>, <answer>); what is
    outside them is the extension's (a reminder it adds to the task: folded context). A message in no
    such element is the user's as written."""
    rest, inside = _users_words(text)
    if not inside:
        return [Turn(speaker, text, line, when)] if text.strip() else []
    turns = [Turn(speaker, "\n\n".join(inside), line, when)]
    if rest.strip():
        turns.append(Turn(EXTENSION, rest, line, when, kind="context"))
    return turns


def _users_words(text: str) -> tuple[str, list[str]]:
    """``text`` without the elements that hold the user's words, and those words."""
    inside, outside = [], []
    position = 0
    for start, end, _, inner in _closed_elements(text, _USER_ELEMENT):
        outside.append(text[position:start])
        if inner.strip():
            inside.append(inner.strip("\n"))
        position = end
    outside.append(text[position:])
    return "".join(outside).strip("\n"), inside


def _closed_elements(text: str, opening: re.Pattern):
    """(start, end, tag, inner) of each element ``opening`` finds that is closed, outermost first, in
    linear time: every closing tag is found once, and each opening looks up the first one after it."""
    closing: dict[str, list[int]] = {}
    for found in re.finditer(r"</([a-z][a-z_]*)>", text):
        closing.setdefault(found[1], []).append(found.start())
    position = 0
    for element in opening.finditer(text):
        if element.start() < position:
            continue
        tag = element["tag"]
        ends = closing.get(tag, [])
        at = bisect_left(ends, element.end())
        if at == len(ends):
            continue
        close = ends[at]
        position = close + len(tag) + 3
        yield element.start(), position, tag, text[element.end():close]


def _model(text: str, line: int) -> list[Turn]:
    """The model's message: thinking, tool calls (XML elements, or '[Tool Use: name]' and its input), words."""
    turns: list[Turn] = []
    position = 0
    for start, end, tag, inner in _closed_elements(text, _ELEMENT):
        turns += _words(text[position:start], line)
        turns += _element(tag, inner.strip("\n"), line)
        position = end
    return turns + _words(text[position:], line)


def _element(tag: str, inner: str, line: int) -> list[Turn]:
    if tag == "thinking":
        return [Turn(MODEL, inner, line, kind="thinking")] if inner.strip() else []
    if tag in _ANSWERS:
        answer = re.search(rf"<{_ANSWERS[tag]}>\n?(.*?)\n?</{_ANSWERS[tag]}>", inner, re.DOTALL)
        rest = inner[:answer.start()] + inner[answer.end():] if answer else inner
        turns = [Turn(MODEL, answer[1], line)] if answer and answer[1].strip() else []
        if rest.strip():
            turns.append(Turn(MODEL, f"**{tag}**\n\n" + fenced(rest.strip("\n"), "xml"), line, kind="tool_call"))
        return turns
    return [Turn(MODEL, f"**{tag}**\n\n" + fenced(inner, "xml") if inner.strip() else f"**{tag}**", line, kind="tool_call")]


def _words(text: str, line: int) -> list[Turn]:
    """Words of the model's, with any older '[Tool Use: name]' call in them apart."""
    text = text.strip("\n")
    if not text.strip():
        return []
    call = _OLD_TOOL.search(text)
    if call is None:
        return [Turn(MODEL, text, line)]
    before = text[:call.start()].strip("\n")
    turns = [Turn(MODEL, before, line)] if before.strip() else []
    called = text[call.end():].strip("\n")
    return turns + [Turn(MODEL, f"**{call['name']}**" + ("\n\n" + fenced(called) if called.strip() else ""), line,
                         kind="tool_call")]


def _state_time(state: str) -> datetime | None:
    found = _TIME.search(state)
    if found is None:
        return None
    hour = int(found["hour"])
    if found["half"]:
        hour = hour % 12 + (12 if found["half"] == "PM" else 0)
    try:
        when = datetime(int(found["year"]), int(found["month"]), int(found["day"]), hour, int(found["minute"]),
                        int(found["second"] or 0))
        if found["sign"]:
            offset = timedelta(hours=int(found["zh"]), minutes=int(found["zm"]))
            when = when.replace(tzinfo=timezone(offset if found["sign"] == "+" else -offset))
    except ValueError:
        return None
    return when


def _named_time(name: str) -> datetime | None:
    """When the task began, as the export's file name says (local time)."""
    found = _NAMED.search(name.lower())
    if found is None or found["month"] not in _MONTHS:
        return None
    hour = int(found["hour"]) % 12 + (12 if found["half"] == "pm" else 0)
    try:
        return datetime(int(found["year"]), _MONTHS.index(found["month"]) + 1, int(found["day"]), hour,
                        int(found["minute"]), int(found["second"]))
    except ValueError:
        return None
