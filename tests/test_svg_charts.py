"""The chart geometry behind the server-rendered SVG (b2bbank.svg_charts)."""

from __future__ import annotations

import pytest

from b2bbank import svg_charts
from b2bbank.svg_charts import column_chart, nice_ceiling, plain_number, row_chart


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 1.0),
        (-3, 1.0),
        (1, 1.0),
        (3, 5.0),
        (7, 10.0),
        (11, 20.0),
        (0.4, 0.5),
        (230, 250.0),
        (1000, 1000.0),
    ],
)
def test_axis_ends_on_a_round_number_at_or_above_the_largest(value: float, expected: float) -> None:
    assert nice_ceiling(value) == expected


def test_plain_numbers_drop_trailing_zeros() -> None:
    assert [plain_number(v) for v in (12.0, 2.5, 0.0, 7.25)] == ["12", "2.5", "0", "7.2"]


def test_columns_scale_to_the_axis_and_sit_on_the_baseline() -> None:
    chart = column_chart(["a", "b", "c"], [("n", [5.0, 10.0, None])])
    plot_height = svg_charts.HEIGHT - svg_charts.TOP - svg_charts.BOTTOM
    heights = [bar.height for bar in chart.bars]
    assert heights == [round(plot_height / 2, 1), plot_height, 0.0]
    assert all(round(bar.y + bar.height, 1) == chart.baseline for bar in chart.bars)
    assert [t.label for t in chart.ticks] == ["0", "2.5", "5", "7.5", "10"]
    assert chart.rows == [("a", ["5"]), ("b", ["10"]), ("c", ["—"])]
    assert not chart.is_empty


def test_two_series_sit_side_by_side_inside_their_slot() -> None:
    chart = column_chart(["w1", "w2"], [("median", [1.0, 2.0]), ("p90", [3.0, 4.0])])
    first, second = chart.bars[0], chart.bars[2]  # week 1 of each series
    assert second.x == pytest.approx(first.x + first.width, abs=0.2)
    slot = (svg_charts.WIDTH - svg_charts.LEFT - svg_charts.RIGHT) / 2
    assert second.x + second.width <= svg_charts.LEFT + slot
    assert chart.series == ["median", "p90"]


def test_only_as_many_axis_labels_as_fit_but_every_row_in_the_table() -> None:
    labels = [f"w{i}" for i in range(12)]
    chart = column_chart(labels, [("n", [1.0] * 12)], max_labels=6)
    assert [c.label for c in chart.categories if c.shown] == ["w0", "w2", "w4", "w6", "w8", "w10"]
    assert [label for label, _ in chart.rows] == labels


def test_nothing_but_zeros_is_empty() -> None:
    assert column_chart(["a"], [("n", [0.0])]).is_empty
    assert column_chart(["a"], [("n", [None])]).is_empty
    assert row_chart([("a", 0.0)]).is_empty
    assert row_chart([]).is_empty


def test_rows_scale_to_the_largest_and_long_labels_are_shortened() -> None:
    long = "A reason far longer than the room beside the bar allows"
    chart = row_chart([("Submitted", 10.0), (long, 5.0)])
    assert chart.rows[1].width == pytest.approx(chart.rows[0].width / 2, abs=0.1)
    assert chart.rows[1].label == long
    assert chart.rows[1].short.endswith("…")
    assert len(chart.rows[1].short) == svg_charts.ROW_LABEL_CHARS
    assert chart.rows[0].value_x > chart.rows[1].value_x


def test_count_axes_have_whole_number_ticks() -> None:
    for largest in (1.0, 3.0, 7.0, 10.0, 13.0, 230.0):
        chart = column_chart(["a"], [("n", [largest])], counts=True)
        assert all(float(t.label) == int(float(t.label)) for t in chart.ticks), largest
        assert float(chart.ticks[-1].label) >= largest
