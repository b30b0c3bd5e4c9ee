"""Message text -> HTML. The only entry point the site needs is :class:`MessageRenderer`."""

from __future__ import annotations

from generator.render.markdown import make_parser


class MessageRenderer:
    """Renders message bodies; each distinct text is rendered once (archives repeat ``[END]`` a lot)."""

    def __init__(self, verse: bool = True):
        self._parser = make_parser(verse)
        self._cache: dict[str, str] = {}

    def render(self, text: str) -> str:
        html = self._cache.get(text)
        if html is None:
            html = self._parser.render(text) if text.strip() else ""
            self._cache[text] = html
        return html
