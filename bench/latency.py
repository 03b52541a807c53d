"""End-to-end alert latency: entry produced to the raw topic -> webhook receiver got the alert.

Real Kafka (newsmon's own broker manager, temporary data dir), a real
`newsmon worker` subprocess (dedup -> detect -> rules -> deliver) and a real
HTTP receiver on 127.0.0.1.  Every entry is a distinct story carrying the
`combat` topic, watched by a first-seen rule, so every entry should produce one
alert.  Runs at 10, 100 and 1000 entries/s (paced), then a burst to find the
maximum sustained rate.  Not a test: prints figures.

    .venv/bin/python bench/latency.py [--seconds 10] [--burst 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from newsmon.broker import BrokerConfig, start, stop
from newsmon.model import Entry
from newsmon.streams.records import encode_entry
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

RNG = random.Random(7)
SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vor", "zel", "pin", "dru", "hos", "yan", "qui", "bex", "nor", "fal"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def temp_broker() -> tuple[Path, BrokerConfig, str]:
    """A Kafka broker on free ports with a temporary data dir: (temp dir, its config, bootstrap)."""
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    port = free_port()
    broker = BrokerConfig(port=port, controller_port=free_port(), data_dir=tmp / "kafka")
    bootstrap = f"127.0.0.1:{port}"
    print(f"starting Kafka on {bootstrap} ...", flush=True)
    start(broker, timeout=120)
    return tmp, broker, bootstrap


def stop_temp_broker(tmp: Path, broker: BrokerConfig) -> None:
    """Stop the broker of `temp_broker` and remove its temp dir (kept, with the worker logs, when
    NEWSMON_BENCH_KEEP is set)."""
    stop(broker)
    if os.environ.get("NEWSMON_BENCH_KEEP"):
        print(f"kept {tmp}", flush=True)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def word() -> str:
    return "".join(RNG.choice(SYLLABLES) for _ in range(RNG.randint(2, 4)))


def make_entry(n: int, run: str, source: str = "bench", quiet: bool = False) -> Entry:
    # Made-up words, so that entries share no story; the English frame keeps them combat for the
    # multilingual detector (a body of made-up words alone reads as no language, no topic).
    place = word().capitalize()
    if quiet:  # no topic, so no alert: detection's whole cost, the rules and deliver stages idle
        title = f"{word().capitalize()} {word()} near {place}"
        body = " ".join(word() for _ in range(40)) + "."
        return Entry(source=source, entry_id=f"{run}-{n}", title=title, body=body,
                     content_hash=content_hash(title, body))
    title = f"Russian forces shelled {place} overnight"
    body = (f"The {word()} {word()} of {place} was shelled overnight and the {word()} said {word()} {word()} "
            "were hit. " + " ".join(word() for _ in range(30)) + ".")
    return Entry(source=source, entry_id=f"{run}-{n}", title=title, body=body,
                 content_hash=content_hash(title, body))


class Sink:
    """Receiver: arrival time per entry id."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.time()
                entry = json.loads(body)["entry_key"].split("\x1f", 1)[1]
                with sink.lock:
                    sink.arrived.setdefault(entry, now)
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def as_alert(entry: Entry) -> tuple[bytes, bytes]:
    """The alert a first-seen rule would make of `entry` (for --alerts-only: the deliver stage alone)."""
    from datetime import UTC, datetime

    from newsmon.model import Alert, AlertKind
    from newsmon.rules import alert_id
    from newsmon.streams.records import encode_alert

    now = datetime.now(UTC)
    alert = Alert(alert_id("bench", entry.key), "bench", "warning", AlertKind.FIRED, entry.key, entry.key,
                  entry.source, entry.title, entry.body[:200], "", now, first_seen=now)
    return entry.key.encode(), encode_alert(alert)


