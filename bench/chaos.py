"""Chaos run: does every breakthrough claim reach the receiver once, through crashes and an outage?

One embedded broker (newsmon's own manager, a temporary data dir), one `newsmon worker`
subprocess, and a webhook receiver on 127.0.0.1 that records each request's `Idempotency-Key`,
arrival time and the status it answered.  A producer sends N entries at a steady rate: K distinct
breakthrough claims (made-up sides and towns, each claim its own pair, from 16 sources), exact
re-polls (the same record again: dedup drops them) and filler news that alerts nothing.  During
the stream, each optional:

    --kills M        the worker is killed with SIGKILL M times and started again at once
    --broker-kill    the broker is killed with SIGKILL once, down --broker-down s, restarted on its data dir
    --outage S       the receiver answers 503 for S seconds

`--control` runs the same stream without any fault.  Printed: claims expected, alerts delivered,
alerts lost (claims without a 2xx delivery), duplicate deliveries (the same key answered 2xx twice),
entries skipped (acknowledged by the broker, never in dedup's output nor dead-lettered), the backlog
drain time after the receiver recovers, kill -> ready times, the broker restart's recovery, dead
letters.  Not a test: measures, never asserts.  Every process and temp dir it starts is removed at
the end, also on Ctrl-C (NEWSMON_BENCH_KEEP=1 keeps the dir with the logs).

    .venv/bin/python bench/chaos.py                       # 1,200 entries at 5/s, 80 claims, all faults
    .venv/bin/python bench/chaos.py --entries 300 --rate 10 --kills 2 --outage 15
    .venv/bin/python bench/chaos.py --control --seed 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chaos_parts import Hit, Producer, Receiver, Worker, free_ports, kill_broker, make_stream, read_topics

from newsmon.broker import BrokerConfig, start, stop
from newsmon.model import Entry
from newsmon.streams.records import decode_entry, decode_event
from newsmon.streams.topics import Topics

PREFIX = "chaos"

# -- the run ---------------------------------------------------------------------------------------


RULE = """
[[rules]]
name = "breakthrough-claim"
kind = "first-seen"
topic = "breakthrough-claim"
severity = "critical"
"""


def worker_config(path: Path, kafka: str, web_port: int, hook: str) -> Path:
    path.write_text(f"""
