"""SillyTavern chats: JSON Lines, a header line and then one line per message.

    {"user_name": "You", "character_name": "Iris", "create_date": "…", "chat_metadata": {…}}
    {"name": "You", "is_user": true, "is_system": false, "send_date": "…", "mes": "Hello"}
    {"name": "Iris", "is_user": false, "send_date": "…", "mes": "Second", "swipes": ["First", "Second"],
     "swipe_id": 1, "extra": {"model": "…", "reasoning": "…"}}

The speaker is the message's ``name``. The swipe shown (``mes``) is the message; the other swipes
follow it as folded *other versions*, its ``extra.reasoning`` precedes it as *thinking*, and a
hidden system message (``is_system``) is a *note*. Dates are ISO 8601, Unix time, or what older
versions wrote (``July 23, 2023 5:52pm``, ``2023-7-23 @17h 52m 34s``).
"""

from __future__ import annotations

import re
from datetime import datetime

from generator.readers.common import Turn, conversation, thought_apart, version_turn
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp

NAME = "sillytavern"
ONE_CONVERSATION = True  # a file is one conversation, each line a record of it
_HEADER_KEYS = ("user_name", "character_name")
_OLD_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) ?@ ?(\d{1,2})h ?(\d{1,2})m ?(\d{1,2})s")


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if not lines or not isinstance(value, dict):
        return False
    return all(key in value for key in _HEADER_KEYS) or ("mes" in value and "is_user" in value)


def read(records, source, display):
    turns, metadata, title, started = [], {"Source format": "SillyTavern chat"}, "", None
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        if all(key in item for key in _HEADER_KEYS) and "mes" not in item:
            # A group chat's header names no one ("unused"): its title is then its speakers.
            character, user = (name if name != "unused" else "" for name in
                               (text_of(item.get("character_name")), text_of(item.get("user_name"))))
            started = when(item.get("create_date"))
            title = f"{character} · {started:%Y-%m-%d %H:%M}" if character and started else character
            if user:
                metadata["User"] = user
            continue
        turns += _turns(shape, item, record)
    return [conversation(source, turns, title=title, started=started, metadata=metadata)], []


def _turns(shape: Shape, item: dict, record: Record) -> list[Turn]:
    speaker = shape.text(item.get("name"), f"{record.path}.name", "") or ("User" if item.get("is_user") else "Character")
    text = shape.text(item.get("mes"), f"{record.path}.mes")
    sent = when(item.get("send_date"))
    extra = dict_of(item.get("extra"))
    if item.get("is_system") is True:
        return [Turn(speaker, text, record.line, sent, "note")]
    turns = []
    if text_of(extra.get("reasoning")).strip():
        turns.append(Turn(speaker, extra["reasoning"], record.line, sent, "thinking"))
    # A character's reply may open with the model's reasoning between <think> tags (when SillyTavern
    # was not set to take it apart into extra.reasoning); what the user typed is theirs as it is.
    turns += [Turn(speaker, text, record.line, sent)] if item.get("is_user") else \
        thought_apart(speaker, text, record.line, sent)
    swipes = [swipe for swipe in list_of(item.get("swipes")) if isinstance(swipe, str)]
    shown = item.get("swipe_id") if isinstance(item.get("swipe_id"), int) else None
    for index, swipe in enumerate(swipes):
        if index != shown and swipe != text and (version := version_turn([Turn(speaker, swipe, record.line, sent)])):
            turns.append(version)
    return turns


def when(value) -> datetime | None:
    """A SillyTavern date: ISO 8601 or Unix time (timestamp), or the forms older versions wrote."""
    found = timestamp(value)
    if found is not None or not isinstance(value, str) or len(value) > 64:
        return found
    old = _OLD_DATE.match(value.strip())
    try:
        if old:
            return datetime(*map(int, old.groups()))
        return datetime.strptime(" ".join(value.split()), "%B %d, %Y %I:%M%p")
    except ValueError:
        return None
