"""JSON that no other reader knows, holding lists of messages somewhere inside it.

Apps export chats in shapes of their own: ``{"<id>": {"title", "createdAt", "turns": [{"role",
"content"}]}}``, ``[{"title", "chat": {"messages": [{"role", "content", "timestamp", "model"}]}}]``
(Open WebUI), ``{"conversation": {"title", "create_time"}, "responses": [{"response": {"sender",
"message"}}]}`` (Grok), ``{"runSettings": {"model"}, "chunkedPrompt": {"chunks": [{"role", "text",
"isThought"}]}}`` (Google AI Studio), ``{"model_a", "conversation_a": […]}`` (a model arena's pairs),
and many more. Read last, after every reader of a known shape: each list of messages found anywhere
in a record is a conversation, titled, dated and its model named by the nearest object around it that
says so, or an object beside it there (the 'conversation' beside the 'responses'). A message is an
object with a role or a speaker and a text, or an object holding one such object alone (Grok's
'response'); a list of them is one where every item is an object and most are messages. A config
holding a prompt (``{"messages": [{"role": "system", …}]}``), or a draft of one message, is not a
conversation: a list counts with two messages or more, one of them not the system's.
"""

from __future__ import annotations

from typing import Any

from generator.readers.common import ROLE_NAMES, Turn, conversation, given_title
from generator.readers.jsondoc import Record, content_text, text_of, timestamp
from generator.readers.runs import model_name

NAME = "nested-messages"
ONE_CONVERSATION = False
SOURCE_FORMAT = "JSON messages"

_ROLE_KEYS = ("role", "speaker", "sender", "author", "from")
_TEXT_KEYS = ("content", "text", "value", "message", "body")
_START_KEYS = ("created_at", "createdAt", "create_time", "created", "started_at", "timestamp", "tstamp", "date")
_TIME_KEYS = ("timestamp", "created_at", "createdAt", "create_time", "time", "date")
_PEOPLE = {"user", "human", "you", "me"}
_ASSISTANTS = {"assistant", "ai", "bot", "model", "gpt", "chatbot"}
_PROMPT_ROLES = {"system", "developer"}


def claims(first: Record, lines: bool) -> bool:
    return any(True for _ in _message_lists(first.value))


def read(records, source, display):
    found = []
    for record in records:
        for messages, around, key in _message_lists(record.value):
            places = list(_places(around))
            model = _side_model(around, key) or _first(places, "model")
            turns = [_turn(message, record.line, model) for message in messages]
            found.append(conversation(source, turns, title=given_title(places), started=_start(places),
                                      metadata={"Source format": SOURCE_FORMAT}))
    return found, []


def _message_lists(value: Any):
    """Each list of messages in ``value`` (its messages, unwrapped), with the objects around it
    (innermost first) and the key it is under. Every value is looked at once, and no further inside a
    list of messages."""
    # The objects around an item are a chain of (object, the chain around it): one step to make,
    # however deep the item (a tuple of them all was as long as the depth, for every object).
    stack: list[tuple[Any, tuple | None, str]] = [(value, None, "")]
    while stack:
        item, around, key = stack.pop()
        if isinstance(item, dict):
            inner = (item, around)
            stack.extend((child, inner, name) for name, child in reversed(list(item.items())))
        elif isinstance(item, list):
            messages = _messages_of(item)
            if messages:
                yield messages, tuple(_outward(around)), key
            else:
                stack.extend((child, around, key) for child in reversed(item))


def _outward(around: tuple | None):
    while around is not None:
        holder, around = around
        yield holder


def _places(around: tuple[dict, ...]):
    """Where a conversation's title, start and model are looked for, nearest first: each object around
    its messages, each followed by the objects directly inside it."""
    for holder in around:
        yield holder
        yield from (value for value in holder.values() if isinstance(value, dict))


def _messages_of(items: list) -> list[dict]:
    """The messages of a list of messages (nothing for any other list)."""
    if not items or not all(isinstance(item, dict) for item in items):
        return []
    messages = [message for message in map(_message, items) if message is not None]
    speaking = [message for message in messages if _role(message).lower() not in _PROMPT_ROLES]
    return messages if 2 * len(messages) >= len(items) and len(messages) >= 2 and speaking else []


def _message(item: dict) -> dict | None:
    """``item`` if it is a message, or the one message it holds alone ({"response": {…}, "share_link": null})."""
    if _is_message(item):
        return item
    inner = [value for value in item.values() if isinstance(value, dict)]
    return inner[0] if len(inner) == 1 and _is_message(inner[0]) else None


def _is_message(item: dict) -> bool:
    return bool(_role(item)) and any(isinstance(item.get(key), (str, list)) for key in _TEXT_KEYS)


def _role(item: dict) -> str:
    for key in _ROLE_KEYS:
        value = item.get(key)
        if isinstance(value, dict):  # an author object: {"role": …} or {"name": …}
            value = value.get("role") or value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _side_model(around: tuple[dict, ...], key: str) -> str:
    """The model of one side of a comparison: 'conversation_a' beside 'model_a', as arena datasets
    pair two models' answers to one prompt."""
    side = key.rpartition("_")[2] if "_" in key else ""
    return text_of(around[0].get(f"model_{side}")) if side and around else ""


def _turn(message: dict, line: int, model: str) -> Turn:
    said = _role(message)
    role = said.lower()
    text = next((content_text(message[key]) for key in _TEXT_KEYS if isinstance(message.get(key), (str, list))), "")
    when = next((found for key in _TIME_KEYS if (found := timestamp(message.get(key))) is not None), None)
    if role in _PEOPLE:
        return Turn(ROLE_NAMES["user"], text, line, when)
    if role in _ASSISTANTS:
        model = text_of(message.get("model")) or text_of(message.get("model_id")) or model
        kind = "thinking" if message.get("isThought") is True or message.get("thought") is True else "message"
        return Turn((model_name(model) if model else "") or ROLE_NAMES["assistant"], text, line, when, kind)
    if role in _PROMPT_ROLES:
        return Turn(ROLE_NAMES[role], text, line, when, "context")
    if role in ("tool", "function"):
        return Turn(text_of(message.get("name")) or "tool", text, line, when, "tool_result")
    return Turn(said, text, line, when)


def _first(places: list[dict], key: str) -> str:
    return next((text_of(place.get(key)) for place in places if text_of(place.get(key)).strip()), "")


def _start(places: list[dict]):
    return next((found for place in places for key in _START_KEYS if (found := timestamp(place.get(key))) is not None),
                None)
