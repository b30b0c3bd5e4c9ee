"""JSON that no other reader knows, holding lists of messages somewhere inside it.

Apps export chats in shapes of their own: ``{"<id>": {"title", "createdAt", "turns": [{"role",
"content"}]}}``, ``[{"title", "chat": {"messages": [{"role", "content", "timestamp", "model"}]}}]``
(Open WebUI), ``{"model_a", "conversation_a": […], "model_b", "conversation_b": […]}`` (a model
arena's pairs), and many more. Read last, after every reader of a known shape: each list of messages
found anywhere in a record is a conversation, titled and dated by the nearest object around it that
says so. A message is an object with a role or a speaker and a text; a list of them is one where
every item is an object and most are messages. A config holding a prompt and examples
(``{"messages": [{"role": "system", …}]}`` with no answer) is not a conversation: a list counts only
with a message from someone other than the system.
"""

from __future__ import annotations

from typing import Any

from generator.readers.common import ROLE_NAMES, Turn, conversation, opening_title
from generator.readers.jsondoc import Record, content_text, dict_of, text_of, timestamp
from generator.readers.runs import model_name

NAME = "nested-messages"
ONE_CONVERSATION = False
SOURCE_FORMAT = "JSON messages"

_ROLE_KEYS = ("role", "speaker", "sender", "author", "from")
_TEXT_KEYS = ("content", "text", "value", "message", "body")
_TITLE_KEYS = ("title", "topic", "subject")
_START_KEYS = ("created_at", "createdAt", "create_time", "created", "started_at", "timestamp", "tstamp", "date")
_TIME_KEYS = ("timestamp", "created_at", "createdAt", "create_time", "time", "date")
_PEOPLE = {"user", "human", "you", "me"}
_ASSISTANTS = {"assistant", "ai", "bot", "model", "gpt", "chatbot"}
_TITLE_CHARS = 120


def claims(first: Record, lines: bool) -> bool:
    return any(True for _ in _message_lists(first.value))


def read(records, source, display):
    found = []
    for record in records:
        for messages, around, key in _message_lists(record.value):
            model = _side_model(around, key)
            turns = [_turn(message, record.line, around, model) for message in messages if _is_message(message)]
            found.append(conversation(source, turns, title=_nearest_title(around), started=_nearest_start(around),
                                      metadata={"Source format": SOURCE_FORMAT}))
    return found, []


def _message_lists(value: Any):
    """Each list of messages in ``value``, with the objects around it (innermost first) and the key it
    is under. Every value is looked at once, and no further inside a list of messages."""
    # The objects around an item are a chain of (object, the chain around it): one step to make,
    # however deep the item (a tuple of them all was as long as the depth, for every object).
    stack: list[tuple[Any, tuple | None, str]] = [(value, None, "")]
    while stack:
        item, around, key = stack.pop()
        if isinstance(item, dict):
            inner = (item, around)
            stack.extend((child, inner, name) for name, child in reversed(list(item.items())))
        elif isinstance(item, list):
            if _is_message_list(item):
                yield item, tuple(_outward(around)), key
            else:
                stack.extend((child, around, key) for child in reversed(item))


def _outward(around: tuple | None):
    while around is not None:
        holder, around = around
        yield holder


def _is_message_list(items: list) -> bool:
    if not items or not all(isinstance(item, dict) for item in items):
        return False
    messages = [item for item in items if _is_message(item)]
    return 2 * len(messages) >= len(items) and any(_role(item).lower() not in ("system", "developer") for item in messages)


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


def _turn(message: dict, line: int, around: tuple[dict, ...], side_model: str = "") -> Turn:
    said = _role(message)
    role = said.lower()
    text = next((content_text(message[key]) for key in _TEXT_KEYS if isinstance(message.get(key), (str, list))), "")
    when = next((found for key in _TIME_KEYS if (found := timestamp(message.get(key))) is not None), None)
    if role in _PEOPLE:
        return Turn(ROLE_NAMES["user"], text, line, when)
    if role in _ASSISTANTS:
        model = (text_of(message.get("model")) or text_of(message.get("model_id")) or side_model
                 or _nearest(around, "model", text_of))
        return Turn((model_name(model) if model else "") or ROLE_NAMES["assistant"], text, line, when)
    if role in ("system", "developer"):
        return Turn(ROLE_NAMES[role], text, line, when, "context")
    if role in ("tool", "function"):
        return Turn(text_of(message.get("name")) or "tool", text, line, when, "tool_result")
    return Turn(said, text, line, when)


def _nearest(around: tuple[dict, ...], key: str, read_value) -> Any:
    return next((found for holder in around if (found := read_value(holder.get(key)))), None)


def _nearest_title(around: tuple[dict, ...]) -> str:
    for holder in around:
        for key in _TITLE_KEYS:
            title = text_of(holder.get(key))
            if title.strip():
                return opening_title(title, _TITLE_CHARS)
    return ""


def _nearest_start(around: tuple[dict, ...]):
    for holder in around:
        for key in _START_KEYS:
            found = timestamp(dict_of(holder).get(key))
            if found is not None:
                return found
    return None
