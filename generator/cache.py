"""What a build remembers of its sources, so the next build need not read unchanged files.

One line per source file in ``.antiphon-sources.tsv`` (a state file of the
output folder), four tab-separated fields:

    "relative/path.md"  mtime_ns:size  frames  record

``record`` is what reading the file gave: the reader that read it, its problems,
and an outline of each conversation (everything but the messages). ``frames``
is where the last build placed each of its conversations: its slug and its
older and newer neighbours (null for a draft left out). The path comes first,
JSON-encoded, so the file can be indexed without parsing the records, which
only the sources that are needed pay for. A stale or unreadable line is simply
read again from the source.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from generator.diagnostics import Diagnostic
from generator.model import Conversation, Outline


class Remembered(NamedTuple):
    """One source as the last build wrote it down (its frames and record split off when asked for)."""
    relative: str
    signature: tuple[int, int]
    line: str

    @property
    def frames(self) -> str:
        return self.line.split("\t", 3)[2]

    @property
    def record(self) -> str:
        return self.line.split("\t", 3)[3]


# The last line names the build the lines were written for (the digest of its inputs). A rebuild
# that changes a few sources appends their new lines and a new last line: a later line for a
# path stands for it, and a file cut short by a crash names no build, so it is not trusted.
_LAST = "# inputs "


def sources_text(inputs: str, lines) -> str:
    """The whole file, for the build made from ``inputs`` ("" after errors: then it names no build)."""
    return "\n".join(sorted(lines)) + f"\n{_LAST}{inputs}\n"


def sources_appendix(inputs: str, lines) -> str:
    """What to append to the file for a build that changed ``lines`` only."""
    return "".join(line + "\n" for line in lines) + f"{_LAST}{inputs}\n"


def inputs_of(text: str) -> str:
    """The inputs digest of the build the file was written for ("" when it names none)."""
    last = text[text.rfind("\n", 0, len(text) - 1) + 1:]
    return last[len(_LAST):-1] if last.startswith(_LAST) and last.endswith("\n") else ""


def source_line(relative: str, signature: tuple[int, int], frames: str, record: str) -> str:
    return f"{json.dumps(relative, ensure_ascii=False)}\t{signature[0]}:{signature[1]}\t{frames}\t{record}"


def read_lines(text: str) -> dict[str, Remembered]:
    """The remembered sources by relative path (the last line for each); malformed lines are left out."""
    remembered = {}
    for line in text.split("\n"):  # not splitlines(): a title may hold U+2028, which JSON leaves as it is
        try:
            relative, signature, rest = line.split("\t", 2)
            mtime, size = signature.split(":")
            if "\t" not in rest:
                continue
            # JSON-encoded; only a path with a backslash, quote or control character needs decoding.
            relative = json.loads(relative) if "\\" in relative else relative[1:-1]
            remembered[relative] = Remembered(relative, (int(mtime), int(size)), line)
        except ValueError:
            continue
    return remembered


def record_text(format: str, diagnostics: list[Diagnostic], conversations: list[Conversation]) -> str:
    return json.dumps({"format": format, "diagnostics": [diagnostic_record(d) for d in diagnostics],
                       "conversations": [conversation_record(c) for c in conversations]},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def same_outlines(record: str, other: str) -> bool:
    """Do two records list the same problems and outlines, whatever the conversations' messages say?

    The fingerprint digests the messages; everything else in a record is what lists and
    slugs are made from.
    """
    def without_fingerprints(text: str):
        data = json.loads(text)
        for conversation in data["conversations"]:
            conversation.pop("fingerprint", None)
        return data
    try:
        return without_fingerprints(record) == without_fingerprints(other)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def frame(slug: str, older: Conversation | None, newer: Conversation | None) -> list:
    return [slug, [older.slug, older.title] if older else None, [newer.slug, newer.title] if newer else None]


def neighbour_from(part: list | None) -> Conversation | None:
    """A stand-in for a neighbour in a frame: a conversation page shows only its slug and title."""
    if part is None:
        return None
    slug, title = part
    return Conversation(title=title, messages=[], source=Path(), slug=slug)


def conversation_record(conversation: Conversation) -> dict:
    outline = conversation.outline or conversation.outlined().outline
    return {
        "title": conversation.title, "participants": conversation.participants,
        "started": _when(conversation.started), "ended": _when(conversation.ended),
        "tags": conversation.tags, "summary": conversation.summary, "draft": conversation.draft,
        "metadata": conversation.metadata, "fingerprint": conversation.fingerprint, "slug_base": conversation.slug_base,
        "speakers": list(outline.speakers), "count": outline.message_count, "opening": list(outline.opening),
    }


def conversation_from(record: dict, source: Path) -> Conversation:
    return Conversation(
        title=record["title"], messages=[], source=source, participants=list(record["participants"]),
        started=_parse(record["started"]), ended=_parse(record["ended"]), tags=list(record["tags"]),
        summary=record["summary"], draft=record["draft"], metadata=dict(record["metadata"]),
        fingerprint=record["fingerprint"], slug_base=record.get("slug_base", ""),
        outline=Outline(tuple(record["speakers"]), record["count"], tuple(record["opening"])))


def diagnostic_record(diagnostic: Diagnostic) -> list:
    return [diagnostic.path, diagnostic.line, diagnostic.level, diagnostic.message]


def diagnostic_from(record: list) -> Diagnostic:
    return Diagnostic(*record)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
