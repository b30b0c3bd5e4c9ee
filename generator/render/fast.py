"""A fast path for the common subset of message text, byte-identical to the markdown-it path.

Most transcript messages are paragraphs of verse with ``*emphasis*``, ``**strong**``,
`` `code` ``, backslash escapes and stage directions, often with fenced or indented code,
``>`` quotes, lists of one-paragraph items (with lists in them), headings and rules.
:func:`render_simple` renders exactly those, using markdown-it's own character classes and
escaping, and returns ``None`` for anything else (a link, an entity, a table, a tricky
delimiter run…), so the caller falls back to markdown-it. ``tests/test_fast_path.py`` checks
the two paths agree on thousands of generated messages and on every sample and fixture.

Speed comes from leaving the text to C: whole-message regular expressions decide
whether the subset applies, and plain text between markup is escaped and broken
into lines by ``str`` methods and ``re.sub``; Python only looks at the few
``*``/`` ` `` runs of a paragraph.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left

from generator.render.highlight import fence_html

# Message bodies sit under the page's h1 and each speaker's h2, so their own headings start at h3.
FIRST_BODY_HEADING = 3

# A line that is not blank and could start a block other than a paragraph (up to 3 spaces of indent
# are allowed), or a thematic break; a '#' not followed by a space is text ('#!/bin/sh', '#include').
# A paragraph's first line may be '===' (an underline only after text); a later line may be indented
# (code cannot interrupt a paragraph, see _INDENTED_CODE).
_BLOCK_LINE_BODY = (r"(?=[ ]*[^ \n])(?: {0,3}(?:>|#{1,6}(?:[ ]|$)|[-+*](?:[ ]|$)|\d{1,9}[.)]|```|~~~|%s-+[ ]*$|_{3,}%s)"
                    r"| {0,3}([*_-])[ ]*(?:\1[ ]*){2,}$)")
_FIRST_BLOCK_LINE = re.compile(_BLOCK_LINE_BODY % ("", "| {4}"), re.M)
# A literal first in the later lines' pattern: the regex engine skips to newlines.
_LATER_BLOCK_LINE = re.compile("\n" + _BLOCK_LINE_BODY % (r"=+[ ]*$|", ""), re.M)
_INDENTED_CODE = re.compile(r"\A(?:[ ]*\n)* {4}(?=[ ]*[^ \n])|\n[ ]*\n {4}(?=[ ]*[^ \n])")  # after a blank line
# Characters that start an inline construct this path does not handle, and whitespace other than
# ' ' and newline (tabs, no-break spaces: str.isspace, which is also what re's \s means). One character
# class, because the regex engine scans a class far faster than an alternation.
_OTHER_WHITESPACE = ("\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_REJECT_CHAR = re.compile("[" + _OTHER_WHITESPACE + r"\x00]")
# The same, and the characters that stand for escaped ones (see _MARK) where the text has none: there
# they are text of the message's own, which must not be read as the characters they would stand for.
_REJECT_CHAR_OR_MARK = re.compile("[" + _OTHER_WHITESPACE + "\x00\ue000-\ue07f]")
# A backslash is text unless it escapes punctuation, breaks a line or holds on to a space (markdown-it
# keeps '\ ' as one token, so the space no longer counts toward a hard break); '|' is text unless a line
# could be a table's delimiter row (tables are on).
_BACKSLASH_ESCAPE = re.compile(r"\\(?:[ !-/:-@\[-`{-~\n]|$)")
_BACKSLASH_PUNCTUATION = re.compile(r"\\([!-/:-@\[-`{-~])")
_BACKSLASH_OTHER = re.compile(r"\\(?:[ \n]|$)")
# An escape, or a code span (in which a backslash is text): see _mark_escapes.
_ESCAPE_OR_CODE = re.compile(r"\\([!-/:-@\[-`{-~])|`[^`]*`")
# An escaped character stands in the text as a private-use character of its own until the HTML is
# made, so that it is neither markup nor escaped twice; a message with such characters is declined.
_MARKED = re.compile("[\ue000-\ue07f]")
_MARK = {char: chr(0xE000 + ord(char)) for char in string.punctuation}
_UNMARK = {mark: char for char, mark in _MARK.items()}
_TABLE_DELIMITER_LINE = re.compile(r"^ *[|:-][ |:-]*$", re.M)
# '<' and a lone '~' are text to markdown-it here (raw HTML is off; strikethrough needs '~~'), except
# where '<' could open an autolink: '<scheme:' or '<…@'. Command lines ('~/$', '<cmd>') are common.
_AUTOLINK_START = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:|[^<>\s]*@)")
# What markdown-it may read as a character reference (a superset of its rules); '2>&1;' is text.
_ENTITY = re.compile(r"&(?:#[xX]?[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# A link reference definition ('[label]: url') starts a paragraph: its '[' first on a line, after
# any quote and list markers, and its ']:' on that line (or a label going on to the next line).
# Elsewhere '[Yes]: y' is text (aider's prompts end so, and code), as is '[GNUPG:] BEGIN_SIGNING'.
_MAY_DEFINE_LINK = re.compile(r"^(?:[ >]|[-+*][ ]|\d{1,9}[.)][ ])*\[(?:[^\]\n]*\]:|[^\]\n]*$)", re.M)
_FENCE_OPEN = re.compile(r"^(`{3,})([^`\n]*)$", re.M)  # '````' fences code that holds '```' lines
_QUOTE_LINE = re.compile(r" {0,3}>")  # a line that opens or goes on with a block quote
_QUOTE_MARKER = re.compile(r" {0,3}> ?")
# Quotes in quotes, and lists in lists, taken this deep: as deep as markdown.py keeps quotes as quotes
# (its QUOTE_DEPTH; aider's '>>>>>>> REPLACE' is seven deep).
DEPTH = 8
# A list item of the simple kind: at the start of the line, its marker, one to four spaces (its text
# starts after them: 'Gemini writes "*   **Bold:** text"'; five or more are a space and indented code),
# then text.
_LIST_ITEM = re.compile(r"(?:([-+*])|(\d{1,9})([.)])) {1,4}(?=[^ ])")
_THEMATIC_BREAK = re.compile(r" {0,3}([*_-])[ ]*(?:\1[ ]*){2,}$")  # '* **' is a rule, not an item
# A line that may begin a quote, a list or a thematic break.
_BLOCK_START_BODY = r"(?: {0,3}[>#]| {0,3}[-+*] | {0,3}\d{1,9}[.)] | {0,3}([*_-])[ ]*(?:\1[ ]*){2,}$)"
_BLOCK_START = re.compile(_BLOCK_START_BODY, re.M)
_ATX_OPENING = re.compile(r" {0,3}(#{1,6})(?= |$)")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(?:(=+)|-+) *$")  # after a paragraph's lines: they are a heading
_LATER_BLOCK_START = re.compile("\n(?:" + _BLOCK_START_BODY + r"| {0,3}(?:=+|-+) *$)", re.M)
_FENCE_CLOSE = re.compile(r"^[ \t]*`{3,}[ \t]*$", re.M)
_PLAIN_FENCE_CLOSE = re.compile(r" {0,3}`{3,} *")
_PARAGRAPH_BREAK = re.compile(r" *\n(?: *\n)+ *")  # and the spaces either side
_RUN = re.compile(r"\*+|_+|`")
_VERSE_BREAK = re.compile(r" *\n *")
_HARD_BREAK = re.compile(r"  +\n *")
_SOFT_BREAK = re.compile(r" ?\n *")
_TAGS = {"em": ("<em>", "</em>"), "strong": ("<strong>", "</strong>")}
# Around a '*' that plainly opens (after) or closes (before) emphasis: see _single_stars_take_turns.
_SPACE_OR_PUNCTUATION = frozenset(" \n" + string.punctuation)
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
_FLANKING: dict[str, tuple[bool, bool]] = {}  # (character before, run character, character after) -> _flanking
_STAGE_OPEN, _STAGE_CLOSE = '<span class="stage">', "</span>"


def render_simple(text: str, verse: bool = True) -> str | None:
    """HTML for ``text`` when it is within the simple subset, else ``None``."""
    html = _with_fences(text, verse) if "```" in text else _blocks(text, verse)
    if html is not None and "</h" in html:  # only its own tags: text and code are escaped
        return _heading_levels(html)
    return html


def _with_fences(text: str, verse: bool) -> str | None:
    """Blocks around code fenced by ``` (or more) at the start of a line (not indented; closed, or running
    to the end)."""
    if "\x00" in text or "\r" in text:
        return None  # markdown-it replaces NUL and makes every \r a newline, even in code
    out = []
    position = 0
    for opener in _FENCE_OPEN.finditer(text):
        if opener.start() < position:
            continue  # a line inside the block before
        ticks, info = opener.groups()
        if "|" in info:
            return None  # '```|' over a line of dashes is a table's head (tables come first in markdown-it)
        closer = _fence_close(text, opener.end(), len(ticks))
        if closer is not None and not _PLAIN_FENCE_CLOSE.fullmatch(closer.group()):
            return None  # closed by a line markdown-it may read otherwise (tabs, deep indent)
        before = _blocks(text[position:opener.start()], verse)
        if before is None:
            return None
        out.append(before)
        if closer is not None:
            code = text[opener.end() + 1:closer.start()]
            position = closer.end()
        else:
            code = _unclosed_code(text[opener.end() + 1:])
            position = len(text)
        out.append(fence_html(info, code))
    after = _blocks(text[position:], verse)
    if after is None:
        return None
    out.append(after)
    return "".join(out)


