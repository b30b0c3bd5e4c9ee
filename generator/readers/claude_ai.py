"""Claude.ai export (``conversations.json``): a list of conversations with ``chat_messages``."""

from __future__ import annotations

from generator.readers.common import Turn, block_turns, conversation
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp

NAME = "claude.ai"
SPEAKERS = {"human": "Human", "assistant": "Claude"}


def claims(first: Record, lines: bool) -> bool:
    return not lines and isinstance(first.value, dict) and "chat_messages" in first.value


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        chat = shape.array(item.get("chat_messages"), f"{record.path}.chat_messages")
        turns = []
        for index, raw in enumerate(chat):
            turns += _turns(shape, shape.object(raw, f"{record.path}.chat_messages[{index}]"))
        metadata = {"Source format": "Claude.ai export"}
        if text_of(item.get("uuid")):
            metadata["Conversation id"] = item["uuid"]
        found.append(conversation(source, turns, title=text_of(item.get("name")),
                                  started=timestamp(item.get("created_at")), ended=timestamp(item.get("updated_at")),
                                  metadata=metadata))
    return found, []


def _turns(shape: Shape, message: dict) -> list[Turn]:
    sender = text_of(message.get("sender"), "unknown")
    speaker = SPEAKERS.get(sender, sender)
    when = timestamp(message.get("created_at"))
    line = shape.record.line
    blocks = message.get("content")
    if isinstance(blocks, list) and blocks:
        turns = block_turns(blocks, speaker, line, when)
    else:
        turns = [Turn(speaker, text_of(message.get("text")), line, when)]
    names = [a["file_name"] for a in list_of(message.get("attachments")) + list_of(message.get("files"))
             if text_of(dict_of(a).get("file_name"))]
    if names and turns:
        turns[0].text += "\n\n" + "Attachments: " + ", ".join(f"`{name}`" for name in names)
    elif names:
        turns.append(Turn(speaker, "Attachments: " + ", ".join(f"`{name}`" for name in names), line, when))
    # Text-only exports repeat the text in `text` and in one text block: keep one.
    merged: list[Turn] = []
    for turn in turns:
        if merged and merged[-1].kind == turn.kind == "message":
            merged[-1].text += "\n\n" + turn.text
        else:
            merged.append(turn)
    return merged
