"""Helpers shared by the integration tests (importable as `support`; see pytest's pythonpath)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


async def produce(kafka: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def consume_until(kafka: str, topic: str | tuple[str, ...], done: Callable[[list[Any]], bool],
                        wait_seconds: float = 60.0) -> list[Any]:
    """Read `topic` (or several) from the beginning until `done(records)` or timeout (then returns what it has)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    records: list[Any] = []
    try:
        assigned: list[TopicPartition] = []
        for name in (topic,) if isinstance(topic, str) else topic:
            partitions = consumer.partitions_for_topic(name)
            while not partitions:
                await consumer._client.force_metadata_update()  # topic may be new
                partitions = consumer.partitions_for_topic(name)
            assigned += [TopicPartition(name, p) for p in partitions]
        consumer.assign(assigned)
        await consumer.seek_to_beginning()
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline and not done(records):
            batch = await consumer.getmany(timeout_ms=200)
            for messages in batch.values():
                records.extend(messages)
    finally:
        await consumer.stop()
    return records


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports(count: int) -> list[int]:
    """Ports that were free a moment ago (held open together, so they differ)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 recording every request; answers from `responses`."""

    url: str
    requests: list[Received] = field(default_factory=list)
    # status codes to answer in turn (then 200); a tuple (status, headers) is allowed too
    responses: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, predicate: Callable[[list[Received]], bool], timeout: float = 60.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                snapshot = list(self.requests)
            if predicate(snapshot):
                return snapshot
            time.sleep(0.1)
        raise AssertionError(f"receiver: condition not met in {timeout}s; got {len(snapshot)} requests")


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    config: Path
    web: str
    prefix: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode


def wait_ready(worker: Worker, timeout: float = 90) -> Worker:
    """Wait until the worker answers 200 on /ready; fails with its log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise AssertionError(f"worker exited with {worker.process.returncode}:\n{worker.output()[-4000:]}")
        try:
            if httpx.get(f"{worker.web}/ready", timeout=1).status_code == 200:
                return worker
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"worker not ready in {timeout}s:\n{worker.output()[-4000:]}")


def spawn_worker(config: Path, web: str, prefix: str, log: Path, *, with_sources: bool = False) -> Worker:
    """Start `newsmon worker` on `config` (its output appended to `log`); does not wait for it."""
    args = [sys.executable, "-m", "newsmon", "--config", str(config), "worker"]
    if with_sources:
        args.append("--with-sources")
    with log.open("ab") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=config.parent)
    return Worker(process, config, web, prefix, log)


def write_config(path: Path, kafka: str, *, prefix: str, web_port: int, extra: str = "", worker: str = "",
                 data_dir: Path | None = None) -> Path:
    path.write_text(
        f"""
[kafka]
bootstrap = "{kafka}"
partitions = 4
topic_prefix = "{prefix}"

[worker]
app_id = "{prefix}"
web_port = {web_port}
data_dir = "{data_dir or path.parent / ('worker-' + prefix)}"
log_level = "info"
{worker}
[[rules]]
name = "breakthrough-claim"
kind = "first-seen"
topic = "breakthrough-claim"
severity = "critical"
{extra}
""",
        encoding="utf-8",
    )
    return path


def seed_replay_source(shared: Path, source_id: str = "seed") -> str:
    """TOML of a replay source that plays the seed live blog as fast as it can."""
    seed = shared / "data" / "seed-entries.jsonl"
    return f"""
[[sources]]
id = "{source_id}"
kind = "replay"
path = "{seed}"
speedup = 1000000
"""


class Feeder:
    """Produces numbered entries to a topic from a thread of its own, through broker outages.

    Each entry is sent until the broker acknowledges it (a send that failed is sent again: the
    raw topic may hold it twice, which dedup drops as an unchanged re-poll).  `acked` lists the
    entries the broker acknowledged, in order; `make(n)` builds the (key, value) of entry n.
    """

    def __init__(self, kafka: str, topic: str, make: Callable[[int], tuple[bytes, bytes]],
                 interval: float = 0.1) -> None:
        self.kafka, self.topic, self.make, self.interval = kafka, topic, make, interval
        self.acked: list[int] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> Feeder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(60)

    def count(self) -> int:
        return len(self.acked)

    def wait_count(self, n: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"feeder: {len(self.acked)} of {n} entries acknowledged in {timeout}s")
            time.sleep(0.05)

    async def _producer(self) -> AIOKafkaProducer:
        while True:
            producer = AIOKafkaProducer(bootstrap_servers=self.kafka, acks="all", request_timeout_ms=5000)
            try:
                await producer.start()
                return producer
            except Exception:
                self.failures += 1
                await _quietly_stop(producer)
                await asyncio.sleep(0.2)

    async def _run(self) -> None:
        producer = await self._producer()
        n = 0
        try:
            while not self._stop.is_set():
                key, value = self.make(n)
                try:
                    await asyncio.wait_for(producer.send_and_wait(self.topic, value, key=key), 10)
                except Exception:  # broker down: send the same entry again, on a fresh producer
                    self.failures += 1
                    await _quietly_stop(producer)
                    producer = await self._producer()
                    continue
                self.acked.append(n)
                n += 1
                await asyncio.sleep(self.interval)
        finally:
            await _quietly_stop(producer)


async def _quietly_stop(producer: AIOKafkaProducer) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(producer.stop(), 15)


async def _lagging(kafka: str, group: str, topics: tuple[str, ...]) -> dict[str, int]:
    """Records of `topics` the consumer group has not committed yet, per topic (end - committed)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        # from the broker: a fresh consumer's `partitions_for_topic` knows no topic (None)
        known = {d["topic"]: {p["partition"] for p in d["partitions"]}
                 for d in await admin.describe_topics(list(topics)) if not d.get("error_code")}
        missing = [t for t in topics if not known.get(t)]
        if missing:  # never "caught up" on a topic it cannot see
            return {t: 1 for t in missing}
        parts = [TopicPartition(t, p) for t in topics for p in known[t]]
        ends = await consumer.end_offsets(parts)
        lag: dict[str, int] = {}
        for tp in parts:
            done = committed.get(tp)
            position = done.offset if done is not None and done.offset >= 0 else 0
            lag[tp.topic] = lag.get(tp.topic, 0) + ends[tp] - position
        return lag
    finally:
        await consumer.stop()
        await admin.close()


def wait_caught_up(kafka: str, group: str, topics: tuple[str, ...], timeout: float = 120) -> None:
    """Wait until the group has processed and committed every record of `topics`.

    Faust flushes the producer (outputs and table changelogs) before it commits offsets, so a
    committed record's effects are durable in Kafka too.
    """
    deadline = time.monotonic() + timeout
    while True:
        lag = run(_lagging(kafka, group, topics))
        if not any(lag.values()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"group {group} still has records to process after {timeout}s: {lag}")
        time.sleep(0.5)