def _fence_close(text: str, position: int, ticks: int) -> re.Match | None:
    """The first line after ``position`` of as many backticks as the fence opened with, or more."""
    for closer in _FENCE_CLOSE.finditer(text, position):
        if ticks == 3 or closer.group().count("`") >= ticks:
            return closer
    return None


def _unclosed_code(rest: str) -> str:
    """An unclosed block (a model cut off mid-block, often) runs to the end of the message; as in
    markdown-it, a last line of spaces and tabs with no newline after it is not part of it."""
    last = rest[rest.rfind("\n") + 1:]
    return rest[:len(rest) - len(last)] if last and not last.strip(" \t") else rest


def _blocks(text: str, verse: bool, depth: int = 0) -> str | None:
    """Blocks around code indented four spaces (first, or after a blank line: it cannot interrupt a
    paragraph). After a list such a line would be more of the last item: left alone. A loop, not
    recursion: a message may hold thousands of code blocks."""
    if "    " not in text or _INDENTED_CODE.search(text) is None:
        return _blocks_between_code(text, verse, depth)
    if "\t" in text or "\x00" in text or "\r" in text:
        return None  # a tab indents, to markdown-it; and it changes NUL and \r even in code
    out, position = [], 0
    while (start := _INDENTED_CODE.search(text, position)) is not None:
        first = start.end() - 4  # the code's first line starts there
        before = text[position:first]
        if before.strip(" \n") and any(_LIST_ITEM.match(line.lstrip(" ")) for line in _line_groups(before)[-1]):
            return None
        head = _blocks_between_code(before, verse, depth)
        if head is None:
            return None
        position, code = _indented_code(text, first)
        out += (head, fence_html("", code))
    rest = _blocks_between_code(text[position:], verse, depth)
    return None if rest is None else "".join(out) + rest


