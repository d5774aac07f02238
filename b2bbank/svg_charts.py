"""Chart geometry for server-rendered SVG (templates/includes/chart_*.html).

Why SVG from the server rather than a JavaScript chart library: the charts
need no download, no vendoring and no script (they work under the site's
Content-Security-Policy and with scripts off), and they print. This module
only computes numbers (positions, sizes, tick labels); the templates draw
them with Django's autoescaping, so a label from user input (a decline
reason) can never become markup.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 560
HEIGHT = 240
LEFT = 44  # room for the value axis labels
RIGHT = 8
TOP = 12
BOTTOM = 34  # room for the category labels
TICKS = 4
ROW_HEIGHT = 30
ROW_LABEL = 220  # room for row labels in a row chart
ROW_LABEL_CHARS = 24


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`
    (an axis that ends on a round number); 1 for nothing to show."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def plain_number(value: float) -> str:
    """12 -> "12", 2.5 -> "2.5": axis labels without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: float | None
    text: str


@dataclass(frozen=True)
class Category:
    x: float
    label: str
    shown: bool  # every label in the table; on the axis only as many as fit


@dataclass(frozen=True)
class ColumnChart:
    """Vertical bars, one group per category, one bar per series."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    ticks: list[Tick]
    bars: list[Bar]
    categories: list[Category]
    series: list[str]
    rows: list[tuple[str, list[str]]]  # the table: category, one text per series

    @property
    def is_empty(self) -> bool:
        return all(bar.value in (None, 0) for bar in self.bars)


def column_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    fmt: Callable[[float], str] = plain_number,
    max_labels: int = 6,
    counts: bool = False,
) -> ColumnChart:
    """Columns for each category and series (None: no value, no bar, "—" in
    the table). The value axis starts at 0 and ends on a round number; for
    `counts` every tick is a whole number."""
    top = nice_ceiling(max((v for _, values in series for v in values if v is not None), default=0))
    if counts:
        top = float(max(TICKS, math.ceil(top / TICKS) * TICKS))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = float(TOP + plot_height)
    slot = plot_width / max(len(categories), 1)
    bar_width = slot * 0.75 / max(len(series), 1)
    every = max(1, math.ceil(len(categories) / max_labels))
    bars = []
    for s, (_, values) in enumerate(series):
        for i, value in enumerate(values):
            height = 0.0 if value is None else plot_height * value / top
            x = LEFT + i * slot + slot * 0.125 + s * bar_width
            text = "—" if value is None else fmt(value)
            bars.append(
                Bar(
                    round(x, 1),
                    round(baseline - height, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    s,
                    value,
                    text,
                )
            )
    ticks = [
        Tick(round(baseline - plot_height * k / TICKS, 1), fmt(top * k / TICKS)) for k in range(TICKS + 1)
    ]
    cats = [
        Category(round(LEFT + i * slot + slot / 2, 1), label, i % every == 0)
        for i, label in enumerate(categories)
    ]
    rows = [
        (label, ["—" if values[i] is None else fmt(values[i]) for _, values in series])  # type: ignore[arg-type]
        for i, label in enumerate(categories)
    ]
    return ColumnChart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, ticks, bars, cats, [name for name, _ in series], rows
    )


@dataclass(frozen=True)
class Row:
    y: float
    width: float
    label: str  # the whole label (the table, the bar's title)
    value: float
    text: str

    @property
    def value_x(self) -> float:
        """Where the value's text starts: just after the bar."""
        return round(ROW_LABEL + self.width + 6, 1)

    @property
    def short(self) -> str:
        """The label as it fits beside the bar."""
        return self.label if len(self.label) <= ROW_LABEL_CHARS else self.label[: ROW_LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class RowChart:
    """Horizontal bars, one per row, labelled on the left (a funnel, reasons)."""

    width: int
    height: int
    label_width: int
    rows: list[Row]
    bar_height: float

    @property
    def is_empty(self) -> bool:
        return all(row.value == 0 for row in self.rows)


def row_chart(rows: Sequence[tuple[str, float]], *, fmt: Callable[[float], str] = plain_number) -> RowChart:
    """One bar per (label, value), scaled to the largest value."""
    largest = max((value for _, value in rows), default=0) or 1
    room = WIDTH - ROW_LABEL - 60  # the value's text sits after the bar
    drawn = [
        Row(round(i * ROW_HEIGHT + 6, 1), round(room * value / largest, 1), label, value, fmt(value))
        for i, (label, value) in enumerate(rows)
    ]
    return RowChart(WIDTH, max(len(rows), 1) * ROW_HEIGHT + 6, ROW_LABEL, drawn, ROW_HEIGHT - 10)
