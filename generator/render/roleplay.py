"""Stage directions that span paragraphs, roleplay style::

    *She turns to the window.

    Outside, the rain has stopped.*

Markdown sees an unclosed '*' and an unopened one, and shows both. Each paragraph of
such a span is made a direction of its own before the message is rendered (the text
read stays as written). Kept apart from stage.py, which needs markdown-it: most
messages are rendered without it.
"""

from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n(?:[ \t]*\n)*)")
_BLOCK_START = re.compile(r"^ {0,3}(?:[-+*>#]|\d{1,9}[.)]|`{3}|~{3}| {4})")


def close_spanning_directions(text: str) -> str:
    """Roleplay style opens a direction with '*' at the start of one paragraph and closes it with '*'
    at the end of a later one; Markdown then shows two stray asterisks. Each paragraph of such a
    span is made a direction of its own (the text read is unchanged: this is what is rendered)."""
    if "\n\n" not in text and "\n \n" not in text or text.count("*") < 2 or not _may_open_a_span(text):
        return text
    pieces = _PARAGRAPH_BREAK.split(text)  # paragraph, break, paragraph, …
    paragraphs = pieces[0::2]
    index = 0
    while index < len(paragraphs):
        if _opens_only(paragraphs[index]):
            end = index + 1
            while end < len(paragraphs) and _plain(paragraphs[end]):
                end += 1
            if end < len(paragraphs) and _closes_only(paragraphs[end]):
                for inner in range(index, end + 1):
                    paragraphs[inner] = _wrapped(paragraphs[inner], inner > index, inner < end)
                index = end
        index += 1
    pieces[0::2] = paragraphs
    return "".join(pieces)


def _may_open_a_span(text: str) -> bool:
    """The quick test, with string methods: a paragraph that starts with '*' and has no other."""
    if "\n \n" in text or "\n\t\n" in text:
        return True  # blank lines with spaces: let the regular expression split them
    return any(paragraph.lstrip()[:1] == "*" and paragraph.count("*") == 1 for paragraph in text.split("\n\n"))


def _opens_only(paragraph: str) -> bool:
    """'*she turns…' with no other '*' in the paragraph."""
    text = paragraph.strip()
    return (len(text) > 1 and text[0] == "*" and not text[1].isspace() and text[1] != "*"
            and text.count("*") == 1 and not _BLOCK_START.match(paragraph.lstrip("*")))


def _closes_only(paragraph: str) -> bool:
    text = paragraph.strip()
    return (len(text) > 1 and text[-1] == "*" and not text[-2].isspace() and text[-2] != "*"
            and text.count("*") == 1 and not _BLOCK_START.match(paragraph))


def _plain(paragraph: str) -> bool:
    """A paragraph between the two ends: text without markup that could end the span or be a block."""
    return bool(paragraph.strip()) and "*" not in paragraph and "`" not in paragraph and not any(
        _BLOCK_START.match(line) for line in paragraph.split("\n"))


def _wrapped(paragraph: str, opening: bool, closing: bool) -> str:
    """The paragraph with '*' added where its part of the span starts and ends."""
    body = paragraph.rstrip()
    trailing = paragraph[len(body):]
    lead = len(body) - len(body.lstrip())
    if opening:
        body = body[:lead] + "*" + body[lead:]
    if closing:
        body += "*"
    return body + trailing