def _indented_code(text: str, first: int) -> tuple[int, str]:
    """The code whose first line starts at text[first]: where the text after it starts, and its lines
    four spaces shorter. It runs over blank lines to the last line so indented before one that is not."""
    lines: list[str] = []
    kept, after, position = 0, len(text), first
    while True:
        newline = text.find("\n", position)
        line = text[position:] if newline == -1 else text[position:newline]
        if line.strip(" "):
            if not line.startswith("    "):
                break
            kept, after = len(lines) + 1, len(text) if newline == -1 else newline + 1
        lines.append(line[4:])
        if newline == -1:
            break
        position = newline + 1
    return after, "\n".join(lines[:kept]) + "\n"


def _blocks_between_code(text: str, verse: bool, depth: int) -> str | None:
    """Paragraphs, headings, block quotes, thematic breaks and lists whose items are a paragraph each
    (and perhaps a list), in groups of lines parted by blank lines. Within a group a quote or a list may
    follow a paragraph (they interrupt it), and a line after a quote goes on with it (a lazy
    continuation); anything after a list item but more of its paragraph, or a list in it, is left to
    markdown-it."""
    if not (_BLOCK_START.match(text) or _LATER_BLOCK_START.search(text)):
        return _paragraphs(text, verse)
    lines_of = _line_groups(text)
    groups = [_runs(group) for group in lines_of]
    out = []
    index = 0
    while index < len(groups):
        runs = groups[index]
        if runs is None:
            return None
        if runs[-1][0] == "list":
            # Lists parted by blank lines are one loose list; a group indented after a list may be part
            # of its last item.
            lists, outdent = list(runs[-1][1]), runs[-1][1].outdent  # the groups of items (one, so far)
            while index + 1 < len(groups) and not lines_of[index + 1][0].startswith(" ") and \
                    _goes_on_with(lists, groups[index + 1]):  # an indented item may be in the last one
                if len(runs) > 1 or len(groups[index + 1]) > 1:
                    return None  # a loose list that interrupts a paragraph, or another list: rare, left alone
                index += 1
                lists.extend(groups[index][0][1])
                outdent = groups[index][0][1].outdent
            if index + 1 < len(groups) and _may_go_on_in_item(lists[-1][-1], lines_of[index + 1][0], outdent):
                return None
            runs = runs[:-1] + [("list", lists)]
        for kind, lines in runs:
            if kind == "rule":
                rendered = "<hr>\n"
            elif kind == "text":
                rendered = _paragraphs("\n".join(lines), verse)
            elif kind == "quote":
                rendered = _quote(lines, verse, depth)
            elif kind == "hashes":
                rendered = f"<p>{lines[0]}</p>\n"  # '#'s and spaces only: nothing to escape
            elif kind[0] == "h":
                rendered = _heading(kind, lines, verse)
            else:
                rendered = _list(lines, verse, depth)
            if rendered is None:
                return None
            out.append(rendered)
        index += 1
    return "".join(out)


class _Items(list):
    """A list run's groups of items, and the spaces before its last item's marker (see _outdented_item)."""
    outdent = 0


def _list_run(line: str, outdent: int) -> tuple[str, "_Items"]:
    items = _Items([[line]])
    items.outdent = outdent
    return ("list", items)


def _may_go_on_in_item(item: str, line: str, outdent: int = 0) -> bool:
    """Whether ``line``, the first after a blank line that follows a list, may be more of the list, or of
    its last item ``item`` (its marker ``outdent`` spaces in): indented as far as its text (or past
    three spaces, from wherever its marker stood), or an indented item. Less indented text starts a
    block of its own ('1.  **Check:**', a blank line, '   All good.')."""
    indent = len(line) - len(line.lstrip(" "))
    return indent > 0 and (indent > 3 or indent >= outdent + _LIST_ITEM.match(item).end()
                           or _LIST_ITEM.match(line, indent))


def _goes_on_with(lists: list[list[str]], runs: list[tuple[str, list]] | None) -> bool:
    """Whether the next group's runs start with more items of the list ``lists`` (its groups of items)."""
    return bool(runs) and runs[0][0] == "list" and _same_list(lists[0][0], runs[0][1][0][0])


