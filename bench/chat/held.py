"""`make bench-chat-idle`: one chat server holding 10,000 idle, authenticated
sockets, measured against itself holding none, in alternation.

The 20 pairs chat in windows: none held, then held, then none again, and so on
(`--alternations` held windows, each between two none-held ones), all on one
server process. Before each held window 4 holder processes (bench/chat/hold.py)
open the sockets; after it they close them and the bench waits for the server
to go quiet. A held window is compared with the two none-held windows beside it,
so the machine's drift over the run (its speed moved the none-held p99 by 25 %
between runs of session 11) falls on both sides of each comparison alike,
instead of on the difference, as when none and held were measured once each, in
that order.

Also read: the server's RSS and CPU while the first 10,000 sit idle, the CPU
each message costs in each window, and which tables autovacuum visited during
each window (PostgreSQL shares the two cores). Writes
artifacts/bench-chat-idle.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import psutil
import psycopg

from bench.chat.run import (
    CHAT_SERVERS,
    PY,
    ROOT,
    channels_echo,
    chat_pairs,
    cpu_seconds,
    pct,
    raise_open_files_limit,
    rss_mb,
    server_cpu,
    start,
    stop,
    write_results,
)
from tests.servers import free_port

HOLDERS = 4
# After the holders close their sockets, the server is quiet again when its CPU
# stays under this share of a core for two seconds running.
QUIET_PCT = 5.0


def held_run(args: Any, env: dict[str, str], seed: dict[str, Any], results: dict[str, Any]) -> None:
    results["open_files_limit"] = raise_open_files_limit()
    results["channels_echo"] = channels_echo(args, env)
    port = free_port()
    pings = ["--ping-interval", str(args.ping_interval)]
    server = start(
        [*CHAT_SERVERS[args.server], "-b", "127.0.0.1", "-p", str(port), *pings, "b2bbank.asgi:application"],
        env,
        port,
    )
    try:
        results["rss_start_mb"] = rss_mb(server)
        results["windows"] = alternate(port, server, seed, args, env, results)
    finally:
        stop(server)
    results["load_average_end"] = os.getloadavg()
    results["summary"] = compare(results["windows"])
    report_held(results)
    write_results(results, "bench-chat-idle.json")


def alternate(
    port: int,
    server: subprocess.Popen[bytes],
    seed: dict[str, Any],
    args: Any,
    env: dict[str, str],
    results: dict[str, Any],
) -> list[dict[str, Any]]:
    """none, held, none, held, …, none: `args.alternations` held windows."""
    db_url = env["DATABASE_URL"]
    windows = [chat_window("none", port, server, seed, args, db_url)]
    for n in range(args.alternations):
        holders = open_held(port, seed, args.held, env, results, first=n == 0)
        try:
            if n == 0:
                print(f"watching the idle server for {args.idle_seconds:.0f} s…", flush=True)
                results["held"].update(idle_usage(server, args.idle_seconds))
            windows.append(chat_window("held", port, server, seed, args, db_url))
            windows[-1]["rss_mb"] = rss_mb(server)
        finally:
            stop_holders(holders)
        windows[-1]["quiet_after_s"] = wait_quiet(server)
        windows.append(chat_window("none", port, server, seed, args, db_url))
    return windows


def open_held(
    port: int, seed: dict[str, Any], count: int, env: dict[str, str], results: dict[str, Any], *, first: bool
) -> list[Any]:
    print(f"opening {count} idle sockets from {HOLDERS} processes…", flush=True)
    started = time.perf_counter()
    holders = start_holders(port, seed, count, env)
    try:
        opened, retries = wait_ready(holders)
    except BaseException:
        stop_holders(holders)
        raise
    seconds = round(time.perf_counter() - started, 1)
    if first:
        results["held"] = {"sockets": opened, "connect_retries": retries, "open_seconds": seconds}
    elif opened != results["held"]["sockets"]:
        stop_holders(holders)
        sys.exit(f"opened {opened} sockets, {results['held']['sockets']} the first time")
    time.sleep(5)  # let the connects' work (sessions, subscriptions) finish
    return holders


def chat_window(
    kind: str, port: int, server: subprocess.Popen[bytes], seed: dict[str, Any], args: Any, db_url: str
) -> dict[str, Any]:
    print(f"chat, {'none held' if kind == 'none' else 'sockets held'}…", flush=True)
    vacuums, cpu, wall = autovacuum_counts(db_url), cpu_seconds(server), time.perf_counter()
    result: dict[str, Any] = {"kind": kind, "started": time.strftime("%H:%M:%S")}
    latencies: list[float] = []
    result.update(asyncio.run(chat_pairs(port, seed, args.seconds, args.warmup, latencies_out=latencies)))
    result["latencies"] = latencies  # pooled by compare(), then dropped
    result.update(
        server_cpu(
            cpu_seconds(server) - cpu, time.perf_counter() - wall, result["delivered_total"], ms_digits=3
        )
    )
    result["autovacuumed"] = visited(vacuums, autovacuum_counts(db_url))
    print(
        f"  {result['msg_per_s']} msg/s, p99 {result['p99_ms']} ms, "
        f"{result['server_cpu_ms_per_msg']} ms CPU a message, lost {result['lost']}",
        flush=True,
    )
    return result


def autovacuum_counts(db_url: str) -> dict[str, int]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT relname, autovacuum_count + autoanalyze_count FROM pg_stat_user_tables"
        ).fetchall()
    return {name: int(count) for name, count in rows}


def visited(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(name for name, count in after.items() if count > before.get(name, 0))


def wait_quiet(server: subprocess.Popen[bytes], limit: float = 120) -> float:
    """Seconds until the server's CPU stays under QUIET_PCT for two one-second
    samples running (it is closing 10,000 sockets and collecting their objects)."""
    process, started, calm = psutil.Process(server.pid), time.perf_counter(), 0
    while calm < 2 and time.perf_counter() - started < limit:
        calm = calm + 1 if process.cpu_percent(interval=1.0) < QUIET_PCT else 0
    return round(time.perf_counter() - started, 1)


def start_holders(port: int, seed: dict[str, Any], count: int, env: dict[str, str]) -> list[Any]:
    sessions = [idle["session"] for idle in seed["idle"]]
    holders = []
    for n in range(HOLDERS):
        share = count // HOLDERS + (1 if n < count % HOLDERS else 0)
        holder = subprocess.Popen(
            [PY, "-m", "bench.chat.hold"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        spec = {"port": port, "cookie": seed["cookie"], "sessions": sessions, "count": share}
        assert holder.stdin is not None
        holder.stdin.write(json.dumps(spec) + "\n")
        holder.stdin.flush()
        holders.append(holder)
    return holders


def wait_ready(holders: list[Any]) -> tuple[int, int]:
    opened = retries = 0
    for holder in holders:
        line = holder.stdout.readline().split()
        if not line or line[0] != "ready":
            sys.exit(f"a holder process failed to open its sockets (exit {holder.poll()})")
        opened, retries = opened + int(line[1]), retries + int(line[2])
    return opened, retries


def stop_holders(holders: list[Any]) -> None:
    for holder in holders:
        try:
            holder.stdin.write("close\n")
            holder.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
    for holder in holders:
        try:
            holder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            holder.kill()


def idle_usage(server: subprocess.Popen[bytes], seconds: float) -> dict[str, Any]:
    """The server's CPU (share of one core) and RSS while nothing is sent."""
    before, wall = cpu_seconds(server), time.perf_counter()
    time.sleep(seconds)
    used, wall = cpu_seconds(server) - before, time.perf_counter() - wall
    return {"idle_cpu_pct": round(used / wall * 100, 2), "rss_mb": rss_mb(server), "seconds": round(wall, 1)}


