"""Claude.ai export (``conversations.json``): a list of conversations with ``chat_messages``.

Where messages name their parent (``parent_message_uuid``), the branch shown is the one that ends
at ``current_leaf_message_uuid`` (or the last message); edits and retries are kept as folded other
versions (readers/tree.py). The text of attached files, and of text pasted at length, is kept as
folded context before its message.
"""

from __future__ import annotations

from generator.readers.common import (Turn, block_turns, call_text, code_span, conversation, diff, fenced,
                                      merge_consecutive, version_turn)
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp
from generator.readers.tree import with_versions

NAME = "claude.ai"
ONE_CONVERSATION = False  # a file may hold many conversations
SPEAKERS = {"human": "Human", "assistant": "Claude"}


def claims(first: Record, lines: bool) -> bool:
    return not lines and isinstance(first.value, dict) and "chat_messages" in first.value


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        messages = [message for _, message in shape.objects(item.get("chat_messages"), f"{record.path}.chat_messages")]
        turns = []
        for is_version, group in _branches(item, messages):
            group_turns = [turn for message in group for turn in _turns(shape, message)]
            if is_version:
                version = version_turn(group_turns)
                turns += [version] if version else []
            else:
                turns += group_turns
        metadata = {"Source format": "Claude.ai export"}
        if text_of(item.get("uuid")):
            metadata["Conversation id"] = item["uuid"]
        found.append(conversation(source, turns, title=text_of(item.get("name")),
                                  started=timestamp(item.get("created_at")), ended=timestamp(item.get("updated_at")),
                                  metadata=metadata))
    return found, []


def _branches(item: dict, messages: list[dict]) -> list[tuple[bool, list[dict]]]:
    """The messages as shown: the branch that ends at the current leaf (or the last message), each
    message followed by its other versions. Without parent links, every message in order."""
    by_id = {text_of(m.get("uuid")): m for m in messages if text_of(m.get("uuid"))}
    if not any(text_of(m.get("parent_message_uuid")) in by_id for m in messages):
        return [(False, messages)]
    children: dict = {}
    for message in messages:
        parent = text_of(message.get("parent_message_uuid"))
        children.setdefault(parent if parent in by_id else None, []).append(text_of(message.get("uuid")))
    leaf = text_of(item.get("current_leaf_message_uuid"))
    node = leaf if leaf in by_id else text_of(messages[-1].get("uuid"))
    main, seen = [], set()
    while node in by_id and node not in seen:  # a loop ends the walk rather than the read
        seen.add(node)
        main.append(node)
        node = text_of(by_id[node].get("parent_message_uuid"))
    main.reverse()
    blocks = [(is_version, [by_id[n] for n in nodes if n in by_id]) for is_version, nodes in with_versions(children, main)]
    placed = {id(message) for _, group in blocks for message in group}
    unplaced = [m for m in messages if id(m) not in placed]  # no id, or a loop that leads nowhere shown
    return blocks + ([(True, unplaced)] if unplaced else [])


def _turns(shape: Shape, message: dict) -> list[Turn]:
    sender = text_of(message.get("sender"), "unknown")
    speaker = SPEAKERS.get(sender, sender)
    when = timestamp(message.get("created_at"))
    line = shape.record.line
    blocks = message.get("content")
    if isinstance(blocks, list) and blocks:
        turns = block_turns(blocks, speaker, line, when, describe=tool_text)
    else:
        turns = [Turn(speaker, text_of(message.get("text")), line, when)]
    attached = [dict_of(a) for a in list_of(message.get("attachments")) + list_of(message.get("files"))]
    # A file's text, or text pasted at length (which Claude.ai makes an attachment with no name), is
    # in the export: it is shown, folded, before the message it came with. Other files are named.
    read = [Turn(speaker, _attachment_text(a), line, when, "context") for a in attached if _content_of(a)]
    names = [text_of(a.get("file_name")) for a in attached if text_of(a.get("file_name")) and not _content_of(a)]
    if names and turns:
        turns[0].text += "\n\n" + "Attachments: " + ", ".join(code_span(name) for name in names)
    elif names:
        turns.append(Turn(speaker, "Attachments: " + ", ".join(code_span(name) for name in names), line, when))
    # Text-only exports repeat the text in `text` and in one text block: keep one.
    return read + merge_consecutive(turns, lambda first, turn: first.kind == turn.kind == "message", "\n\n")


def _content_of(attachment: dict) -> str:
    content = text_of(attachment.get("extracted_content"))
    return content if content.strip() else ""


def _attachment_text(attachment: dict) -> str:
    name = text_of(attachment.get("file_name")).strip()
    return f"{code_span(name) if name else 'Pasted text'}\n\n{fenced(_content_of(attachment))}"


# An artifact's type -> the language its content is highlighted as (a code artifact names its own).
_ARTIFACT_LANGUAGES = {"text/html": "html", "text/markdown": "markdown", "image/svg+xml": "xml",
                       "application/vnd.ant.react": "jsx", "application/vnd.ant.mermaid": "mermaid"}
_SUBJECTS = {"web_search": "query", "web_fetch": "url", "view": "path"}


def tool_text(name: str, tool_input) -> str:
    """A Claude.ai tool call as what it does ("" for others: JSON): an artifact as its content in its
    language (an update as a diff), a file created as its text and a replacement as a diff, code run by
    the analysis tool or a command as code, a search as its query. What else the call was given is
    listed under its first line."""
    tool_input = dict_of(tool_input)
    head, body, shown = _tool_parts(name, tool_input)
    return call_text(head, body, shown, tool_input)


def _tool_parts(name: str, tool_input: dict) -> tuple[str, str, set[str]]:
    """A call's first line, what follows it (content, a diff, code), and the input's keys they show."""
    text = {key: value for key, value in tool_input.items() if isinstance(value, str)}
    if name == "artifacts" and ("content" in text or "new_str" in text):
        named = "title" if text.get("title") else "id"  # an update names the artifact by its id only
        command = text.get("command", "")
        head = (f"**Artifact**{' ' + code_span(text[named]) if text.get(named) else ''}"
                f"{' — ' + command if command else ''}")
        if "content" in text:
            language = text.get("language") or _ARTIFACT_LANGUAGES.get(text.get("type", ""), "")
            return head, fenced(text["content"], language), {named, "command", "content", "language"}
        return head, fenced(diff(text.get("old_str", ""), text["new_str"]), "diff"), {
            named, "command", "old_str", "new_str"}
    path = text.get("path", "")
    if name == "create_file" and path and "file_text" in text:
        return f"**create_file** {code_span(path)}", fenced(diff("", text["file_text"]), "diff"), {"path", "file_text"}
    if name == "str_replace" and path and "new_str" in text:
        return (f"**str_replace** {code_span(path)}", fenced(diff(text.get("old_str", ""), text["new_str"]), "diff"),
                {"path", "old_str", "new_str"})
    if name == "repl" and "code" in text:
        return "**repl**", fenced(text["code"], "javascript"), {"code"}
    if name == "bash_tool" and "command" in text:
        return "**bash_tool**", fenced("$ " + text["command"], "sh"), {"command"}
    subject = _SUBJECTS.get(name)
    if subject and text.get(subject, "").strip():
        return f"**{name}** {code_span(text[subject])}", "", {subject}
    return "", "", set()