def _runs(group: list[str]) -> list[tuple[str, list]] | None:
    """A group's blocks in order: ("text", lines), ("h1"…"h6", lines: a '#' line's text, or a paragraph
    underlined), ("hashes", [line]: a '#' line with no text), ("quote", lines, lazy ones included),
    ("list", [lines]) and ("rule", [line]); None for what this path leaves to markdown-it."""
    runs: list[tuple[str, list]] = []
    lazy_allowed = False  # the last run is a quote that a lazy line may go on (see _bars_lazy_lines)
    more: list[str] = []  # the lines that go on with the last list item
    nested = False  # and they hold a list in it
    outdent = 0  # the spaces before the items of the last list, when they are not in the item before it
    for line in group:
        last = runs[-1][0] if runs else None
        if _LIST_ITEM.match(line):
            outdent = 0  # an item at the margin
        elif outdent:
            if not line.startswith(" " * outdent):
                return None  # a lazy line of such a list: left to markdown-it
            line = line[outdent:]  # the list's lines as if its items were at the margin
        elif last in (None, "text", "list") and (item := _outdented_item(runs[-1] if runs else None, line)):
            line, outdent = item
        if last in ("text", "quote") and (underline := _SETEXT_UNDERLINE.match(line)):
            if last == "quote":
                return None  # an underline as a lazy line: left to markdown-it
            runs[-1] = ("h1" if underline.group(1) else "h2", runs[-1][1])  # the paragraph is a heading
            continue
        if (heading := _atx_heading(line)) is not None:
            if last == "list":
                return None
            # A heading with no text is shown as its line, as markdown.py shows it.
            runs.append(heading if heading[1][0] else ("hashes", [line[line.index("#"):].strip(" \t")]))
            continue
        kind = "quote" if _QUOTE_LINE.match(line) else "rule" if _THEMATIC_BREAK.match(line) else \
            "list" if _LIST_ITEM.match(line) else "text"
        if kind == "rule":
            if last not in (None, "rule") and last[0] != "h":
                return None  # after a quote or a list: left alone
            runs.append(("rule", [line]))
        elif last == "list":
            items = runs[-1][1][0]
            if kind == "text" and not nested and _continues_item(items[-1], line):
                more.append(line)  # more of the item's paragraph (joined to it once it ends)
            elif kind == "text" and _nests_in_item(items[-1], line, nested):
                more.append(line)  # a list in the item, after its paragraph
                nested = True
            elif kind != "list":
                return None  # a block after an item: left to markdown-it
            elif _same_list(items[0], line):
                _join_item(items, more)
                items.append(line)
                runs[-1][1].outdent = outdent
                nested = False
            else:
                _join_item(items, more)
                runs.append(_list_run(line, outdent))  # another marker starts another list
                nested = False
        elif kind == last or (last == "quote" and kind == "text" and _paragraph_goes_on(runs[-1][1][-1])):
            if kind == "text" and last == "quote" and (line.lstrip(" ").startswith(">") or not lazy_allowed
                                                       or _LIST_ITEM.match(line.lstrip(" "))):
                return None  # markdown-it reads an indented '>' there as more of the quote, an item as a list
            runs[-1][1].append(line)  # a text line after a quote's text goes on with it
            lazy_allowed = lazy_allowed and not _bars_lazy_lines(line)
        elif kind == "list":
            item = _LIST_ITEM.match(line)
            if last == "text" and item.group(2) is not None and int(item.group(2)) != 1:
                return None  # only a list that starts at 1 interrupts a paragraph (this is its text)
            runs.append(_list_run(line, outdent))
        else:
            runs.append((kind, [line]))
            lazy_allowed = kind == "quote" and not _bars_lazy_lines(line)
    if more:
        _join_item(runs[-1][1][0], more)
    return runs


def _outdented_item(run: tuple[str, list] | None, line: str) -> tuple[str, int] | None:
    """``line`` without its spaces, and how many, when it is a list item indented by one to three spaces
    that starts a list (first in its group, or after a paragraph) or goes on with the list of ``run``,
    indented less than its last item's text, so not in that item ('1.  **Analyze:**' and then '   - the
    user said hi'). The lines after it are read without as many spaces: an item's columns count from
    its marker."""
    indent = len(line) - len(line.lstrip(" "))
    if not 1 <= indent <= 3 or not _LIST_ITEM.match(line, indent):
        return None
    if run is not None and run[0] == "list" and indent >= _LIST_ITEM.match(run[1][0][-1]).end():
        return None
    return line[indent:], indent


def _join_item(items: list[str], more: list[str]) -> None:
    if more:
        items[-1] = "\n".join([items[-1], *more])
        more.clear()


def _continues_item(item: str, line: str) -> bool:
    """Whether ``line`` goes on with the paragraph of a list item (its lines so far): indented at least
    as far as the item's text, or less (a lazy line: a model's "1) app.py" often has its text on the
    next line, unindented), and not a block of its own (a list, a quote, a heading…, or an underline
    that would make the item's paragraph a heading)."""
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    if indent < _LIST_ITEM.match(item).end() and _FIRST_BLOCK_LINE.match(line):
        return False
    return not _FIRST_BLOCK_LINE.match(rest) and not _SETEXT_UNDERLINE.match(rest) and not _LIST_ITEM.match(rest)


def _nests_in_item(item: str, line: str, nested: bool) -> bool:
    """Whether ``line`` belongs to a list inside the item (its lines so far): the start of one, or
    more of one (indented as far as the item's text)."""
    width = _LIST_ITEM.match(item).end()
    if nested:
        return _starts_inner_list(line, width) or line.startswith(" " * width)
    # Right after the item's paragraph, as at the margin, only a list that starts at 1 interrupts it.
    inner = _LIST_ITEM.match(line, width) if line.startswith(" " * width) else None
    return inner is not None and (inner.group(2) is None or int(inner.group(2)) == 1)


def _starts_inner_list(line: str, width: int) -> bool:
    """Whether ``line`` starts a list inside an item whose text starts at ``width``: an item there."""
    return line.startswith(" " * width) and _LIST_ITEM.match(line, width) is not None


