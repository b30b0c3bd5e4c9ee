"""Logs whose messages are headed by a line framed between two rules, as small runners print them::

    ================================================================================
    Turn 2 | Claude B | 2025-10-15T16:49:31.120000
    ================================================================================
    A space between spaces, yes.

The framed line names the speaker, with the turn's number before it and the time after it (each
optional, parted by ' | '); a speaker alone on it ('HUMAN:') heads its message too. A first framed
line that is no speaker's (the run's banner) is the title, and the ``Model: …`` lines under it are
its fields. A framed block that opens with ``CONVERSATION: <title>`` (an archive of many chats in one
file) starts a conversation of its own, its other lines (``Date:``, ``Model:``) its fields. Read so
only where two speakers or more head messages, or one does again and again, and their names are
names, not a document's sections.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import datetime

from generator.readers.common import Turn, conversation, reads_as_phrase
from generator.readers.jsondoc import timestamp
from generator.readers.plaintext import PREFACE

NAME = "framed"
_RULE = re.compile(r"[ \t]*([=\-─━═*#])\1{19,}[ \t]*")
_TURN = re.compile(r"(?:turn|round|message|exchange|step)[ \t]*#?\d+", re.IGNORECASE)
_NAME = re.compile(r"[^\s|:<>\[\]{}][^|<>\[\]{}]{0,39}")
_FIELD = re.compile(r"(?P<key>[A-Z][A-Za-z ]{0,24}): (?P<value>\S.*)")
_CHAT = re.compile(r"(?:CONVERSATION|Conversation|CHAT|Chat)\s*:\s*(?P<title>.*)")
_MOST_SPEAKERS = 6
_DATE_KEYS = ("Date", "Started", "Created")


def sniff(head: str) -> bool:
    names = Counter(name for _, name, _ in _heads(head.split("\n")))
    return len(names) >= 2 or (len(names) == 1 and max(names.values()) >= 3)


def _framed(lines: list[str], number: int) -> bool:
    return (0 < number < len(lines) - 1 and bool(lines[number].strip()) and not _RULE.fullmatch(lines[number])
            and _RULE.fullmatch(lines[number - 1]) is not None and _RULE.fullmatch(lines[number + 1]) is not None)


def _heads(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line number, speaker, time) of each framed line naming a speaker. A name framed once only is a
    section's banner ('SESSION STATISTICS', 'FINAL ROLL'), unless the line numbers the turn; and none
    at all where the names are a document's sections (phrases) or many names each said once."""
    found = [(number, *_parts(lines[number].strip())) for number in range(1, len(lines) - 1) if _framed(lines, number)]
    named = Counter(name for _, name, _, _ in found if name)
    found = [(number, name, when) for number, name, when, numbered in found
             if name and (numbered or named[name] >= 2)]
    kept = Counter(name for _, name, _ in found)
    if any(reads_as_phrase(name) for name in kept) or len(kept) > _MOST_SPEAKERS:
        return []
    return found


def _parts(line: str) -> tuple[str, str, bool]:
    """A framed line's speaker ('' where it names none), time, and whether it numbers the turn:
    'Turn 2 | Claude B | 2025-…'."""
    parts = [part.strip() for part in line.split(" | ")]
    numbered = _TURN.fullmatch(parts[0]) is not None
    if numbered:
        parts = parts[1:]
    when = parts.pop() if len(parts) >= 2 and timestamp(parts[-1]) is not None else ""
    name = parts[0].rstrip(":").strip() if len(parts) == 1 else ""
    # A banner ('INFINITE BACKROOMS - Claude talks to Claude', 'PART 3: POETRY') is no speaker.
    if not _NAME.fullmatch(name) or ":" in name or (not numbered and len(name.split()) > 3) or _CHAT.match(name):
        return "", "", numbered
    return name, when, numbered


def read(path, text, display):
    lines = text.lstrip("\ufeff").split("\n")
    heads = _heads(lines)
    first_text = next((number for number, line in enumerate(lines) if line.strip()), 0)
    starts = [number for number in range(len(lines)) if _CHAT.fullmatch(lines[number].strip())
              and (number == first_text or (number and _RULE.fullmatch(lines[number - 1])))]
    if not starts:
        return [_conversation(path, lines, 0, len(lines), heads)], []
    # What comes before the first conversation (the archive's own heading) opens the first; each
    # other starts at the rule above its 'CONVERSATION:' line.
    bounds = [0] + [start - 1 for start in starts[1:]] + [len(lines)]
    at = [number for number, _, _ in heads]
    return [_conversation(path, lines, begin, end, heads[bisect_right(at, begin):bisect_left(at, end)])
            for begin, end in zip(bounds, bounds[1:])], []


def _conversation(path, lines: list[str], begin: int, end: int, heads: list):
    """The conversation of lines[begin:end], headed at ``heads`` (their line numbers in ``lines``)."""
    first = heads[0][0] - 1 if heads else end
    title, fields, before = _opening(lines[begin:first])
    turns = [Turn(PREFACE, before, begin + 1, kind="context")] if before.strip() else []
    for position, (number, name, when) in enumerate(heads):
        stop = heads[position + 1][0] - 1 if position + 1 < len(heads) else end
        turns.append(Turn(name, "\n".join(lines[number + 2:stop]).strip("\n"), number + 1,
                          timestamp(when) if when else None))
    dated = next((key for key in _DATE_KEYS if _date(fields.get(key, "")) is not None), None)
    started = _date(fields.pop(dated)) if dated else None
    return conversation(path, turns, title=title, started=started, metadata={"Source format": "framed log", **fields})


def _date(value: str) -> datetime | None:
    """ISO 8601, or a date written out ('October 09, 2025')."""
    found = timestamp(value)
    if found is not None or not value.strip():
        return found
    try:
        return datetime.strptime(" ".join(value.split()), "%B %d, %Y")
    except ValueError:
        return None


def _opening(lines: list[str]) -> tuple[str, dict[str, str], str]:
    """What comes before the first message: a title (a banner between rules, or a 'CONVERSATION:' line)
    with the fields right under it, and the rest (the preface); the rules that frame them hold nothing."""
    title, fields, kept, in_fields = "", {}, [], False
    for number, line in enumerate(lines):
        stripped = line.strip()
        chat = _CHAT.fullmatch(stripped) if not number or _RULE.fullmatch(lines[number - 1]) else None
        if not title and (chat or _framed(lines, number)):
            title, in_fields = (chat["title"] if chat else stripped), True
            continue
        if _RULE.fullmatch(line):
            continue
        field = _FIELD.fullmatch(stripped) if in_fields else None
        if field:
            fields[field["key"].strip()] = field["value"]
            continue
        in_fields = False
        kept.append(line)
    return title, fields, "\n".join(kept).strip("\n")
