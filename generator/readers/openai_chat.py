"""OpenAI chat messages: ``{"messages": [{"role", "content"}]}`` (also in a batch ``body``), JSON or JSONL.

Content may be a string or a list of parts; ``tool_calls`` are shown as tool calls
and ``tool`` messages as their results.

Runners that save a conversation in this shape (two models set on each other, a debate) often write
more beside it, and what they write is used: a message's ``speaker`` (its persona: "Idealist") or
``timestamp``; the conversation's ``title`` or ``topic`` (at the top, or in its ``config``),
``started_at``/``ended_at``, ``status``, and ``participants`` naming each persona's model. A run of
models set on each other names each message's model (``model_id``) and seat (``participant_role``).
"""

from __future__ import annotations

import json

from generator.readers.common import PROMPT_ROLES, ROLE_NAMES, Turn, conversation, fenced, given_title, thought_apart
from generator.readers.jsondoc import Record, Shape, content_text, dict_of, list_of, text_of, timestamp
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
    """A list of messages of this shape: each with a 'role' or a 'content' (a chat app's export that
    also keeps its messages under 'messages', as Telegram's does with 'from' and 'text', is not:
    read as this, its every speaker was 'unknown' and every message empty)."""
    messages, _ = _messages_of(first.value)
    return messages is not None and (not messages or any(
        isinstance(message, dict) and ("role" in message or "content" in message) for message in messages[:_LOOKED_AT]))


_LOOKED_AT = 50  # messages looked at to tell


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        messages, holder = _messages_of(shape.object(record.value, record.path))
        if messages is None:
            shape.fail(record.path, "expected an object with a 'messages' array")
        model = text_of(holder.get("model")) or None
        turns, seats = [], []
        for _, message in shape.objects(messages, f"{record.path}.messages"):
            made = _turns(shape, message, text_of(message.get("model_id")) or text_of(message.get("model")) or model)
            turns += made
            seats += [text_of(message.get("participant_role")) or text_of(message.get("seat"))] * len(made)
        _tell_seats_apart(turns, seats)
        metadata = {"Source format": "OpenAI chat messages"}
        if model:
            metadata["Model"] = model
        if text_of(record.value.get("custom_id")):
            metadata["Conversation id"] = record.value["custom_id"]
        metadata.update(_runner_fields(holder))
        found.append(conversation(source, turns, title=_title(record.value, holder),
                                  started=timestamp(holder.get("started_at")), ended=timestamp(holder.get("ended_at")),
                                  metadata=metadata))
    return found, []


# Where a runner keeps its settings, which may hold the conversation's topic.
_SETTINGS = ("config", "settings", "metadata")


def _title(*holders: dict) -> str:
    """The title or topic a runner gave the conversation, at the top or in its settings."""
    return given_title(place for holder in holders for place in (holder, *(dict_of(holder.get(key)) for key in _SETTINGS)))


def _runner_fields(holder: dict) -> dict[str, str]:
    """Facts a runner noted: how the run ended, and each persona's (or seat's) model."""
    fields = {}
    if text_of(holder.get("status")).strip():
        fields["Status"] = holder["status"]
    models = [f"{text_of(seat.get('name'))}: {text_of(seat.get('model'))}"
              for seat in map(dict_of, list_of(holder.get("participants")))
              if text_of(seat.get("name")).strip() and text_of(seat.get("model")).strip()]
    seated = [text_of(holder.get(key)) for key in ("llm1_model", "llm2_model") if text_of(holder.get(key)).strip()]
    if models or seated:
        fields["Models"] = "; ".join(models) or ", ".join(seated)
    return fields


def _tell_seats_apart(turns: list[Turn], seats: list[str]) -> None:
    """A model that talked with itself, its messages marked with their seat (``participant_role``:
    'initiator', 'responder'): each seat is the model with its number, in the order the seats first
    speak ('Claude Opus 4 (1)'), as runs name them; the seat as the source names it is the label."""
    order: dict[str, list[str]] = {}
    for turn, seat in zip(turns, seats):
        if seat and seat not in order.setdefault(turn.speaker, []):
            order[turn.speaker].append(seat)
    for turn, seat in zip(turns, seats):
        if seat and len(order[turn.speaker]) >= 2:
            turn.speaker, turn.label = f"{turn.speaker} ({order[turn.speaker].index(seat) + 1})", seat


def _turns(shape: Shape, message: dict, model: str | None) -> list[Turn]:
    role = text_of(message.get("role"), "unknown")
    line = shape.record.line
    name = text_of(message.get("name")) or text_of(message.get("speaker"))
    if name.strip().lower() in ROLE_NAMES:  # a runner's 'speaker': 'system' for its own prompts
        role, name = name.strip().lower(), ""
    when = timestamp(message.get("timestamp") or message.get("created_at"))
    if role == "assistant":
        speaker = name or model_name(model or "") or ROLE_NAMES["assistant"]
    elif role == "tool":
        speaker = name or "tool"
    else:
        speaker = name or ROLE_NAMES.get(role, role)
    turns = []
    text = content_text(message.get("content")) or _said_otherwise(message)
    if role == "tool":
        return [Turn(speaker, fenced(text), line, when, "tool_result")]
    # A reasoning model's thoughts, as the APIs that return them put them beside the answer.
    reasoning = text_of(message.get("reasoning_content")) or text_of(message.get("reasoning"))
    if reasoning.strip():
        turns.append(Turn(speaker, reasoning, line, when, "thinking"))
    calls = [dict_of(call) for call in list_of(message.get("tool_calls"))]
    if isinstance(message.get("function_call"), dict):  # the API's older, single call
        calls.append({"function": message["function_call"]})
    if text or not calls:
        turns += thought_apart(speaker, text, line, when, "context" if role in PROMPT_ROLES else "message")
    for call in calls:
        function = dict_of(call.get("function"))
        arguments = function.get("arguments", "")
        try:
            arguments = json.dumps(json.loads(arguments), ensure_ascii=False, indent=2, sort_keys=True)
        except (TypeError, ValueError, RecursionError):
            arguments = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        turns.append(Turn(speaker, f"**{text_of(function.get('name'), 'function')}**\n\n{fenced(arguments, 'json')}",
                          line, when, "tool_call"))
    return turns


def _said_otherwise(message: dict) -> str:
    """An answer with no content: a refusal, or a spoken answer's transcript."""
    return text_of(message.get("refusal")) or text_of(dict_of(message.get("audio")).get("transcript"))