def _same_list(first: str, line: str) -> bool:
    """Whether the item ``line`` goes on with the list whose first item is ``first``: the same bullet,
    or numbers with the same delimiter ('.' or ')')."""
    a, b = _LIST_ITEM.match(first), _LIST_ITEM.match(line)
    return (a.group(1) or a.group(3)) == (b.group(1) or b.group(3))


def _atx_heading(line: str) -> tuple[str, list[str]] | None:
    """("h1"…"h6", [its text]) for a '#' heading line: its text without a closing run of '#' (one that
    follows a space), as markdown-it cuts it."""
    opening = _ATX_OPENING.match(line)
    if opening is None:
        return None
    text = line[opening.end():].rstrip(" ")
    without_closing = text.rstrip("#")
    if without_closing.endswith(" "):
        text = without_closing
    return f"h{len(opening.group(1))}", [text.strip(" ")]


def _bars_lazy_lines(quoted: str) -> bool:
    """Whether a quote's line keeps this path from taking lazy lines after it: markdown-it reads a
    lazy line in a quote inside a quote by rules of its own, and after code or a heading it goes on
    with the quote."""
    inner = _without_marker(quoted)
    return bool(_QUOTE_LINE.match(inner) or inner.startswith("    ") or _ATX_OPENING.match(inner)
                or _SETEXT_UNDERLINE.match(inner))


def _heading(tag: str, lines: list[str], verse: bool) -> str | None:
    """A heading (its level is set for the whole message: see _heading_levels)."""
    if any("|" in line for line in lines):
        return None  # a table's head, perhaps, over a row of dashes (tables come first)
    html = _paragraphs("\n".join(lines), verse, directions=False)
    if html is None:
        return None
    return f"<{tag}>{html[3:-5]}</{tag}>\n"


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def body_heading_levels(levels: list[int]) -> list[int]:
    """The levels a message's headings (in document order) are shown at: from h3, never skipping one
    (markdown.py numbers markdown-it's headings with it too)."""
    shift = FIRST_BODY_HEADING - min(levels)
    shown, current = [], FIRST_BODY_HEADING - 1
    for level in levels:
        current = max(FIRST_BODY_HEADING, min(level + shift, current + 1, 6))
        shown.append(current)
    return shown


def _heading_levels(html: str) -> str:
    """The fast path's headings renumbered (its tags are the only ones in its HTML: text is escaped)."""
    shown = iter(body_heading_levels([int(level) for close, level in _HEADING_TAG.findall(html) if not close]))
    current = 0

    def renumber(match: re.Match) -> str:
        nonlocal current
        if not match.group(1):
            current = next(shown)
        return f"<{match.group(1)}h{current}>"
    return _HEADING_TAG.sub(renumber, html)


def _without_marker(line: str) -> str:
    """A quote's line without its '>' (and one space after it); a lazy line as it is."""
    match = _QUOTE_MARKER.match(line)
    return line[match.end():] if match else line


def _paragraph_goes_on(line: str) -> bool:
    """Whether a quote's line leaves a paragraph open, which a lazy line then continues: not a '>' with
    nothing after it (in every quote it opens), nor a rule."""
    while (match := _QUOTE_MARKER.match(line)) is not None:
        line = line[match.end():]
    return bool(line.strip(" ")) and not _THEMATIC_BREAK.match(line)


def _line_groups(text: str) -> list[list[str]]:
    """The lines of ``text`` in groups parted by blank lines (empty, or spaces only)."""
    groups, current = [], []
    for line in text.split("\n"):
        if line.strip(" "):
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _quote(lines: list[str], verse: bool, depth: int) -> str | None:
    """A block quote: its lines without their '>' (and one space after it), as blocks again (quotes in
    quotes, lists in quotes), as deep as markdown.py keeps them (it shows deeper markers as text)."""
    if depth >= DEPTH:
        return None
    inner = "\n".join(_without_marker(line) for line in lines)
    if not inner.strip(" \n"):
        return "<blockquote></blockquote>\n"
    body = _blocks(inner, verse, depth + 1)
    return None if body is None else "<blockquote>\n" + body + "</blockquote>\n"


def _list(groups: list[list[str]], verse: bool, depth: int) -> str | None:
    """A list whose items are a paragraph each (its lines after the first indented to its text, or
    lazy), perhaps followed by a list in the item: tight, or loose when blank lines part them. Items
    must share their marker ('-', '+', '*', or a number with '.' or ')'), else markdown-it starts a new
    list."""
    lines = [line for group in groups for line in group]
    if any(_THEMATIC_BREAK.match(line) for line in lines):
        return None
    items = [_LIST_ITEM.match(line) for line in lines]
    markers = {item.group(1) or item.group(3) for item in items}
    if len(markers) > 1:
        return None
    number = items[0].group(2)
    if number is None:
        out, close = ["<ul>\n"], "</ul>\n"
    else:
        out, close = ["<ol>\n" if int(number) == 1 else f'<ol start="{int(number)}">\n'], "</ol>\n"
    loose = len(groups) > 1
    for item in items:
        text, inner_lines = _item_parts(item)
        html = _paragraphs(text, verse)
        if not html:
            return None
        inner = ""
        if inner_lines:
            inner = _blocks_between_code(inner_lines, verse, depth + 1) if depth < DEPTH else None
            if inner is None:
                return None
        # A tight list shows its items' paragraphs without <p> (a stage direction's too: markdown-it
        # drops its class with the hidden paragraph).
        if loose:
            out.append("<li>\n" + html + inner + "</li>\n")
        else:
            out.append("<li>" + html[html.index(">") + 1:-5] + ("\n" + inner if inner else "") + "</li>\n")
    out.append(close)
    return "".join(out)


