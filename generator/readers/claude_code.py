"""Claude Code session JSONL: one record per line; user and assistant records carry the conversation.

Text becomes messages; ``thinking`` blocks, ``tool_use`` calls and ``tool_result``
outputs become their own kinds, shown as collapsible blocks. Side chains (sub-agent
runs) are kept, labelled. Bookkeeping records are skipped.
"""

from __future__ import annotations

from generator.readers.common import Turn, block_turns, conversation
from generator.readers.jsondoc import Record, Shape, dict_of, text_of, timestamp

NAME = "claude-code"
_SKIPPED = {"summary", "file-history-snapshot", "queue-operation", "system"}


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    return lines and isinstance(value, dict) and isinstance(value.get("type"), str) and (
        "sessionId" in value or "leafUuid" in value or "parentUuid" in value or "uuid" in value)


def read(records, source, display):
    turns, metadata, title = [], {"Source format": "Claude Code session"}, ""
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        kind = item.get("type")
        if kind == "summary" and isinstance(item.get("summary"), str) and not title:
            title = item["summary"]
        if kind not in ("user", "assistant"):
            continue
        for key, label in (("sessionId", "Session"), ("cwd", "Folder"), ("gitBranch", "Git branch"),
                           ("version", "Claude Code version")):
            if isinstance(item.get(key), str) and item[key]:
                metadata.setdefault(label, item[key])
        message = shape.object(item.get("message"), f"line {record.line}: message")
        turns += _turns(item, message, record.line)
    if not title:
        first_user = next((t.text for t in turns if t.speaker == "User" and t.kind == "message"), "")
        title = " ".join(first_user.split())[:80]
    return [conversation(source, turns, title=title, metadata=metadata)], []


def _turns(item: dict, message: dict, line: int) -> list[Turn]:
    role = text_of(message.get("role"), item.get("type"))
    speaker = (text_of(message.get("model")) or "Claude") if role == "assistant" else "User"
    if item.get("isSidechain"):
        speaker += " (side chain)"
    when = timestamp(item.get("timestamp"))
    content = message.get("content")
    if isinstance(content, str):
        return [Turn(speaker, content, line, when)]
    return block_turns(content if isinstance(content, list) else [], speaker, line, when, result_speaker="Tool")
