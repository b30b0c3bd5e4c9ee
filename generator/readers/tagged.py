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

from generator.readers.common import Turn, conversation, opening_title
from generator.readers.plaintext import PREFACE
from generator.readers.runs import model_name

NAME = "tagged"
_ROLES = {"user": "User", "human": "User", "assistant": "Assistant", "model": "Assistant", "system": "System"}
_OPEN = re.compile(r"<(user|human|assistant|model|system)((?:\s+[a-zA-Z_-]+=\"[^\"]*\")*)\s*>", re.I)
_CLOSE = re.compile(r"</(user|human|assistant|model|system)\s*>", re.I)
_MODEL = re.compile(r"\bmodel=\"([^\"]*)\"")


def sniff(head: str) -> bool:
    """An opening tag of a role on a line of its own, and a closing one."""
    lines = [line.strip() for line in head.split("\n")]
    return any(_OPEN.fullmatch(line) for line in lines) and any(_CLOSE.fullmatch(line) for line in lines)


def read(path, text, display):
    turns: list[Turn] = []
    role, start, body = "", 1, []
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        opened = _OPEN.fullmatch(line.strip())
        if opened:
            turns += _turn(role, body, start)
            role, start, body = _speaker(opened), number, []
        elif role and _CLOSE.fullmatch(line.strip()):
            turns += _turn(role, body, start)
            role, start, body = "", number + 1, []
        else:
            body.append(line)
    turns += _turn(role, body, start)
    asked = next((turn.text for turn in turns if turn.speaker == "User" and turn.text.strip()), "")
    return [conversation(path, turns, title=opening_title(asked), metadata={"Source format": "tagged chat"})], []


def _speaker(opened: re.Match) -> str:
    model = _MODEL.search(opened.group(2) or "")
    return model_name(model.group(1)) if model and model.group(1).strip() else _ROLES[opened.group(1).lower()]


def _turn(speaker: str, body: list[str], line: int) -> list[Turn]:
    text = "\n".join(body).strip("\n")
    if not speaker:
        return [Turn(PREFACE, text, line, kind="context")] if text.strip() else []
    return [Turn(speaker, text, line, kind="note" if speaker == "System" else "message")]
