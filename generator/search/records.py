"""A conversation page as a Pagefind record: its words, metadata and filters, read here, not by Pagefind.

Given a page's HTML, Pagefind parses it to find the words; given a record (its text, metadata and
filters), it only indexes. On 1,000 generated conversation pages Pagefind took 5.1 s of processor
time for their records against 8.2 s for the same pages cut down to what it reads
(documents.py), and the text is taken here in one pass of regular expressions.

A record has no anchors, so where each message starts (which Pagefind gives for the ``id`` of each
message's ``article``) travels in the metadata as ``messages``: for each message in order, the
words before it since the last, written in punctuation marks, which Pagefind does not index as
words (it indexes metadata's words); the search page reads them back (search.js, anchorsOf).

Only a page of the shape the default theme makes is read so: one ``data-pagefind-body`` element
of messages, marked metadata and filters with plain text before it, no weights. Any other page
is given to Pagefind as HTML (documents.py), so a theme of one's own indexes as it always did.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from generator.search.documents import CJK, element_end, may_hold_cjk, search_document, start_tag, tag_name

# The metadata that holds where each message starts (see the module's docstring).
MESSAGES = "messages"
# Digits in base 16, and the mark between a gap in the messages' numbers and the words before it:
# punctuation Pagefind does not index (search.js reads the same marks).
DIGITS = "!#$%()*+,-/:;=?@"
GAP = "."
_AS_MARKS = str.maketrans("0123456789abcdef", DIGITS)
_FROM_MARKS = str.maketrans(DIGITS, "0123456789abcdef")

_MARKED = re.compile(rb'<([a-z][a-z0-9]*)\b[^<>]*?\bdata-pagefind-(meta|filter)="([a-z]+)"[^<>]*>([^<>]*)</\1>')
_PAGEFIND = re.compile(rb"data-pagefind-([a-z-]+)")
_LANGUAGE = re.compile(rb'<html\b[^>]*\blang="([A-Za-z-]+)"')
# Languages whose text Pagefind's extended build cuts into words by a dictionary, not at spaces: its
# places would not be the words counted here.
_SEGMENTED = (b"zh", b"ja")
# What Pagefind would read after the body, or within it; then the page is given as HTML. (A weight in
# the body is read as text: a record has no weights, see search_entry.)
_MARKS = re.compile(rb"data-pagefind-(?:body|meta|filter|sort|default-meta|weight|index-attrs)")
_BODY_MARKS = re.compile(rb"data-pagefind-(?:body|meta|filter|sort|default-meta|index-attrs)")
# Elements Pagefind leaves out of a body or reads in its own way (an image's address for the page's
# image), and a message or its header the pattern below does not take (Pagefind would leave the
# header out, by EXCLUDED).
_UNREAD = re.compile(rb"<(?:head|style|script|noscript|label|form|svg|footer|nav|iframe|template|img|header|article)\b")
# A message's start tag and its header (which EXCLUDED leaves out), as the default theme writes them.
# A header runs to its end tag, not past the next message's start: one never closed is looked
# through once, not once for each message before it.
_MESSAGE = re.compile(rb'<article class="msg[ "][^<>]*\bid="m-([0-9]+)"[^<>]*>'
                      rb'<header>[^<]*(?:<(?!/header>|article\b)[^<]*)*</header>')
# How Pagefind reads a page's text: the text of a paragraph, heading, list, item, table cell,
# division, article or section is a sentence of its own (ended with a full stop when it ends in a
# word, so that excerpts read well), a line break parts words, and every other tag joins what is
# on either side of it.
_SENTENCE = "p|h[1-6]|td|div|ul|li|article|section"
_SENTENCE_START = re.compile(rf"<(?:{_SENTENCE}|br)\b[^<>]*>")
_OTHER_TAG = re.compile(rf"<(?!/(?:{_SENTENCE})>)[^<>]*>")
_SENTENCE_END = re.compile(rf"</(?:{_SENTENCE})>")
# What a sentence that takes a full stop ends in: a word's last character (a letter, a digit, '_'),
# a quote or a bracket, escaped or not.
_ENDS_IN_WORD = "_'\")$*"
_ESCAPED_QUOTES = ("&quot;", "&#34;", "&#39;")
_START = "\x00"  # where a message starts, in the text; no page of Antiphon's holds it
_START_MARK = f" {_START} ".encode()
_CJK_CHARACTER = re.compile(f"([{CJK}])")
_SEPARATORS = "\x1c\x1d\x1e\x1f"
# Unicode's White_Space, at which Pagefind parts words.
_SPACES = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


@dataclass
class Record:
    content: str
    language: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)


def search_entry(page: bytes) -> Record | bytes:
    """What Pagefind is given of a conversation page: its record, or its HTML (cut, see documents.py).

    A record has no weights: text the page weighs (the title a source gave, which the default theme
    puts before the messages so that a match there shows as one, and Chinese or Japanese in it is
    found) is read as the rest. Such a title still ranks a page first, as the page's title in its
    metadata (Pagefind ranked a title's word at 0.53 against 0.37 for the weighted copy alone)."""
    return record_of(page) or search_document(page)


def record_of(page: bytes) -> Record | None:
    """The record of a conversation page of the default theme's shape, or None."""
    at = page.find(b"data-pagefind-body")
    if at == -1 or page.find(b"data-pagefind-body", at + 1) != -1:
        return None
    body = start_tag(page, at)
    language = _LANGUAGE.search(page, 0, body or 0)
    if language is not None and language.group(1).split(b"-")[0].lower() in _SEGMENTED:
        return None
    tag_end = page.find(b">", at) + 1
    end = element_end(page, tag_name(page, body), tag_end) if body is not None and language else None
    if end is None or _MARKS.search(page, end):
        return None
    meta, filters = _marked(page[:body])
    if meta is None or "title" not in meta or MESSAGES in meta:
        return None
    numbers: list[int] = []
    # With its end tag, which ends a sentence; each message's start a mark, its number noted.
    inside = _MESSAGE.sub(lambda found: numbers.append(int(found[1])) or _START_MARK, page[tag_end:end])
    # (Pagefind reads metadata even in an element it leaves out.)
    if _BODY_MARKS.search(inside) or (inside := _without_ignored(inside)) is None or _UNREAD.search(inside):
        return None
    text = _text(inside)
    if may_hold_cjk(page):
        text = _CJK_CHARACTER.sub(r" \1 ", text)
    content, starts = _words_and_starts(text)
    if len(numbers) != len(starts) or not _has_word(content):  # a message without its header, or text
        return None  # that holds the mark; or no word (Pagefind leaves out such a record, not such a page)
    meta[MESSAGES] = _where_messages_start(numbers, starts)
    return Record(content, language.group(1).decode("ascii").lower(), meta, filters)


def _marked(before: bytes) -> tuple[dict[str, str] | None, dict[str, list[str]]]:
    """The metadata and filters marked before the body, each element of plain text (else None)."""
    meta: dict[str, str] = {}
    filters: dict[str, list[str]] = {}
    found = []
    for mark in _PAGEFIND.finditer(before):  # each element looked at where its mark is (not at every tag)
        element = _MARKED.match(before, before.rfind(b"<", 0, mark.start()))
        if element is None or element.start(2) != mark.start(1):  # weights, sorts, markup in the element
            return None, filters
        found.append(element.groups())
    for _, kind, name, value in found:
        text = html.unescape(value.decode("utf-8", "replace"))
        if kind == b"meta":
            meta[name.decode("ascii")] = text
        else:
            filters.setdefault(name.decode("ascii"), []).append(" ".join(text.split()))
    return meta, filters


def _without_ignored(inside: bytes) -> bytes | None:
    """``inside`` without the elements marked ``data-pagefind-ignore`` (None if one is not closed)."""
    parts, position = [], 0
    while (at := inside.find(b"data-pagefind-ignore", position)) != -1:
        start = start_tag(inside, at, position)
        tag_end = inside.find(b">", at) + 1
        end = element_end(inside, tag_name(inside, start), tag_end) if start is not None and tag_end else None
        if end is None:
            return None
        parts.append(inside[position:start])
        position = end
    parts.append(inside[position:])
    return b"".join(parts)


def _text(inside: bytes) -> str:
    text = inside.decode("utf-8", "replace")
    text = _OTHER_TAG.sub("", _SENTENCE_START.sub(" ", text))
    sentences = _SENTENCE_END.split(text)
    # Each sentence's last character, looked at here: a pattern before the end tag is tried at every
    # position of the text (ten times as long).
    text = "".join([sentence + (". " if (last := sentence[-1:]).isalnum() and last.isascii() or last in _ENDS_IN_WORD
                                or (last == ";" and sentence.endswith(_ESCAPED_QUOTES))
                                or not last.isascii() and _is_word_character(last) else " ")
                    for sentence in sentences[:-1]]) + sentences[-1]
    return html.unescape(text) if "&" in text else text


def _has_word(content: str) -> bool:
    """Whether Pagefind finds a word to index in ``content``: a letter, a digit or '_' (which its
    pattern and Python's agree on); it stops at the first, most often the first character."""
    return any(character.isalpha() or character.isdecimal() or character == "_" for character in content)


def _is_word_character(character: str) -> bool:
    """As Pagefind's pattern ``\\w`` has it (Rust's: letters, marks, decimal digits, connectors), but
    for the characters of Chinese and Japanese, which documents.py parts from what follows."""
    category = unicodedata.category(character)
    if category == "So":  # letters in circles and squares are letters to Unicode (Other_Alphabetic)
        return "\u24b6" <= character <= "\u24e9" or "\U0001f130" <= character <= "\U0001f189"
    return (category[0] in "LM" or category in ("Nd", "Nl", "Pc")) and not _CJK_CHARACTER.match(character)


def _words_and_starts(text: str) -> tuple[str, list[int]]:
    """The text's words, a space between each, and the number of words before each message."""
    if "\ufeff" in text:  # a space to JavaScript, not to Pagefind: a space to both
        text = text.replace("\ufeff", " ")
    # Python's str.split also parts words at the separators U+001C to U+001F, which Pagefind and
    # JavaScript take for letters.
    separated = any(separator in text for separator in _SEPARATORS)
    words = [word for word in _SPACES.split(text) if word] if separated else text.split()
    if "\u200b" in text:  # Pagefind takes zero-width spaces out of the words it shows: none is left alone
        words = [word for word in words if word.strip("\u200b")]
    starts, at = [], -1
    while (at := _find(words, _START, at + 1)) != -1:
        starts.append(at - len(starts))
    return (" " + " ".join(words)).replace(" " + _START, "")[1:], starts


def _find(words: list[str], word: str, start: int) -> int:
    try:
        return words.index(word, start)
    except ValueError:
        return -1


def _where_messages_start(numbers: list[int], starts: list[int]) -> str:
    tokens, number, start = [], 0, 0
    for this, at in zip(numbers, starts):
        tokens.append(f"{at - start:x}" if this == number + 1 else f"{this - number:x}{GAP}{at - start:x}")
        number, start = this, at
    return " ".join(tokens).translate(_AS_MARKS)


def message_starts(written: str) -> list[tuple[int, int]]:
    """(message number, words before it) for each message, from what _where_messages_start wrote
    (as the search page reads it)."""
    starts, number, start = [], 0, 0
    for token in written.split(" ") if written else ():
        gap, _, words = token.rpartition(GAP)
        number += int(gap.translate(_FROM_MARKS), 16) if gap else 1
        start += int(words.translate(_FROM_MARKS), 16)
        starts.append((number, start))
    return starts

