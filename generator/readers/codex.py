"""Codex CLI sessions: the rollout files Codex writes (``~/.codex/sessions/…/rollout-….jsonl``).

Each line is a record ``{"timestamp", "type", "payload"}``: ``session_meta`` (the session's id, folder
and Codex's version), ``turn_context`` (the model), ``response_item`` (what went to and came from the
model: a ``message``, ``reasoning``, a ``function_call`` or ``custom_tool_call`` and its output, a
``local_shell_call``, a ``web_search_call``), ``event_msg`` (the interface's copies of the same, and
token counts) and ``compacted`` (a summary that replaced the history). Older versions wrote the items
bare, one per line, after a first line with the session's id and ``{"record_type": "state"}`` markers.

The messages are the response items: the user's (what Codex put before them, the environment and
AGENTS.md instructions, folded as context), the model's answers under the model's name, its reasoning's
summary as thinking, its tool calls (a shell command as the command, a patch as the patch) and their
output. The interface's event copies are left out, but where a file holds no response items.
"""

from __future__ import annotations

import json

from generator.readers.common import Turn, code_span, conversation, fenced, request_title
from generator.readers.jsondoc import Record, content_text, dict_of, list_of, text_of, timestamp
from generator.readers.runs import model_name

NAME = "codex"
ONE_CONVERSATION = True  # a file is one session, each line a record of it
_ENVELOPES = {"session_meta", "turn_context", "response_item", "event_msg", "compacted"}
_ITEMS = {"message", "reasoning", "function_call", "function_call_output", "custom_tool_call",
          "custom_tool_call_output", "local_shell_call", "web_search_call"}
# What Codex sends before the user's words, as a user message of its own.
_INJECTED = ("<environment_context>", "<user_instructions>", "# AGENTS.md instructions", "<permissions", "<user_shell_command>")
_SHELLS = {"shell", "exec_command", "shell_command", "container.exec", "local_shell"}


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if not lines or not isinstance(value, dict):
        return False
    if text_of(value.get("type")) in _ENVELOPES and isinstance(value.get("payload"), dict):
        return True
    return value.get("record_type") == "state" or _old_header(value)  # an older version's lines


def _old_header(value: dict) -> bool:
    """An older version's first line: the session's id and start, with its instructions, folder or git."""
    return ({"id", "timestamp"} <= set(value) and "type" not in value and "record_type" not in value
            and any(key in value for key in ("instructions", "git", "cwd", "originator", "cli_version")))


def read(records, source, display):
    session, model, items, events = {}, "", [], []
    for record in records:
        value = record.value
        kind, payload = text_of(value.get("type")), dict_of(value.get("payload"))
        when = timestamp(value.get("timestamp"))
        if kind == "session_meta":
            session = session or payload
        elif kind == "turn_context":
            model = text_of(payload.get("model")) or model
        elif kind == "response_item":
            items.append((payload, when, record.line, model))
        elif kind == "compacted":
            items.append(({**payload, "type": "compacted"}, when, record.line, model))
        elif kind == "event_msg":
            events.append((payload, when, record.line, model))
        elif kind in _ITEMS:  # an older version's bare item
            items.append((value, when, record.line, model))
        elif not session and _old_header(value):
            session = value
    turns = [turn for item in items for turn in _turns(*item)] if items else \
        [turn for event in events for turn in _event_turns(*event)]
    metadata = {"Source format": "Codex CLI session", "Session": text_of(session.get("id")),
                "Folder": text_of(session.get("cwd")), "Codex": text_of(session.get("cli_version")),
                "Branch": text_of(dict_of(session.get("git")).get("branch"))}
    title = request_title(turn.text for turn in turns if turn.speaker == "User" and turn.kind == "message")
    return [conversation(source, turns, title=title, started=timestamp(session.get("timestamp")),
                         metadata=metadata)], []


def _speaker(model: str) -> str:
    return model_name(model) if model.strip() else "Codex"


