"""A fast path for the common subset of message text, byte-identical to the markdown-it path.

Most transcript messages are paragraphs of verse with ``*emphasis*``, ``**strong**``,
`` `code` `` and stage directions. :func:`render_simple` renders exactly those, using
markdown-it's own character classes and escaping, and returns ``None`` for anything
else (a list, a heading, a link, a backslash, an entity, a tricky delimiter run…), so
the caller falls back to markdown-it. ``tests/test_fast_path.py`` checks the two
paths agree on thousands of generated messages and on every sample and fixture.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace

from generator.render.stage import find_directions

# Lines that could start a block other than a paragraph (up to 3 spaces of indent are allowed).
_BLOCK_START = re.compile(r"^ {0,3}(?:[#>]|[-+*](?:[ \t]|$)|\d{1,9}[.)]|```|~~~|<|=+[ ]*$|-+[ ]*$|_{3,}| {4})")
_THEMATIC = re.compile(r"^ {0,3}([*_-])[ ]*(?:\1[ ]*){2,}$")
# Characters and sequences that start an inline construct this path does not handle.
_REJECT = re.compile(r"[\\<|~\x00]|[^\S \n]|\]\(|\]:|&[#A-Za-z0-9]+;|`{2,}|\*{3,}")
_SPECIAL = re.compile(r"[`*_\n]")


def render_simple(text: str, verse: bool = True) -> str | None:
    """HTML for ``text`` when it is within the simple subset, else ``None``."""
    if _REJECT.search(text):  # also any whitespace but ' ' and newline (tabs, no-break spaces…)
        return None
    out = []
    for paragraph in _paragraphs(text):
        if paragraph is None:
            return None
        children = _inline(paragraph)
        if children is None:
            return None
        whole = find_directions(children)
        if whole:
            children = children[1:-1]
        body = _render_inline(children, verse)
        out.append(('<p class="stage">' if whole else "<p>") + body + "</p>\n")
    return "".join(out)


def _paragraphs(text: str):
    """The paragraphs' inline source as markdown-it sees it (lines joined, outer whitespace trimmed)."""
    block: list[str] = []
    for line in text.split("\n") + [""]:
        if line.strip(" "):
            if _BLOCK_START.match(line) or _THEMATIC.match(line):
                yield None
                return
            block.append(line)
        elif block:
            yield "\n".join(block).strip(" \n")
            block = []


def _scan(src: str, start: int, end: int, can_split_word: bool) -> tuple[bool, bool]:
    """markdown-it's delimiter classification for the run src[start:end]."""
    last = src[start - 1] if start > 0 else " "
    following = src[end] if end < len(src) else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return can_open, can_close


class _Token:
    """The few fields of markdown-it's Token that the stage-direction rule reads (a lighter object)."""
    __slots__ = ("type", "tag", "content", "markup")

    def __init__(self, kind: str, tag: str, content: str = "", markup: str = ""):
        self.type, self.tag, self.content, self.markup = kind, tag, content, markup

    def attrSet(self, name: str, value: str) -> None:  # noqa: N802 (markdown-it's name)
        pass  # the only attribute set is the stage class, which the renderer below writes itself


class _Run:
    """A run of '*': how many are left unmatched, and the tags it opens or closes."""
    __slots__ = ("count", "can_open", "can_close", "opens", "closes")

    def __init__(self, count: int, can_open: bool, can_close: bool):
        self.count, self.can_open, self.can_close = count, can_open, can_close
        self.opens: list[str] = []  # inner first
        self.closes: list[str] = []  # inner first


