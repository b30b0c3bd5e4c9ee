"""Exports split over several files, read as the one conversation they are.

Telegram Desktop writes a chat's HTML a thousand messages to a file (``messages.html``,
``messages2.html``, ``messages3.html``…), and DiscordChatExporter a channel partitioned with
``--partition`` as ``Channel [id].html``, ``Channel [id] [part 2].html``… Each later part is a whole
export of its own (its header, its page), so each is read by its reader as any file is; the
conversations are then joined, when every part read as one conversation of the same format. Anything
else (a folder whose ``messages2.html`` is some other page) stays as it was read: nothing is lost.
A reader that reads parts together (``reads_together``: Telegram's HTML, and DiscordChatExporter's HTML
and JSON, where a reply may answer a message on an earlier page) is given them all, one at a time, when
each is its part.

Discovery (sources.py) lists the first part only, its signature made from all of them, so that an edit
to any part reads the export again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from stat import S_ISREG

from generator.model import Conversation
from generator.readers.common import Turn, conversation

_TELEGRAM_FIRST = "messages.html"
_TELEGRAM_LATER = re.compile(r"messages([0-9]+)\.html")
# The line a reader opens a reply with (common.in_reply_to), at the start of the message.
_REPLY = re.compile(r"(?P<head>↩ In reply to (?P<speaker>[^\n]*) \(#)(?P<number>[0-9]+)\)(?=\n|$)")
# DiscordChatExporter's partitions, in the formats no native transcript is written in: its text export
# is a .txt file, as a native transcript may be, whose copy beside the page is its own bytes.
_PARTITIONED = ("html", "json", "csv")
_PARTITION = re.compile(rf"(?P<stem>.+) \[part (?P<number>[0-9]+)\](?P<suffix>\.(?:{'|'.join(_PARTITIONED)}))",
                        re.IGNORECASE | re.DOTALL)  # a name may hold a line break
# The fields the reader made from the messages, made again from all of them.
_MADE_FROM_MESSAGES = ("Started", "Ended", "Messages", "Title", "Tags")


def first_part(name: str) -> str | None:
    """The first part's file name, when ``name`` names a later part (part 2 or after), else None."""
    telegram = _TELEGRAM_LATER.fullmatch(name)
    if telegram and int(telegram[1]) >= 2:
        return _TELEGRAM_FIRST
    partition = _PARTITION.fullmatch(name)
    if partition and int(partition["number"]) >= 2:
        return partition["stem"] + partition["suffix"]
    return None


def might_be_later_part(name: str) -> bool:
    """A quick look at a file's name, for discovery: a name that could be a later part's."""
    return name.startswith("messages") or "[part " in name


def later_part_names(name: str, exists) -> list[str]:
    """The names of the later parts of the export whose first part is ``name``, in order: part 2, 3…
    for as long as ``exists(name)`` says there is one."""
    if name == _TELEGRAM_FIRST:
        before, after = "messages", ".html"
    else:
        stem, dot, suffix = name.rpartition(".")
        if not (stem and dot) or suffix.lower() not in _PARTITIONED or first_part(name) is not None:
            return []
        before, after = f"{stem} [part ", f"].{suffix}"  # joined, not formatted: a name may hold '{'
    names = []
    while exists(candidate := f"{before}{len(names) + 2}{after}"):
        names.append(candidate)
    return names


def later_parts(path: Path) -> list[Path]:
    return [path.with_name(name) for name in later_part_names(path.name, lambda name: is_part(path.with_name(name)))]


def is_part(path: Path) -> bool:
    """A part is a file of its own, not a link (which could lead out of the content folder)."""
    try:
        return S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def joined(parts: list[list[Conversation]], formats: list[str]) -> list[Conversation]:
    """The parts' conversations: one, made as its reader would make it from all their messages, when
    each part that holds any read as one conversation, all of one format; else all of them as read."""
    holding = [(read, format) for read, format in zip(parts, formats) if read]
    if len({format for _, format in holding}) != 1 or any(len(read) != 1 for read, _ in holding):
        return [c for read in parts for c in read]
    if len(holding) == 1:
        return holding[0][0]
    first = holding[0][0][0]
    turns: list[Turn] = []
    for [part], _ in holding:
        turns += [Turn(m.speaker, _reply_renumbered(m.text, part, len(turns)), m.line, m.time, m.kind, m.label)
                  for m in part.messages]
    # What the first part's header says of the chat; its times and count are the whole export's, and a
    # title made of its speakers is made of all of them.
    metadata = {key: value for key, value in first.metadata.items() if key not in _MADE_FROM_MESSAGES}
    whole = conversation(first.source, turns, title=first.title if "Title" in first.metadata else "",
                         metadata=metadata, tags=first.tags)
    whole.summary, whole.draft, whole.slug_base = first.summary, first.draft, first.slug_base
    return [whole]


def _reply_renumbered(text: str, part: Conversation, before: int) -> str:
    """A later part's message as it reads in the whole: the line a reader opens a reply with
    (common.in_reply_to) names the message it answers by its number in the part, which is
    ``before`` more in the whole. Only a line that names an earlier message of the part by its
    speaker and number is the reader's."""
    found = _REPLY.match(text) if before else None
    if found is None:
        return text
    number = int(found["number"])
    answered = part.messages[number - 1] if 0 < number <= len(part.messages) else None
    if answered is None or answered.speaker != found["speaker"]:
        return text
    return f"{found['head']}{number + before}){text[found.end():]}"
