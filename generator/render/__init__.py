"""Message text -> HTML. The only entry point the site needs is :class:`MessageRenderer`."""

from __future__ import annotations

from generator.render.fast import render_simple

# Short texts repeat across an archive ("[END]", "Goodbye."); long ones rarely do, and caching
# them would hold a whole archive's HTML in memory.
CACHED_LENGTH = 200
CACHE_ENTRIES = 50_000


class MessageRenderer:
    """Renders message bodies: the simple-subset fast path when it applies, markdown-it otherwise."""

    def __init__(self, verse: bool = True, fast: bool = True):
        self._parser = None  # markdown-it, made when a message first needs it (loading it is slow)
        self._verse = verse
        self._fast = fast
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
        if self._fast:
            html = render_simple(text, self._verse)
            if html is not None:
                return html
        if self._parser is None:
            from generator.render.markdown import make_parser
            self._parser = make_parser(self._verse)
        return self._parser.render(text)
