"""The archive's pictures as geometry: where each cell and bar of the pair matrix and the timeline
goes, and what it says. The templates draw them (as inline SVG, with their links); nothing here is
markup, and every number is rounded so that the same archive gives the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from generator.statistics import PairFigures
from generator.theme import plural

MATRIX_SPEAKERS = 24  # the matrix shows the speakers with most pair conversations; the table shows all
CELL = 22
LABEL_WIDTH = 160  # room for a speaker's name left of the rows and above the columns
TIMELINE_WIDTH = 720
TIMELINE_BARS = 120
TIMELINE_HEIGHT = 60  # each of the two rows: conversations, and their median length


def pair_matrix(pairs: list[PairFigures], url_of, limit: int = MATRIX_SPEAKERS) -> dict | None:
    """The lower triangle of a speaker × speaker grid: a cell per pair that talked, shaded by how many
    conversations they had. ``url_of(pair)``: the pair's page. None when fewer than two pairs."""
    if len(pairs) < 2:
        return None
    totals: dict[str, int] = {}
    for pair in pairs:
        for name in {pair.first, pair.second}:
            totals[name] = totals.get(name, 0) + pair.conversations
    names = sorted(totals, key=lambda name: (-totals[name], name.casefold(), name))[:limit]
    position = {name: n for n, name in enumerate(names)}
    most = max(pair.conversations for pair in pairs)
    cells = []
    for pair in pairs:
        if pair.first not in position or pair.second not in position:
            continue
        row, column = sorted((position[pair.first], position[pair.second]), reverse=True)
        cells.append({
            "x": LABEL_WIDTH + column * CELL, "y": LABEL_WIDTH + row * CELL,
            "shade": round(0.15 + 0.85 * pair.conversations / most, 3),
            "url": url_of(pair),
            "label": f"{_who(pair)}: {plural(pair.conversations, 'conversation')}, "
                     f"{pair.mean_messages:.0f} messages on average, {pair.loop_share:.0%} loop, "
                     f"{pair.tail_share:.0%} closing tail",
            "loop": pair.loop_share >= 0.1,  # marked with a dot: a pair that often falls into loops
        })
    cells.sort(key=lambda cell: (cell["y"], cell["x"]))
    size = LABEL_WIDTH + len(names) * CELL
    return {
        # The slanted column names reach past the last column.
        "width": size + LABEL_WIDTH // 2, "height": size, "cell": CELL, "left": LABEL_WIDTH,
        "rows": [{"name": name, "y": LABEL_WIDTH + n * CELL + CELL // 2 + 4} for n, name in enumerate(names)],
        "columns": [{"name": name, "x": LABEL_WIDTH + n * CELL + CELL // 2 + 4} for n, name in enumerate(names)],
        "cells": cells, "shown": len(names), "speakers": len(totals),
    }


def _who(pair: PairFigures) -> str:
    """A cell on the diagonal is a model that talked with itself (two seats, see model.archive_speaker)."""
    return f"{pair.first} with itself" if pair.first == pair.second else f"{pair.first} and {pair.second}"


def timeline(dated: list[tuple[datetime, int]], month_url) -> dict | None:
    """Conversations by date (bars: how many) and their lengths (bars: the median message count),
    in at most TIMELINE_BARS spans of a day, a week or a month. ``dated``: (start, messages) of each
    dated conversation; ``month_url('2025-10')``: that month's page. None without dates."""
    if not dated:
        return None
    days = sorted(when.date() for when, _ in dated)
    first, last = days[0], days[-1]
    span = _span((last - first).days + 1)
    buckets: dict[date, list[int]] = {}
    earliest: dict[date, date] = {}  # a week may start in a month with no conversation: link the first one's
    for when, messages in dated:
        start = _bucket_start(when.date(), span)
        buckets.setdefault(start, []).append(messages)
        earliest[start] = min(earliest.get(start, when.date()), when.date())
    starts = []
    start = _bucket_start(first, span)
    while start <= last:
        starts.append(start)
        start = _next(start, span)
    width = TIMELINE_WIDTH / len(starts)
    most = max(len(v) for v in buckets.values())
    longest = max(_median(v) for v in buckets.values()) or 1
    bars = []
    for n, start in enumerate(starts):
        lengths = buckets.get(start, [])
        if not lengths:
            continue
        count, median = len(lengths), _median(lengths)
        count_height = max(1.0, TIMELINE_HEIGHT * count / most)
        length_height = max(1.0, TIMELINE_HEIGHT * median / longest)
        bars.append({
            "x": round(n * width, 2), "width": round(max(width - 1, 0.5), 2),
            "count_y": round(TIMELINE_HEIGHT - count_height, 2), "count_height": round(count_height, 2),
            "length_y": round(2 * TIMELINE_HEIGHT + 12 - length_height, 2), "length_height": round(length_height, 2),
            "url": month_url(f"{earliest[start]:%Y-%m}"),
            "label": f"{_span_name(start, span)}: {plural(count, 'conversation')}, median {median:g} messages",
        })
    return {"width": TIMELINE_WIDTH, "height": 2 * TIMELINE_HEIGHT + 12, "row": TIMELINE_HEIGHT, "bars": bars,
            "span": span, "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}", "most": most,
            "longest": f"{longest:g}", "dated": len(dated)}


def _span(days: int) -> str:
    if days <= TIMELINE_BARS:
        return "day"
    if days <= 7 * TIMELINE_BARS:
        return "week"
    return "month"


def _bucket_start(day: date, span: str) -> date:
    if span == "day":
        return day
    if span == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next(start: date, span: str) -> date:
    if span == "day":
        return start + timedelta(days=1)
    if span == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _span_name(start: date, span: str) -> str:
    if span == "day":
        return f"{start:%Y-%m-%d}"
    if span == "week":
        return f"week of {start:%Y-%m-%d}"
    return f"{start:%Y-%m}"


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