def _item_parts(item: re.Match) -> tuple[str, str]:
    """An item's paragraph (without its marker) and the lines of the list in it (without the item's
    indent), if any: that list starts at the first line that is an item at the item's text."""
    width = item.end()
    lines = item.string.split("\n")
    for first, line in enumerate(lines[1:], 1):
        if _starts_inner_list(line, width):
            return "\n".join(lines[:first])[width:], "\n".join(inner[width:] for inner in lines[first:])
    return item.string[width:], ""


def _paragraphs(text: str, verse: bool, directions: bool = True) -> str | None:
    """``directions``: mark stage directions (a heading's text keeps its emphasis as it is)."""
    if "\\" in text and _BACKSLASH_ESCAPE.search(text):
        marked = _mark_escapes(text)
        if marked is None:
            return None
        html = _marked_paragraphs(marked, verse, directions)
        return None if html is None else html.translate(_MARK_HTML)
    if not _simple_enough(text):
        return None
    return _marked_paragraphs(text, verse, directions)


def _marked_paragraphs(text: str, verse: bool, directions: bool = True) -> str | None:
    """The paragraphs of text that is simple enough (escaped characters marked, if any)."""
    # Escaped first, all at once: '&', '"' and '>' become entities that begin and end with
    # punctuation, as they are, so the delimiter runs around them are classified the same.
    body = _escape_html(text.strip(" \n"))
    if not body:
        return ""
    if "*" not in body and "_" not in body and "`" not in body:
        return _plain_paragraphs(body, verse)
    out = []
    for paragraph in _split_paragraphs(body):
        if "*" in paragraph or "_" in paragraph or "`" in paragraph:
            rendered = (directions and _simple_emphasis(paragraph, verse)) or _paragraph(paragraph, verse, directions)
            if rendered is None:
                return None
            out.append(rendered)
        else:
            out.append("<p>" + _breaks(paragraph, verse) + "</p>\n")
    return "".join(out)


def _mark_escapes(text: str) -> str | None:
    """``text`` with each backslash escape (outside code spans) made a mark, when it is then simple
    enough; else None. A backslash escapes punctuation (JSON in tool output: \\"; ASCII art: \\_); one
    that breaks a line, holds a space (markdown-it keeps '\\ ' as one token) or ends the text is left to
    markdown-it, as are tables, whose rows are split before escapes are read ('\\|' over ':-:')."""
    if _MARKED.search(text) or ("|" in text and _TABLE_DELIMITER_LINE.search(text)):
        return None
    marked = _ESCAPE_OR_CODE.sub(_mark, text)
    if _BACKSLASH_OTHER.search(marked):  # after the escapes: '\\\\ ' is an escaped backslash, then a space
        return None
    return marked if _simple_enough(marked, escapes_marked=True) else None


def _mark(match: re.Match) -> str:
    char = match.group(1)
    return match.group() if char is None else _MARK[char]


def _plain_paragraphs(body: str, verse: bool) -> str:
    """Escaped text without markup, every paragraph at once (NUL, refused in input, marks their ends)."""
    if "\n" not in body:
        return "<p>" + body + "</p>\n"
    marked = "\x00".join(_split_paragraphs(body))
    return "<p>" + _breaks(marked, verse).replace("\x00", "</p>\n<p>") + "</p>\n"


def _split_paragraphs(body: str) -> list[str]:
    """The paragraphs of stripped text: split at blank lines, with the spaces around them."""
    # Nearly always a blank line is just that, "\n\n", with no space next to it: then a plain split
    # does it (the regex tries to match at every space).
    if "\n " not in body and " \n\n" not in body and "\n\n\n" not in body:
        return body.split("\n\n")
    return _PARAGRAPH_BREAK.split(body)


def _simple_enough(text: str, escapes_marked: bool = False) -> bool:
    """Whether text (with its escapes marked, if ``escapes_marked``: a backslash left is in code) is
    within the subset, as far as one pass over it can tell."""
    if ((_REJECT_CHAR if escapes_marked else _REJECT_CHAR_OR_MARK).search(text)
            or ("]" in text and ("](" in text or ("]:" in text and _MAY_DEFINE_LINK.search(text))))
            or "``" in text or "***" in text or "~~" in text):
        return False
    if "<" in text and _AUTOLINK_START.search(text):
        return False
    if "\\" in text and not escapes_marked and _BACKSLASH_ESCAPE.search(text):
        return False
    if "|" in text and _TABLE_DELIMITER_LINE.search(text):
        return False
    if "&" in text and _ENTITY.search(text):
        return False
    if "    " in text and _INDENTED_CODE.search(text):
        return False
    return not (_FIRST_BLOCK_LINE.match(text) or _LATER_BLOCK_LINE.search(text))


def _breaks(escaped: str, verse: bool) -> str:
    """Each newline a line break (the spaces around it dropped)."""
    if "\n" not in escaped:
        return escaped
    # The common case, with plain replaces: each newline has no spaces around it, or exactly two
    # before it (a hard break). Any other spacing leaves a ' \n' or '\n ' once those are taken out.
    joined = escaped.replace("  \n", "\n")
    if " \n" not in joined and "\n " not in joined:
        return joined.replace("\n", "<br>\n") if verse else escaped.replace("  \n", "<br>\n")
    if verse:
        return _VERSE_BREAK.sub("<br>\n", escaped)
    return _SOFT_BREAK.sub("\n", _HARD_BREAK.sub("<br>\n", escaped))


