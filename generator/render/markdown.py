"""The markdown-it-py parser for message bodies: CommonMark, no raw HTML, transcript rules."""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from generator.render.highlight import fence_html
from generator.render.stage import stage_directions

# Message bodies sit under the page's h1 and each speaker's h2, so their own headings start at h3.
FIRST_BODY_HEADING = 3


def make_parser(verse: bool = True) -> MarkdownIt:
    """``verse``: every newline is a line break (transcripts are not hard-wrapped prose)."""
    md = MarkdownIt("commonmark", {"html": False, "breaks": verse, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.after("inline", "stage_directions", stage_directions)
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
    alt = self.renderInlineAsText(token.children or [], options, env) or token.attrGet("src")
    src = escape(token.attrGet("src") or "")
    return f'<a class="image-link" href="{src}" rel="nofollow noopener">[image: {escape(alt)}]</a>'


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if not (token.attrGet("href") or "").startswith("#"):
        token.attrSet("rel", "nofollow noopener")
    return self.renderToken(tokens, idx, options, env)


def _heading_levels(state) -> None:
    """Renumber body headings from h3 down, never skipping a level in document order."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    shift = FIRST_BODY_HEADING - min(int(t.tag[1]) for t in headings)
    previous = FIRST_BODY_HEADING - 1
    for token in headings:
        if token.type == "heading_open":
            previous = max(FIRST_BODY_HEADING, min(int(token.tag[1]) + shift, previous + 1, 6))
        token.tag = f"h{previous}"
