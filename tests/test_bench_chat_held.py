"""`make bench-chat-idle`'s reading (bench/chat/held.py): each held window is
compared with the none-held windows on either side of it, and the p99 of each
kind is taken over all its round trips together."""

from __future__ import annotations

from typing import Any

import pytest

from bench.chat.held import compare


def window(kind: str, p99: float, msg_per_s: float, cpu: float, latencies: list[float]) -> dict[str, Any]:
    return {
        "kind": kind,
        "p99_ms": p99,
        "msg_per_s": msg_per_s,
        "server_cpu_ms_per_msg": cpu,
        "lost": 0,
        "latencies": latencies,
    }


def test_a_held_window_is_read_against_the_mean_of_its_two_neighbours() -> None:
    windows = [
        window("none", 60.0, 1000.0, 1.0, [0.010] * 99 + [0.060]),
        window("held", 70.0, 900.0, 1.1, [0.010] * 99 + [0.070]),
        window("none", 64.0, 1100.0, 1.2, [0.010] * 99 + [0.064]),
        window("held", 61.0, 1050.0, 1.0, [0.010] * 99 + [0.061]),
        window("none", 66.0, 1000.0, 1.0, [0.010] * 99 + [0.066]),
    ]

    summary = compare(windows)

    assert summary["p99_ms"]["held_minus_neighbours"] == [8.0, -4.0]
    assert summary["p99_ms"]["held_over_neighbours_pct"] == [12.9, -6.2]
    assert summary["msg_per_s"]["held_minus_neighbours"] == [-150.0, 0.0]
    assert summary["server_cpu_ms_per_msg"]["held_over_neighbours_pct"] == [0.0, -9.1]
    assert summary["p99_ms"]["none_median"] == 64.0
    assert summary["p99_ms"]["held_median"] == 65.5
    # 300 none-held round trips, of which the 3 slowest (60, 64 and 66 ms) are the
    # top 1 %: the p99 is the first of them. 200 held ones: 61 and 70 ms are the top 1 %.
    assert summary["pooled_p99_ms"] == {"none": pytest.approx(60.0), "held": pytest.approx(61.0)}
    assert all("latencies" not in w for w in windows), "the raw round trips are not written out"


def test_the_pooled_p99_takes_every_round_trip_of_a_kind_together() -> None:
    slow = [0.010] * 90 + [0.050] * 10
    fast = [0.010] * 100
    windows = [
        window("none", 10.0, 1.0, 1.0, list(fast)),
        window("held", 50.0, 1.0, 1.0, list(slow)),
        window("none", 10.0, 1.0, 1.0, list(fast)),
    ]

    pooled = compare(windows)["pooled_p99_ms"]

    assert pooled["none"] == pytest.approx(10.0)
    assert pooled["held"] == pytest.approx(50.0)
