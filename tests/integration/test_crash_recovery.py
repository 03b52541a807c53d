"""Crashes of the broker and of the worker while entries arrive: every raw entry is processed.

A broker of its own (newsmon's manager, like `newsmon broker start`) and one real worker.
Entries arrive all the time, from eight sources (so on every partition of the raw topic).
The broker is killed with SIGKILL and restarted on its data directory; while the worker
reconnects, more entries arrive; then the worker is killed with SIGKILL and restarted.
Every entry the broker acknowledged must reach the unique topic (dedup's output) or the
dead-letter topic: nothing may be skipped silently.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import Feeder, Worker, consume_until, free_ports, run, spawn_worker, wait_ready, write_config

from newsmon.broker import BrokerConfig, start, status, stop
from newsmon.model import Entry
from newsmon.streams.records import decode_entry, decode_event, encode_entry
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration

SOURCES = [f"wire{n}" for n in range(8)]
PREFIX = "crash"
OUTAGE_SECONDS = 12  # the fault injected, not a wait for anything


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[BrokerConfig]:
    port, controller = free_ports(2)
    cfg = BrokerConfig(port=port, controller_port=controller, data_dir=tmp_path / "kafka", heap="384m")
    start(cfg, timeout=180)
    try:
        yield cfg
    finally:
        stop(cfg)


def entry(n: int) -> tuple[bytes, bytes]:
    source = SOURCES[n % len(SOURCES)]
    title, body = f"Dispatch {n} from {source}", f"Officials in district {n} reported event number {n} today."
    return source.encode(), encode_entry(Entry(source, f"e{n}", title, body, content_hash=content_hash(title, body)))


def processed(records: list[Any], topics: Topics) -> set[int]:
    """Entry numbers seen in dedup's output or dead-lettered."""
    seen: set[int] = set()
    for record in records:
        if record.topic == topics.unique:
            seen.add(int(decode_event(record.value).entry.entry_id[1:]))
        elif record.topic == topics.deadletter:
            seen.add(int(decode_entry(json.loads(record.value)["value"]).entry_id[1:]))
    return seen


def read_processed(kafka: str, topics: Topics, expected: set[int], wait_seconds: float) -> set[int]:
    records = run(consume_until(kafka, (topics.unique, topics.deadletter),
                                lambda rs: expected <= processed(rs, topics), wait_seconds=wait_seconds))
    return processed(records, topics)


def kill_broker(cfg: BrokerConfig) -> None:
    pid = status(cfg).pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while status(cfg).running:
        assert time.monotonic() < deadline, "broker still running 60 s after SIGKILL"
        time.sleep(0.1)


def test_no_entry_is_skipped_across_a_broker_crash_and_a_worker_crash(broker: BrokerConfig, tmp_path: Path) -> None:
    kafka = broker.bootstrap
    topics = Topics.for_prefix(PREFIX)
    (web_port,) = free_ports(1)
    config = write_config(tmp_path / "worker.toml", kafka, prefix=PREFIX, web_port=web_port)
    log = tmp_path / "worker.log"
    web = f"http://127.0.0.1:{web_port}"
    worker: Worker = wait_ready(spawn_worker(config, web, PREFIX, log), 180)
    try:
        with Feeder(kafka, topics.raw, entry, interval=0.05) as feeder:
            feeder.wait_count(40)
            kill_broker(broker)
            # down for longer than the worker's session timeout (10 s), as a broker restart took
            # before newsmon's manager shortened it: the group forgets the worker's membership
            time.sleep(OUTAGE_SECONDS)
            start(broker, timeout=180)
            # entries go on arriving while the worker reconnects and rejoins its group
            feeder.wait_count(feeder.count() + 60, timeout=180)
            worker.stop(signal.SIGKILL)
            worker = wait_ready(spawn_worker(config, web, PREFIX, log), 180)
            feeder.wait_count(feeder.count() + 40, timeout=180)
        expected = set(feeder.acked)
        got = read_processed(kafka, topics, expected, wait_seconds=240)
        missing = sorted(expected - got)
        assert not missing, (f"{len(missing)} of {len(expected)} entries never processed: {missing[:50]}\n"
                             f"worker log tail:\n{worker.output()[-3000:]}")
        gaps = [line for line in httpx.get(f"{web}/metrics", timeout=10).text.splitlines()
                if line.startswith("newsmon_stage_gap_records_total{") and 'outcome="lost"' in line]
        assert gaps and all(line.endswith(" 0.0") for line in gaps), gaps  # nothing lost to retention
    finally:
        worker.stop()
