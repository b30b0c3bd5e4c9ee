"""What a build remembers of its sources, so the next build need not read unchanged files.

For each source file: its signature (mtime, size), the reader that read it, its
problems, and an outline of each conversation (everything but the messages). It
is stored as JSON in the output folder's manifest; a stale or unreadable record
is simply read again from the source.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.model import Conversation, Outline


def conversation_record(conversation: Conversation) -> dict:
    outline = conversation.outline or conversation.outlined().outline
    return {
        "title": conversation.title, "participants": conversation.participants,
        "started": _when(conversation.started), "ended": _when(conversation.ended),
        "tags": conversation.tags, "summary": conversation.summary, "draft": conversation.draft,
        "metadata": conversation.metadata, "fingerprint": conversation.fingerprint,
        "speakers": list(outline.speakers), "count": outline.message_count, "opening": list(outline.opening),
    }


def conversation_from(record: dict, source: Path) -> Conversation:
    return Conversation(
        title=record["title"], messages=[], source=source, participants=list(record["participants"]),
        started=_parse(record["started"]), ended=_parse(record["ended"]), tags=list(record["tags"]),
        summary=record["summary"], draft=record["draft"], metadata=dict(record["metadata"]),
        fingerprint=record["fingerprint"],
        outline=Outline(tuple(record["speakers"]), record["count"], tuple(record["opening"])))


def diagnostic_record(diagnostic: Diagnostic) -> list:
    return [diagnostic.path, diagnostic.line, diagnostic.level, diagnostic.message]


def diagnostic_from(record: list) -> Diagnostic:
    return Diagnostic(*record)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
