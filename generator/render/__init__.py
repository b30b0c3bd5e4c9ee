"""Message text -> HTML. The only entry point the site needs is :class:`MessageRenderer`."""

from __future__ import annotations

import re
from html import escape

from generator.render.drawn import split_drawn
from generator.render.fast import render_simple
from generator.render.roleplay import close_spanning_directions

# Short texts repeat across an archive ("[END]", "Goodbye."); long ones rarely do, and caching
# them would hold a whole archive's HTML in memory.
CACHED_LENGTH = 200
CACHE_ENTRIES = 50_000
# Every "<" of the renderer's HTML opens a tag (a "<" of the text is "&lt;"), so this reads tags only.
_QUOTE_IN_TAG = re.compile(r"<[^>]*&quot;")


class MessageRenderer:
    """Renders message bodies: the simple-subset fast path when it applies, markdown-it otherwise."""

    def __init__(self, verse: bool = True, fast: bool = True, drawn: bool = True,
                 code_styles: tuple[str, str] | None = None):
        """``drawn``: set text drawn with characters apart, monospace (render/drawn.py). ``code_styles``:
        the (light, dark) Pygments styles the site's code is shown in; a highlighted token both show as
        plain text is written without its span."""
        self._parser = None  # markdown-it, made when a message first needs it (loading it is slow)
        self._verse = verse
        self._fast = fast
        self._drawn = drawn
        self._code_styles = code_styles
        self._plain_span: re.Pattern | None = None  # made when a message first holds highlighted code
        self._cache: dict[str, str] = {}

    def render(self, text: str) -> str:
        html = self._cache.get(text)
        if html is None:
            html = self._render(text)
            if len(text) <= CACHED_LENGTH and len(self._cache) < CACHE_ENTRIES:
                self._cache[text] = html
        return html

    def _render(self, text: str) -> str:
        if not text.strip():
            return ""
        if not self._drawn:
            return plain_quotes(self._render_markdown(text))
        return plain_quotes("".join(drawn_html(part) if is_drawn else self._render_markdown(part)
                                    for is_drawn, part in split_drawn(text)))

    def _render_markdown(self, text: str) -> str:
        text = close_spanning_directions(text)
        if not text.strip():
            return ""
        html = render_simple(text, self._verse) if self._fast else None
        if html is None:
            if self._parser is None:
                from generator.render.markdown import make_parser
                self._parser = make_parser(self._verse)
            html = self._parser.render(text)
        return self._without_plain_spans(html) if self._code_styles and '<span class="' in html else html

    def _without_plain_spans(self, html: str) -> str:
        """Pygments' spans of the tokens shown as plain text, left out (their text stays). Only Pygments
        writes a span with such a class: the renderer's own are others, and a transcript's '<' is escaped."""
        if self._plain_span is None:
            from generator.render.highlight import plain_classes
            classes = sorted(plain_classes(*self._code_styles))
            self._plain_span = re.compile(f'<span class="(?:{"|".join(map(re.escape, classes))})">([^<]*)</span>'
                                          if classes else "(?!)")
        return self._plain_span.sub(r"\1", html)


def plain_quotes(html: str) -> str:
    """``"`` as itself in text: only an attribute needs it escaped. markdown-it writes ``&quot;``,
    six bytes for one, and real transcripts are full of quotes (3.6 % of one archive's size).
    A message with ``&quot;`` inside a tag (a link's title) is left as it is."""
    if "&quot;" not in html or _QUOTE_IN_TAG.search(html):
        return html
    return html.replace("&quot;", '"')


def drawn_html(text: str) -> str:
    """A drawn block: monospace, its spacing kept, scrollable (and so focusable) when wide."""
    lines = text.strip("\n")
    return f'<pre class="drawn" tabindex="0">{escape(lines, quote=False)}</pre>\n'
