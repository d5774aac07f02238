"""Chat benchmark: 20 active pairs exchanging messages through the real server
(Daphne, Redis pub/sub layer, every message stored in PostgreSQL) while 1,000
more sockets sit idle, next to a bare `websockets` echo server and a Channels
echo consumer measured in the same run; then the server's memory over 10
rounds of 1,000 clients connecting and leaving.

Run with `make bench-chat`. Needs DATABASE_URL (a `<name>_bench` database is
created next to it) and Redis on 127.0.0.1:6379. Prints a table and writes
artifacts/bench-chat.json.

`make bench-chat-idle` (`--held 10000`): one Daphne process holding 10,000
idle, authenticated sockets, the 20 pairs chatting with none held and with them
held in alternation on that one process (bench/chat/held.py). Writes
artifacts/bench-chat-idle.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psutil
import psycopg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidMessage

from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
DAPHNE = [PY, "-m", "daphne"]  # the Channels echo baseline's server
# The chat server: as deployed (b2bbank.websocket_server, Daphne with its sweeps
# spread out), or Daphne itself for a before/after (--server daphne).
CHAT_SERVERS = {"b2bbank": [PY, "-m", "b2bbank.websocket_server"], "daphne": DAPHNE}


def raise_open_files_limit() -> int:
    """Lift the soft limit on open files to the hard one (10,000 sockets need
    more than the usual 1,024); child processes inherit it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        sys.exit("DATABASE_URL must be set (the bench uses <name>_bench next to it)")
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") + "_bench"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def server_env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "bench.chat.settings",
        "DJANGO_DB_POOL": "1",  # the psycopg pool, as under Daphne in production
        "ASGI_THREADS": os.environ.get("ASGI_THREADS", "10"),  # one per pooled connection
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "B2BBANK_CHANNEL_PREFIX": f"b2bbank-bench-{uuid.uuid4().hex[:8]}",
    }


def start(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def open_socket(port: int, session: str | None = None, cookie: str = "sessionid") -> ClientConnection:
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if session:
        headers["Cookie"] = f"{cookie}={session}"
    return await connect(
        f"ws://127.0.0.1:{port}/ws/",
        additional_headers=headers,
        compression=None,
        ping_interval=None,
        open_timeout=60,
        max_queue=None,
    )


RETRIES = {"count": 0}


async def open_many(port: int, sessions: list[str], cookie: str, limit: int = 50) -> list[ClientConnection]:
    """Open sockets `limit` at a time; a refused handshake (listen backlog full)
    is retried and counted in RETRIES."""
    gate = asyncio.Semaphore(limit)

    async def one(session: str) -> ClientConnection:
        async with gate:
            for attempt in range(5):
                try:
                    return await open_socket(port, session, cookie)
                except (OSError, InvalidHandshake, InvalidMessage):
                    RETRIES["count"] += 1
                    await asyncio.sleep(0.2 * (attempt + 1))
            return await open_socket(port, session, cookie)

    return list(await asyncio.gather(*(one(s) for s in sessions)))


async def close_all(sockets: list[ClientConnection]) -> None:
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)


async def echo_loops(port: int, loops: int, seconds: float, warmup: float) -> dict[str, Any]:
    sockets = [await open_socket(port) for _ in range(loops)]
    latencies: list[float] = []
    payload = json.dumps({"type": "message.send", "conversation": 1, "body": "x" * 64, "client_id": "c"})
    measure_from = time.perf_counter() + warmup
    end = measure_from + seconds

    async def loop(ws: ClientConnection) -> None:
        while (now := time.perf_counter()) < end:
            await ws.send(payload)
            await ws.recv()
            if now >= measure_from:
                latencies.append(time.perf_counter() - now)

    await asyncio.gather(*(loop(ws) for ws in sockets))
    await close_all(sockets)
    return summarize(latencies, seconds, sent=len(latencies), lost=0)


