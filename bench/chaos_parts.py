"""The parts of bench/chaos.py: the stream, its producer, the receiver, the worker, the broker's kill."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from newsmon.broker import BrokerConfig, status
from newsmon.model import Entry
from newsmon.streams.records import encode_entry
from newsmon.text import content_hash

VERBS = ["broke through", "have broken through", "punched through"]
LINES = ["defences", "lines", "positions"]
SAID = ["the {side}n defence ministry said", "the {side}n general staff claimed",
        "a {side}n army spokesman said", "the {side}n defence ministry claimed on Tuesday"]
SOURCES = [f"wire{n}" for n in range(16)]
SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vor", "zel", "pin", "dru", "hos", "yan", "qui", "bex", "nor", "fal",
             "gar", "sul", "tek"]


# -- the stream ------------------------------------------------------------------------------------


def make_stream(rng: random.Random, total: int, claims: int) -> list[Entry]:
    """`total` entries: `claims` distinct claims (each re-polled twice), some filler re-polls, filler.

    A re-poll is the same Entry object again (sent as the same bytes)."""
    def name() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    def words(n: int) -> str:
        return " ".join(name().lower() for _ in range(n))

    used: set[str] = set()
    base: list[Entry] = []
    while len(base) < claims:
        side, other, town = name(), name(), name()
        if len({side, other, town}) < 3 or used & {side, other, town}:
            continue
        used |= {side, other, town}
        verb, lines, said = rng.choice(VERBS), rng.choice(LINES), rng.choice(SAID).format(side=side)
        title = f"{side}n troops {verb} {other}n {lines} near {town}"
        body = (f"{side}n troops {verb} {other}n {lines} near {town}, {said}. "
                f"{words(50).capitalize()}.")  # its own words: no two claims look like one story
        base.append(Entry(SOURCES[len(base) % len(SOURCES)], f"c{len(base)}", title, body,
                          content_hash=content_hash(title, body)))
    repolls = min(total // 5, total - claims) if claims else 0
    fillers = total - claims - repolls
    if fillers < 0:
        raise SystemExit(f"--entries {total} is too few for --claims {claims} (each claim is re-polled twice)")
    for n in range(fillers):
        town = name()
        title, body = f"Council in {town} debates budget", f"The council of {town} met to discuss {words(25)}."
        base.append(Entry(SOURCES[n % len(SOURCES)], f"f{n}", title, body, content_hash=content_hash(title, body)))
    rng.shuffle(base)
    order = [(float(i), e) for i, e in enumerate(base)]
    claim_at = [i for i, e in enumerate(base) if e.entry_id.startswith("c")]
    again = (claim_at * 2 + rng.sample(range(len(base)), len(base)))[:repolls]
    order += [(rng.uniform(i + 0.5, len(base)), base[i]) for i in again]
    return [e for _, e in sorted(order, key=lambda pair: pair[0])]


class Producer:
    """Sends the stream at `rate` entries/s from a thread, each entry until the broker acknowledges
    it (through broker outages).  A re-poll repeats the bytes of its first sending."""

    def __init__(self, kafka: str, topic: str, stream: list[Entry], rate: float) -> None:
        self.kafka, self.topic, self.stream, self.rate = kafka, topic, stream, rate
        self.acked: list[str] = []
        self.acked_at: dict[str, float] = {}
        self._bytes: dict[str, bytes] = {}
        self._stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def count(self) -> int:
        return len(self.acked)

    def done(self) -> bool:
        return not self.thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(60)

    async def _producer(self) -> AIOKafkaProducer:
        while not self._stop.is_set():
            producer = AIOKafkaProducer(bootstrap_servers=self.kafka, acks="all", request_timeout_ms=5000)
            try:
                await producer.start()
                return producer
            except Exception:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(producer.stop(), 15)
                await asyncio.sleep(0.2)
        raise asyncio.CancelledError

    async def _run(self) -> None:
        producer = await self._producer()
        began = time.monotonic()
        try:
            for n, entry in enumerate(self.stream):
                if self._stop.is_set():
                    return
                await asyncio.sleep(max(0.0, began + n / self.rate - time.monotonic()))
                if entry.entry_id not in self._bytes:
                    self._bytes[entry.entry_id] = encode_entry(replace(entry, published=datetime.now(UTC)))
                while not self._stop.is_set():
                    try:
                        await asyncio.wait_for(producer.send_and_wait(
                            self.topic, self._bytes[entry.entry_id], key=entry.source.encode()), 10)
                        break
                    except Exception:  # broker down: the same entry again, on a fresh producer
                        with contextlib.suppress(Exception):
                            await asyncio.wait_for(producer.stop(), 15)
                        producer = await self._producer()
                self.acked.append(entry.entry_id)
                self.acked_at.setdefault(entry.entry_id, time.time())
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), 15)


# -- the receiver ----------------------------------------------------------------------------------


@dataclass
class Hit:
    key: str
    entry_id: str
    at: float
    status: int


@dataclass
class Receiver:
    hits: list[Hit] = field(default_factory=list)
    down_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def serve(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.time()
                answer = 503 if now < receiver.down_until else 200
                try:
                    entry_id = str(json.loads(body).get("entry_key", "")).split("\x1f", 1)[-1]
                except ValueError:
                    entry_id = "?"
                with receiver.lock:
                    receiver.hits.append(Hit(self.headers.get("Idempotency-Key", ""), entry_id, now, answer))
                self.send_response(answer)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered(self) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if 200 <= h.status < 300]


# -- the worker and the broker ---------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


class Worker:
    def __init__(self, config: Path, web: str, log: Path) -> None:
        self.config, self.web, self.log = config, web, log
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "newsmon", "--config", str(self.config), "worker"],
                                            stdout=out, stderr=subprocess.STDOUT, cwd=self.config.parent)

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise SystemExit(f"worker exited; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.web}/ready", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise SystemExit(f"worker not ready in {timeout} s; see {self.log}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def metric(self, name: str, stage: str) -> float:
        with contextlib.suppress(httpx.HTTPError):
            for line in httpx.get(f"{self.web}/metrics", timeout=2).text.splitlines():
                if line.startswith(name + "{") and f'stage="{stage}"' in line:
                    return float(line.rsplit(" ", 1)[1])
        return -1.0


def kill_broker(cfg: BrokerConfig) -> None:
    pid = status(cfg).pid
    if pid is None:
        raise SystemExit("broker not running")
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while status(cfg).running and time.monotonic() < deadline:
        time.sleep(0.1)


async def read_topics(kafka: str, topics: tuple[str, ...], idle: float = 5.0) -> list[Any]:
    """Every record of `topics` from the beginning, until none arrived for `idle` seconds."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        parts: list[TopicPartition] = []
        for name in topics:
            for _ in range(10):  # the metadata of a topic this client never used comes on request
                if consumer.partitions_for_topic(name):
                    break
                await consumer._client.force_metadata_update()
                await asyncio.sleep(0.2)
            parts += [TopicPartition(name, p) for p in consumer.partitions_for_topic(name) or ()]
        if not parts:
            return []
        consumer.assign(parts)
        await consumer.seek_to_beginning()
        records: list[Any] = []
        last = time.monotonic()
        while time.monotonic() - last < idle:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                records.extend(messages)
                last = time.monotonic()
        return records
    finally:
        await consumer.stop()
