"""Readers turn one source file into :class:`~generator.model.Conversation` objects.

Each format lives in its own module and exposes ``read(path, text)`` returning
``(conversations, diagnostics)``. :func:`read_file` picks the reader and turns
undecodable input into a clear :class:`~generator.diagnostics.SourceError`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError
from generator.model import Conversation
from generator.readers import native

# File suffixes the content walk considers transcripts.
SUFFIXES = (".md", ".markdown", ".txt")


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


def read_file(path: Path, display: str | None = None) -> tuple[list[Conversation], list[Diagnostic]]:
    """Read one transcript file. ``display`` is the path shown in diagnostics (relative, usually)."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(shown, 0, f"cannot read file: {err.strerror}") from None
    return read_bytes(path, data, shown)


def read_bytes(path: Path, data: bytes, display: str) -> tuple[list[Conversation], list[Diagnostic]]:
    text = decode(display, data)
    conversations, diagnostics = native.read(path, text, display)
    content = hashlib.sha1(data).hexdigest()
    for position, conversation in enumerate(conversations):
        conversation.fingerprint = f"{content}:{position}"
    return conversations, diagnostics
