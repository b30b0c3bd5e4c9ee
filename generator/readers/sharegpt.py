"""ShareGPT: ``{"conversations": [{"from": …, "value": …}]}``, as a JSON list or JSON Lines."""

from __future__ import annotations

from generator.readers.common import conversation, thought_apart
from generator.readers.jsondoc import Record, Shape

NAME = "sharegpt"
ONE_CONVERSATION = False  # a file may hold many conversations
SPEAKERS = {"human": "Human", "user": "Human", "gpt": "Assistant", "chatgpt": "Assistant", "bing": "Assistant",
            "bard": "Assistant", "system": "System"}
KINDS = {"function_call": "tool_call", "observation": "tool_result", "tool": "tool_result", "system": "context"}


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    items = value.get("conversations") if isinstance(value, dict) else None
    return isinstance(items, list) and bool(items) and isinstance(items[0], dict) and "from" in items[0]


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        turns = []
        for where, entry in shape.objects(item.get("conversations"), f"{record.path}.conversations"):
            role = shape.text(entry.get("from"), f"{where}.from", "unknown")
            text = shape.text(entry.get("value"), f"{where}.value")
            turns += thought_apart(SPEAKERS.get(role.lower(), role), text, record.line, None, KINDS.get(role, "message"))
        metadata = {"Source format": "ShareGPT"}
        if isinstance(item.get("id"), (str, int)) and not isinstance(item.get("id"), bool):
            metadata["Conversation id"] = str(item["id"])
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        found.append(conversation(source, turns, title=title, metadata=metadata))
    return found, []
