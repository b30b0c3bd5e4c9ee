"""Fenced code -> HTML with Pygments CSS classes (the theme styles them for light and dark)."""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape

# Pygments is imported where it is first needed: importing it is a tenth of the start-up of a
# small rebuild, and most messages hold no code.


def fence_html(info: str, code: str) -> str:
    """A code block: the first word of the fence's info string names the language."""
    language = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    body = highlight_code(code, language.lower())
    label = f' data-lang="{escape(language)}"' if language else ""
    # Focusable: a wide block scrolls, and the keyboard must be able to scroll it too.
    return f'<pre class="code"{label} tabindex="0"><code>{body}</code></pre>\n'



@lru_cache(maxsize=4096)
def highlight_code(code: str, language: str) -> str:
    """Inner HTML of a ``<code>`` element: highlighted spans, or escaped text for unknown languages."""
    lexer = _lexer(language) if language else None
    if lexer is not None:
        from pygments import format
        return format(_plain_whitespace(lexer.get_tokens(code)), _formatter())
    return escape(code, quote=False)


def _plain_whitespace(tokens):
    """Whitespace as plain text: Pygments wraps each run of it in ``<span class="w">``, which shows
    nothing (a space has no colour) and was a tenth of the markup of real archives' code."""
    from pygments.token import Text, Whitespace
    for kind, value in tokens:
        yield (Text, value) if kind in Whitespace else (kind, value)


@lru_cache(maxsize=8)
def plain_classes(light: str, dark: str) -> frozenset[str]:
    """The classes of the token types that both styles show as they show plain text: a span of one
    changes nothing on the page. With the default styles that is punctuation, a tenth of the pages
    of an archive of chats about code (aider's)."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Text
    classes = {name for name in STANDARD_TYPES.values() if name}
    for style in (get_style_by_name(light), get_style_by_name(dark)):
        plain = style.style_for_token(Text)
        classes &= {name for kind, name in STANDARD_TYPES.items() if style.style_for_token(kind) == plain}
    return frozenset(classes)


@cache
def _formatter():
    """Classes are short Pygments names (k, s, c1...), scoped by the theme's CSS selector."""
    from pygments.formatters import HtmlFormatter
    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(language: str):
    """A lexer for the language, or None: finding one by name costs more than lexing a short block."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def stylesheet(light: str, dark: str, scope: str = ".code") -> str:
    """CSS for both colour schemes: ``light`` by default, ``dark`` when the system or the page says dark.

    The page's toggle sets ``html[data-theme]``; without it, the system setting decides.
    """
    from pygments.formatters import HtmlFormatter
    light_css = HtmlFormatter(style=light).get_style_defs(scope)
    system_dark = HtmlFormatter(style=dark).get_style_defs(f':root:not([data-theme="light"]) {scope}')
    chosen_dark = HtmlFormatter(style=dark).get_style_defs(f':root[data-theme="dark"] {scope}')
    indented = "\n".join("  " + line for line in system_dark.splitlines())
    return (f"/* Pygments '{light}' and '{dark}' */\n{light_css}\n"
            f"@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n{chosen_dark}\n")
