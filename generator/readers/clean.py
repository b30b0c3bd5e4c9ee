"""Bytes to text that is safe to publish: decoding, and characters no page may hold.

Model output sometimes holds a NUL, an escape sequence (U+001B) or a lone surrogate
(from a JSON ``\\ud800`` escape). None of them may reach the HTML (they make it
invalid, or cannot be encoded at all), yet dropping the conversation would lose
everything else in it. So each is replaced by a visible stand-in: a C0 control by
its Control Pictures symbol (U+0000 -> ␀, U+001B -> ␛), DEL by ␡, and anything
else (C1 controls, noncharacters, lone surrogates) by U+FFFD. A note names the file,
the line and the characters.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceError, note

# Tab and newline stay; \r is turned into \n before this runs. The noncharacters of the other planes
# (U+1FFFE…) are left: a class holding them is scanned ten times slower, and every file is scanned.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# Every byte but those an unsafe character's UTF-8 begins with (C0 controls but tab and newline, DEL,
# 0xC2 for C1 controls, 0xEF for the noncharacters; a carriage return too, for it is made a newline):
# text decoded from UTF-8 without one of them holds none, which bytes.translate finds out in C about
# ten times faster than UNSAFE scans the text (UTF-8 never decodes to a surrogate).
_NO_UNSAFE_LEAD = bytes(range(256)).translate(None, bytes([*range(0x09), *range(0x0b, 0x20), 0x7f, 0xc2, 0xef]))
# In JSON text: a raw control character, or an escape that decodes to one ('\b', '\u001b'; or to a surrogate,
# which may be a lone one), or to a carriage return ('\r', '\u000d': a line end to normalise, not worth a
# note). An escape counts where an even number of backslashes comes before it, so '\\u0000' (a backslash,
# then 'u0000') is not one. A quick test: most files have none, and are not walked. Each pattern starts
# with the one character it needs, which the regular expression engine looks for fast; a single pattern
# that also counted the backslashes before (with a look-behind) took a quarter of reading a JSON archive.
_UNSAFE_JSON_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNSAFE_JSON_ESCAPE = re.compile(r"\\(?:[bf]|u(?:00[01]|007[fF]|008|009|[dD][89a-fA-F]|[fF][dD][dDeE]|[fF]{3}[eEfF]))")
_CARRIAGE_RETURN_ESCAPE = re.compile(r"\\(?:r|u000[dD])")
# Binary data, not text: more than this share of NUL bytes.
_BINARY_NUL_SHARE = 0.01


def stand_in(char: str) -> str:
    """The visible character that takes the place of an unsafe one."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(text: str) -> str:
    """``text`` with ``\\n`` line ends and every unsafe character replaced by its stand-in."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(lambda match: stand_in(match.group()), text)


def replaced_note(path: Path | str, text: str, first: int) -> Diagnostic:
    """A note on the unsafe characters of ``text`` (the first at index ``first``), which were replaced."""
    found = UNSAFE.findall(text)
    kinds = ", ".join(f"U+{ord(c):04X}" for c in sorted(set(found))[:4]) + (", …" if len(set(found)) > 4 else "")
    line = text.count("\n", 0, first) + 1
    count = len(found)
    return note(path, line, f"{count} control character{'' if count == 1 else 's'} ({kinds}) replaced by "
                            "visible symbols (␀, ␛, �)")


def decode(path: Path | str, data: bytes) -> tuple[str, list[Diagnostic]]:
    """Bytes -> text with ``\\n`` line ends and no unsafe characters, and a note if some were replaced.

    A BOM is dropped (UTF-16 with a BOM is read too); binary data and text that is not UTF-8
    are errors that name the line.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(path, 1, "starts like UTF-16 but is not valid UTF-16; save the file as UTF-8") from None
    else:
        nul = data.find(b"\x00")
        if nul != -1 and data.count(b"\x00") > _BINARY_NUL_SHARE * len(data):
            line = data.count(b"\n", 0, nul) + 1
            raise SourceError(path, line, "binary data (NUL bytes); this is not a text transcript")
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
        if not data.translate(None, _NO_UNSAFE_LEAD):  # (and no BOM left: it begins with 0xEF)
            return text, []
    text = text.lstrip("\ufeff") if text.startswith("\ufeff") else text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    unsafe = UNSAFE.search(text)
    if unsafe is None:
        return text, []
    return clean(text), [replaced_note(path, text, unsafe.start())]


def json_unsafe_at(text: str) -> int:
    """Where the first character (or escape) that decodes to an unsafe character is, or -1."""
    character = _UNSAFE_JSON_CHARACTER.search(text)
    escape = _first_escape(_UNSAFE_JSON_ESCAPE, text, character.start() if character else len(text))
    return character.start() if character and (escape == -1 or character.start() < escape) else escape


def json_needs_cleaning(text: str) -> bool:
    """Whether some string in this JSON text decodes to an unsafe character or a carriage return."""
    return json_unsafe_at(text) != -1 or _first_escape(_CARRIAGE_RETURN_ESCAPE, text, len(text)) != -1


def _first_escape(pattern: re.Pattern, text: str, before: int) -> int:
    """Where the first match of ``pattern`` (a backslash and what follows it) before ``before`` is an
    escape, not the second half of an escaped backslash ('\\\\r' is a backslash, then 'r'); or -1."""
    for found in pattern.finditer(text, 0, before):
        start = backslash = found.start()
        while backslash > 0 and text[backslash - 1] == "\\":
            backslash -= 1
        if (start - backslash) % 2 == 0:
            return start
    return -1


def clean_value(value):
    """A decoded JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean(key): clean_value(item) for key, item in value.items()}
    return value
