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
session names answers, until a '/model' names another); aider's output is kept as folded notes,
and requests that start with '/' are commands, but for those that send the rest to the model
('/ask why does it fail?'). In architect mode, the architect's answer that aider hands to the
editor model (written again as a request) is kept as context, and the editor model answers it.
A session of aider's own lines only (it started and quit) is left out, with a note.

A reasoning model's thinking is written into the answer between aider's own tags, which are the
same in every project::

    <thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>

    The user wants the timeout to be a setting…

    </thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>

    Here is the change: …

It is kept as the model's thinking (folded, as the other readers keep it), the answer after it as
the answer. An answer cut short while thinking (aider was stopped) is thinking to its end; a
closing tag with no opening one ends thinking that began before the answer, as aider reads it.
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
_EDITOR = re.compile(r"Editor model: (\S+)")
_VERSION = re.compile(r"Aider (v\S+)")
_BREAK = "  "  # what aider ends its own lines and the user's with
# Commands that send what follows them to the model: '/ask why does it fail?' is a request.
_PROMPT_COMMAND = re.compile(r"\s*/(?:ask|code|architect|context|help)\s+(?=\S)(?!/)", re.IGNORECASE)
_REASONING = re.compile(r"<(/?)thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>")  # aider's REASONING_TAG


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
    version = _VERSION.search(said)
    runs = _with_handoffs(runs)
    speakers = _answering_models(runs)
    turns = [turn for (kind, number, texts), speaker in zip(runs, speakers)
             for turn in _turns(kind, "\n".join(texts), number, speaker)]
    turns = [turn for turn in turns if turn.text.strip() or turn.speaker == USER]
    metadata = {"Source format": "aider chat history", "Aider version": version.group(1) if version else ""}
    title = request_title(_PROMPT_COMMAND.sub("", turn.text) for turn in turns
                          if turn.speaker == USER and turn.kind == "message")
    untitled = f"aider session of {started:%Y-%m-%d %H:%M}" if started else f"aider session at line {max(heading, 1)}"
    return conversation(path, turns, title=title or untitled, started=started, metadata=metadata)


def _with_handoffs(runs: list[tuple[str, int, list[str]]]) -> list[tuple[str, int, list[str]]]:
    """``runs``, each request that is an architect's answer handed to the editor marked "handoff".

    In architect mode aider asks 'Edit the files?', then writes the architect's answer again as a
    request (it is what the editor model is asked), and the editor's answer after it."""
    marked, answer, asked = [], "", False
    for kind, number, texts in runs:
        text = " ".join(" ".join(texts).split())
        if kind == "" and text:
            answer, asked = text, False
        elif kind == "aider":
            asked = asked or any(line.startswith("Edit the files?") and not _declined(line) for line in texts)
        elif kind == "user":
            if asked and text and answer.endswith(text):
                kind = "handoff"
            answer, asked = "", False
        marked.append((kind, number, texts))
    return marked


def _declined(question: str) -> bool:
    """Was aider's question ('Edit the files? (Y)es/(N)o [Yes]: n') answered no?"""
    return question.rpartition(":")[2].strip().lower().startswith("n")


def _answering_models(runs: list[tuple[str, int, list[str]]]) -> list[str]:
    """For each run, the model answering then: the one aider last named ('/model' switches it
    mid-session, and aider names the new one), or before any is named the session's first; after
    an architect's handoff, the editor model aider named."""
    named = [_MODEL.search("\n".join(texts)) if kind == "aider" else None for kind, _, texts in runs]
    first = next((found for found in named if found), None)
    current = _name(first) if first else "Assistant"
    editor, editing = "", False
    speakers = []
    for (kind, _, texts), found in zip(runs, named):
        if found:
            current = _name(found)
            editor = _name(_EDITOR.search("\n".join(texts))) or editor
        if kind in ("user", "handoff"):
            editing = kind == "handoff"
        speakers.append(editor if editing and editor else current)
    return speakers


def _name(found: re.Match | None) -> str:
    return model_name(found.group(1).split("/")[-1]) if found else ""


def _turns(kind: str, text: str, line: int, speaker: str) -> list[Turn]:
    if kind == "user":
        command = text.lstrip().startswith("/") and not _PROMPT_COMMAND.match(text)
        return [Turn(USER, text, line, kind="command" if command else "message")]
    if kind == "aider":
        return [Turn(AIDER, text, line, kind="note")]
    if kind == "handoff":
        return [Turn(AIDER, text, line, kind="context")]
    return _answer(text, line, speaker)


def _answer(text: str, line: int, speaker: str) -> list[Turn]:
    """The model's answer, its thinking apart: a turn for each stretch between aider's reasoning tags."""
    turns, position, thinking, line_at = [], 0, False, line  # line_at: the line ``position`` is on

    def stretch(end: int, kind: str) -> Turn:
        said = text[position:end]
        lead = len(said) - len(said.lstrip())  # the blank lines before what it says: its line is after them
        return Turn(speaker, said, line_at + said.count("\n", 0, lead), kind=kind)

    for tag in _REASONING.finditer(text):
        closing = bool(tag.group(1))
        turns.append(stretch(tag.start(), "thinking" if thinking or closing else "message"))
        line_at += text.count("\n", position, tag.end())
        position, thinking = tag.end(), not closing
    turns.append(stretch(len(text), "thinking" if thinking else "message"))
    return [turn for turn in turns if turn.text.strip()] or turns[-1:]
