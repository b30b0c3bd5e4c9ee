"""Claude Code session JSONL: one record per line; user and assistant records carry the conversation.

Sessions as Claude Code writes them today may open with ``summary``, ``file-history-snapshot``
or ``system`` records. What is not speech is shown as its own folded kind, never as the user's
words:

- ``<command-name>`` / ``<local-command-stdout>`` wrappers: a *command* (``/clear``, its output);
- the "Caveat: the messages below…" meta message, Claude Code's "[Request interrupted by user]" and
  its ``<task-notification>`` of a background task's end,
  and ``system`` records (with what they say: an API error and its retry, a turn's duration): a *note*;
- the summary a compaction leaves (``isCompactSummary``): a *summary*;
- file history snapshots: a *snapshot* naming the files backed up.

Thinking, tool calls and their results are their own kinds too. A tool call shows what it
does: Bash its command, Edit/MultiEdit/Write a diff. Side-chain (sub-agent) records are folded
as *sub-agent* messages where they fall, under the Task call that started them, and their
model is not a participant; so are the sub-agent's messages that later versions record in the
session as ``agent_progress`` records.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from generator.diagnostics import note
from generator.readers.common import Turn, block_turns, call_text, code_span, conversation, diff, fenced, request_title
from generator.readers.jsondoc import Record, Shape, content_text, dict_of, list_of, text_of, timestamp
from generator.readers.runs import model_name

NAME = "claude-code"
_SYNTHETIC = "<synthetic>"  # the model Claude Code names on the messages it writes itself
ONE_CONVERSATION = True  # a file is one conversation, each line a record of it
_SESSION_TYPES = {"user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation",
                  "custom-title", "attachment", "progress", "result"}
_COMMAND = re.compile(r"<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|"
                      r"bash-input|bash-stdout|bash-stderr)>(.*?)</\1>", re.S)
# What Claude Code writes as the user's message when the user stops it (Esc): its words, not the
# user's, so no title is made of them.
_INTERRUPTED = re.compile(r"\[Request interrupted by user(?: for tool use)?\]")
# Claude Code's word that a background task (a command, a sub-agent) has ended, sent as the user's message.
_TASK_NOTIFICATION = "<task-notification>"
# Claude Code starts a sub-agent with the task "Warmup" (to have its context cached) before any work;
# the agent's own file then holds that and a greeting ("I'm ready to help you explore…").
WARM_UP = ("a Claude Code warm-up (a sub-agent's greeting when Claude Code starts it, before it is given "
           "work), not a conversation; skipped")


def claims(first: Record, lines: bool) -> bool:
    """A record of a session: JSON Lines, or (the GitHub Action's execution file) an array of them."""
    value = first.value
    if not isinstance(value, dict) or text_of(value.get("type")) not in _SESSION_TYPES:
        return False
    # 'session_id': what `claude -p --output-format stream-json` (and the Agent SDK, and the GitHub
    # Action) writes, record by record, instead of a session file.
    return any(key in value for key in ("sessionId", "session_id", "leafUuid", "parentUuid", "uuid", "messageId",
                                        "snapshot"))


def read(records, source, display):
    turns, metadata, chosen_title = [], {"Source format": "Claude Code session", "Session": ""}, ""  # (in this order)
    agent_file = None  # a sub-agent's own file (agent-*.jsonl): its sidechain is the conversation
    sessions: dict[str, None] = {}  # in order: a resumed session's file starts with the one it resumes
    summaries: list[tuple[str, str]] = []  # (the message it sums up to, the summary)
    uuids: set[str] = set()
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        kind = item.get("type")
        when = timestamp(item.get("timestamp"))
        uuids.add(text_of(item.get("uuid")))
        if item.get("parent_tool_use_id"):  # stream-json: a sub-agent's message, under the call that started it
            item = {**item, "isSidechain": True}
        if kind == "summary":
            summaries.append((text_of(item.get("leafUuid")), text_of(item.get("summary"))))
        elif kind == "custom-title":
            chosen_title = text_of(item.get("customTitle")) or text_of(item.get("title")) or chosen_title
        elif kind == "file-history-snapshot":
            turns += _snapshot(item, record.line, when)
        elif kind in ("system", "result"):  # 'result': stream-json's last record (the outcome, its cost)
            if text_of(item.get("cwd")):
                metadata.setdefault("Folder", item["cwd"])
            sessions.setdefault(text_of(item.get("session_id")))
            text = text_of(item.get("content"))
            if _COMMAND.search(text):  # a command the user ran ('/usage'), as later versions record it
                turns.append(user_turn("User", text, record.line, when))
            elif (text := text or _system_text(item)).strip():
                turns.append(Turn("System", text, record.line, when, "note"))
        elif kind == "progress":
            turns += _sub_agent_progress(item, record.line)
        elif kind in ("user", "assistant"):
            for key, label in (("cwd", "Folder"), ("gitBranch", "Git branch"), ("version", "Claude Code version"),
                               ("agentId", "Agent")):
                if text_of(item.get(key)):
                    metadata.setdefault(label, item[key])
            sessions.setdefault(text_of(item.get("sessionId")) or text_of(item.get("session_id")))
            message = shape.object(item.get("message"), f"line {record.line}: message")
            if agent_file is None:
                agent_file = bool(item.get("isSidechain"))
            turns += _turns(item, message, record.line, when, fold_sidechain=not agent_file)
    if agent_file and is_warm_up(turns, "Task"):
        return [], [note(display, 1, WARM_UP)]
    _name_session(metadata, [session for session in sessions if session])
    title = chosen_title or _own_summary(summaries, uuids) or request_title(
        t.text for t in turns if t.speaker in ("User", "Task") and t.kind == "message")
    return [conversation(source, turns, title=title, metadata=metadata)], []


# What every record carries (where it is in the session, and when): not what a system record says.
_ENVELOPE = {"type", "subtype", "uuid", "parentUuid", "logicalParentUuid", "isSidechain", "userType", "cwd", "sessionId",
             "session_id", "version", "gitBranch", "slug", "timestamp", "level", "isMeta", "toolUseID"}


def _system_text(item: dict) -> str:
    """A system record with no text of its own (an API error and its retry, how long a turn took, a
    hook's summary): its kind, then what it says, field by field."""
    fields = [f"- {key}: {code_span(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))}"
              for key, value in sorted(item.items()) if key not in _ENVELOPE and value not in ("", None, {}, [])]
    head = ": ".join(part for part in (text_of(item.get("type")) if item.get("type") != "system" else "",
                                       text_of(item.get("subtype"))) if part)
    return "\n\n".join(part for part in (head, "\n".join(fields)) if part)


def _sub_agent_progress(item: dict, line: int) -> list[Turn]:
    """A sub-agent's message as later versions record it, in the session that started it (a ``progress``
    record of the type ``agent_progress``): folded where it happened, as a side-chain record is. Other
    progress records (a running command's output so far, a search's query, a hook starting) are left
    out: what they come to follows as tool results."""
    data = dict_of(item.get("data"))
    inner = dict_of(data.get("message"))
    if text_of(data.get("type")) != "agent_progress" or not inner:
        return []
    return _turns({**inner, "isSidechain": True}, dict_of(inner.get("message")), line,
                  timestamp(inner.get("timestamp")), fold_sidechain=True)


def is_warm_up(turns: list[Turn], asker: str) -> bool:
    """A sub-agent that was only warmed up: asked "Warmup" (or, where an export leaves the task out,
    asked nothing), and answered in one message, calling no tool."""
    asked = [t.text.strip() for t in turns if t.speaker == asker and t.kind == "message"]
    answers = [t for t in turns if t.speaker != asker]
    return asked in ([], ["Warmup"]) and len(answers) <= 1 and all(t.kind == "message" for t in answers)


def _own_summary(summaries: list[tuple[str, str]], uuids: set[str]) -> str:
    """The latest summary of this file's own messages. A session's file also starts with summaries of
    earlier sessions of the project (their messages are in other files): those name other work."""
    return next((text for leaf, text in reversed(summaries) if text.strip() and (not leaf or leaf in uuids)), "")


def _name_session(metadata: dict, sessions: list[str]) -> None:
    """The file's session is the last one in it: a resumed session copies the history of the one it
    resumes, under that one's id, before its own records (so each is a conversation of its own)."""
    if sessions:
        metadata["Session"] = sessions[-1]
    if len(sessions) > 1:
        metadata["Resumes"] = ", ".join(sessions[:-1])


def _turns(item: dict, message: dict, line: int, when, fold_sidechain: bool) -> list[Turn]:
    role = text_of(message.get("role"), text_of(item.get("type")))
    model = text_of(message.get("model"))
    speaker = (model_name(model) if model else "Claude") if role == "assistant" else "User"
    if model == _SYNTHETIC:  # Claude Code's own notice (an API error, a timeout), in no model's words
        return [Turn("Claude Code", content_text(message.get("content")), line, when, "note")]
    if not fold_sidechain and speaker == "User":
        speaker = "Task"  # what the sub-agent was asked, by the session that started it
    content = message.get("content")
    if item.get("isSidechain") and fold_sidechain:  # a sub-agent's work: folded where it happened
        text = content if isinstance(content, str) else "\n\n".join(t.text for t in block_turns(
            list_of(content), speaker, line, when, describe=tool_text))
        return [Turn(speaker if role == "assistant" else "Task", text, line, when, "agent")]
    if isinstance(content, str):
        return [_user_text(item, speaker, content, line, when)]
    turns = block_turns(list_of(content), speaker, line, when, result_speaker="Tool", describe=tool_text)
    return [_interruption_as_note(turn) for turn in turns] if speaker == "User" else turns


def _user_text(item: dict, speaker: str, text: str, line: int, when) -> Turn:
    """A string message: speech, unless it is a command's wrapper, a meta note or a compaction summary."""
    if item.get("isCompactSummary"):
        return Turn(speaker, text, line, when, "summary")
    if item.get("isMeta"):
        return Turn(speaker, text, line, when, "note")
    return user_turn(speaker, text, line, when)


def _interruption_as_note(turn: Turn) -> Turn:
    if turn.kind == "message" and _INTERRUPTED.fullmatch(turn.text.strip()):
        return replace(turn, kind="note")
    return turn


def user_turn(speaker: str, text: str, line: int, when) -> Turn:
    """What the user sent: speech, a command (its wrappers: the command and its output), or Claude
    Code's note that the user stopped it or that a background task ended."""
    if _INTERRUPTED.fullmatch(text.strip()) or text.lstrip().startswith(_TASK_NOTIFICATION):
        return Turn(speaker, text, line, when, "note")
    wrapped = _COMMAND.findall(text)
    if wrapped:
        parts = {name: value.strip() for name, value in wrapped}
        shown = " ".join(p for p in (parts.get("command-name", ""), parts.get("command-args", "")) if p)
        output = "\n".join(p for p in (parts.get("local-command-stdout", ""), parts.get("local-command-stderr", ""),
                                       parts.get("bash-stdout", ""), parts.get("bash-stderr", "")) if p)
        command = parts.get("bash-input", "")
        body = code_span(shown) if shown else (fenced("$ " + command, "sh") if command else "")
        if output:
            body = (body + "\n\n" if body else "") + fenced(output)
        said = _COMMAND.sub("", text).strip()  # what the user wrote beside the wrappers, kept
        if said:
            body = (body + "\n\n" if body else "") + said
        return Turn(speaker, body or "*(no output)*", line, when, "command")
    return Turn(speaker, text, line, when)


# Tools whose call is its subject (a file, a pattern, a query): shown as that, then any other input.
_SUBJECTS = {"Read": "file_path", "Glob": "pattern", "Grep": "pattern", "WebSearch": "query", "WebFetch": "url",
             "Skill": "skill", "NotebookRead": "notebook_path", "LS": "path"}
_TODO_MARKS = {"completed": "☑", "in_progress": "◐", "pending": "☐"}
_TODO_KEYS = {"content", "status", "activeForm"}  # an older list ("id", "priority") is shown as its JSON


def tool_text(name: str, tool_input) -> str:
    """A tool call as what it does ("" for others: JSON): Bash its command, Edit/MultiEdit/Write a diff,
    Read/Glob/Grep/WebSearch/WebFetch their subject, Task its prompt, TodoWrite its list, ExitPlanMode
    its plan. What else the call was given is listed under its first line (all but a to-do's
    'activeForm', which says its task again as under way)."""
    tool_input = dict_of(tool_input)
    head, body, shown = _tool_parts(name, tool_input)
    return call_text(head, body, shown, tool_input, looked_at=("edits", "todos"))


def _tool_parts(name: str, tool_input: dict) -> tuple[str, str, set[str]]:
    """A call's first line, what follows it (a command, a diff, a prompt), and the input's keys they show."""
    path = text_of(tool_input.get("file_path"))
    if name == "Bash" and text_of(tool_input.get("command")):
        description = text_of(tool_input.get("description"))
        return (f"**Bash**{' — ' + description if description else ''}", fenced("$ " + tool_input["command"], "sh"),
                {"command", "description"})
    if name == "Edit" and path:
        return (f"**Edit** {code_span(path)}", fenced(diff(text_of(tool_input.get("old_string")),
                                                     text_of(tool_input.get("new_string"))), "diff"),
                {"file_path", "old_string", "new_string"})
    if name == "MultiEdit" and path and all(isinstance(edit, dict) for edit in list_of(tool_input.get("edits"))):
        diffs = [diff(text_of(edit.get("old_string")), text_of(edit.get("new_string")))
                 for edit in list_of(tool_input.get("edits"))]
        return f"**MultiEdit** {code_span(path)}", fenced("\n".join(diffs), "diff"), {"file_path", "edits"}
    if name == "Write" and path:
        return (f"**Write** {code_span(path)}", fenced(diff("", text_of(tool_input.get("content"))), "diff"),
                {"file_path", "content"})
    subject = _SUBJECTS.get(name)
    if subject and isinstance(tool_input.get(subject), str) and tool_input[subject].strip():
        return f"**{name}** {code_span(tool_input[subject])}", "", {subject}
    if name == "Task" and isinstance(tool_input.get("prompt"), str):
        about = " — ".join(text for text in (text_of(tool_input.get("description")),
                                             text_of(tool_input.get("subagent_type"))) if text)
        return f"**Task**{' — ' + about if about else ''}", tool_input["prompt"], {"prompt", "description", "subagent_type"}
    if name == "ExitPlanMode" and isinstance(tool_input.get("plan"), str):
        return "**ExitPlanMode**", tool_input["plan"], {"plan"}
    todos = tool_input.get("todos")
    if name == "TodoWrite" and isinstance(todos, list) and todos and all(
            isinstance(todo, dict) and set(todo) <= _TODO_KEYS and isinstance(todo.get("content"), str)
            and all(isinstance(value, str) for value in todo.values()) for todo in todos):
        # Each as its mark and what it says ('activeForm' says it again, as the task under way).
        lines = [f"- {_TODO_MARKS.get(text_of(todo.get('status')), '☐')} {code_span(todo['content'])}"
                 + (f" ({text_of(todo.get('status'))})" if text_of(todo.get("status")) not in _TODO_MARKS else "")
                 for todo in todos]
        return "**TodoWrite**", "\n".join(lines), {"todos"}
    return "", "", set()


def _snapshot(item: dict, line: int, when) -> list[Turn]:
    files = sorted(dict_of(dict_of(item.get("snapshot")).get("trackedFileBackups")))
    if not files:
        return []
    return [Turn("Claude Code", "Files backed up: " + ", ".join(code_span(name) for name in files), line,
                 when or timestamp(dict_of(item.get("snapshot")).get("timestamp")), "snapshot")]

