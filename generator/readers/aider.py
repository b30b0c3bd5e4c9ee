"""aider's chat history (``.aider.chat.history.md``): every session aider ran in a project, in one file.

Each session starts with its own heading; the user's requests are '#### ' lines and aider's own
output '> ' lines, both ending in the two spaces of a Markdown line break; the rest is the model's
answer::

    # aider chat started at 2025-10-23 17:04:56

    > Main model: gemini/gemini-2.5-pro with diff-fenced edit format
    > Added config.py to the chat

    #### make the timeout a setting

    Here is the change: …

    > Applied edit to config.py

Each session with a request is a conversation (its start is the heading's time; the model its
session names answers); aider's output is kept as folded notes, and requests that start with '/'
are commands. A session of aider's own lines only (it started and quit) is left out, with a note.
"""

from __future__ import annotations

import re
from datetime import datetime

from generator.diagnostics import note, plural
from generator.readers.common import Turn, conversation, request_title
from generator.readers.runs import model_name

NAME = "aider"
FILE_NAME = ".aider.chat.history.md"  # aider's name for it: read though it starts with a dot
USER, AIDER = "User", "aider"
_SESSION = re.compile(r"# aider chat started at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)[ \t]*$")
_MODEL = re.compile(r"(?:Main model|Model): (\S+)")
_VERSION = re.compile(r"Aider (v\S+)")
_BREAK = "  "  # what aider ends its own lines and the user's with


def sniff(head: str) -> bool:
    return any(_SESSION.match(line) for line in head.split("\n", 40)[:40])


def read(path, text, display):
    sessions = _sessions(text.lstrip("\ufeff").split("\n"))
    conversations = [made for started, line, lines in sessions if (made := _conversation(path, started, line, lines))]
    skipped = len(sessions) - len(conversations)
    problems = [note(display, 0, f"{plural(skipped, 'aider session')} with nothing asked or answered (aider "
                                 "started and quit); left out")] if skipped else []
    return conversations, problems


def _sessions(lines: list[str]) -> list[tuple[datetime | None, int, list[tuple[int, str]]]]:
    """(start, heading line, numbered lines) of each session; text before the first heading is one too."""
    sessions: list[tuple[datetime | None, int, list[tuple[int, str]]]] = [(None, 0, [])]
    for number, line in enumerate(lines, start=1):
        heading = _SESSION.match(line)
        if heading:
            sessions.append((_time(heading.group(1)), number, []))
        else:
            sessions[-1][2].append((number, line))
    before = sessions.pop(0)
    return ([before] if any(text.strip() for _, text in before[2]) else []) + sessions


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # '2025-13-45 99:99:99': a heading still, with no time to tell
        return None


def _kind(line: str) -> str:
    """'user' for a request's line, 'aider' for aider's own, '' for the model's."""
    if line.startswith("####") and (line.endswith(_BREAK) or not line[4:].strip()):
        return "user"
    if line.startswith(">") and (line.endswith(_BREAK) or not line[1:].strip()):
        return "aider"
    return ""


def _unmarked(line: str, mark: str) -> str:
    return line[len(mark):].removeprefix(" ").removesuffix(_BREAK).rstrip()


def _conversation(path, started: datetime | None, heading: int, lines: list[tuple[int, str]]):
    runs: list[tuple[str, int, list[str]]] = []  # (kind, first line, texts)
    for number, line in lines:
        kind = _kind(line)
        text = _unmarked(line, "####" if kind == "user" else ">") if kind else line
        if runs and runs[-1][0] == kind:
            runs[-1][2].append(text)
        else:
            runs.append((kind, number, [text]))
    if not any(kind != "aider" and "".join(texts).strip() for kind, _, texts in runs):
        return None  # aider's own lines only: it started and quit
    said = "\n".join(text for kind, _, texts in runs if kind == "aider" for text in texts)
    model, version = _MODEL.search(said), _VERSION.search(said)
    speaker = model_name(model.group(1).split("/")[-1]) if model else "Assistant"
    turns = [_turn(kind, "\n".join(texts), number, speaker) for kind, number, texts in runs]
    turns = [turn for turn in turns if turn.text.strip() or turn.speaker == USER]
    metadata = {"Source format": "aider chat history", "Aider version": version.group(1) if version else ""}
    title = request_title(turn.text for turn in turns if turn.speaker == USER and turn.kind == "message")
    untitled = f"aider session of {started:%Y-%m-%d %H:%M}" if started else f"aider session at line {max(heading, 1)}"
    return conversation(path, turns, title=title or untitled, started=started, metadata=metadata)


def _turn(kind: str, text: str, line: int, speaker: str) -> Turn:
    if kind == "user":
        return Turn(USER, text, line, kind="command" if text.lstrip().startswith("/") else "message")
    if kind == "aider":
        return Turn(AIDER, text, line, kind="note")
    return Turn(speaker, text, line)