async def produce(bootstrap: str, topic: str, entries: list[Entry], rate: float | None,
                  alerts: bool = False) -> dict[str, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=1)
    await producer.start()
    sent: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        for i, entry in enumerate(entries):
            if rate:
                delay = t0 + i / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            sent[entry.entry_id] = time.time()
            key, value = as_alert(entry) if alerts else (entry.source.encode(), encode_entry(entry))
            await producer.send(topic, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()
    return sent


def processed(webs: list[str]) -> float:
    """Analyses the rules stage of every worker has consumed (so far)."""
    total = 0.0
    for web in webs:
        try:
            text = httpx.get(f"{web}/metrics", timeout=5).text
        except httpx.HTTPError:
            continue
        for line in text.splitlines():
            if line.startswith("newsmon_stage_entries_in_total{") and 'stage="rules"' in line:
                total += float(line.rsplit(" ", 1)[1])
    return total


def wait_all(sink: Sink, ids: set[str], timeout: float, webs: list[str] | None = None,
             target: float = 0.0) -> float:
    """Wait until every alert arrived, or the workers have processed `target` analyses and no alert
    has arrived for 3 s (an entry that joined an earlier story makes no alert).  Returns when the
    workers were seen to have processed `target` (0.0 if never)."""
    deadline = time.monotonic() + timeout
    drained = 0.0
    last_count, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        with sink.lock:
            count = len(ids & set(sink.arrived))
        if count == len(ids):
            return drained or time.time()
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        if webs and not drained and processed(webs) >= target:
            drained = time.time()
        if drained and time.monotonic() - last_change > 3:
            return drained
        time.sleep(0.1)
    return drained


def report(label: str, sink: Sink, sent: dict[str, float]) -> dict[str, float]:
    with sink.lock:
        got = {k: sink.arrived[k] - t for k, t in sent.items() if k in sink.arrived}
        last = max((sink.arrived[k] for k in sent if k in sink.arrived), default=0.0)
    lat = sorted(got.values())
    if not lat:
        print(f"{label:>14}: no alerts arrived ({len(sent)} sent)")
        return {}
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    span = last - min(sent.values())
    rate = len(lat) / span if span > 0 else float("nan")
    print(f"{label:>14}: {len(lat)}/{len(sent)} alerts  p50 {p50 * 1000:8.1f} ms  p99 {p99 * 1000:8.1f} ms  "
          f"max {lat[-1] * 1000:8.1f} ms  delivered {rate:8.1f}/s")
    return {"p50": p50, "p99": p99, "rate": rate}


def stage_costs(url: str) -> None:
    """Mean processing time per record of each stage, from the worker's own histogram."""
    sums: dict[str, float] = {}
    counts: dict[str, float] = {}
    for line in httpx.get(url, timeout=5).text.splitlines():
        for suffix, into in (("_sum", sums), ("_count", counts)):
            prefix = f"newsmon_stage_processing_seconds{suffix}{{stage=\""
            if line.startswith(prefix):
                stage = line[len(prefix):].split('"', 1)[0]
                into[stage] = float(line.rsplit(" ", 1)[1])
    costs = ", ".join(f"{s} {sums[s] / counts[s] * 1000:.2f} ms" for s in sums if counts.get(s))
    print(f"  mean time per record by stage: {costs}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each paced run")
    parser.add_argument("--burst", type=int, default=5000, help="entries produced at once for the max rate")
    parser.add_argument("--rates", default="10,100,1000", help="paced rates, entries/s")
    parser.add_argument("--workers", type=int, default=1, help="worker processes sharing the partitions")
    parser.add_argument("--sources", type=int, default=1,
                        help="sources the entries come from, each its own detection scope when > 1")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--floor", action="store_true",
                        help="detection replaced by a stand-in (bench/floor): the pipeline's own cost; "
                             "no alerts unless --floor-topics combat")
    parser.add_argument("--floor-topics", default="", help="with --floor: topics every entry gets")
    parser.add_argument("--warm", type=int, default=20,
                        help="warm-up entries per source (at 20/s) before the measured runs; detection loads "
                             "a language's lemma dictionary on its first entry, a stall of seconds if mid-run")
    parser.add_argument("--quiet", action="store_true",
                        help="entries of no topic: detection runs in full, no entry alerts")
    parser.add_argument("--alerts-only", action="store_true",
                        help="produce alerts to the alerts topic: measures the deliver stage alone")
    args = parser.parse_args()
    tmp, broker, bootstrap = temp_broker()
    sink = Sink()
    scope = "source" if args.sources > 1 else "global"
    workers: list[subprocess.Popen[bytes]] = []
    webs: list[str] = []
    for n in range(args.workers):
        web = free_port()
        webs.append(f"http://127.0.0.1:{web}")
        config = tmp / f"bench-{n}.toml"
        config.write_text(f"""
[kafka]
bootstrap = "{bootstrap}"
partitions = {args.partitions}
topic_prefix = "bench"
[worker]
app_id = "bench"
web_port = {web}
data_dir = "{tmp / f'worker-{n}'}"
log_level = "warning"
scope = "{scope}"
[[rules]]
name = "combat-first-seen"
kind = "first-seen"
topic = "combat"
severity = "warning"
[[channels]]
name = "hook"
kind = "webhook"
url = "{sink.url}"
secret = "bench"
""", encoding="utf-8")
        log = (tmp / f"worker-{n}.log").open("wb")
        # The worker runs this checkout's newsmon (not whatever the venv has installed, e.g. an
        # editable install of another worktree), the floor stand-in first when asked for.
        root = str(Path(__file__).resolve().parent.parent)
        paths = [str(Path(__file__).resolve().parent / "floor")] if args.floor else []
        paths += [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        env = dict(os.environ) | {"PYTHONPATH": os.pathsep.join(paths)}
        if args.floor:
            env |= {"NEWSMON_BENCH_FLOOR": "1", "NEWSMON_BENCH_FLOOR_TOPICS": args.floor_topics}
        workers.append(subprocess.Popen([sys.executable, "-m", "newsmon", "--config", str(config), "worker"],
                                        stdout=log, stderr=subprocess.STDOUT, env=env))
    try:
        deadline = time.monotonic() + 120
        for web in webs:
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{web}/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.25)
        topics = Topics.for_prefix("bench")
        topic = topics.alerts if args.alerts_only else topics.raw

        def batch(n: int, run: str) -> list[Entry]:
            return [make_entry(i, run, f"bench{i % args.sources}", args.quiet) for i in range(n)]

        warm = batch(args.warm * args.sources, "warm")
        alerting = not args.quiet and (not args.floor or "combat" in args.floor_topics.split(","))
        warm_ids = set(asyncio.run(produce(bootstrap, topic, warm, 20, args.alerts_only)))
        wait_all(sink, warm_ids, 90 + len(warm) / 20, None if alerting else webs, len(warm))
        print(f"{args.workers} worker(s), {args.sources} source(s), scope {scope!r}; "
              f"warm-up: {len(sink.arrived)}/{len(warm)} alerts", flush=True)
        done = 0.0 if args.alerts_only else processed(webs)
        for rate in (int(r) for r in args.rates.split(",") if r):
            entries = batch(int(rate * args.seconds), f"r{rate}")
            sent = asyncio.run(produce(bootstrap, topic, entries, rate, args.alerts_only))
            done += len(entries)
            wait_all(sink, set(sent), 120, None if args.alerts_only else webs, done)
            report(f"{rate} entries/s", sink, sent)
        entries = batch(args.burst, "burst")
        began = time.time()
        sent = asyncio.run(produce(bootstrap, topic, entries, None, args.alerts_only))
        done += len(entries)
        drained = wait_all(sink, set(sent), 600, None if args.alerts_only else webs, done)
        result = report(f"burst {args.burst}", sink, sent)
        if drained and not args.alerts_only:
            print(f"burst of {args.burst} entries through every stage in {drained - began:.1f} s: "
                  f"max sustained ~{args.burst / (drained - began):.0f} entries/s", flush=True)
        elif result:
            print(f"max sustained: ~{result['rate']:.0f} alerts/s delivered (burst drained at the receiver)")
        for web in webs:
            stage_costs(f"{web}/metrics")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        stop_temp_broker(tmp, broker)
        sink.server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
