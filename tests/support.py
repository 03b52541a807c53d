"""Helpers shared by the integration tests (importable as `support`; see pytest's pythonpath)."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def produce(kafka: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def consume_until(kafka: str, topic: str, done: Callable[[list[Any]], bool],
                        wait_seconds: float = 60.0) -> list[Any]:
    """Read `topic` from the beginning until `done(records)` or timeout (then returns what it has)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    records: list[Any] = []
    try:
        partitions = consumer.partitions_for_topic(topic)
        while not partitions:
            await consumer._client.force_metadata_update()  # topic may be new
            partitions = consumer.partitions_for_topic(topic)
        consumer.assign([TopicPartition(topic, p) for p in partitions])
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
