"""OpenAI chat messages: ``{"messages": [{"role", "content"}]}`` (also in a batch ``body``), JSON or JSONL.

Content may be a string or a list of parts; ``tool_calls`` are shown as tool calls
and ``tool`` messages as their results.
"""

from __future__ import annotations

import json

from generator.readers.common import Turn, conversation, fenced
from generator.readers.jsondoc import Record, Shape, content_text

NAME = "openai"


def _messages_of(value):
    if isinstance(value, dict):
        if isinstance(value.get("messages"), list):
            return value["messages"], value
        body = value.get("body")
        if isinstance(body, dict) and isinstance(body.get("messages"), list):
            return body["messages"], body
    return None, None


def claims(first: Record, lines: bool) -> bool:
    messages, _ = _messages_of(first.value)
    return messages is not None


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        messages, holder = _messages_of(shape.object(record.value, record.path))
        if messages is None:
            shape.fail(record.path, "expected an object with a 'messages' array")
        model = holder.get("model") if isinstance(holder.get("model"), str) else None
        turns = []
        for index, raw in enumerate(messages):
            turns += _turns(shape, shape.object(raw, f"{record.path}.messages[{index}]"), model)
        metadata = {"Source format": "OpenAI chat messages"}
        if model:
            metadata["Model"] = model
        if isinstance(record.value.get("custom_id"), str):
            metadata["Conversation id"] = record.value["custom_id"]
        found.append(conversation(source, turns, metadata=metadata))
    return found, []


def _turns(shape: Shape, message: dict, model: str | None) -> list[Turn]:
    role = message.get("role", "unknown")
    line = shape.record.line
    if role == "assistant":
        speaker = message.get("name") or model or "assistant"
    elif role == "tool":
        speaker = message.get("name") or "tool"
    else:
        speaker = message.get("name") or role
    turns = []
    text = content_text(message.get("content"))
    if role == "tool":
        return [Turn(speaker, fenced(text), line, None, "tool_result")]
    if text or not message.get("tool_calls"):
        turns.append(Turn(speaker, text, line))
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        arguments = function.get("arguments", "")
        try:
            arguments = json.dumps(json.loads(arguments), ensure_ascii=False, indent=2, sort_keys=True)
        except (TypeError, ValueError):
            arguments = str(arguments)
        turns.append(Turn(speaker, f"**{function.get('name', 'function')}**\n\n{fenced(arguments, 'json')}", line,
                          None, "tool_call"))
    return turns
