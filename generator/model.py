"""The one canonical model: every reader produces it, everything downstream consumes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path


MESSAGE_KINDS = ("message", "thinking", "tool_call", "tool_result")


@dataclass(frozen=True)
class Message:
    index: int  # 1-based position in the conversation, in source order
    speaker: str
    text: str  # the message body exactly as written (empty for an empty turn)
    line: int = 0  # source line of the message's heading; 0 when unknown
    time: datetime | None = None  # when it was sent, where the source says
    kind: str = "message"  # one of MESSAGE_KINDS: tool traffic and thinking are shown apart from speech


@dataclass
class Conversation:
    title: str
    messages: list[Message]
    source: Path  # the file it was read from
    participants: list[str] = field(default_factory=list)
    started: datetime | None = None
    ended: datetime | None = None
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    draft: bool = False
    # Every header key as written (Started, Tags, custom keys...), in file order.
    metadata: dict[str, str] = field(default_factory=dict)
    # Identifies the source content this conversation was read from (set by the readers);
    # a page built from it is current as long as this is unchanged.
    fingerprint: str = ""
    # Assigned by the site once every conversation is known (collisions need them all).
    slug: str = ""

    @cached_property
    def speakers(self) -> list[str]:
        """Participants first (title order), then anyone else who spoke, in order of appearance.

        Tool traffic and thinking are not speech: a speaker seen only there (a 'Tool') is not listed.
        """
        seen = dict.fromkeys(self.participants)
        for message in self.messages:
            if message.kind == "message":
                seen.setdefault(message.speaker, None)
        return list(seen)
