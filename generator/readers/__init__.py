"""Readers turn one source file into :class:`~generator.model.Conversation` objects.

One module per format. The reader is chosen by the file's suffix and then by its
content (never by guessing from the name alone):

- ``.md`` ``.markdown`` ``.txt``: native (``# A ↔ B`` + ``---``/``### speaker``), Backrooms logs
  (``### Name ###``), plain ``Speaker: text``.
- ``.json``: ChatGPT and Claude.ai exports, ShareGPT, OpenAI chat messages, AI-to-AI runner JSON
  and message lists; ``.jsonl``/``.ndjson``: the same one per line, and Claude Code sessions.
- ``.vtt`` WebVTT and ``.srt`` subtitles.

A file no reader claims gives a warning; a file that a reader claims but cannot
read gives an error naming the line (and the JSON path).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError, warning
from generator.model import Conversation
from generator.readers import (backrooms, chatgpt, claude_ai, claude_code, jsondoc, native, openai_chat, plaintext,
                               runner, sharegpt)
from generator.readers.subtitles import SRT, WebVTT

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
JSON_SUFFIXES = {".json": False, ".jsonl": True, ".ndjson": True}  # suffix -> one record per line
SUBTITLE_READERS = {".vtt": WebVTT, ".srt": SRT}
SUFFIXES = TEXT_SUFFIXES + tuple(JSON_SUFFIXES) + tuple(SUBTITLE_READERS)

TEXT_READERS = (native, backrooms, plaintext)  # the most particular first
JSON_READERS = (chatgpt, claude_ai, claude_code, sharegpt, openai_chat, runner)
_SNIFF_CHARS = 65536


@dataclass
class ReadResult:
    format: str  # the reader's name; "" when no reader claimed the file
    conversations: list[Conversation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def decode(path: Path | str, data: bytes) -> str:
    """Bytes -> text with ``\\n`` line ends; a BOM is dropped; binary or non-UTF-8 input is an error."""
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceError(path, line, "binary data (a NUL byte); this is not a text transcript")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - line_start + 1
        raise SourceError(
            path, line,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at column {column}); save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path, display: str | None = None) -> ReadResult:
    """Read one file. ``display`` is the path shown in diagnostics (relative, usually)."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(shown, 0, f"cannot read file: {err.strerror}") from None
    content = hashlib.sha1(data).hexdigest()
    text = decode(shown, data)
    del data  # a large export is then held once, as text, while it is read
    return _fingerprinted(_read_text(path, text, shown), content)


def read_header_file(path: Path, display: str) -> ReadResult | None:
    """A native transcript's conversation without its messages (see :func:`native.read_header`):
    what a large build needs first, cheaply. None for any other file, or one that cannot be read
    so: :func:`read_file` reads it (and says what is wrong with it)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    try:
        data = path.read_bytes()
        text = decode(display, data)
        if not native.sniff(text[:_SNIFF_CHARS]):
            return None
        conversation, diagnostics = native.read_header(path, text, display)
    except (OSError, SourceError):
        return None
    return _fingerprinted(ReadResult(native.NAME, [conversation], diagnostics), hashlib.sha1(data).hexdigest())


def read_bytes(path: Path, data: bytes, display: str) -> ReadResult:
    return _fingerprinted(_read_text(path, decode(display, data), display), hashlib.sha1(data).hexdigest())


def _fingerprinted(result: ReadResult, content: str) -> ReadResult:
    for position, conversation in enumerate(result.conversations):
        conversation.fingerprint = f"{content}:{position}"
    return result


def _read_text(path: Path, text: str, display: str) -> ReadResult:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        lines = JSON_SUFFIXES[suffix]
        first = jsondoc.first_record(text, display, lines)
        if first is None:
            return ReadResult("", [], [warning(display, 1, "empty JSON file; nothing to read")])
        reader = next((r for r in JSON_READERS if r.claims(first, lines)), None)
        if reader is None:
            return _unclaimed(display, "JSON of a shape no reader knows (ChatGPT or Claude.ai export, ShareGPT, "
                                       "OpenAI messages, Claude Code session, runner JSON)")
        conversations, diagnostics = reader.read(jsondoc.records(text, display, lines), path, display)
        return ReadResult(reader.NAME, conversations, diagnostics)
    head = text[:_SNIFF_CHARS]
    if suffix in SUBTITLE_READERS:
        reader = SUBTITLE_READERS[suffix]
        if not reader.sniff(head):
            return _unclaimed(display, f"no subtitle cues found in this {suffix} file")
        return ReadResult(reader.NAME, *reader.read(path, text, display))
    for reader in TEXT_READERS:
        if reader.sniff(head):
            return ReadResult(reader.NAME, *reader.read(path, text, display))
    if _looks_native(head):  # meant as a native transcript: say what is wrong with it
        return ReadResult(native.NAME, *native.read(path, text, display))
    return _unclaimed(display, "no reader recognises this file (expected '# A ↔ B' with '---'/'### speaker' "
                               "messages, '### Name ###' log headers, or 'Speaker: text' lines)")


def _looks_native(head: str) -> bool:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return first.startswith("# ") or "\n### " in head or head.startswith("### ")


def _unclaimed(display: str, why: str) -> ReadResult:
    return ReadResult("", [], [warning(display, 0, f"skipped: {why}")])


__all__ = ["ReadResult", "SUFFIXES", "decode", "read_bytes", "read_file", "read_header_file"]