async def chat_pairs(
    port: int,
    seed: dict[str, Any],
    seconds: float,
    warmup: float,
    port_b: int | None = None,
    latencies_out: list[float] | None = None,
) -> dict[str, Any]:
    """Ping-pong in every pair. With `port_b`, side B of each pair is on a second
    server process, so every message crosses processes through Redis. The
    measured round trips (seconds) are also added to `latencies_out`."""
    cookie = seed["cookie"]
    pairs = []
    for pair in seed["pairs"]:
        a = await open_socket(port, pair["a"]["session"], cookie)
        b = await open_socket(port_b or port, pair["b"]["session"], cookie)
        pairs.append((pair, a, b))
    latencies: list[float] = []
    counts = {"sent": 0, "delivered": 0, "lost": 0}
    measure_from = time.perf_counter() + warmup
    end = measure_from + seconds

    async def ping_pong(index: int, pair: dict[str, Any], a: ClientConnection, b: ClientConnection) -> None:
        turn = 0
        while (now := time.perf_counter()) < end:
            sender, receiver = (a, b) if turn % 2 == 0 else (b, a)
            client_id = f"{index}-{turn}-{uuid.uuid4().hex[:6]}"
            frame = {
                "type": "message.send",
                "conversation": pair["conversation"],
                "body": "x" * 64,
                "client_id": client_id,
            }
            await sender.send(json.dumps(frame))
            counts["sent"] += 1
            try:
                async with asyncio.timeout(10):
                    while True:  # the receiver also holds its own earlier messages' events: skip them
                        event = json.loads(await receiver.recv())
                        if event["type"] == "message.new" and event["message"]["client_id"] == client_id:
                            break
            except TimeoutError:
                counts["lost"] += 1
                continue
            counts["delivered"] += 1
            if now >= measure_from:
                latencies.append(time.perf_counter() - now)
            turn += 1

    await asyncio.gather(*(ping_pong(i, *p) for i, p in enumerate(pairs)))
    await close_all([s for _, a, b in pairs for s in (a, b)])
    if latencies_out is not None:
        latencies_out.extend(latencies)
    result = summarize(latencies, seconds, sent=counts["sent"], lost=counts["lost"])
    result["delivered_total"] = counts["delivered"]
    return result


