"""ChatGPT export (``conversations.json``): a list of conversations, each a tree of message nodes.

The shown branch is the path from ``current_node`` up through ``parent`` to the
root; other children are edits and regenerations. Hidden and empty system
messages are skipped; ``metadata.model_slug`` names the assistant's model.
"""

from __future__ import annotations

from generator.readers.common import Turn, conversation, fenced
from generator.readers.jsondoc import Record, Shape, content_text, timestamp

NAME = "chatgpt"


def claims(first: Record, lines: bool) -> bool:
    return not lines and isinstance(first.value, dict) and "mapping" in first.value


def read(records, source, display):
    found, problems = [], []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        mapping = shape.object(item.get("mapping"), f"{record.path}.mapping")
        turns = [t for t in _branch(shape, record.path, item, mapping) if t is not None]
        found.append(conversation(source, turns, title=shape.text(item.get("title"), f"{record.path}.title"),
                                  started=timestamp(item.get("create_time")),
                                  ended=timestamp(item.get("update_time")),
                                  metadata=_metadata(item)))
    return found, problems


def _metadata(item: dict) -> dict[str, str]:
    metadata = {"Source format": "ChatGPT export"}
    if isinstance(item.get("default_model_slug"), str):
        metadata["Model"] = item["default_model_slug"]
    if isinstance(item.get("conversation_id") or item.get("id"), str):
        metadata["Conversation id"] = item.get("conversation_id") or item.get("id")
    return metadata


def _branch(shape: Shape, path: str, item: dict, mapping: dict):
    node_id = item.get("current_node")
    if node_id is None:  # no pointer: follow the first child from the root
        roots = [key for key, node in mapping.items() if isinstance(node, dict) and not node.get("parent")]
        node_id = roots[0] if roots else None
        while node_id is not None and mapping.get(node_id, {}).get("children"):
            node_id = mapping[node_id]["children"][0]
    chain, seen = [], set()
    while node_id is not None:
        if node_id in seen:
            shape.fail(f"{path}.mapping", f"the parent links loop at node {node_id!r}")
        seen.add(node_id)
        node = shape.object(mapping.get(node_id), f"{path}.mapping[{node_id!r}]")
        chain.append(node)
        node_id = node.get("parent")
    return [_turn(shape, f"{path}.mapping", node) for node in reversed(chain)]


def _turn(shape: Shape, path: str, node: dict) -> Turn | None:
    message = node.get("message")
    if not isinstance(message, dict):
        return None
    author = message.get("author") or {}
    role = author.get("role", "unknown")
    metadata = message.get("metadata") or {}
    content = message.get("content") or {}
    kind = content.get("content_type", "text")
    if kind == "code":
        text = fenced(str(content.get("text", "")), str(content.get("language") or ""))
    elif kind in ("thoughts", "reasoning_recap"):
        text = content_text(content.get("thoughts") and [t.get("content", "") for t in content["thoughts"]]
                            or content.get("content"))
    else:
        text = content_text(content.get("parts") if "parts" in content else content.get("text"))
    if role == "system" and (metadata.get("is_visually_hidden_from_conversation") or not text.strip()):
        return None
    if not text.strip() and role in ("system", "tool"):
        return None
    if role == "assistant":
        speaker = metadata.get("model_slug") or author.get("name") or "ChatGPT"
    elif role == "tool":
        speaker = author.get("name") or "tool"
    else:
        speaker = author.get("name") or role
    sort = "thinking" if kind in ("thoughts", "reasoning_recap") else (
        "tool_result" if role == "tool" else "tool_call" if message.get("recipient") not in (None, "all") else "message")
    return Turn(speaker, text, shape.record.line, timestamp(message.get("create_time")), sort)
