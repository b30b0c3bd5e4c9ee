"""AI-to-AI runner JSON and plain message lists.

- ``{"model", "conversations": [{"seed_prompt", "full_conversation": [{"speaker", "content"}]}]}``
- a bare list (JSON array or JSON Lines) of ``{role|speaker, content[, timestamp]}``: one conversation
- rounds as lists of lists: ``[[{role, model, content, started_at}], …]``
"""

from __future__ import annotations

from generator.readers.common import Turn, conversation
from generator.readers.jsondoc import Record, Shape, content_text, timestamp

NAME = "runner"


def _is_turn(value) -> bool:
    return isinstance(value, dict) and ("speaker" in value or "role" in value) and "content" in value


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if isinstance(value, dict) and isinstance(value.get("conversations"), list):
        items = value["conversations"]
        return bool(items) and isinstance(items[0], dict) and "full_conversation" in items[0]
    if _is_turn(value):
        return True
    return isinstance(value, list) and bool(value) and all(_is_turn(v) for v in value)


def read(records, source, display):
    records = list(records)
    first = records[0]
    if isinstance(first.value, dict) and "conversations" in first.value:
        return _runs(Shape(first, display), first, source), []
    turns = []
    for record in records:
        shape = Shape(record, display)
        items = record.value if isinstance(record.value, list) else [record.value]
        for index, item in enumerate(items):
            turns.append(_turn(shape, shape.object(item, f"{record.path}[{index}]"), record.line, None))
    return [conversation(source, turns, metadata={"Source format": "message list"})], []


def _runs(shape: Shape, record: Record, source):
    document = record.value
    model = document.get("model") if isinstance(document.get("model"), str) else None
    found = []
    for index, raw in enumerate(shape.array(document["conversations"], "$.conversations")):
        item = shape.object(raw, f"$.conversations[{index}]")
        turns = [_turn(shape, shape.object(t, f"$.conversations[{index}].full_conversation[{n}]"), record.line, model)
                 for n, t in enumerate(shape.array(item.get("full_conversation"),
                                                   f"$.conversations[{index}].full_conversation"))]
        metadata = {"Source format": "AI-to-AI runner"}
        if model:
            metadata["Model"] = model
        if isinstance(item.get("seed_prompt"), str):
            metadata["Seed prompt"] = " ".join(item["seed_prompt"].split())[:300]
        found.append(conversation(source, turns, started=timestamp(document.get("generated_at")), metadata=metadata))
    return found


def _turn(shape: Shape, item: dict, line: int, model: str | None) -> Turn:
    speaker = item.get("speaker") or item.get("model") or item.get("name") or item.get("role") or "unknown"
    if model and speaker in ("A", "B"):
        speaker = f"{model} ({speaker})"
    when = timestamp(item.get("timestamp") or item.get("started_at") or item.get("time"))
    return Turn(str(speaker), content_text(item.get("content")), line, when)