def summarize(latencies: list[float], seconds: float, *, sent: int, lost: int) -> dict[str, Any]:
    return {
        "messages": len(latencies),
        "msg_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(pct(latencies, 0.50), 2),
        "p95_ms": round(pct(latencies, 0.95), 2),
        "p99_ms": round(pct(latencies, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "sent": sent,
        "lost": lost,
    }


def rss_mb(process: subprocess.Popen[bytes]) -> float:
    return round(psutil.Process(process.pid).memory_info().rss / 1024 / 1024, 1)


def cpu_seconds(*processes: subprocess.Popen[bytes]) -> float:
    """The user and system CPU time the processes have used so far."""
    times = [psutil.Process(p.pid).cpu_times() for p in processes]
    return sum(t.user + t.system for t in times)


def server_cpu(used: float, wall: float, delivered: int, ms_digits: int = 2) -> dict[str, float]:
    """The server's share of a core over `wall` seconds, and its CPU per delivered message."""
    return {
        "server_cpu_pct": round(used / wall * 100, 1),
        "server_cpu_ms_per_msg": round(used * 1000 / max(1, delivered), ms_digits),
    }


def channels_echo(args: Any, env: dict[str, str]) -> dict[str, Any]:
    """The Channels echo baseline: an AsyncWebsocketConsumer echo on Daphne, no channel layer."""
    port = free_port()
    server = start(
        [*DAPHNE, "-b", "127.0.0.1", "-p", str(port), "bench.chat.echo_asgi:application"], env, port
    )
    try:
        print("Channels echo consumer on Daphne…", flush=True)
        return asyncio.run(echo_loops(port, args.pairs, args.seconds, args.warmup))
    finally:
        stop(server)


async def memory_rounds(
    port: int, server: subprocess.Popen[bytes], seed: dict[str, Any], rounds: int, clients: int
) -> dict[str, Any]:
    sessions = [seed["idle"][n % len(seed["idle"])]["session"] for n in range(clients)]
    before = rss_mb(server)
    after: list[float] = []
    durations: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        sockets = await open_many(port, sessions, seed["cookie"])
        await close_all(sockets)
        durations.append(round(time.perf_counter() - started, 2))
        await asyncio.sleep(1.0)
        after.append(rss_mb(server))
    return {
        "rss_before_mb": before,
        "rss_after_round_mb": after,
        "growth_first_to_last_pct": round((after[-1] - after[0]) / after[0] * 100, 2),
        "round_seconds": durations,
        "connect_retries": RETRIES["count"],
    }


def stored_messages(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT count(*) FROM chat_message").fetchone()
        return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--round-clients", type=int, default=1000)
    parser.add_argument("--chat-only", action="store_true", help="skip the echo baselines and memory rounds")
    parser.add_argument(
        "--held", type=int, default=0, help="the idle-sockets row: hold this many idle sockets (e.g. 10000)"
    )
    parser.add_argument("--idle-seconds", type=float, default=20, help="with --held: how long to watch idle")
    parser.add_argument(
        "--alternations",
        type=int,
        default=3,
        help="with --held: held windows, each between two none-held ones on the same server",
    )
    parser.add_argument(
        "--ping-interval",
        type=int,
        default=300,
        help="with --held: Daphne's --ping-interval for the chat server (300 s as deployed, where TCP keepalive "
        "finds dead clients; Daphne's default is 20)",
    )
    parser.add_argument(
        "--servers", type=int, choices=(1, 2), default=1, help="with --chat-only: Daphne processes"
    )
    parser.add_argument(
        "--server",
        choices=sorted(CHAT_SERVERS),
        default="b2bbank",
        help="the chat server: b2bbank.websocket_server as deployed, or Daphne's own for comparison",
    )
    args = parser.parse_args()

    db_url = bench_database_url()
    env = server_env(db_url)
    print("preparing the bench database…", flush=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [PY, "-m", "bench.chat.seed", str(args.pairs), "50"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    seed = json.loads(seeded.stdout)
    results: dict[str, Any] = {
        "config": vars(args),
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg(),
    }
    if args.held:
        from bench.chat.held import held_run  # it builds on this module

        held_run(args, env, seed, results)
        return

    if args.chat_only:
        ports = [free_port() for _ in range(args.servers)]
        servers = [
            start(
                [*CHAT_SERVERS[args.server], "-b", "127.0.0.1", "-p", str(p), "b2bbank.asgi:application"],
                env,
                p,
            )
            for p in ports
        ]
        try:
            port_b = ports[1] if len(ports) > 1 else None
            print(f"chat only, {args.servers} server process(es):", flush=True)
            cpu, wall = cpu_seconds(*servers), time.perf_counter()
            result = asyncio.run(chat_pairs(ports[0], seed, args.seconds, args.warmup, port_b))
            result.update(
                server_cpu(cpu_seconds(*servers) - cpu, time.perf_counter() - wall, result["delivered_total"])
            )
            print(result)
        finally:
            for server in servers:
                stop(server)
        return

    port = free_port()
    server = start([PY, "-m", "bench.chat.echo_ws", str(port)], env, port)
    try:
        print("bare websockets echo…", flush=True)
        results["websockets_echo"] = asyncio.run(echo_loops(port, args.pairs, args.seconds, args.warmup))
    finally:
        stop(server)

    results["channels_echo"] = channels_echo(args, env)

    port = free_port()
    server = start(
        [*CHAT_SERVERS[args.server], "-b", "127.0.0.1", "-p", str(port), "b2bbank.asgi:application"],
        env,
        port,
    )
    try:

        async def chat_run() -> dict[str, Any]:
            idle_sessions = [seed["idle"][n % len(seed["idle"])]["session"] for n in range(args.idle)]
            idle = await open_many(port, idle_sessions, seed["cookie"])
            rss_with_idle = rss_mb(server)
            print(f"chat: {len(idle)} idle sockets open, {args.pairs} pairs exchanging…", flush=True)
            cpu, wall = cpu_seconds(server), time.perf_counter()
            result = await chat_pairs(port, seed, args.seconds, args.warmup)
            result.update(
                server_cpu(cpu_seconds(server) - cpu, time.perf_counter() - wall, result["delivered_total"])
            )
            result["idle_sockets"] = len(idle)
            result["rss_with_idle_mb"] = rss_with_idle
            await close_all(idle)
            return result

        results["chat"] = asyncio.run(chat_run())
        results["chat"]["stored"] = stored_messages(db_url)
        print("memory: rounds of connect/leave…", flush=True)
        results["memory"] = asyncio.run(memory_rounds(port, server, seed, args.rounds, args.round_clients))
    finally:
        stop(server)

    results["load_average_end"] = os.getloadavg()
    report(results)
    write_results(results, "bench-chat.json")


def write_results(results: dict[str, Any], name: str) -> None:
    out = ROOT / "artifacts" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")


def report(results: dict[str, Any]) -> None:
    ws, ch, chat, mem = (
        results["websockets_echo"],
        results["channels_echo"],
        results["chat"],
        results["memory"],
    )
    print("\n## Chat round trip (client -> server -> client), closed loop, 20 in flight\n")
    print("| target | msg/s | p50 ms | p95 ms | p99 ms | lost |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, row in (
        ("bare websockets echo", ws),
        ("Channels echo (Daphne)", ch),
        ("b2bbank chat (Daphne + Redis pub/sub + PostgreSQL, 1,000 idle)", chat),
    ):
        print(
            f"| {name} | {row['msg_per_s']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['lost']} |"
        )
    print("\nratios (chat vs baseline):")
    for name, row in (("websockets echo", ws), ("Channels echo", ch)):
        print(
            f"  vs {name}: throughput x{chat['msg_per_s'] / row['msg_per_s']:.3f}, "
            f"p99 x{chat['p99_ms'] / row['p99_ms']:.1f}"
        )
    print(
        f"\nchat server CPU: {chat['server_cpu_pct']}% of a core, {chat['server_cpu_ms_per_msg']} ms per message"
    )
    print(
        f"chat: sent {chat['sent']}, delivered {chat['delivered_total']}, lost {chat['lost']}, stored {chat['stored']}"
    )
    print(
        f"load average {results['load_average_start']} at the start, {results['load_average_end']} at the end"
    )
    print(
        f"memory: RSS {mem['rss_before_mb']} MB before, after rounds {mem['rss_after_round_mb']} MB; "
        f"first->last round {mem['growth_first_to_last_pct']}%"
    )


if __name__ == "__main__":
    main()
