"""Chats as VS Code's "Chat: Export Chat…" saves them (GitHub Copilot's, or any chat participant's),
and as VS Code keeps them (``workspaceStorage/<id>/chatSessions/<session>.json``).

``{"requesterUsername", "responderUsername": "GitHub Copilot", "requests": [...]}``: each request is
what the user asked (``message.text``, a plain string in older exports), when (``timestamp``, in
milliseconds) and with which model (``modelId``), then the answer as a list of parts: its Markdown
in pieces (``{"value": …}``), a file it names (``inlineReference``: its name as code), what it thought
(``thinking``), each tool it ran (``toolInvocationSerialized``: what the tool said it did) and each
file it edited (``textEditGroup``: the text it wrote). Parts that only steer the editor (where a code
block's file is, undo stops, progress) are left out; a request cancelled, or one that failed, leaves
a note.

The user speaks by their GitHub name (``requesterUsername``); an answer speaks as the model that wrote
it ('copilot/claude-sonnet-4' as Claude Sonnet 4), the chat participant ('GitHub Copilot') its label,
and as the participant where no model is named (or only 'auto', Copilot choosing one).
"""

from __future__ import annotations

from generator.diagnostics import note
from generator.readers.common import Turn, conversation, fenced, request_title
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp
from generator.readers.runs import model_name

NAME = "vscode-chat"
ONE_CONVERSATION = False
_STEERING = {"codeblockUri", "undoStop", "prepareToolInvocation", "progressMessage", "progressTaskSerialized",
             "textEdit", "notebookEditGroup", "command", "markdownVuln", "elicitationSerialized", "warning"}


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    return (not lines and isinstance(value, dict) and isinstance(value.get("requests"), list)
            and isinstance(value.get("responderUsername"), str))


def read(records, source, display):
    found, notes = [], []
    for record in records:
        shape = Shape(record, display)
        chat = shape.object(record.value, record.path)
        participant = text_of(chat.get("responderUsername")).strip() or "Assistant"
        user = text_of(chat.get("requesterUsername")).strip() or "User"
        turns: list[Turn] = []
        models: list[str] = []
        for _, request in shape.objects(chat.get("requests"), f"{record.path}.requests"):
            model = _model(request)
            for turn in _request(request, user, model or participant, record.line):
                if model and turn.speaker == model:
                    turn.label = participant  # the model speaks; the participant is its part
                turns.append(turn)
            if model and model not in models:
                models.append(model)
        if not turns:  # a chat opened and never used: VS Code keeps a file for it too
            notes.append(note(display, record.line, "an empty chat (no request in it); skipped"))
            continue
        metadata = {"Source format": "VS Code chat"}
        if text_of(chat.get("sessionId")):
            metadata["Session"] = text_of(chat.get("sessionId"))
        if models:
            metadata["Model"] = ", ".join(models)
        title = text_of(chat.get("customTitle")).strip() or request_title(
            turn.text for turn in turns if turn.speaker == user and turn.kind == "message")
        found.append(conversation(source, turns, title=title, started=timestamp(chat.get("creationDate")),
                                  metadata=metadata))
    return found, notes


def _model(request: dict) -> str:
    """The name of the model that answered the request ('' when it names none)."""
    model = text_of(request.get("modelId")).strip()
    return model_name(model) if model and model.rsplit("/", 1)[-1].lower() != "auto" else ""


def _request(request: dict, user: str, responder: str, line: int) -> list[Turn]:
    when = timestamp(request.get("timestamp"))
    message = request.get("message")
    asked = message if isinstance(message, str) else text_of(dict_of(message).get("text"))
    turns = [Turn(user, asked, line, when)] if asked.strip() else []
    words = ""
    for part in map(dict_of, list_of(request.get("response"))):
        kind = text_of(part.get("kind"))
        if not kind or kind in ("markdownContent", "inlineReference"):
            words += _words(part)
            continue
        other = _other_part(part, kind, responder, line, when)
        if other is not None:
            turns += _said(responder, words, line, when) + [other]
            words = ""
    turns += _said(responder, words, line, when)
    error = text_of(dict_of(dict_of(request.get("result")).get("errorDetails")).get("message"))
    if error.strip():
        turns.append(Turn(responder, error, line, when, kind="note"))
    elif request.get("isCanceled") is True:
        turns.append(Turn(responder, "Cancelled", line, when, kind="note"))
    return turns


def _words(part: dict) -> str:
    """A piece of the answer's Markdown, or the name of a file it refers to, as code."""
    if "inlineReference" in part:
        reference = dict_of(part.get("inlineReference"))
        path = _path(reference) or text_of(reference.get("name"))
        name = text_of(part.get("name")) or path.rsplit("/", 1)[-1]
        return f"`{name}`" if name.strip() and "`" not in name else name
    content = part.get("content") if "content" in part else part.get("value")
    return text_of(content) if isinstance(content, str) else text_of(dict_of(content).get("value"))


def _other_part(part: dict, kind: str, responder: str, line: int, when) -> Turn | None:
    if kind == "thinking":
        value = part.get("value")
        text = "\n\n".join(text_of(piece) for piece in value) if isinstance(value, list) else text_of(value)
        return Turn(responder, text, line, when, kind="thinking") if text.strip() else None
    if kind == "toolInvocationSerialized":
        said = _message(part.get("pastTenseMessage")) or _message(part.get("invocationMessage"))
        tool = text_of(part.get("toolId"))
        text = "\n\n".join(piece for piece in (f"**{tool}**" if tool.strip() else "", said) if piece.strip())
        return Turn(responder, text, line, when, kind="tool_call") if text else None
    if kind == "textEditGroup":
        path = _path(dict_of(part.get("uri")))
        written = "\n".join(text_of(dict_of(edit).get("text")) for group in list_of(part.get("edits"))
                            for edit in list_of(group))
        text = f"Edited `{path}`" + ("\n\n" + fenced(written) if written.strip() else "")
        return Turn(responder, text, line, when, kind="tool_call") if path else None
    if kind == "confirmation":
        text = "\n\n".join(piece for piece in (text_of(part.get("title")), _message(part.get("message"))) if piece.strip())
        return Turn(responder, text, line, when, kind="note") if text else None
    if kind in _STEERING:
        return None
    words = _words(part)
    return Turn(responder, words, line, when) if words.strip() else None


def _message(value) -> str:
    return text_of(value) if isinstance(value, str) else text_of(dict_of(value).get("value"))


def _path(uri: dict) -> str:
    """The path a URI, or a location ({"uri", "range"}), points at (followed in a loop: JSON nests deep)."""
    while "uri" in uri:
        uri = dict_of(uri.get("uri"))
    return text_of(uri.get("fsPath")) or text_of(uri.get("path"))


def _said(responder: str, words: str, line: int, when) -> list[Turn]:
    return [Turn(responder, words.strip("\n"), line, when)] if words.strip() else []