[kafka]
bootstrap = "{kafka}"
partitions = 4
topic_prefix = "{PREFIX}"
[worker]
app_id = "{PREFIX}"
web_port = {web_port}
data_dir = "{path.parent / 'worker'}"
log_level = "info"
{RULE}
[[channels]]
name = "hook"
kind = "webhook"
url = "{hook}"
secret = "chaos"
max_backoff = "5s"
""", encoding="utf-8")
    return path


@dataclass
class Faults:
    kill_ready: list[float] = field(default_factory=list)
    broker_down: float = 0.0  # kill -> restarted broker answers
    broker_resumed: float = -1.0  # restarted broker answers -> the worker processes again
    broker_noise: int = 0  # worker WARNING/ERROR lines from the broker kill to 15 s after it resumed
    noise_window: tuple[int, float] = (0, 0.0)  # (worker log offset at the kill, until)
    outage: tuple[float, float] | None = None


def replay_alerts(stream: list[Entry], rate: float, tmp: Path) -> set[str]:
    """The entries `newsmon replay` (detection + rules, no broker) alerts on, published at `rate`:
    what the worker should alert on when nothing goes wrong (a claim detection folds into the story
    of another is not expected to alert)."""
    began, first = datetime.now(UTC), {}
    with (tmp / "stream.jsonl").open("w", encoding="utf-8") as out:
        for n, e in enumerate(stream):
            first.setdefault(e.entry_id, began + timedelta(seconds=n / rate))
            out.write(json.dumps({"id": e.entry_id, "source": e.source, "title": e.title, "body": e.body,
                                  "published": first[e.entry_id].isoformat()}) + "\n")
    rules = tmp / "rules.toml"
    rules.write_text(RULE, encoding="utf-8")
    lines = subprocess.run([sys.executable, "-m", "newsmon", "--config", str(rules), "replay",
                            str(tmp / "stream.jsonl")], capture_output=True, text=True, check=True).stdout
    decisions = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
    return {d["id"] for d in decisions if any(a.get("status") == "sent" for a in d.get("alerts") or ())}


def plan(args: argparse.Namespace) -> list[tuple[int, str]]:
    """(entries acknowledged, fault) in the order they happen."""
    n = args.entries
    events = [(int(n * (i + 1) / (args.kills + 1)), "worker") for i in range(args.kills)]
    if args.broker_kill:
        events.append((int(n * 0.4), "broker"))
    if args.outage > 0:
        events.append((int(n * 0.55), "receiver"))
    return sorted(events)


def broker_fault(args: argparse.Namespace, cfg: BrokerConfig, worker: Worker, faults: Faults) -> None:
    before = worker.metric("newsmon_stage_entries_in_total", "dedup")
    log_from = worker.log.stat().st_size
    began = time.monotonic()
    kill_broker(cfg)
    time.sleep(args.broker_down)
    start(cfg, timeout=300, log=lambda _: None)
    up = time.monotonic()
    faults.broker_down = up - began
    while time.monotonic() - up < 300:
        if worker.metric("newsmon_stage_entries_in_total", "dedup") > before:
            faults.broker_resumed = time.monotonic() - up
            break
        time.sleep(0.2)
    faults.noise_window = (log_from, time.time() + 15)


def log_noise(log: Path, offset: int, until: float) -> int:
    """WARNING/ERROR lines of the worker log from `offset` on, stamped before `until`."""
    with log.open("rb") as out:
        out.seek(offset)
        lines = out.read().decode(errors="replace").splitlines()
    count = 0
    for line in lines:
        with contextlib.suppress(ValueError):
            if datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp() > until:
                break
        count += bool(re.search(r"\b(ERROR|WARNING)\b", line))
    return count


def run(args: argparse.Namespace, tmp: Path, cleanup: list[Any]) -> None:
    rng = random.Random(args.seed)
    claims = args.claims if args.claims is not None else args.entries // 15
    stream = make_stream(rng, args.entries, claims)
    claim_ids = replay_alerts(stream, args.rate, tmp)
    folded = {e.entry_id for e in stream if e.entry_id.startswith("c")} - claim_ids
    if folded:
        print(f"{len(folded)} of {len(folded) + len(claim_ids)} claims folded by detection into another's story "
              f"(newsmon replay of the same stream): not expected to alert", flush=True)
    port, controller, web_port = free_ports(3)
    cfg = BrokerConfig(port=port, controller_port=controller, data_dir=tmp / "kafka", heap="384m")
    print(f"starting Kafka on {cfg.bootstrap} ...", flush=True)
    cleanup.append(lambda: stop(cfg))
    start(cfg, timeout=300, log=lambda _: None)
    receiver = Receiver()
    hook = receiver.serve()
    cleanup.append(lambda: receiver.server and (receiver.server.shutdown(), receiver.server.server_close()))
    config = worker_config(tmp / "worker.toml", cfg.bootstrap, web_port, hook)
    worker = Worker(config, f"http://127.0.0.1:{web_port}", tmp / "worker.log")
    cleanup.append(worker.stop)
    worker.spawn()
    worker.wait_ready()
    topics = Topics.for_prefix(PREFIX)
    producer = Producer(cfg.bootstrap, topics.raw, stream, args.rate)
    cleanup.append(producer.stop)
    events = plan(args)
    print(f"seed {args.seed}: {len(stream)} entries at {args.rate}/s, {len(claim_ids)} claims; faults: "
          f"{', '.join(f'{what} at {at}' for at, what in events) or 'none (control)'}", flush=True)
    faults = Faults()
    began = time.time()
    producer.thread.start()
    for at, what in events:
        while producer.count() < at and not producer.done():
            time.sleep(0.05)
        if what == "worker":
            killed = time.monotonic()
            worker.stop(signal.SIGKILL)
            worker.spawn()
            worker.wait_ready()
            faults.kill_ready.append(time.monotonic() - killed)
            print(f"  worker SIGKILL at entry {at}: ready again after {faults.kill_ready[-1]:.1f} s", flush=True)
        elif what == "broker":
            broker_fault(args, cfg, worker, faults)
            print(f"  broker SIGKILL at entry {at}: answering again after {faults.broker_down:.1f} s, "
                  f"worker processing {faults.broker_resumed:.1f} s later", flush=True)
        else:
            receiver.down_until = time.time() + args.outage
            faults.outage = (time.time(), receiver.down_until)
            print(f"  receiver answers 503 for {args.outage:g} s from entry {at}", flush=True)
    while not producer.done():
        time.sleep(0.2)
    produced = time.time()
    # settle: until every claim has a delivery (after the outage), then a little longer for late repeats
    deadline = max(time.time(), receiver.down_until) + args.settle
    while time.time() < deadline:
        if claim_ids <= {h.entry_id for h in receiver.delivered()} and time.time() > receiver.down_until:
            break
        time.sleep(0.25)
    time.sleep(5)
    if args.broker_kill:
        faults.broker_noise = log_noise(worker.log, *faults.noise_window)
    records = asyncio.run(read_topics(cfg.bootstrap, (topics.unique, topics.deadletter)))
    report(args, stream, claim_ids, producer, receiver, faults, records, topics, began, produced)


def report(args: argparse.Namespace, stream: list[Entry], claim_ids: set[str], producer: Producer,
           receiver: Receiver, faults: Faults, records: list[Any], topics: Topics, began: float,
           produced: float) -> None:
    delivered = receiver.delivered()
    by_key = Counter(h.key for h in delivered)
    first: dict[str, Hit] = {}
    for hit in delivered:
        first.setdefault(hit.key, hit)
    claim_keys = Counter(h.entry_id for h in first.values())
    lost = sorted(claim_ids - set(claim_keys), key=lambda c: int(c[1:]))
    seen: set[str] = set()
    dead: Counter[str] = Counter()
    for record in records:
        if record.topic == topics.unique:
            seen.add(decode_event(record.value).entry.entry_id)
            continue
        letter = json.loads(record.value)
        dead[str(letter.get("stage"))] += 1
        with contextlib.suppress(Exception):
            seen.add(decode_entry(letter["value"]).entry_id)
    skipped = sorted(set(producer.acked) - seen)
    latency = [first_hit.at - producer.acked_at[first_hit.entry_id] for first_hit in first.values()
               if first_hit.entry_id in producer.acked_at]
    print(f"\nchaos run, seed {args.seed}{' (control)' if args.control else ''}: {len(producer.acked)} of "
          f"{len(stream)} entries acknowledged in {produced - began:.0f} s ({len(set(producer.acked))} distinct)")
    print(f"  claims expected             {len(claim_ids)}")
    print(f"  alerts delivered            {len(first)} distinct keys, {len(delivered)} 2xx answers, "
          f"{sum(1 for h in receiver.hits if h.status >= 300)} 503 answers")
    print(f"  alerts lost                 {len(lost)}{' ' + ' '.join(lost[:20]) if lost else ''}")
    dups = {k: n for k, n in by_key.items() if n > 1}
    print(f"  duplicate deliveries        {sum(n - 1 for n in dups.values())}"
          f"{' (' + ', '.join(f'{k} x{n}' for k, n in list(dups.items())[:10]) + ')' if dups else ''}")
    extra = sum(n - 1 for n in claim_keys.values()) + sum(1 for h in first.values() if h.entry_id not in claim_ids)
    print(f"  unexpected alerts           {extra} (a claim alerted under two keys, or a non-claim alerted)")
    print(f"  entries skipped             {len(skipped)}{' ' + ' '.join(skipped[:20]) if skipped else ''}")
    if latency:
        print(f"  claim -> delivery           p50 {statistics.median(latency) * 1000:.0f} ms, "
              f"max {max(latency):.1f} s (across the faults)")
    if faults.outage:
        start_, end = faults.outage
        # the backlog: alerts of claims produced before the receiver recovered, first delivered after
        backlog = [h.at for h in first.values() if h.at >= end and producer.acked_at.get(h.entry_id, end) < end]
        drain = f"{max(backlog) - end:.1f} s after recovery" if backlog else "n/a"
        print(f"  receiver outage             {end - start_:.0f} s: {len(backlog)} alerts waiting at recovery "
              f"({len({h.key for h in receiver.hits if h.status == 503})} of them tried and answered 503); "
              f"the last delivered {drain}")
    if faults.kill_ready:
        times = ", ".join(f"{t:.1f}" for t in faults.kill_ready)
        print(f"  worker kill -> ready        {times} s (median {statistics.median(faults.kill_ready):.1f})")
    if args.broker_kill:
        print(f"  broker restart              down {faults.broker_down:.1f} s (incl. {args.broker_down:g} s "
              f"kept down); worker processing again {faults.broker_resumed:.1f} s after the broker answered; "
              f"{faults.broker_noise} worker WARNING/ERROR lines until 15 s after")
    print(f"  dead letters                {sum(dead.values())}"
          f"{' (' + ', '.join(f'{s}: {n}' for s, n in dead.items()) + ')' if dead else ''}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1200, help="entries sent, re-polls included")
    parser.add_argument("--rate", type=float, default=5.0, help="entries per second")
    parser.add_argument("--claims", type=int, default=None, help="distinct claims (default entries / 15)")
    parser.add_argument("--kills", type=int, default=10, help="worker SIGKILLs (0: none)")
    parser.add_argument("--no-broker-kill", dest="broker_kill", action="store_false", help="no broker SIGKILL")
    parser.add_argument("--broker-down", type=float, default=5.0, help="seconds the killed broker stays down")
    parser.add_argument("--outage", type=float, default=90.0, help="seconds the receiver answers 503 (0: none)")
    parser.add_argument("--control", action="store_true", help="no faults at all")
    parser.add_argument("--settle", type=float, default=180.0,
                        help="after the stream (and the outage), how long to wait for the last deliveries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # the producer's retries through the outage
    if args.control:
        args.kills, args.broker_kill, args.outage = 0, False, 0.0
    if args.entries < 1 or args.rate <= 0 or args.kills < 0:
        parser.error("--entries and --rate must be positive, --kills not negative")
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-chaos-"))
    cleanup: list[Any] = []
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        run(args, tmp, cleanup)
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr, flush=True)
        return 130
    finally:
        for undo in reversed(cleanup):
            with contextlib.suppress(Exception):
                undo()
        if os.environ.get("NEWSMON_BENCH_KEEP"):
            print(f"kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
