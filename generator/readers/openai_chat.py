"""OpenAI chat messages: ``{"messages": [{"role", "content"}]}`` (also in a batch ``body``), JSON or JSONL.

Content may be a string or a list of parts; ``tool_calls`` are shown as tool calls
and ``tool`` messages as their results.
"""

from __future__ import annotations

import json

from generator.readers.common import PROMPT_ROLES, ROLE_NAMES, Turn, conversation, fenced, thought_apart
from generator.readers.jsondoc import Record, Shape, content_text, dict_of, list_of, text_of
from generator.readers.runs import model_name

NAME = "openai"
ONE_CONVERSATION = False  # a file may hold many conversations


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
        model = text_of(holder.get("model")) or None
        turns = []
        for _, message in shape.objects(messages, f"{record.path}.messages"):
            turns += _turns(shape, message, model)
        metadata = {"Source format": "OpenAI chat messages"}
        if model:
            metadata["Model"] = model
        if text_of(record.value.get("custom_id")):
            metadata["Conversation id"] = record.value["custom_id"]
        found.append(conversation(source, turns, metadata=metadata))
    return found, []


def _turns(shape: Shape, message: dict, model: str | None) -> list[Turn]:
    role = text_of(message.get("role"), "unknown")
    line = shape.record.line
    name = text_of(message.get("name"))
    if role == "assistant":
        speaker = name or model_name(model or "") or ROLE_NAMES["assistant"]
    elif role == "tool":
        speaker = name or "tool"
    else:
        speaker = name or ROLE_NAMES.get(role, role)
    turns = []
    text = content_text(message.get("content")) or _said_otherwise(message)
    if role == "tool":
        return [Turn(speaker, fenced(text), line, None, "tool_result")]
    # A reasoning model's thoughts, as the APIs that return them put them beside the answer.
    reasoning = text_of(message.get("reasoning_content")) or text_of(message.get("reasoning"))
    if reasoning.strip():
        turns.append(Turn(speaker, reasoning, line, None, "thinking"))
    calls = [dict_of(call) for call in list_of(message.get("tool_calls"))]
    if isinstance(message.get("function_call"), dict):  # the API's older, single call
        calls.append({"function": message["function_call"]})
    if text or not calls:
        turns += thought_apart(speaker, text, line, None, "context" if role in PROMPT_ROLES else "message")
    for call in calls:
        function = dict_of(call.get("function"))
        arguments = function.get("arguments", "")
        try:
            arguments = json.dumps(json.loads(arguments), ensure_ascii=False, indent=2, sort_keys=True)
        except (TypeError, ValueError, RecursionError):
            arguments = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        turns.append(Turn(speaker, f"**{text_of(function.get('name'), 'function')}**\n\n{fenced(arguments, 'json')}",
                          line, None, "tool_call"))
    return turns


def _said_otherwise(message: dict) -> str:
    """An answer with no content: a refusal, or a spoken answer's transcript."""
    return text_of(message.get("refusal")) or text_of(dict_of(message.get("audio")).get("transcript"))