def _turns(item: dict, when, line: int, model: str) -> list[Turn]:
    kind = text_of(item.get("type"))
    if kind == "message":
        text = content_text(item.get("content"))
        role = text_of(item.get("role"))
        if role == "assistant":
            return [Turn(_speaker(model), text, line, when)]
        injected = role != "user" or text.lstrip().startswith(_INJECTED)
        return [Turn("User" if role == "user" else role.capitalize() or "User", text, line, when,
                     "context" if injected else "message")]
    if kind == "reasoning":
        summary = "\n\n".join(text_of(dict_of(part).get("text")) for part in list_of(item.get("summary")))
        return [Turn(_speaker(model), summary, line, when, "thinking")] if summary.strip() else []
    if kind in ("function_call", "custom_tool_call", "local_shell_call", "web_search_call"):
        return [Turn(_speaker(model), _call(item), line, when, "tool_call")]
    if kind in ("function_call_output", "custom_tool_call_output"):
        return [Turn("Tool", _output(item.get("output")), line, when, "tool_result")]
    if kind == "compacted":
        return [Turn("Codex", text_of(item.get("message")), line, when, "summary")]
    return []


def _call(item: dict) -> str:
    """A tool call as what it does: a shell command as the command, a patch as the patch, a search as
    its query; any other call as its name and arguments."""
    kind = text_of(item.get("type"))
    if kind == "web_search_call":
        query = text_of(dict_of(item.get("action")).get("query"))
        return f"**Web search** {code_span(query)}" if query.strip() else "**Web search**"
    if kind == "local_shell_call":
        return _shell(dict_of(item.get("action")).get("command"), "")
    name = text_of(item.get("name"), "tool")
    if kind == "custom_tool_call":
        return f"**{name}**\n\n{fenced(text_of(item.get('input')), 'diff' if name == 'apply_patch' else '')}"
    arguments = item.get("arguments")
    try:
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except (ValueError, RecursionError):
        parsed = arguments
    if name in _SHELLS and isinstance(parsed, dict):
        command = parsed.get("command", parsed.get("cmd"))
        if isinstance(command, (list, str)) and command:
            return _shell(command, text_of(parsed.get("workdir")))
    shown = json.dumps(parsed, ensure_ascii=False, indent=2, sort_keys=True) if not isinstance(parsed, str) else parsed
    return f"**{name}**\n\n{fenced(shown, 'json' if not isinstance(parsed, str) else '')}"


def _shell(command, folder: str) -> str:
    """A shell command as it would be typed (Codex gives it as ['bash', '-lc', 'pytest -q'])."""
    parts = [text_of(part) for part in command] if isinstance(command, list) else [text_of(command)]
    if len(parts) == 3 and parts[0] in ("bash", "sh", "zsh") and parts[1] in ("-lc", "-c"):
        parts = [parts[2]]
    typed = " ".join(parts) if len(parts) == 1 else " ".join(_quoted(part) for part in parts)
    return f"**Shell**{' in ' + code_span(folder) if folder else ''}\n\n{fenced('$ ' + typed, 'sh')}"


def _quoted(part: str) -> str:
    return part if part and not any(c in part for c in " \t\n'\"$`\\|&;<>()*?") else "'" + part.replace("'", "'\\''") + "'"


def _output(value) -> str:
    """A tool's output: as Codex recorded it, text or a JSON text of the output and how the command ended."""
    text = text_of(value) if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False)
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("output"), str):
        ended = dict_of(parsed.get("metadata")).get("exit_code")
        failed = isinstance(ended, int) and not isinstance(ended, bool) and ended != 0
        return ("**exit code " + str(ended) + "**\n\n" if failed else "") + fenced(parsed["output"])
    return fenced(text)


def _event_turns(event: dict, when, line: int, model: str) -> list[Turn]:
    """From the interface's events, where a file keeps no response items: what the user and the model said."""
    kind = text_of(event.get("type"))
    if kind == "user_message":
        return [Turn("User", text_of(event.get("message")), line, when)]
    if kind == "agent_message":
        return [Turn(_speaker(model), text_of(event.get("message")), line, when)]
    if kind == "agent_reasoning" and text_of(event.get("text")).strip():
        return [Turn(_speaker(model), event["text"], line, when, "thinking")]
    return []
