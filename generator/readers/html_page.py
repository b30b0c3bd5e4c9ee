"""A small, forgiving reader of generated HTML pages (an exporter's, not the web's): a tree of elements
with their classes and attributes, for a reader to walk.

Exporters write regular HTML: attribute values quoted and escaped, elements closed. This reads
that in one pass and in linear time whatever the input: a tag that does not parse is text, a
closing tag with no element open near it is passed over, a comment left open runs to the end, and
nesting deeper than ``MAX_DEPTH`` goes into the element at that depth (so no walk of the tree
recurses without end). Text is unescaped (``&amp;`` → ``&``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

MAX_DEPTH = 200
_CLOSE_SEARCH = 32  # open elements a closing tag looks back through for its own
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_RAW_TEXT_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style")}
# A start or end tag whose attribute values hold no '<' or '>' (an exporter escapes them): every
# attempt stops at the next '<' or '>', so a page is scanned in linear time.
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>"']|"[^"<>]*"|'[^'<>]*')*)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass
class Element:
    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # Elements and strings
    line: int = 1  # where its start tag is

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attributes.get("class", "").split())

    def has(self, css_class: str) -> bool:
        return css_class in self.attributes.get("class", "").split()

    def elements(self):
        """Every element inside, in document order (without recursion)."""
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    yield child
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()

    def find(self, css_class: str) -> "Element | None":
        return next((element for element in self.elements() if element.has(css_class)), None)

    def find_all(self, css_class: str) -> list["Element"]:
        """The outermost elements inside of this class (not those within one of them): a walk of the
        page visits each element once, however they nest."""
        found = []
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    if child.has(css_class):
                        found.append(child)
                    else:
                        stack.append(iter(child.children))
                        break
            else:
                stack.pop()
        return found

    def first(self, tag: str) -> "Element | None":
        """The first element inside with this tag name."""
        return next((element for element in self.elements() if element.tag == tag), None)

    def words(self) -> str:
        """The text inside, its runs of white space made one space (as a browser shows it)."""
        return " ".join(self.text().split())

    def text(self) -> str:
        """All the text inside, as it reads."""
        parts = []
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    stack.append(iter(child.children))
                    break
                parts.append(child)
            else:
                stack.pop()
        return "".join(parts)


def parse(text: str) -> Element:
    """The page as a tree under a root element ('#document')."""
    root = Element("#document")
    open_elements = [root]
    position, line = 0, 1
    length = len(text)
    while position < length:
        at = text.find("<", position)
        if at == -1:
            at = length
        if at > position:
            open_elements[-1].children.append(html.unescape(text[position:at]))
            line += text.count("\n", position, at)
            position = at
            continue
        if text.startswith("<!--", position):
            end = text.find("-->", position + 4)
            end = length if end == -1 else end + 3
            line += text.count("\n", position, end)
            position = end
            continue
        if text.startswith("<!", position) or text.startswith("<?", position):  # a doctype, a declaration
            end = text.find(">", position)
            end = length if end == -1 else end + 1
            line += text.count("\n", position, end)
            position = end
            continue
        tag = _TAG.match(text, position)
        if tag is None:
            open_elements[-1].children.append("<")
            position += 1
            continue
        closing, name, attributes = tag[1], tag[2].lower(), tag[3]
        end = tag.end()
        if closing:
            _close(open_elements, name)
        else:
            element = Element(name, _attributes(attributes), line=line)
            open_elements[-1].children.append(element)
            if name in _RAW_TEXT_END:  # its text is code, never shown: skipped to its end tag
                close = _RAW_TEXT_END[name].search(text, end)
                end = length if close is None else close.start()
            elif name not in _VOID and not attributes.rstrip().endswith("/") and len(open_elements) < MAX_DEPTH:
                open_elements.append(element)
        line += text.count("\n", position, end)
        position = end
    return root


def _close(open_elements: list[Element], name: str) -> None:
    for depth in range(len(open_elements) - 1, max(0, len(open_elements) - 1 - _CLOSE_SEARCH), -1):
        if open_elements[depth].tag == name:
            del open_elements[depth:]
            return


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match[1].lower()
        if name not in found:
            value = match[2] if match[2] is not None else match[3] if match[3] is not None else match[4] or ""
            found[name] = html.unescape(value)
    return found


@dataclass(frozen=True)
class PageReader:
    """The reader of one exporter's pages, among the readers of ``.html`` files: it claims a page whose
    head ``mark`` is found in, and reads the page's tree with ``read_page(path, page, display)``.

    An exporter that writes a long chat over several pages, linking from one to another, may read them
    together: ``read_pages(path, pages)`` reads the trees of (file name, tree, display) in order, one
    at a time, as one chat."""
    NAME: str
    mark: re.Pattern
    read_page: Callable
    read_pages: Callable | None = None

    def sniff(self, head: str) -> bool:
        return self.mark.search(head) is not None

    @property
    def reads_together(self) -> bool:
        return self.read_pages is not None

    def read(self, path, text: str, display: str):
        return self.read_page(path, parse(text), display)

    def read_together(self, path, pages: Iterable[tuple[str, str, str]]):
        """(file name, text, display) of each page of one export, in order (see ``read_pages``)."""
        return self.read_pages(path, ((name, parse(text), display) for name, text, display in pages))
