"""JSON and JSON Lines sources, read record by record with line numbers and JSON paths.

A top-level JSON array is decoded one element at a time (``raw_decode``), so a
200 MB export is never held as one object tree next to its text; JSON Lines are
decoded line by line. Errors name the line and the JSON path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Iterator

from generator.diagnostics import SourceError
from generator.readers.clean import clean_value, json_needs_cleaning

# strict=False: a raw tab or control character inside a string is read (and then cleaned), not refused.
_DECODER = json.JSONDecoder(strict=False)
_SPACE = " \t\n\r"


@dataclass(frozen=True)
class Record:
    line: int  # where the record starts in the file
    path: str  # JSON path of the record: '$', '$[3]', or '$' for each JSON Lines line
    value: Any


@dataclass(frozen=True)
class DamagedLine:
    """A line of JSON Lines that is not JSON (cut short, or edited by hand): skipped, not fatal."""
    line: int
    text: str
    problem: str


def records(text: str, display: str, lines: bool, damaged: list[DamagedLine] | None = None,
            objects: bool = False) -> Iterator[Record]:
    """The records of a source: each line of JSON Lines, each element of a top-level array, or the one value.

    Strings in them hold no unsafe characters (see readers/clean.py). A line of JSON Lines that is not
    JSON (or, with ``objects``, not a JSON object) is added to ``damaged`` and skipped, when that list
    is given; else it stops the reading."""
    if not json_needs_cleaning(text):
        yield from _records(text, display, lines, damaged, objects)
        return
    for record in _records(text, display, lines, damaged, objects):
        try:
            value = clean_value(record.value)
        except RecursionError:
            raise SourceError(display, record.line, "JSON nested too deeply to read") from None
        yield Record(record.line, record.path, value)


def _records(text: str, display: str, lines: bool, damaged: list[DamagedLine] | None,
             objects: bool) -> Iterator[Record]:
    if lines:
        yield from _lines(text, display, damaged, objects)
        return
    start = _skip(text, 0)
    if start < len(text) and text[start] == "[":
        yield from _array(text, display, start)
        return
    value, end = _decode(text, start, display)
    if _skip(text, end) != len(text):
        _fail(text, _skip(text, end), display, "extra data after the JSON value")
    yield Record(text.count("\n", 0, start) + 1, "$", value)


def leading_records(text: str, display: str, lines: bool, count: int) -> list[Record]:
    """The first ``count`` records; for JSON Lines, of the lines that are JSON (when none is, the first
    line's problem is the file's error)."""
    damaged: list[DamagedLine] = []
    found = list(islice(records(text, display, lines, damaged if lines else None), count))
    if not found and damaged:
        raise SourceError(display, damaged[0].line, damaged[0].problem)
    return found


def the_rest(leading: list[Record], text: str, display: str, lines: bool, damaged: list[DamagedLine] | None = None,
             objects: bool = False) -> Iterator[Record]:
    """All the records, given the leading ones :func:`leading_records` found: a source that is one JSON
    value is that one record, not decoded again (a large export's value took as long again)."""
    if not lines and len(leading) == 1 and leading[0].path == "$":
        return iter(leading)
    return records(text, display, lines, damaged, objects)


def _lines(text: str, display: str, damaged: list[DamagedLine] | None, objects: bool) -> Iterator[Record]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        value, problem = _line_value(line)
        if objects and not problem and not isinstance(value, dict):
            problem = f"line is not a JSON object but {_kind(value)}"
        if not problem:
            yield Record(number, "$", value)
        elif damaged is None:
            raise SourceError(display, number, problem)
        else:
            damaged.append(DamagedLine(number, line, problem))


def _line_value(line: str) -> tuple[Any, str]:
    """The value of a line of JSON Lines, or what is wrong with it."""
    try:
        value, end = _DECODER.raw_decode(line, _skip(line, 0))
    except json.JSONDecodeError as err:
        return None, f"line is not JSON: {err.msg} (column {err.colno})"
    except (ValueError, RecursionError) as err:
        return None, f"line is not JSON that can be read: {_unreadable(err)}"
    if _skip(line, end) != len(line):
        return None, f"line is not JSON: extra data (column {_skip(line, end) + 1})"
    return value, ""


def _array(text: str, display: str, start: int) -> Iterator[Record]:
    position, line, counted = start + 1, 1 + text.count("\n", 0, start), start
    index = 0
    position = _skip(text, position)
    if position < len(text) and text[position] == "]":
        return
    while True:
        line += text.count("\n", counted, position)
        counted = position
        value, position = _decode(text, position, display)
        yield Record(line, f"$[{index}]", value)
        index += 1
        position = _skip(text, position)
        if position >= len(text):
            _fail(text, position, display, "the file ends inside the top-level array (truncated?)")
        if text[position] == "]":
            if _skip(text, position + 1) != len(text):
                _fail(text, _skip(text, position + 1), display, "extra data after the JSON value")
            return
        if text[position] != ",":
            _fail(text, position, display, "expected ',' or ']' between array elements")
        position = _skip(text, position + 1)
        if position >= len(text):
            _fail(text, position, display, "the file ends inside the top-level array (truncated?)")


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position


def _decode(text: str, position: int, display: str):
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as err:
        raise SourceError(display, err.lineno, f"invalid JSON: {err.msg} (column {err.colno})") from None
    except (ValueError, RecursionError) as err:  # a number of thousands of digits; nesting past Python's limit
        raise SourceError(display, text.count("\n", 0, position) + 1,
                          f"JSON that cannot be read: {_unreadable(err)}") from None


def _unreadable(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return "a number too long to read" if "digits" in str(err) else str(err)


def _fail(text: str, position: int, display: str, message: str):
    raise SourceError(display, text.count("\n", 0, position) + 1, message)


# -- reading fields with helpful errors ------------------------------------------------------

class Shape:
    """Typed access to one record's fields; a wrong type is an error naming the JSON path."""

    def __init__(self, record: Record, display: str):
        self.record = record
        self.display = display

    def fail(self, path: str, message: str):
        raise SourceError(self.display, self.record.line, f"{path}: {message}")

    def object(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, found {_kind(value)}")
        return value

    def array(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            self.fail(path, f"expected an array, found {_kind(value)}")
        return value

    def objects(self, value: Any, path: str) -> Iterator[tuple[str, dict]]:
        """The items of an array of objects, each with its own path (``path[i]``), checked as they come."""
        for index, item in enumerate(self.array(value, path)):
            yield f"{path}[{index}]", self.object(item, f"{path}[{index}]")

    def text(self, value: Any, path: str, default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(path, f"expected a string, found {_kind(value)}")
        return value


def text_of(value: Any, default: str = "") -> str:
    """``value`` if it is a string, else ``default``: optional fields of the wrong type are ignored."""
    return value if isinstance(value, str) else default


def dict_of(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def list_of(value: Any) -> list:
    return value if isinstance(value, list) else []


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def timestamp(value: Any) -> datetime | None:
    """Unix seconds (int/float) or an ISO 8601 string -> datetime (UTC for numbers); None if absent/unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds, as some exports write
            return datetime.fromtimestamp(seconds, timezone.utc).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and len(value) < 64:
        try:
            return usable(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def usable(when: datetime | None) -> datetime | None:
    """``when``, if it can be compared with every other time (in UTC, it stays within years 1-9999)."""
    if when is None or when.tzinfo is None:
        return when
    try:
        when.astimezone(timezone.utc)
    except OverflowError:
        return None
    return when


def content_text(content: Any) -> str:
    """Text from a message content that is a string or a list of parts ({'type': 'text', 'text': …} or strings)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict):
                if isinstance(part.get("text"), str):
                    texts.append(part["text"])
                elif isinstance(part.get("refusal"), str):  # what a model said instead of answering
                    texts.append(part["refusal"])
                elif part.get("type") in ("image_url", "image", "input_image"):
                    texts.append("*[image]*")
                elif part.get("type") in ("input_audio", "audio"):
                    texts.append("*[audio]*")
                elif part.get("type") in ("file", "input_file"):
                    name = text_of(dict_of(part.get("file")).get("filename")) or text_of(part.get("filename"))
                    texts.append(f"*[file: {name}]*" if name else "*[file]*")
        return "\n\n".join(t for t in texts if t)
    if isinstance(content, (int, float)) and not isinstance(content, bool):
        return str(content)
    return ""