def _single_stars_take_turns(src: str) -> bool:
    """Single '*'s taking turns, each opener after a space or punctuation (or first) and before a letter
    or digit, each closer the reverse: such a '*' can only open (or only close) emphasis. A loop, not a
    regular expression: the possessive one this was (Python 3.11.2's engine) matched '*a' whole."""
    opening = True
    position = src.find("*")
    while position != -1:
        before = src[position - 1] if position else " "
        after = src[position + 1] if position + 1 < len(src) else " "
        outside, inside = (before, after) if opening else (after, before)
        if outside not in _SPACE_OR_PUNCTUATION or inside not in _ASCII_ALNUM:
            return False
        opening = not opening
        position = src.find("*", position + 1)
    return opening


def _simple_emphasis(src: str, verse: bool) -> str | None:
    """The commonest markup, quickly: single '*'s that plainly open (before a letter or digit, after
    a space or punctuation) or close (the reverse), taking turns, so each closes the one before.
    None for anything else (the general path below then decides)."""
    if "_" in src or "`" in src or "**" in src or not _single_stars_take_turns(src):
        return None
    parts = src.split("*")  # outside, inside, outside, inside, …, outside
    if len(parts) == 3 and not parts[0] and not parts[2] and "\n" not in src:
        return '<p class="stage">' + parts[1] + "</p>\n"  # the paragraph is one stage direction
    out = [parts[0]]
    last = len(parts) - 1
    lines = "\n" in src  # once: asked for each span, it made a long line of spans quadratic
    for at in range(1, last, 2):
        before, inside, after = parts[at - 1], parts[at], parts[at + 1]
        # A line that is wholly this span is a stage direction (the line break after it stays).
        whole_line = ("\n" not in inside and lines
                      and ("\n" in before or at == 1) and not before[before.rfind("\n") + 1:].strip(" ")
                      and ("\n" in after or at + 1 == last) and not after.split("\n", 1)[0].strip(" "))
        out += (_STAGE_OPEN, inside, _STAGE_CLOSE, after) if whole_line else ("<em>", inside, "</em>", after)
    # Line breaks once, over the tagged text: a tag stands where a '*' was, and neither is a space
    # or a newline, so the breaks come out as they would part by part.
    return "<p>" + _breaks("".join(out), verse) + "</p>\n"


class _Run:
    """A run of '*' or '_' at src[start:end]: how many are left unmatched, the tags it opens or closes."""
    __slots__ = ("start", "end", "char", "count", "can_open", "can_close", "opens", "closes", "stage")

    def __init__(self, start: int, end: int, char: str, can_open: bool, can_close: bool):
        self.start, self.end, self.char, self.count = start, end, char, end - start
        self.can_open, self.can_close = can_open, can_close
        self.opens: list[str] = []  # inner first
        self.closes: list[str] = []  # inner first
        self.stage = ""  # "open"/"close": its outermost tag is a stage direction's; "drop": not written


def _paragraph(src: str, verse: bool, directions: bool = True) -> str | None:
    """A paragraph with markup, or None when it needs markdown-it."""
    events = _scan_markup(src)
    if events is None:
        return None
    runs = [event for event in events if isinstance(event, _Run)]
    _match_emphasis(runs)
    whole = directions and _mark_directions(src, events)
    out = ['<p class="stage">' if whole else "<p>"]
    position = 0
    for event in events:
        if isinstance(event, _Run):
            start, end = event.start, event.end
        else:
            start, end, content = event
        if start > position:
            out.append(_breaks(src[position:start], verse))
        position = end
        if isinstance(event, _Run):
            out.append(_run_html(event))
        else:
            out.append("<code>" + content + "</code>")  # escaped with the rest
    if position < len(src):
        out.append(_breaks(src[position:], verse))
    out.append("</p>\n")
    return "".join(out)


def _scan_markup(src: str) -> list | None:
    """The paragraph's '*' runs and code spans ((start, end, content)) in order; None if out of the subset."""
    events: list = []
    position = 0
    while True:
        match = _RUN.search(src, position)
        if match is None:
            return events
        start, end = match.span()
        char = src[start]
        if char == "`":
            close = src.find("`", end)
            if close == -1 or "\n" in src[end:close]:
                return None
            content = src[end:close]
            if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
                content = content[1:-1]
            events.append((start, close + 1, content))
            position = close + 1
            continue
        last = src[start - 1] if start > 0 else " "
        following = src[end] if end < len(src) else " "
        key = last + char + following
        flanking = _FLANKING.get(key)
        if flanking is None:
            # an escaped character (a mark) flanks as the character it stands for
            flanking = _flanking(_UNMARK.get(last, last), _UNMARK.get(following, following), char == "*")
            if len(_FLANKING) < 10_000:
                _FLANKING[key] = flanking
        can_open, can_close = flanking
        events.append(_Run(start, end, char, can_open, can_close))
        position = end


def _escape_html(text: str) -> str:
    """markdown-it's escaping (``escapeHtml``), not imported: markdown-it is loaded only when a message
    needs it (most need neither it nor :func:`_flanking`), and loading it is slow."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_MARK_HTML = {ord(mark): _escape_html(char) for mark, char in _UNMARK.items()}  # each mark as its character


def _flanking(last: str, following: str, can_split_word: bool) -> tuple[bool, bool]:
    """markdown-it's delimiter classification of a run between two characters: (can open, can close)."""
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace  # memoised by the caller
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return can_open, can_close


