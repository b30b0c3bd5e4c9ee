"""A message as an exporter wrote it in HTML, made Markdown again.

Chat exporters write a message's formatting as HTML: bold, italics, strikethrough, code and code
blocks, quotes, headings, lists, links, emoji as images. This writes it back as Markdown, which the
renderer shows as the exporter's page did: a link only where the address is the web's, and what the
page shows as text escaped so that it stays text (``2 * 3``, ``# not a heading``, ``1. not a list``,
``&amp;``). Each exporter marks quotes and code its own way as well as with the usual tags, and keeps
the text's line breaks or writes them as ``<br>``: its :class:`Dialect` says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.readers.common import code_span, fenced
from generator.readers.html_page import Element

# What Markdown would take for markup (or an entity) where the page shows it as text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]|]|&(?=#?[A-Za-z0-9]+;))")
# At a line's start: a heading, a quote, a list item, a rule or a heading's underline; and a number
# with '.' or ')' after it, a numbered item.
_LINE_START_MARK = re.compile(r"(?m)^([ \t]*)([-+=#>])")
_LINE_START_NUMBER = re.compile(r"(?m)^([ \t]*\d{1,9})([.)])")
_SPACES = re.compile(r"\s+")
_BLOCK_TAGS = ("div", "p", "ul", "ol", "pre", "blockquote")


@dataclass(frozen=True)
class Dialect:
    """How an exporter marks a message's HTML, besides the usual tags (``<pre>``, ``<code>``, ``<blockquote>``)."""
    quote: str = ""  # the class of a quote, and of its content inside it
    quote_content: str = ""
    code_block: str = ""  # the class of a code block, and of inline code
    inline_code: str = ""
    left_out: str = ""  # the class of what the page shows beside the text, not of it ('(edited)')
    # The text's own line breaks are in the page (shown as written); else they are <br>, and the rest
    # of the page's white space is its layout, one space as a browser shows it.
    keeps_line_breaks: bool = True


def markdown(element: Element, dialect: Dialect) -> str:
    """The element's content as Markdown, as the page shows it."""
    text = _Converter(dialect).blocks(element).strip("\n")
    return text.rstrip() if dialect.keeps_line_breaks else text.strip(" \n")


def inline(element: Element, dialect: Dialect) -> str:
    """The element's content as Markdown of one line (a title, a name)."""
    return " ".join(_Converter(dialect).inline(element).split())


def escaped(text: str) -> str:
    """Text the page shows as it is, which Markdown would otherwise take for markup (or for an entity)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def emoji(image: Element) -> str:
    """An emoji drawn as an image: its character, or a server's own emoji by its code (':lantern:')."""
    name = image.attributes.get("alt", "").strip()
    if any(ord(character) > 127 for character in name):
        return name
    code = image.attributes.get("title", "").strip()
    return code if code.startswith(":") else f":{name}:" if name else ""


def is_web(url: str) -> bool:
    return url.strip().lower().startswith(("https://", "http://"))


def link_target(url: str) -> str:
    """A web address as a Markdown link's target."""
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


