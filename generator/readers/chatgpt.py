"""ChatGPT export (``conversations.json``): a list of conversations, each a tree of message nodes.

The shown branch is the path from ``current_node`` up through ``parent`` to the
root; other children are edits and regenerations, kept as folded other versions
(readers/tree.py). Hidden and empty system
messages are skipped; ``metadata.model_slug`` names the assistant's model.
Custom instructions and memory, which real exports hold as messages, are
folded context; what the browsing tool read is a tool result.
Parent links that loop are an error naming the node; fields of an unexpected
type are read as missing.
"""

from __future__ import annotations

import re

from generator.readers.common import PROMPT_ROLES, ROLE_NAMES, Turn, conversation, fenced, version_turn
from generator.readers.jsondoc import Record, Shape, content_text, dict_of, list_of, text_of, timestamp
from generator.readers.runs import model_name
from generator.readers.tree import with_versions

NAME = "chatgpt"
ONE_CONVERSATION = False  # a file may hold many conversations

# Slugs that name no model: ChatGPT choosing one itself, and its deep research.
_NO_MODEL = {"auto", "research"}


def claims(first: Record, lines: bool) -> bool:
    return not lines and isinstance(first.value, dict) and "mapping" in first.value


def read(records, source, display):
    found, problems = [], []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        mapping = shape.object(item.get("mapping"), f"{record.path}.mapping")
        turns = [t for t in _branch(shape, record.path, item, mapping) if t is not None]
        found.append(conversation(source, turns, title=text_of(item.get("title")),
                                  started=timestamp(item.get("create_time")),
                                  ended=timestamp(item.get("update_time")),
                                  metadata=_metadata(item)))
    return found, problems


def _metadata(item: dict) -> dict[str, str]:
    metadata = {"Source format": "ChatGPT export"}
    if text_of(item.get("default_model_slug")):
        metadata["Model"] = item["default_model_slug"]
    identity = text_of(item.get("conversation_id")) or text_of(item.get("id"))
    if identity:
        metadata["Conversation id"] = identity
    return metadata


def _branch(shape: Shape, path: str, item: dict, mapping: dict):
    """The branch shown (from ``current_node`` up to the root), each message followed by its other versions."""
    node_id = item.get("current_node")
    if not isinstance(node_id, str) or node_id not in mapping:  # no pointer: follow the first child from the root
        node_id = _first_leaf(shape, path, mapping)
    chain, seen = [], set()
    while isinstance(node_id, str) and node_id in mapping:
        if node_id in seen:
            shape.fail(f"{path}.mapping", f"the parent links loop at node {node_id!r}")
        seen.add(node_id)
        chain.append(node_id)
        node_id = dict_of(mapping[node_id]).get("parent")
    chain.reverse()
    turns = []
    for is_version, nodes in with_versions(_children(mapping), chain):
        node_turns = [_turn(shape, dict_of(mapping[node])) for node in nodes]
        if is_version:
            turns.append(version_turn([t for t in node_turns if t is not None]))
        else:
            turns += node_turns
    return turns


def _children(mapping: dict) -> dict:
    """Each node's children (from the nodes' own lists, and their parent links), None for the roots."""
    children: dict = {}
    for key, node in mapping.items():
        node = dict_of(node)
        parent = node.get("parent")
        children.setdefault(parent if isinstance(parent, str) and parent in mapping else None, []).append(key)
    for key, node in mapping.items():
        listed = [c for c in list_of(dict_of(node).get("children")) if isinstance(c, str) and c in mapping]
        if listed:  # the export's own order (oldest first), then any it did not list
            known = children.get(key, [])
            children[key] = list(dict.fromkeys([c for c in listed if c in known] + known))
    return children


def _first_leaf(shape: Shape, path: str, mapping: dict) -> str | None:
    roots = [key for key, node in mapping.items() if not dict_of(node).get("parent")]
    node_id = roots[0] if roots else None
    seen = set()
    while node_id is not None:
        if node_id in seen:
            shape.fail(f"{path}.mapping", f"the child links loop at node {node_id!r}")
        seen.add(node_id)
        children = [c for c in list_of(dict_of(mapping.get(node_id)).get("children")) if isinstance(c, str)
                    and c in mapping]
        if not children:
            break
        node_id = children[0]
    return node_id


