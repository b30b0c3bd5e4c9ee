"""Subtitle transcripts: WebVTT (``<v Speaker>``) and SRT (``Name:`` prefixes).

Consecutive cues of one speaker merge into one message; a cue without a voice or
name continues the previous speaker. Cue start times become message times
(offsets from the start, shown on 1900-01-01).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from generator.diagnostics import SourceError
from generator.readers.common import Turn, conversation, merge_consecutive

_TIMING = re.compile(r"^(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})[ \t]+-->[ \t]+(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})")
# '[^<>]' and not '[^>]': an unclosed '<v' must not make every later '<v' scan to the end of the line.
_VOICE = re.compile(r"<v(?:\.[^ \t<>]*)?[ \t]+(?P<name>[^<>\s][^<>]*)>")
_TAG = re.compile(r"</?[a-z][^<>]*>|<\d{1,2}:\d{2}[^<>]*>", re.I)
_PREFIX = re.compile(r"^(?P<name>[^\s:][^:\n]{0,39}):[ \t]+(?P<rest>.*)$")
_ORIGIN = datetime(1900, 1, 1)


_LONGEST = timedelta(days=365)  # a cue later than this is not a time in a recording


def _offset(value: str) -> datetime | None:
    """A cue's start as a clock time on 1900-01-01 (days past it for long recordings); None if absurd."""
    parts = value.replace(",", ".").split(":")
    if len(parts[0]) > 6:
        return None
    seconds = float(parts[-1]) + 60 * int(parts[-2]) + (3600 * int(parts[-3]) if len(parts) == 3 else 0)
    offset = timedelta(seconds=round(seconds, 3))
    return _ORIGIN + offset if offset < _LONGEST else None


def _cues(text: str, display: str):
    """(line, start, text lines) for each cue."""
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        timing = _TIMING.match(lines[number].strip())
        if not timing:
            number += 1
            continue
        start_line, body = number + 1, []
        number += 1
        while number < len(lines) and lines[number].strip():
            body.append(lines[number])
            number += 1
        yield start_line, _offset(timing.group("start")), body


def _one_voice(turns: list[Turn]) -> list[Turn]:
    """Consecutive cues of one speaker make one message."""
    return merge_consecutive(turns, lambda first, turn: first.speaker == turn.speaker, "\n")


class WebVTT:
    NAME = "webvtt"

    @staticmethod
    def sniff(head: str) -> bool:
        return head.lstrip("\ufeff").startswith("WEBVTT")

    @staticmethod
    def read(path, text, display):
        if not WebVTT.sniff(text):
            raise SourceError(display, 1, "a WebVTT file must start with 'WEBVTT'")
        turns: list[Turn] = []
        speaker = "Speaker"
        for line, when, body in _cues(text, display):
            for raw in body:
                voice = _VOICE.search(raw)
                if voice:
                    speaker = voice.group("name").strip()
                content = _TAG.sub("", raw).strip()
                if content:
                    turns.append(Turn(speaker, content, line, when))
        return [conversation(path, _one_voice(turns), metadata={"Source format": "WebVTT"})], []


class SRT:
    NAME = "srt"

    @staticmethod
    def sniff(head: str) -> bool:
        return any(_TIMING.match(line.strip()) for line in head.splitlines()[:12])

    @staticmethod
    def read(path, text, display):
        turns: list[Turn] = []
        speaker = "Speaker"
        for line, when, body in _cues(text, display):
            for raw in body:
                content = _TAG.sub("", raw).strip()
                prefix = _PREFIX.match(content)
                if prefix and not re.fullmatch(r"[\d ]+", prefix.group("name")):
                    speaker, content = prefix.group("name").strip(), prefix.group("rest")
                if content:
                    turns.append(Turn(speaker, content, line, when))
        return [conversation(path, _one_voice(turns), metadata={"Source format": "SRT subtitles"})], []
