"""Gemini CLI sessions as it saves them (``~/.gemini/tmp/<project>/chats/session-….json``).

``{"sessionId", "startTime", "messages": [{"type": "user" | "gemini" | "info" | "error", "content", …}]}``:
a model's message may carry its ``thoughts`` (a subject and a description each) and its
``toolCalls`` (a name, its ``args``, and its ``result`` as the function responses the model was
given, or else what the terminal showed, ``resultDisplay``): thinking, tool calls and tool results.
``info`` and ``error`` messages are the CLI's own: notes.
"""

from __future__ import annotations

import json

from generator.readers.common import Turn, conversation, fenced, request_title
from generator.readers.jsondoc import Record, Shape, content_text, dict_of, list_of, text_of, timestamp
from generator.readers.runs import model_name

NAME = "gemini-cli"
ONE_CONVERSATION = False  # a file is one session, but a JSON file is one value: nothing to say per line
_SPOKEN = ("user", "gemini")


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if not isinstance(value, dict) or "sessionId" not in value or not isinstance(value.get("messages"), list):
        return False
    return any(isinstance(m, dict) and m.get("type") in _SPOKEN for m in value["messages"][:8])


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        session = shape.object(record.value, record.path)
        turns = []
        for _, message in shape.objects(session.get("messages"), f"{record.path}.messages"):
            turns += _turns(message, record.line)
        metadata = {"Source format": "Gemini CLI session"}
        if text_of(session.get("sessionId")):
            metadata["Session"] = session["sessionId"]
        # Its own summary, when the CLI wrote one; else what the user first asked.
        title = text_of(session.get("summary")) or request_title(
            t.text for t in turns if t.speaker == "User" and t.kind == "message")
        found.append(conversation(source, turns, title=title, started=timestamp(session.get("startTime")),
                                  metadata=metadata))
    return found, []


def _turns(message: dict, line: int) -> list[Turn]:
    kind = text_of(message.get("type"))
    when = timestamp(message.get("timestamp"))
    text = content_text(message.get("content"))
    if kind == "user":
        return [Turn("User", text, line, when)] if text.strip() else []
    if kind != "gemini":  # the CLI's own word ('info', 'error'): as written
        said = text or json.dumps(message, ensure_ascii=False, sort_keys=True)
        return [Turn("Gemini CLI", said, line, when, "note")]
    model = text_of(message.get("model"))
    speaker = model_name(model) if model else "Gemini"
    turns = [Turn(speaker, _thought(dict_of(thought)), line, timestamp(dict_of(thought).get("timestamp")) or when,
                  "thinking") for thought in list_of(message.get("thoughts"))]
    if text.strip():
        turns.append(Turn(speaker, text, line, when))
    for call in map(dict_of, list_of(message.get("toolCalls"))):
        called = timestamp(call.get("timestamp")) or when
        turns.append(Turn(speaker, _call(call), line, called, "tool_call"))
        output = _output(call)
        if output is not None:
            failed = text_of(call.get("status")) == "error"
            turns.append(Turn("Tool", ("**error**\n\n" if failed else "") + fenced(output), line, called, "tool_result"))
    return turns


def _thought(thought: dict) -> str:
    subject, description = text_of(thought.get("subject")), text_of(thought.get("description"))
    return "\n\n".join(part for part in (f"**{subject}**" if subject.strip() else "", description) if part)


def _call(call: dict) -> str:
    name = text_of(call.get("displayName")) or text_of(call.get("name")) or "tool"
    arguments = json.dumps(call.get("args", {}), ensure_ascii=False, indent=2, sort_keys=True)
    return f"**{name}**\n\n{fenced(arguments, 'json')}"


def _output(call: dict) -> str | None:
    """What the tool gave the model (its parts: function responses, text), else what the terminal showed;
    None when the call has neither (it was not run)."""
    result = call.get("result")
    if isinstance(result, str) and result:
        return result
    pieces = [_part_text(dict_of(part)) for part in (list_of(result) or [result])]
    pieces = [piece for piece in pieces if piece]
    if pieces:
        return "\n\n".join(pieces)
    shown = call.get("resultDisplay")
    if shown is None:
        return None
    return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False, sort_keys=True)


def _part_text(part: dict) -> str:
    if "functionResponse" in part:
        response = dict_of(part["functionResponse"]).get("response")
        return text_of(dict_of(response).get("output")) or json.dumps(response, ensure_ascii=False, sort_keys=True)
    return text_of(part.get("text")) or (json.dumps(part, ensure_ascii=False, sort_keys=True) if part else "")
