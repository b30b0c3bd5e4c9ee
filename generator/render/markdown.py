"""The markdown-it-py parser for message bodies: CommonMark, no raw HTML, transcript rules."""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token

from generator.render.drawn import TABLE_DELIMITER
from generator.render.fast import body_heading_levels
from generator.render.highlight import fence_html
from generator.render.stage import stage_directions


# Deep nesting (a line of 25 '>' in terminal art) past markdown-it's limit would drop text: the limit
# is raised, and blockquote markers past QUOTE_DEPTH are shown as text (see TranscriptMarkdown.parse).
MAX_NESTING = 100
QUOTE_DEPTH = 8


class TranscriptMarkdown(MarkdownIt):
    """markdown-it with what a transcript needs before it is parsed: no text may be dropped."""

    def parse(self, src: str, env=None):
        if ">" in src and _QUOTE_RUN.search(src):
            src = _flatten_deep_quotes(src)
        if "|" in src and "-" in src:
            src = keep_extra_cells(src)
        return super().parse(src, env)


def make_parser(verse: bool = True) -> MarkdownIt:
    """``verse``: every newline is a line break (transcripts are not hard-wrapped prose)."""
    md = TranscriptMarkdown("commonmark", {"html": False, "breaks": verse, "xhtmlOut": False,
                                           "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Transcripts define no link references: '[INCOMING TRANSMISSION]:' followed by a line is speech.
    md.disable("reference")
    md.core.ruler.after("inline", "stage_directions", stage_directions)
    md.core.ruler.after("stage_directions", "links_as_text", _links_as_text)
    md.core.ruler.after("links_as_text", "nothing_linked_in_links", _nothing_linked_in_links)
    md.core.ruler.after("nothing_linked_in_links", "empty_headings", _empty_headings_as_text)
    md.core.ruler.push("heading_levels", _heading_levels)
    for rule, function in (
        ("fence", _render_fence),
        ("code_block", _render_fence),
        ("image", _render_image),
        ("link_open", _render_link_open),
    ):
        md.add_render_rule(rule, function)
    return md


def _render_fence(self, tokens, idx, options, env) -> str:
    return fence_html(tokens[idx].info, tokens[idx].content)


def _render_image(self, tokens, idx, options, env) -> str:
    # Untrusted transcripts must not make the page fetch from elsewhere: show images as links.
    token = tokens[idx]
    address = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or address
    in_link = token.meta.get("in_link")  # a link in a link is no HTML
    if in_link or _shown_as_text(address):
        # Text, with the address where it says more than the text: inside a link, where the image was.
        told = _CREDENTIALS.match(address) or (in_link and address and address != alt)
        shown = f" ({normalizeLinkText(address)})" if told else ""
        return f"[image: {escape(alt)}]{escape(shown)}"
    return f'<a class="image-link" href="{escape(address)}" rel="nofollow noopener">[image: {escape(alt)}]</a>'


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if not (token.attrGet("href") or "").startswith("#"):
        token.attrSet("rel", "nofollow noopener")
    return self.renderToken(tokens, idx, options, env)


def _empty_headings_as_text(state) -> None:
    """A '#' line with no text (a bare '#' in a script's comment block) is shown as it was written: as
    an empty heading it showed nothing, and validators and screen readers flag an empty heading."""
    lines = None  # the source's lines, split once: a message may hold thousands of such lines
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or not token.markup.startswith("#") or tokens[index + 1].content:
            continue
        if lines is None:
            lines = state.src.split("\n")
        line = lines[token.map[0]] if token.map and token.map[0] < len(lines) else ""
        shown = line[line.index("#"):].strip(" \t") if "#" in line else token.markup
        for part, kind in ((token, "paragraph_open"), (tokens[index + 2], "paragraph_close")):
            part.type, part.tag, part.markup = kind, "p", ""
        text = Token("text", "", 0)
        text.content = shown
        tokens[index + 1].content, tokens[index + 1].children = shown, [text]


def _heading_levels(state) -> None:
    """Renumber body headings from h3 down, never skipping a level in document order."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    shown = iter(body_heading_levels([int(t.tag[1]) for t in headings if t.type == "heading_open"]))
    tag = ""
    for token in headings:
        if token.type == "heading_open":
            tag = f"h{next(shown)}"
        token.tag = tag


_QUOTE_RUN = re.compile(r"^ {0,3}(?:> ?){%d,}" % (QUOTE_DEPTH + 1), re.M)


def _flatten_deep_quotes(src: str) -> str:
    """Deep quote markers shown as text, outside fenced code (where a backslash would be shown)."""
    if "```" not in src and "~~~" not in src:
        return _QUOTE_RUN.sub(_flatten_quotes, src)
    lines = src.split("\n")
    in_code = _in_fenced_code(lines)
    return "\n".join(line if code else _QUOTE_RUN.sub(_flatten_quotes, line) for line, code in zip(lines, in_code))


def _flatten_quotes(match: re.Match) -> str:
    """Keep QUOTE_DEPTH levels of quoting; the markers past them are escaped, so shown as text."""
    run = match.group()
    kept, count = [], 0
    for index, char in enumerate(run):
        if char == ">":
            count += 1
            if count > QUOTE_DEPTH:
                return "".join(kept) + run[index:].replace(">", "\\>")
        kept.append(char)
    return run


_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_CREDENTIALS = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]*@")  # 'https://user@host/'


def _shown_as_text(href: str) -> bool:
    """A link without a scheme ('#message', 'notes/x.md') points into the transcript's own world:
    on this site it would lead to one of our pages, or nowhere. One with a name before '@' in its
    host ('https://bank.example@elsewhere.example/') is a classic disguise, and not a valid URL in
    a page: its text is shown, and the address after it."""
    return not _ABSOLUTE.match(href) or _CREDENTIALS.match(href) is not None


def _links_as_text(state) -> None:
    """'[user](#message)', '[the notes](notes.md)' and links with credentials in them: their text,
    not a link that breaks or misleads."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children, unlinked = [], None  # in a link shown as text: the address to show after it, or ""
        for child in token.children:
            href = (child.attrGet("href") or "") if child.type == "link_open" else ""
            if child.type == "link_open" and _shown_as_text(href):
                unlinked = href if _CREDENTIALS.match(href) and child.markup not in ("autolink", "linkify") else ""
                continue
            if child.type == "link_close" and unlinked is not None:
                if unlinked:
                    children.append(Token("text", "", 0, content=f" ({normalizeLinkText(unlinked)})"))
                unlinked = None
                continue
            children.append(child)
        token.children = children


def _nothing_linked_in_links(state) -> None:
    """Inside a link's text, an image ('[![logo](a.png) Home](/)') and an autolink ('[<https://…>](/)')
    are text: an image is shown as a link of its own, and a link inside a link is no valid HTML (a
    browser closes the outer one there). An autolink's text is its address, so nothing is lost."""
    for token in state.tokens:
        if not token.children:
            continue
        kept, depth = [], 0
        for child in token.children:
            if child.type == "link_open":
                depth += 1
                if depth > 1:
                    continue
            elif child.type == "link_close":
                depth -= 1
                if depth > 0:
                    continue
            elif child.type == "image" and depth > 0:
                child.meta["in_link"] = True
            kept.append(child)
        token.children = kept


# A line that starts another block, and so ends a table's rows (as a blank line does); '#0' starts no
# heading (a heading's marks are followed by a space), so it is a row.
_ENDS_TABLE = re.compile(r"^ {0,3}(?:>|#{1,6}(?:[ \t]|$)|`{3}|~{3}|[-+*][ \t]|\d{1,9}[.)][ \t]|(?:[-*_][ \t]*){3,}$)|^ {4}")


def keep_extra_cells(src: str) -> str:
    """A table row with more cells than its header loses the extra ones (GFM): their '|' are escaped,
    so the text is kept in the row's last cell."""
    lines = src.split("\n")
    in_code = _in_fenced_code(lines) if "```" in src or "~~~" in src else [False] * len(lines)
    changed = False
    index = 1
    while index < len(lines):
        columns = len(_cells(lines[index])) if "-" in lines[index] and TABLE_DELIMITER.match(lines[index]) else 0
        if columns and "|" in lines[index - 1] and len(_cells(lines[index - 1])) == columns \
                and not in_code[index - 1] and not in_code[index]:
            row = index + 1
            while row < len(lines) and lines[row].strip() and not _ENDS_TABLE.match(lines[row]) and not in_code[row]:
                cells = _cells(lines[row])
                if len(cells) > columns:
                    lines[row] = _escape_after(lines[row], columns)
                    changed = True
                row += 1
            index = row
        index += 1
    return "\n".join(lines) if changed else src


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def _in_fenced_code(lines: list[str]) -> list[bool]:
    """For each line, whether it is in a fenced code block (its fences included), where a table is text."""
    inside, fence = [], ""
    for line in lines:
        found = _FENCE.match(line)
        if fence:
            inside.append(True)
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not found.group(2).strip(" \t"):
                fence = ""
        elif found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
            inside.append(True)
            fence = found.group(1)
        else:
            inside.append(False)
    return inside


def _cells(line: str) -> list[str]:
    """The cells of a table line: split at '|' that is not escaped, without the outer pipes."""
    parts = re.split(r"(?<!\\)\|", line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts


def _escape_after(line: str, columns: int) -> str:
    """``line`` with every cell separator after the first ``columns`` cells escaped."""
    stripped = line.strip()
    leading = stripped.startswith("|")
    seen = 0
    out = []
    for index, char in enumerate(line):
        if char == "|" and (index == 0 or line[index - 1] != "\\"):
            is_outer = (leading and not seen and not line[:index].strip()) or not line[index + 1:].strip()
            if not is_outer:
                seen += 1
                if seen >= columns:
                    out.append("\\|")
                    continue
        out.append(char)
    return "".join(out)