def _match_emphasis(runs: list[_Run]) -> None:
    """CommonMark's 'process emphasis' as markdown-it does it; a run may both open and close ('*'
    between a quote and a '<', as a real export wraps directions: `<sub>*"Hi."*</sub>`). A closer
    matches the nearest opener of its own character that the rule of three allows; what each run
    closes comes first in it, what it opens last.

    In linear time: the runs that may still open are a stack, the ones between a pair are dropped
    from its top, and for each kind of closer (its character, whether it can open, its length
    modulo three) the stack's height below which no opener for it is left (CommonMark's
    'openers_bottom'): a paragraph of 'a* a* a* …' took 42 s for 80,000 characters without it."""
    stack: list[_Run] = []
    bottoms: dict[tuple, int] = {}
    for run in runs:
        if run.can_close:
            kind = (run.char, run.can_open, (run.end - run.start) % 3)
            while run.count:
                floor = bottoms.get(kind, 0)
                found = next((i for i in range(len(stack) - 1, floor - 1, -1) if _can_pair(stack[i], run)), None)
                if found is None:
                    bottoms[kind] = len(stack)
                    break
                opener = stack[found]
                use = 2 if opener.count >= 2 and run.count >= 2 else 1
                tag = "strong" if use == 2 else "em"
                opener.count -= use
                run.count -= use
                opener.opens.append(tag)
                run.closes.append(tag)
                del stack[found + 1:]  # the runs between them are text
                if not opener.count:
                    stack.pop()
                for other, height in bottoms.items():  # a bottom above the stack's top would hide new openers
                    if height > len(stack):
                        bottoms[other] = len(stack)
        if run.can_open and run.count:
            stack.append(run)


def _can_pair(opener: _Run, closer: _Run) -> bool:
    """Whether ``opener`` may close at ``closer``: CommonMark's rule of three applies where either can
    both open and close (their runs' lengths, as written, may not add up to a multiple of three
    unless both are one)."""
    if not (opener.can_open and opener.count and opener.char == closer.char):
        return False
    if opener.can_close or closer.can_open:
        lengths = (opener.end - opener.start, closer.end - closer.start)
        return (lengths[0] + lengths[1]) % 3 != 0 or (lengths[0] % 3 == 0 and lengths[1] % 3 == 0)
    return True


def _run_html(run: _Run) -> str:
    """A run's tokens in markdown-it's order: its closes (inner first), unmatched '*', its opens (outer first)."""
    html = ""
    last = len(run.closes) - 1
    for number, tag in enumerate(run.closes):
        if number == last and run.stage:
            html += _STAGE_CLOSE if run.stage == "close" else ""
        else:
            html += _TAGS[tag][1]
    html += run.char * run.count
    for number, tag in enumerate(reversed(run.opens)):
        if number == 0 and run.stage:
            html += _STAGE_OPEN if run.stage == "open" else ""
        else:
            html += _TAGS[tag][0]
    return html


def _mark_directions(src: str, events: list) -> bool:
    """Mark stage-direction lines (a line that is one '*…*' span); True when the paragraph is one.

    The same rule as :mod:`generator.render.stage` applies to markdown-it's tokens: the line's
    first token opens an ``em`` that closes with the line's last token, and not before.
    """
    starts = [event.start if isinstance(event, _Run) else event[0] for event in events]  # in order
    if "\n" not in src:
        first, last = _direction(src, 0, len(src), events, starts)
        if first is None:
            return False
        first.stage = last.stage = "drop"
        return True
    line_start = 0
    for line in src.split("\n"):
        line_end = line_start + len(line)
        if "*" in line:
            first, last = _direction(src, line_start, line_end, events, starts)
            if first is not None:
                first.stage, last.stage = "open", "close"
        line_start = line_end + 1
    return False


def _direction(src: str, line_start: int, line_end: int, events: list, starts: list[int]) -> tuple:
    """The first and last runs of the line src[line_start:line_end] when it is a direction, else (None, None).

    ``starts``: where each event starts (found by bisection: a paragraph may have thousands of lines)."""
    line = src[line_start:line_end]
    start = line_start + len(line) - len(line.lstrip(" "))
    end = line_start + len(line.rstrip(" "))
    if end - start < 2 or src[start] != "*" or src[end - 1] != "*":
        return None, None
    inside = events[bisect_left(starts, start):bisect_left(starts, end)]
    if len(inside) < 2 or not all(isinstance(event, _Run) for event in (inside[0], inside[-1])):
        return None, None
    first, last = inside[0], inside[-1]
    if (first.start != start or last.end != end or first.closes or first.count or not first.opens
            or first.opens[-1] != "em" or last.opens or last.count or not last.closes or last.closes[-1] != "em"):
        return None, None
    depth = 0
    for event in inside:
        if not isinstance(event, _Run):
            continue
        tags = [("close", tag) for tag in event.closes] + [("open", tag) for tag in reversed(event.opens)]
        if event is last:
            tags = tags[:-1]
        for direction, tag in tags:
            if tag != "em":
                continue
            depth += 1 if direction == "open" else -1
            if depth == 0:  # the opening span closed before the line ended
                return None, None
    if depth != 1:  # the last tag closes an inner span: the opening one goes on past the line
        return None, None
    return first, last
