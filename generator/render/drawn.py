"""Text laid out by its author: frames, ASCII art, aligned columns, terminal output.

Models draw (``╔══╗ ║ SYSTEM STATUS: OK ║ ╚══╝``). As Markdown such a block loses its
spacing and font, so its frame no longer lines up, and its symbols may even be read
as rules, bullets or code. This module finds those blocks (paragraphs between blank
lines, outside fenced code) so that they can be set monospace with their spacing
kept. A paragraph is drawn when:

- a line holds box-drawing or block characters (U+2500–U+259F) or Braille patterns;
- or two of its lines have a run of two or more spaces inside them at the same
  column (aligned columns: ``ls -la`` output, a table typed with spaces), not a
  sentence's double space;
- or two of its lines are mostly symbols (``/\\_/\\``, ``( o.o )``, ``~~~~~~``).

Verse with indented lines, prose with two spaces after a full stop, Markdown
lists, quotes and headings are not drawn.
"""

from __future__ import annotations

import re

_BOX = re.compile("[\u2500-\u259f\u2800-\u28ff]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INNER_GAP = re.compile(r"(?<=\S)  +(?=\S)")
_SENTENCE_END = ".!?:;,"
# A GFM table's delimiter row ('|---|:--:|'): its paragraph is a table, not a drawing.
TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_MARKDOWN_LINE = re.compile(r"^ {0,3}(?:[-+*] |\d{1,9}[.)] |#{1,6} |> |>$)")


def split_drawn(text: str) -> list[tuple[bool, str]]:
    """``text`` as (drawn?, part) in order; joined they give ``text`` back. Blank lines between
    parts stay with the text around them."""
    if not _might_be_drawn(text):
        return [(False, text)]
    parts: list[tuple[bool, str]] = []
    prose: list[str] = []
    for paragraph, is_drawn in _paragraphs(text):
        if is_drawn:
            if prose:
                parts.append((False, "".join(prose)))
                prose = []
            parts.append((True, paragraph))
        else:
            prose.append(paragraph)
    if prose:
        parts.append((False, "".join(prose)))
    return parts


def _might_be_drawn(text: str) -> bool:
    """A quick test (in C) that lets most messages skip the line-by-line look: a box or other drawing
    character, a gap of two spaces inside a line, or three symbols in a row ('/\\_', not '...' or '**').
    Three searches, each a single class the engine scans fast (an alternation is slower than all three)."""
    if not text.isascii() and _DRAWING.search(text):
        return True
    if "  " in text and _SPACES_THEN_TEXT.search(text):  # a literal first: scanned fast (indents match too)
        return True
    return _SYMBOL_RUN.search(text) is not None


_DRAWING = re.compile("[\u2190-\u2bff\u2800-\u28ff]")  # arrows, technical, box, block, shapes, Braille
_ART_SYMBOL = "[_!#$%&()+/:;<=>?@\\[\\\\\\]^`{|}~]"
_SYMBOL_RUN = re.compile(_ART_SYMBOL * 3)  # written out: '{3}' makes the engine twice as slow here
_SPACES_THEN_TEXT = re.compile(r"  +[^\s]")
_SYMBOL = re.compile(r"[^\w\s]")


def _paragraphs(text: str):
    """(chunk, drawn?) for each paragraph (with the line break after it) and each blank or fenced stretch."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:  # a fenced block, to its closing fence or the end: code, never drawn here
            end = index + 1
            while end < len(lines) and not lines[end].lstrip().startswith(fence.group(1)):
                end += 1
            end = min(end + 1, len(lines))
            yield _joined(lines, index, end), False
            index = end
            continue
        if not line.strip():
            yield _joined(lines, index, index + 1), False
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].strip() and not _FENCE.match(lines[end]):
            end += 1
        yield _joined(lines, index, end), is_drawn(lines[index:end])
        index = end


def _joined(lines: list[str], start: int, end: int) -> str:
    """Lines start..end with their line breaks (the last line of the text has none)."""
    text = "\n".join(lines[start:end])
    return text + "\n" if end < len(lines) else text


def is_drawn(lines: list[str]) -> bool:
    """Is this paragraph (its lines) drawn rather than written?"""
    if _BOX.search("\n".join(lines)):
        return True
    if len(lines) < 2 or sum(1 for line in lines if _MARKDOWN_LINE.match(line)) * 2 > len(lines):
        return False
    if "|" in lines[0] and TABLE_DELIMITER.match(lines[1]):
        return False  # a Markdown table, which is shown as a table
    if sum(1 for line in lines if symbol_line(line)) >= 2:
        return True
    return _aligned(lines)


def symbol_line(line: str) -> bool:
    """Mostly symbols: drawn with characters, not words (a line of '*' or '-' is Markdown's rule)."""
    stripped = line.strip()
    if len(stripped) < 3:
        return False
    symbols = len(_SYMBOL.findall(stripped))  # '_' counts as a letter here: a word character
    solid = len(stripped) - stripped.count(" ")
    return symbols * 10 >= 6 * solid and len(set(stripped)) > 2


def _aligned(lines: list[str]) -> bool:
    """Two lines with a gap of 2+ spaces ending at the same column (not after a sentence's end)."""
    columns: dict[int, int] = {}
    for line in lines:
        for gap in _INNER_GAP.finditer(line):
            if line[gap.start() - 1] in _SENTENCE_END:
                continue
            columns[gap.end()] = columns.get(gap.end(), 0) + 1
            if columns[gap.end()] >= 2:
                return True
    return False