def _inline(src: str) -> list[_Token] | None:
    pieces: list = []  # str (text), ("code", s), ("break", hard), _Run
    text: list[str] = []
    position, size = 0, len(src)
    while position < size:
        special = _SPECIAL.search(src, position)
        if special is None:
            text.append(src[position:])
            break
        if special.start() > position:
            text.append(src[position:special.start()])
            position = special.start()
        char = src[position]
        if char == "`":
            end = src.find("`", position + 1)
            if end == -1 or "\n" in src[position + 1:end]:
                return None
            content = src[position + 1:end]
            if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
                content = content[1:-1]
            pieces.append("".join(text))
            text = []
            pieces.append(("code", content))
            position = end + 1
        elif char == "*" or char == "_":
            end = position
            while end < size and src[end] == char:
                end += 1
            can_open, can_close = _scan(src, position, end, char == "*")
            if char == "_":
                if can_open or can_close:
                    return None
                text.append(src[position:end])
            else:
                if can_open and can_close:
                    return None  # both-flanking runs bring in the rule of three: leave them to markdown-it
                pieces.append("".join(text))
                text = []
                pieces.append(_Run(end - position, can_open, can_close))
            position = end
        elif char == "\n":
            pending = "".join(text)
            kept = pending.rstrip(" ")
            hard = len(pending) - len(kept) >= 2
            if len(pending) - len(kept) == 1:
                kept = pending[:-1]
            pieces.append(kept)
            text = []
            pieces.append(("break", hard))
            position += 1
            while position < size and src[position] in " \t":
                position += 1
    pieces.append("".join(text))
    _match_emphasis([p for p in pieces if isinstance(p, _Run)])
    return _tokens(pieces)


def _match_emphasis(runs: list[_Run]) -> None:
    """CommonMark's 'process emphasis' for runs that are openers or closers (never both)."""
    active = list(runs)
    index = 0
    while index < len(active):
        closer = active[index]
        if not closer.can_close:
            index += 1
            continue
        while closer.count:
            opener_index = next((i for i in range(index - 1, -1, -1)
                                 if active[i].can_open and active[i].count), None)
            if opener_index is None:
                break
            opener = active[opener_index]
            use = 2 if opener.count >= 2 and closer.count >= 2 else 1
            tag = "strong" if use == 2 else "em"
            opener.count -= use
            closer.count -= use
            opener.opens.append(tag)
            closer.closes.append(tag)
            del active[opener_index + 1:index]  # delimiters between them become text
            index = opener_index + 1
            if not opener.count:
                del active[opener_index]
                index -= 1
        if not closer.count:
            del active[index]
        else:
            index += 1


def _tokens(pieces: list) -> list[_Token]:
    tokens: list[_Token] = []

    def add(kind: str, tag: str = "", content: str = "", markup: str = "", nesting: int = 0) -> None:
        tokens.append(_Token(kind, tag, content, markup))

    for piece in pieces:
        if isinstance(piece, str):
            if piece:
                if tokens and tokens[-1].type == "text":
                    tokens[-1].content += piece
                else:
                    add("text", content=piece)
        elif isinstance(piece, tuple):
            if piece[0] == "code":
                add("code_inline", "code", piece[1], "`")
            else:
                add("hardbreak" if piece[1] else "softbreak", "br")
        else:
            for tag in piece.closes:
                add(f"{tag}_close", tag, markup="*" * (2 if tag == "strong" else 1), nesting=-1)
            if piece.count:
                literal = "*" * piece.count
                if tokens and tokens[-1].type == "text":
                    tokens[-1].content += literal
                else:
                    add("text", content=literal)
            for tag in reversed(piece.opens):
                add(f"{tag}_open", tag, markup="*" * (2 if tag == "strong" else 1), nesting=1)
    return tokens


def _render_inline(tokens: list[_Token], verse: bool) -> str:
    out = []
    for token in tokens:
        kind = token.type
        if kind == "text":
            out.append(escapeHtml(token.content))
        elif kind == "softbreak":
            out.append("<br>\n" if verse else "\n")
        elif kind == "hardbreak":
            out.append("<br>\n")
        elif kind == "code_inline":
            out.append("<code>" + escapeHtml(token.content) + "</code>")
        elif kind == "stage_open":
            out.append('<span class="stage">')
        elif kind == "stage_close":
            out.append("</span>")
        elif kind.endswith("_open"):
            out.append(f"<{token.tag}>")
        else:
            out.append(f"</{token.tag}>")
    return "".join(out)
