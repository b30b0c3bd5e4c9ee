"""A conversation's shape as a small inline SVG: one bar per message (its length), in its speaker's
colour, over bands that mark loops and the closing tail.

Deterministic (the same bytes for the same messages) and light: each speaker's bars are one path of
vertical strokes, a few bytes per message. The page's script takes a click on a bar to its message
(``data-slots``: how many bars the width holds), and the turn map links every message too. Bar
heights follow the square root of a message's length, so one long message does not flatten the rest.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from generator.insights import Insights

BAR = 4  # units per message: a 3-unit bar and a 1-unit gap
HEIGHT = 40
MIN_SLOTS = 60  # the picture is as wide as this many messages at least


def shape_svg(insights: Insights, colours: dict[str, tuple[str, str]], caption_id: str = "shape-caption") -> Markup:
    """The SVG; ``colours`` maps each speaker to its palette class (``sp-3``) and its own colour
    (a ``--sp: #2a6f97`` style, or ''). Its text alternative is the caption with id ``caption_id``
    beside it, which says in words what it shows (:func:`describe`): not a second copy inside it."""
    count = insights.count
    if not count:
        return Markup("")
    tallest = math.sqrt(max(insights.lengths) or 1)
    slots = max(count, MIN_SLOTS)  # a short conversation keeps thin bars, at the start
    parts = [f'<svg class="shape" viewBox="0 0 {slots * BAR} {HEIGHT}" preserveAspectRatio="none" '
             f'role="img" aria-labelledby="{caption_id}" data-slots="{slots}" data-messages="{count}">']
    for loop in insights.loops:
        parts.append(f'<rect class="loop" x="{(loop.first - 1) * BAR}" y="0" width="{loop.length * BAR}" '
                     f'height="{HEIGHT}"/>')
    if insights.tail:
        parts.append(f'<rect class="tail" x="{(insights.tail - 1) * BAR}" y="0" '
                     f'width="{(count - insights.tail + 1) * BAR}" height="{HEIGHT}"/>')
    strokes: dict[str, list[tuple[int, int]]] = {}  # (slot, height) by speaker, in the order they first speak
    for position, (length, speaker) in enumerate(zip(insights.lengths, insights.speakers_in_order)):
        height = max(2, round(HEIGHT * math.sqrt(length) / tallest))
        strokes.setdefault(speaker, []).append((position, height))
    for speaker, speaker_strokes in strokes.items():
        parts.append(_path(*colours.get(speaker, ("", "")), bars_path(speaker_strokes, HEIGHT)))
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_path(strokes: list[tuple[int, int]], bottom: int) -> str:
    """Path data for bars at ``(slot, height)``, in slot order: each a vertical stroke BAR - 1 wide (the
    class draws it so), up from ``bottom``. The first is placed absolutely, each next one by a move
    from the top of the one before ("m8 23v-32"): a few bytes a message, where an absolute place
    grows with the conversation ("M1001.5 40v-32")."""
    parts = []
    last = None
    for slot, height in strokes:
        if last is None:
            parts.append(f"M{slot * BAR + (BAR - 1) / 2:g} {bottom}v-{height}")
        else:
            parts.append(f"m{(slot - last[0]) * BAR} {last[1]}v-{height}")
        last = (slot, height)
    return "".join(parts)


def _path(css_class: str, style: str, data: str) -> str:
    style = f' style="{escape(style)}"' if style else ""
    return f'<path class="bar {css_class}"{style} d="{data}"/>'


def describe(insights: Insights) -> str:
    """The shape in one line of text: what the picture shows, for those who cannot see it."""
    parts = [f"{insights.count} message{'' if insights.count == 1 else 's'}"]
    if insights.shares:
        leader = max(insights.shares, key=lambda share: (share.words, share.name))
        if len(insights.shares) > 1:
            parts.append(f"{leader.name} wrote {leader.share:.0%} of the words")
    if insights.loops:
        first = insights.loops[0]
        parts.append(f"{len(insights.loops)} loop{'' if len(insights.loops) == 1 else 's'}, the first at "
                     f"message {first.first} repeating {first.source}–{first.source + first.length - 1}")
    elif insights.repeats:
        parts.append(f"first repeat at message {insights.first_repeat}")
    if insights.tail:
        parts.append(f"closing tail from message {insights.tail}")
    parts.append(f"ending: {insights.ending.label}")
    return "; ".join(parts)


CARD_SLOTS = 40  # a card's picture is as wide as this many bars (profile.CARD_BARS at most)
CARD_HEIGHT = 18


def card_shape_svg(bars: str, css_classes: list[str], styles: list[str], summary: str) -> Markup:
    """A card's small shape from a profile's bars (see profile.Profile.bars): one path per speaker, so a
    list of many cards stays light. ``css_classes``/``styles``: each speaker's, in the profile's order."""
    if not bars:
        return Markup("")
    paths: dict[int, list[tuple[int, int]]] = {}
    marks = bars[2::3]
    for slot in range(len(marks)):
        speaker, height = bars[3 * slot], int(bars[3 * slot + 1])
        paths.setdefault(int(speaker, 36), []).append((slot, 2 * height))
    bands = []
    slot = 0
    while slot < len(marks):  # a run of loop (or tail) bars is one band
        end = slot + 1
        while end < len(marks) and marks[end] == marks[slot]:
            end += 1
        if marks[slot] != ".":
            bands.append(f'<rect class="{"loop" if marks[slot] == "l" else "tail"}" x="{slot * BAR}" y="0" '
                         f'width="{(end - slot) * BAR}" height="{CARD_HEIGHT}"/>')
        slot = end
    parts = [f'<svg class="shape card-shape" viewBox="0 0 {CARD_SLOTS * BAR} {CARD_HEIGHT}" '
             f'preserveAspectRatio="none" role="img" aria-label="{escape(summary)}">', *bands]
    for position in sorted(paths):
        css_class = css_classes[position] if position < len(css_classes) else ""
        style = styles[position] if position < len(styles) else ""
        parts.append(_path(css_class, style, bars_path(paths[position], CARD_HEIGHT)))
    parts.append("</svg>")
    return Markup("".join(parts))
