"""Benchmark: one `Poller` polls N feeds served by a local server in another process.

    .venv/bin/python bench/feeds.py                       # 2000 feeds, 20 hosts, spacing 0
    .venv/bin/python bench/feeds.py --hosts 200 --spacing 1   # the default 1 s host spacing

The server (this file with ``--serve``, an aiohttp app in a child process)
listens on the loopback addresses 127.0.0.1 … 127.0.0.H (Linux routes all of
127/8 to lo) and serves ``/feed/N``: a small RSS document (10 items, ~3 KB)
with an ETag.  A conditional request gets 304, unless the feed "changes" (with
probability ``--change-rate``): then a new item and a 200.

Each round polls every feed once, all at once (`asyncio.gather` of
`Poller.poll_once`; the poller's per-host limits decide the real
concurrency).  Round 1 is cold (every feed a 200, parsed, all entries new);
later rounds are the steady state (mostly 304).  Reported per round and for
the steady state: feeds/minute (wall) and CPU seconds per poll of the
poller's process (`time.process_time`, which includes any threads).  The sink
only counts entries: Kafka is not part of this.

Per-host spacing would make a single-host benchmark measure the spacing:
the default spreads feeds over 20 loopback hosts and sets ``--spacing 0``;
``--spacing 1 --hosts 200`` runs with the real default spacing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

ITEMS = 10


def feed_body(n: int, version: int) -> bytes:
    items = []
    for k in range(version, max(version - ITEMS, -1), -1):
        items.append(
            f"<item><guid isPermaLink=\"false\">feed{n}-item{k}</guid><title>Feed {n} item {k}: something "
            f"happened</title><link>http://example.org/{n}/{k}</link><description>Body of item {k} of feed {n}, "
            f"a couple of sentences long so that the document is not trivially small.</description>"
            f"<pubDate>Tue, 27 Aug 2024 {k % 24:02d}:{k % 60:02d}:00 GMT</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>http://example.org/{n}</link><description>bench</description>{''.join(items)}"
            "</channel></rss>").encode()


# -- server (child process) -----------------------------------------------------------------


def serve(port: int, hosts: int, change_rate: float, seed: int) -> None:
    from aiohttp import web

    rng = random.Random(seed)
    versions: dict[int, int] = {}
    bodies: dict[tuple[int, int], bytes] = {}

    async def handle(request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        version = versions.setdefault(n, ITEMS)
        if request.headers.get("If-None-Match") == f'"{n}-{version}"':
            if rng.random() >= change_rate:
                return web.Response(status=304, headers={"ETag": f'"{n}-{version}"'})
            version = versions[n] = version + 1
        body = bodies.get((n, version))
        if body is None:
            body = bodies[(n, version)] = feed_body(n, version)
            bodies.pop((n, version - 1), None)
        return web.Response(body=body, content_type="application/rss+xml", charset="utf-8",
                            headers={"ETag": f'"{n}-{version}"'})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{n}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for h in range(1, hosts + 1):
            await web.TCPSite(runner, f"127.0.0.{h}", port, backlog=1024).start()
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin
        await runner.cleanup()

    asyncio.run(main())


# -- poller (this process) ------------------------------------------------------------------


@dataclass
class Round:
    polls: int
    wall: float
    cpu: float
    outcomes: Counter[str]
    emitted: int

    @property
    def per_minute(self) -> float:
        return self.polls / self.wall * 60

    @property
    def cpu_per_poll(self) -> float:
        return self.cpu / self.polls


async def bench(args: argparse.Namespace, port: int) -> list[Round]:
    from prometheus_client import CollectorRegistry

    from newsmon.connectors.poller import Poller
    from newsmon.metrics import Metrics
    from newsmon.model import Entry
    from newsmon.settings import SourceSettings

    emitted = 0

    async def sink(entry: Entry) -> None:
        nonlocal emitted
        emitted += 1

    sources = [SourceSettings(f"f{n}", "rss", f"http://127.0.0.{1 + n % args.hosts}:{port}/feed/{n}")
               for n in range(args.feeds)]
    poller = Poller(Metrics(CollectorRegistry()), lambda: datetime.now(UTC), host_spacing=args.spacing,
                    host_concurrency=args.concurrency, max_connections=args.connections)
    rounds: list[Round] = []
    try:
        for _ in range(args.rounds):
            before = emitted
            wall, cpu = time.perf_counter(), time.process_time()
            results = await asyncio.gather(*(poller.poll_once(source, sink) for source in sources))
            rounds.append(Round(len(results), time.perf_counter() - wall, time.process_time() - cpu,
                                Counter(r.outcome for r in results), emitted - before))
    finally:
        await poller.aclose()
    return rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20, help="loopback addresses 127.0.0.1..H (max 254)")
    parser.add_argument("--spacing", type=float, default=0.0, help="per-host spacing in seconds (default 0)")
    parser.add_argument("--concurrency", type=int, default=2, help="per-host concurrency (default 2)")
    parser.add_argument("--connections", type=int, default=100, help="poller-wide connection limit")
    parser.add_argument("--rounds", type=int, default=4, help="polls per feed; round 1 is cold")
    parser.add_argument("--change-rate", type=float, default=0.2, help="chance a feed changed since the last poll")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be 1..254")
    if args.serve:
        serve(args.port, args.hosts, args.change_rate, args.seed)
        return 0

    port = args.port or _free_port()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--port", str(port), "--hosts", str(args.hosts),
         "--change-rate", str(args.change_rate), "--seed", str(args.seed)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            print("bench: the feed server did not start", file=sys.stderr)
            return 1
        rounds = asyncio.run(bench(args, port))
    finally:
        if child.stdin:
            child.stdin.close()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    server_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{args.feeds} feeds on {args.hosts} loopback host(s), host spacing {args.spacing:g}s, "
          f"host concurrency {args.concurrency}, {args.connections} connections, change rate {args.change_rate:g}")
    for number, r in enumerate(rounds, 1):
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items()))
        print(f"round {number}{' (cold)' if number == 1 else ''}: {r.wall:6.2f}s wall, "
              f"{r.per_minute:9.0f} feeds/min, {r.cpu_per_poll * 1000:6.2f} ms CPU/poll; "
              f"{outcomes}; {r.emitted} entries emitted")
    steady = rounds[1:] or rounds
    polls = sum(r.polls for r in steady)
    wall = sum(r.wall for r in steady)
    cpu = sum(r.cpu for r in steady)
    print(f"steady state: {polls / wall * 60:.0f} feeds/min, {cpu / polls * 1000:.2f} ms CPU/poll "
          f"(poller process); server process used {server_cpu.ru_utime + server_cpu.ru_stime:.1f}s CPU in total")
    return 0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
