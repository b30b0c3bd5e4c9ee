"""Stage directions: a paragraph or a line that is wholly one ``*…*`` span.

Runs as a markdown-it core rule after inline parsing. A paragraph that is one
such span becomes ``<p class="stage">``; a single such line inside a longer
paragraph becomes ``<span class="stage">`` (the line break after it stays).
Emphasis nested inside a direction (``*cools—no, *settles*, like ash*``) is
kept as ``<em>`` inside it, so no asterisk is left on the page.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_BREAKS = ("softbreak", "hardbreak")


def stage_directions(state: StateCore) -> None:
    tokens = state.tokens
    for position, token in enumerate(tokens):
        if token.type != "inline" or not token.children or position == 0:
            continue
        paragraph = tokens[position - 1]
        if paragraph.type != "paragraph_open":
            continue
        if find_directions(token.children):
            paragraph.attrSet("class", "stage")
            token.children = token.children[1:-1]


def find_directions(children: list[Token]) -> bool:
    """Mark direction lines in a paragraph's inline tokens; True when the whole paragraph is one.

    A whole-paragraph direction is left for the caller to unwrap (its first and last
    tokens are the span's ``em`` tags); single lines are re-tagged as ``stage`` spans.
    """
    lines = _split_lines(children)
    if len(lines) == 1 and lines[0] == (0, len(children)) and _is_direction(children, 0, len(children)):
        return True
    if len(lines) == 1:
        return False
    for start, end in lines:
        if _is_direction(children, start, end):
            _retag(children[start], "stage_open")
            _retag(children[end - 1], "stage_close")
    return False


def _split_lines(children: list[Token]) -> list[tuple[int, int]]:
    """Half-open child ranges between line breaks."""
    lines, start = [], 0
    for index, child in enumerate(children):
        if child.type in _BREAKS:
            lines.append((start, index))
            start = index + 1
    lines.append((start, len(children)))
    return lines


def _is_direction(children: list[Token], start: int, end: int) -> bool:
    """True when children[start:end] is one ``*``-emphasis span from its first to its last token."""
    if end - start < 2:
        return False
    first, last = children[start], children[end - 1]
    if first.type != "em_open" or first.markup != "*" or last.type != "em_close":
        return False
    depth = 0
    for child in children[start:end - 1]:
        if child.type == "em_open":
            depth += 1
        elif child.type == "em_close":
            depth -= 1
            if depth == 0:  # the opening span closed before the line ended
                return False
    # The last token must close the first: with an inner span still open, it closes that one
    # (`*"said… *to me.*` then more lines: the outer span goes on past the line).
    return depth == 1


def _retag(token: Token, kind: str) -> None:
    token.type = kind
    token.tag = "span"
    if kind == "stage_open":
        token.attrSet("class", "stage")

