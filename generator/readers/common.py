"""Shared by the readers of other formats: assembling the canonical model from (speaker, text) turns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.model import Conversation, Message
from generator.readers.jsondoc import content_text


@dataclass
class Turn:
    speaker: str
    text: str
    line: int = 0
    time: datetime | None = None
    kind: str = "message"


def conversation(source: Path, turns: list[Turn], title: str = "", started: datetime | None = None,
                 ended: datetime | None = None, metadata: dict[str, str] | None = None,
                 tags: list[str] | None = None) -> Conversation:
    """A Conversation from turns; title, start and end default to what the turns say."""
    messages = [Message(index, t.speaker, t.text.strip("\n"), t.line, t.time, t.kind)
                for index, t in enumerate(turns, start=1)]
    speakers = list(dict.fromkeys(m.speaker for m in messages if m.kind == "message"))
    # Subtitle and chat-log clock times sit on 1900-01-01: they say when in the recording, not when it was.
    times = [m.time for m in messages if m.time is not None and m.time.year > 1900]
    started = started or (min(times, key=_naive) if times else None)
    ended = ended or (max(times, key=_naive) if times else None)
    metadata = dict(metadata or {})
    if started:
        metadata.setdefault("Started", started.isoformat(sep=" "))
    if ended:
        metadata.setdefault("Ended", ended.isoformat(sep=" "))
    metadata["Messages"] = str(len(messages))
    if tags:
        metadata.setdefault("Tags", ", ".join(tags))
    title = " ".join(title.split()) or " ↔ ".join(speakers) or source.stem
    if title != " ↔ ".join(speakers):
        metadata.setdefault("Title", title)
    return Conversation(title=title, messages=messages, source=source, participants=speakers if len(speakers) > 1 else [],
                        started=started, ended=ended, tags=list(tags or []), metadata=metadata)


def _naive(when: datetime) -> datetime:
    return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone().replace(tzinfo=None)


MAX_RESULT_CHARS = 20_000


def block_turns(blocks: list, speaker: str, line: int, when: datetime | None, result_speaker: str | None = None
                ) -> list[Turn]:
    """Turns from Anthropic-style content blocks: text, thinking, tool_use, tool_result, image.

    Tool results are long (whole files, test logs): they are cut at ``MAX_RESULT_CHARS``.
    """
    turns = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            turns.append(Turn(speaker, str(block.get("text", "")), line, when))
        elif kind == "thinking":
            turns.append(Turn(speaker, str(block.get("thinking", "")), line, when, "thinking"))
        elif kind == "tool_use":
            arguments = json.dumps(block.get("input", {}), ensure_ascii=False, indent=2, sort_keys=True)
            turns.append(Turn(speaker, f"**{block.get('name', 'tool')}**\n\n{fenced(arguments, 'json')}", line, when,
                              "tool_call"))
        elif kind == "tool_result":
            output = content_text(block.get("content"))
            if len(output) > MAX_RESULT_CHARS:
                output = output[:MAX_RESULT_CHARS] + f"\n… ({len(output) - MAX_RESULT_CHARS} more characters)"
            label = "**error**\n\n" if block.get("is_error") else ""
            turns.append(Turn(result_speaker or speaker, label + fenced(output), line, when, "tool_result"))
        elif kind == "image":
            turns.append(Turn(speaker, "*[image]*", line, when))
    return turns


def fenced(text: str, language: str = "") -> str:
    """Text as a fenced code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in text.split("\n") for run in _backtick_runs(run)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _backtick_runs(line: str):
    run = 0
    for char in line:
        if char == "`":
            run += 1
        else:
            if run:
                yield "`" * run
            run = 0
    if run:
        yield "`" * run