class _Converter:
    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    def blocks(self, element: Element, quoted: bool = False) -> str:
        """``quoted``: inside a quote, where a quote of its own is made no quote again (Discord and
        Telegram have none, and a page of quotes a hundred deep would make Markdown of their square)."""
        out = _Markdown()
        for child in element.children:
            if isinstance(child, str):
                out.text(self.text(child))
            elif self.dialect.left_out and child.has(self.dialect.left_out):
                continue
            elif self._is_code_block(child):
                out.block(_code_block(child))
            elif self._is_quote(child):
                content = child.find(self.dialect.quote_content) if self.dialect.quote_content else None
                inner = self.blocks(content or child, quoted=True).strip("\n")
                out.block(inner if quoted else "\n".join(f"> {line}" if line else ">" for line in inner.split("\n")))
            elif child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                out.block(f"{'#' * int(child.tag[1])} {' '.join(self.inline(child).split())}")
            elif child.tag in ("ul", "ol"):
                items = [item for item in child.children if isinstance(item, Element) and item.tag == "li"]
                marks = [f"{n}." for n in range(1, len(items) + 1)] if child.tag == "ol" else ["-"] * len(items)
                out.block("\n".join(self._list_item(mark, item, quoted) for mark, item in zip(marks, items)))
            elif child.tag == "br":
                out.text("\n")
            elif child.tag in ("div", "p"):
                out.block(self.blocks(child, quoted).strip("\n"))
            else:
                out.text(self.inline_element(child, quoted))
        return out.value()

    def inline(self, element: Element, quoted: bool = False) -> str:
        return "".join(self.text(child) if isinstance(child, str) else self.inline_element(child, quoted)
                       for child in element.children)

    def inline_element(self, element: Element, quoted: bool = False) -> str:
        tag = element.tag
        if tag == "img":
            return escaped(emoji(element))
        if tag == "br":
            return "\n"
        if self._is_code_block(element):
            return _code_block(element)
        if tag == "code" or (self.dialect.inline_code and element.has(self.dialect.inline_code)):
            return code_span(element.text()) if element.text() else ""
        inner = self.blocks(element, quoted) if any(isinstance(c, Element) and c.tag in _BLOCK_TAGS
                                                    for c in element.children) else self.inline(element, quoted)
        if not inner.strip():
            return inner
        if tag in ("strong", "b"):
            return _wrapped(inner, "**")
        if tag in ("em", "i"):
            return _wrapped(inner, "*")
        if tag in ("s", "del", "strike"):
            return _wrapped(inner, "~~")
        if tag == "a":
            url = element.attributes.get("href", "")
            return f"[{inner}]({link_target(url)})" if is_web(url) and "\n" not in inner else inner
        return inner

    def text(self, text: str) -> str:
        if not self.dialect.keeps_line_breaks:
            text = _SPACES.sub(" ", text)
        return _LINE_START_NUMBER.sub(r"\1\\\2", _LINE_START_MARK.sub(r"\1\\\2", escaped(text)))

    def _list_item(self, mark: str, item: Element, quoted: bool) -> str:
        first, *rest = self.blocks(item, quoted).strip("\n").split("\n")
        return "\n".join([f"{mark} {first.strip()}"] + [f"  {line}" if line else "" for line in rest])

    def _is_code_block(self, element: Element) -> bool:
        return element.tag == "pre" or bool(self.dialect.code_block and element.has(self.dialect.code_block))

    def _is_quote(self, element: Element) -> bool:
        return element.tag == "blockquote" or bool(self.dialect.quote and element.has(self.dialect.quote))


class _Markdown:
    """Markdown as it is put together: a block (a quote, a list, a heading, code) gets a blank line on
    each side, as Markdown needs to tell it from the text around it (a line after a quote would go on
    quoting), and no more than that; the text's own line breaks are kept as they are."""

    def __init__(self):
        self._parts: list[str] = []
        self._after_block = False

    def text(self, text: str) -> None:
        if not text:
            return
        if self._after_block:
            text = "\n" * max(0, 2 - (len(text) - len(text.lstrip("\n")))) + text
            self._after_block = False
        self._parts.append(text)

    def block(self, block: str) -> None:
        if not block.strip():
            return
        if self._parts:
            self._parts.append("\n" * max(0, 2 - self._trailing_line_breaks()))
        self._parts.append(block)
        self._after_block = True

    def _trailing_line_breaks(self) -> int:
        count = 0
        for part in reversed(self._parts):
            kept = part.rstrip("\n")
            count += len(part) - len(kept)
            if kept:
                break
        return count

    def value(self) -> str:
        return "".join(self._parts)


def _wrapped(inner: str, mark: str) -> str:
    """``inner`` between ``mark``s, with any space at its ends outside them (Markdown's rule)."""
    stripped = inner.strip()
    lead, tail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
    return f"{lead}{mark}{stripped}{mark}{tail}"


def _code_block(element: Element) -> str:
    """A code block, with its language (a class 'language-…' on it or on the code inside it)."""
    classes = set(element.classes)
    for inner in element.elements():
        classes |= inner.classes
    language = next((name[len("language-"):] for name in sorted(classes) if name.startswith("language-")), "")
    return fenced(element.text().strip("\n"), re.sub(r"[^A-Za-z0-9_+.#-]", "", language))