def _turn(shape: Shape, node: dict) -> Turn | None:
    message = node.get("message")
    if not isinstance(message, dict):
        return None
    author = dict_of(message.get("author"))
    role = text_of(author.get("role"), "unknown")
    metadata = dict_of(message.get("metadata"))
    content = dict_of(message.get("content"))
    kind = text_of(content.get("content_type"), "text")
    when = timestamp(message.get("create_time"))
    if kind in _SETTINGS:  # what the user told ChatGPT to keep in mind, and what it remembers of them
        text = _joined(content.get(field) for field in _SETTINGS[kind][1])
        return Turn(_SETTINGS[kind][0], text, shape.record.line, when, "context") if text.strip() else None
    text = _text(kind, content)
    if role == "system" and (metadata.get("is_visually_hidden_from_conversation") or not text.strip()):
        return None
    if not text.strip() and role in ("system", "tool"):
        return None
    name = text_of(author.get("name"))
    if role == "assistant":
        slug = text_of(metadata.get("model_slug"))
        speaker = (model_name(slug) if slug not in _NO_MODEL else "") or name or "ChatGPT"
    elif role == "tool":
        speaker = name or "tool"
    else:
        speaker = name or ROLE_NAMES.get(role, role)
    recipient = message.get("recipient")
    sort = "thinking" if kind in ("thoughts", "reasoning_recap") else (
        "tool_result" if role == "tool" else "tool_call" if recipient not in (None, "all") else
        "context" if role in PROMPT_ROLES else "message")
    return Turn(speaker, text, shape.record.line, when, sort)


# Messages that hold settings rather than speech: who they are shown as, and their text fields.
_SETTINGS = {"user_editable_context": ("Custom instructions", ("user_profile", "user_instructions")),
             "model_editable_context": ("Memory", ("model_set_context", "repo_summary"))}
_AUTOLINK = re.compile(r"https?://[^\s<>]+")  # a page's address, written so that it is a link
# Parts that are files: the export holds a pointer to the file, not the file.
_ATTACHMENTS = {"image_asset_pointer": "*[image]*", "audio_asset_pointer": "*[audio]*",
                "real_time_user_audio_video_asset_pointer": "*[audio and video]*"}


def _text(kind: str, content: dict) -> str:
    """A message's text, by the kind of content the export says it holds."""
    if kind == "code":  # ChatGPT writes 'unknown' for a language it did not name
        language = text_of(content.get("language"))
        return fenced(text_of(content.get("text")), "" if language == "unknown" else language)
    if kind in ("thoughts", "reasoning_recap"):
        thoughts = [text_of(dict_of(t).get("content")) for t in list_of(content.get("thoughts"))]
        return content_text(thoughts or content.get("content"))
    if kind == "tether_browsing_display":  # what a search or a page gave the browsing tool
        return _joined((content.get("result"), content.get("summary")))
    if kind in ("tether_quote", "sonic_webpage"):  # a passage quoted from a page, or a page read; and the page
        url = text_of(content.get("url"))
        where = " ".join(part for part in (text_of(content.get("title")) or text_of(content.get("domain")),
                                           f"<{url}>" if _AUTOLINK.fullmatch(url) else url) if part)
        return _joined((content.get("text") or content.get("snippet"), f"— {where}" if where else ""))
    if kind == "citable_code_output":  # what code the model ran printed
        return fenced(text_of(content.get("output_str")))
    if kind == "computer_output":  # what the agent's computer showed: a screenshot the export points to
        return "*[screenshot]*" if content.get("screenshot") else ""
    if kind == "system_error":
        return _joined((f"**{text_of(content.get('name'))}**" if text_of(content.get("name")) else "",
                        content.get("text")))
    if "parts" in content:
        return content_text([_ATTACHMENTS.get(text_of(dict_of(part).get("content_type")), part)
                             for part in list_of(content.get("parts"))])
    return content_text(content.get("text"))


def _joined(texts) -> str:
    return "\n\n".join(text for text in map(text_of, texts) if text.strip())
