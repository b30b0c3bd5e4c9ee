"""The default theme's speaker palette: every two colours tell apart, in light and in dark.

Speakers are told apart by colour (chips, shape bars, message edges), so the closest two colours of
the palette must still look different. CIEDE2000 is the standard measure of how different two
colours look; about 2 is just noticeable, and the closest pair here is about 11. The brown that
``sp-11`` once was sat 9 from ``sp-1``'s orange, and "User" and "Claude" fall on those two.
"""

from __future__ import annotations

import itertools
import math
import re

from tests.conftest import ROOT

PALETTE = re.compile(r"\.sp-(\d+) \{ --sp: light-dark\((#[0-9a-f]{6}), (#[0-9a-f]{6})\); \}")
CLOSEST = 10.5


def _lab(colour: str) -> tuple[float, float, float]:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(value: float) -> float:
        return value ** (1 / 3) if value > 0.008856 else 7.787 * value + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(first: str, second: str) -> float:
    return ciede2000_lab(_lab(first), _lab(second))


def ciede2000_lab(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_chroma = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_chroma ** 7 / (mean_chroma ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    turn = h2 - h1 if c1 * c2 else 0.0
    turn = turn - 360 if turn > 180 else turn + 360 if turn < -180 else turn
    delta_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(turn / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    if not c1 * c2:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(mean_h - 30)) + 0.24 * math.cos(math.radians(2 * mean_h))
         + 0.32 * math.cos(math.radians(3 * mean_h + 6)) - 0.20 * math.cos(math.radians(4 * mean_h - 63)))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    rotation = -math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2)))) * 2 * math.sqrt(
        mean_c ** 7 / (mean_c ** 7 + 25 ** 7))
    dl, dc, dh = (l2 - l1) / s_l, (c2 - c1) / s_c, delta_h / s_h
    return math.sqrt(dl ** 2 + dc ** 2 + dh ** 2 + rotation * dc * dh)


def test_the_measure_agrees_with_its_published_test_data():
    # Sharma, Wu and Dalal (2005), pairs 1, 7 and 17.
    assert round(ciede2000_lab((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(ciede2000_lab((50, 0, 0), (50, -1, 2)), 4) == 2.3669
    assert round(ciede2000_lab((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492
    assert ciede2000("#336699", "#336699") == 0


def test_every_two_speaker_colours_look_different_in_light_and_dark():
    css = (ROOT / "themes/default/static/style.css").read_text("utf-8")
    palette = PALETTE.findall(css)
    assert len(palette) == 12
    for scheme in (1, 2):
        closest = min((ciede2000(a[scheme], b[scheme]), a[0], b[0]) for a, b in itertools.combinations(palette, 2))
        assert closest[0] >= CLOSEST, f"sp-{closest[1]} and sp-{closest[2]} are {closest[0]:.1f} apart"
