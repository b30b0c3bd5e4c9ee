"""Chats written as tagged blocks, each tag on a line of its own, as prompt tools save them::

    <user>
    What the user asked.
    </user>
    <assistant model="gemini-2.5-pro">
    What the model answered, in Markdown.
    </assistant>

The roles are 'user', 'human', 'assistant', 'model' and 'system'; a 'model' attribute names the
speaker (as the JSON readers name models). Text outside the blocks is kept as a folded context
message; a block left open runs to the end of the file.
"""

from __future__ import annotations

import re

from generator.readers.common import Turn, conversation, request_title
from generator.readers.plaintext import PREFACE
from generator.readers.runs import model_name

NAME = "tagged"
_ROLES = {"user": "User", "human": "User", "assistant": "Assistant", "model": "Assistant", "system": "System"}
_OPEN = re.compile(r"<(user|human|assistant|model|system)((?:\s+[a-zA-Z_-]+=\"[^\"]*\")*)\s*>", re.I)
_CLOSE = re.compile(r"</(user|human|assistant|model|system)\s*>", re.I)
_MODEL = re.compile(r"\bmodel=\"([^\"]*)\"")
# The same tags on lines of their own, found in one pass: every text file of a build is sniffed.
_OPEN_LINE = re.compile(r"^[ \t]*" + _OPEN.pattern + r"[ \t]*$", re.I | re.M)
_CLOSE_LINE = re.compile(r"^[ \t]*" + _CLOSE.pattern + r"[ \t]*$", re.I | re.M)


def sniff(head: str) -> bool:
    """An opening tag of a role on a line of its own, and a closing one."""
    return "</" in head and _CLOSE_LINE.search(head) is not None and _OPEN_LINE.search(head) is not None


def read(path, text, display):
    turns: list[Turn] = []
    role, start, body = None, 1, []
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        opened = _OPEN.fullmatch(line.strip())
        if opened:
            turns += _turn(role, body, start)
            role, start, body = _speaker(opened), number, []
        elif role and _CLOSE.fullmatch(line.strip()):
            turns += _turn(role, body, start)
            role, start, body = None, number + 1, []
        else:
            body.append(line)
    turns += _turn(role, body, start)
    asked = request_title(turn.text for turn in turns if turn.speaker == "User")
    return [conversation(path, turns, title=asked, metadata={"Source format": "tagged chat"})], []


def _speaker(opened: re.Match) -> tuple[str, str]:
    """Who a block is from, and its kind (a system block is a note, whoever it names)."""
    role = opened.group(1).lower()
    model = _MODEL.search(opened.group(2) or "")
    name = model_name(model.group(1)) if model and model.group(1).strip() else _ROLES[role]
    return name, "note" if role == "system" else "message"


def _turn(speaker: tuple[str, str] | None, body: list[str], line: int) -> list[Turn]:
    text = "\n".join(body).strip("\n")
    if speaker is None:
        return [Turn(PREFACE, text, line, kind="context")] if text.strip() else []
    return [Turn(speaker[0], text, line, kind=speaker[1])]
