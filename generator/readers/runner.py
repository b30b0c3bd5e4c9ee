"""AI-to-AI runner JSON and plain message lists.

- ``{"model" | "model_a", "model_b", "generated_at" | "saved_at", "revision", "variant", "turns",
  "conversations": [{"seed_prompt", "full_conversation": [{"speaker", "content"[, "model"]}]}]}``
- a bare list (JSON array or JSON Lines) of ``{role|speaker, content[, timestamp]}``: one conversation
- rounds as lists of lists: ``[[{role, model, content, started_at}], …]``

Runs label seats (``A``/``B``, ``user``/``assistant``); the models in them name the
speakers, with the seat beside the name where both sides are the same model
(``gpt-5.2 (A)``, ``GPT-5.2 (B)``). The seed prompt opens the conversation as its
context, not as a speaker.
"""

from __future__ import annotations

from generator.readers.common import Turn, conversation
from generator.readers.jsondoc import Record, Shape, content_text, text_of, timestamp
from generator.readers.runs import model_name

NAME = "runner"
ONE_CONVERSATION = False  # a file may hold many conversations
SEED_SPEAKER = "Seed prompt"
# File-level fields kept as metadata, as the page shows them.
_KEPT = {"revision": "Revision", "variant": "Variant", "turns": "Turns", "max_new_tokens": "Max new tokens"}


def _is_turn(value) -> bool:
    return isinstance(value, dict) and ("speaker" in value or "role" in value) and "content" in value


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if isinstance(value, dict) and isinstance(value.get("conversations"), list):
        items = value["conversations"]
        return not items or (isinstance(items[0], dict) and "full_conversation" in items[0])
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
            turns.append(_turn(shape.object(item, f"{record.path}[{index}]"), record.line, {}))
    return [conversation(source, turns, metadata={"Source format": "message list"})], []


def _runs(shape: Shape, record: Record, source):
    document = record.value
    started = timestamp(document.get("generated_at")) or timestamp(document.get("saved_at"))
    found = []
    for index, (where, item) in enumerate(shape.objects(document["conversations"], "$.conversations")):
        seats = _seats(document, item)
        turns = [_turn(turn, record.line, seats)
                 for _, turn in shape.objects(item.get("full_conversation"), f"{where}.full_conversation")]
        metadata = {"Source format": "AI-to-AI runner", **_models(document, item)}
        for key, label in _KEPT.items():
            value = item.get(key, document.get(key))
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                metadata[label] = str(value)
        seed = text_of(item.get("seed_prompt"))
        if seed.strip():
            metadata["Seed prompt"] = " ".join(seed.split())
            turns.insert(0, Turn(SEED_SPEAKER, seed, record.line, None, "context"))
        if len(document["conversations"]) > 1:
            metadata["Run"] = f"{index + 1} of {len(document['conversations'])}"
        found.append(conversation(source, turns, started=started, metadata=metadata))
    return found


def _models(document: dict, item: dict) -> dict[str, str]:
    a = text_of(item.get("model_a")) or text_of(document.get("model_a"))
    b = text_of(item.get("model_b")) or text_of(document.get("model_b"))
    model = text_of(item.get("model")) or text_of(document.get("model"))
    models = [m for m in (a, b) if m] or ([model] if model else [])
    return {"Models": ", ".join(models)} if models else {}


def _seats(document: dict, item: dict) -> dict[str, str]:
    """Seat label -> the speaker's name: 'A' -> 'GPT-5.2 (A)' (one model), 'Claude Sonnet 4.5' (two)."""
    a = text_of(item.get("model_a")) or text_of(document.get("model_a"))
    b = text_of(item.get("model_b")) or text_of(document.get("model_b"))
    model = text_of(item.get("model")) or text_of(document.get("model"))
    if a and b and model_name(a) != model_name(b):
        return {"A": model_name(a), "B": model_name(b)}
    one = a or b or model
    if not one:
        return {}
    name = model_name(one)
    return {seat: f"{name} ({seat})" for seat in ("A", "B", "user", "assistant")}


def _turn(item: dict, line: int, seats: dict[str, str]) -> Turn:
    label = (text_of(item.get("speaker")) or text_of(item.get("model")) or text_of(item.get("name"))
             or text_of(item.get("role")) or "unknown")
    speaker = seats.get(label, label)
    if label in ("A", "B") and text_of(item.get("model")) and not seats:
        speaker = model_name(item["model"])
    when = timestamp(item.get("timestamp") or item.get("started_at") or item.get("time"))
    return Turn(speaker, content_text(item.get("content")), line, when, "message", label if speaker != label else "")