METRICS = ("p99_ms", "msg_per_s", "server_cpu_ms_per_msg")


def compare(windows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each held window against the mean of the none-held windows either side,
    and the medians of each kind."""
    none = [w for w in windows if w["kind"] == "none"]
    held = [w for w in windows if w["kind"] == "held"]
    summary: dict[str, Any] = {"pooled_p99_ms": pooled_p99(none, held)}
    for metric in METRICS:
        summary[metric] = {
            "none_median": round(statistics.median(w[metric] for w in none), 3),
            "held_median": round(statistics.median(w[metric] for w in held), 3),
            **against_neighbours(windows, metric),
        }
    summary["lost"] = sum(w["lost"] for w in windows)
    for window in windows:
        del window["latencies"]
    return summary


def against_neighbours(windows: list[dict[str, Any]], metric: str) -> dict[str, list[float]]:
    """Each held window's value less, and over, the mean of the none-held windows before and after it."""
    pairs = [
        (window[metric], (windows[i - 1][metric] + windows[i + 1][metric]) / 2)
        for i, window in enumerate(windows)
        if window["kind"] == "held"
    ]
    return {
        "held_minus_neighbours": [round(h - n, 3) for h, n in pairs],
        "held_over_neighbours_pct": [round((h / n - 1) * 100, 1) for h, n in pairs],
    }


def pooled_p99(none: list[dict[str, Any]], held: list[dict[str, Any]]) -> dict[str, float]:
    """p99 over every round trip of each kind's windows together."""
    return {
        kind: pct([s for w in windows for s in w["latencies"]], 0.99)
        for kind, windows in (("none", none), ("held", held))
    }


def report_held(results: dict[str, Any]) -> None:
    held, echo, summary = results["held"], results["channels_echo"], results["summary"]
    print(f"\n## {held['sockets']:,} idle authenticated sockets on one Daphne process\n")
    print("| what | value |")
    print("| --- | ---: |")
    print(f"| server RSS at the start, none held | {results['rss_start_mb']} MB |")
    print(f"| server RSS, {held['sockets']:,} held and idle | {held['rss_mb']} MB |")
    print(
        f"| server CPU while idle ({held['seconds']} s, Daphne pings every "
        f"{results['config']['ping_interval']} s) | {held['idle_cpu_pct']} % of a core |"
    )
    print(
        f"| time to open them ({HOLDERS} client processes) | {held['open_seconds']} s, {held['connect_retries']} retried |"
    )
    print(f"\nChannels echo (Daphne): {echo['msg_per_s']} msg/s, p99 {echo['p99_ms']} ms\n")
    print("| window | started | held | msg/s | p50 ms | p99 ms | CPU ms/msg | lost | autovacuum |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for n, w in enumerate(results["windows"], 1):
        print(
            f"| {n} | {w['started']} | {w['kind']} | {w['msg_per_s']} | {w['p50_ms']} | {w['p99_ms']} | "
            f"{w['server_cpu_ms_per_msg']} | {w['lost']} | {', '.join(w['autovacuumed']) or 'none'} |"
        )
    print()
    for metric in METRICS:
        row = summary[metric]
        print(
            f"{metric}: none median {row['none_median']}, held median {row['held_median']}; each held window "
            f"against its neighbours {row['held_minus_neighbours']} ({row['held_over_neighbours_pct']} %)"
        )
    pooled = summary["pooled_p99_ms"]
    print(
        f"p99 over every round trip of each kind: none held {pooled['none']:.2f} ms, "
        f"held {pooled['held']:.2f} ms ({pooled['held'] - pooled['none']:+.2f} ms)"
    )
    print(
        f"lost {summary['lost']}; load average {results['load_average_start']} -> {results['load_average_end']}"
    )
