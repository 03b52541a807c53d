"""Restart recovery: how long a worker with a full detection window takes to be useful again.

Real Kafka and a real worker: N entries go through the pipeline (every one kept in the
detector's window, mirrored to the `detector-memory` table), the worker is stopped with SIGTERM
and started again.  Reported: time to `/ready` (Faust recovered its tables from their
changelogs -- the store is `memory://`), and time until a new entry's analysis is on the
analysed topic (the detector of the scope is rebuilt from the table first), with the size of
the detector-memory changelog.  Not a test: prints figures.

    .venv/bin/python bench/restart.py [--entries 5000] [--store rocksdb]
    .venv/bin/python bench/restart.py --kill --entries 500   # kill -9: dynamic vs static membership
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer
from latency import free_port, make_entry, processed, produce, stop_temp_broker, temp_broker

from newsmon.streams.topics import Topics


def wait_ready(web: str, timeout: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        try:
            if httpx.get(f"{web}/ready", timeout=1).status_code == 200:
                return time.monotonic() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"worker not ready after {timeout} s")


async def wait_analysis(bootstrap: str, topic: str, entry_id: str, timeout: float) -> None:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="latest")
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            if any(entry_id.encode() in r.value for records in batch.values() for r in records):
                return
        raise SystemExit(f"no analysis of {entry_id} within {timeout} s")
    finally:
        await consumer.stop()


async def changelog_bytes(bootstrap: str, topic: str) -> tuple[int, int]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    count = size = 0
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            if not batch:
                return count, size
            for records in batch.values():
                count += len(records)
                size += sum(len(r.value or b"") for r in records)
    finally:
        await consumer.stop()


def scenario(bootstrap: str, tmp: Path, name: str, entries: int, store: str, kill: bool,
             instance_id: str = "") -> None:
    """Fill one worker's window with `entries`, stop it (SIGTERM, or SIGKILL with `kill`), start it
    again and print how long until it is ready and a new entry is analysed."""
    web_port = free_port()
    web = f"http://127.0.0.1:{web_port}"
    config = tmp / f"{name}.toml"
    static = f'instance_id = "{instance_id}"' if instance_id else ""
    config.write_text(f"""
[kafka]
bootstrap = "{bootstrap}"
partitions = 4
topic_prefix = "{name}"
[worker]
app_id = "{name}"
web_port = {web_port}
data_dir = "{tmp / name}"
log_level = "warning"
store = "{store}"
{static}
""", encoding="utf-8")
    topics = Topics.for_prefix(name)
    label = f"{name} ({'static member ' + instance_id if instance_id else 'dynamic member'})"

    def launch(n: int) -> subprocess.Popen[bytes]:
        log = (tmp / f"{name}-{n}.log").open("wb")
        return subprocess.Popen([sys.executable, "-m", "newsmon", "--config", str(config), "worker"],
                                stdout=log, stderr=subprocess.STDOUT)

    worker = launch(0)
    try:
        first_ready = wait_ready(web, 120)
        batch = [make_entry(i, "fill") for i in range(entries)]
        began = time.monotonic()
        asyncio.run(produce(bootstrap, topics.raw, batch, None))
        while processed([web]) < len(batch):
            time.sleep(0.5)
        print(f"{label}: cold worker ready in {first_ready:.1f} s; {len(batch)} entries through the pipeline "
              f"in {time.monotonic() - began:.1f} s", flush=True)
        if kill:
            worker.kill()
        else:
            worker.terminate()
        worker.wait(60)
        count, size = asyncio.run(changelog_bytes(bootstrap, f"{name}-detector-memory-changelog"))
        print(f"{label}: detector-memory changelog: {count} records, {size / 1e6:.1f} MB", flush=True)
        restarted = time.monotonic()
        worker = launch(1)
        ready = wait_ready(web, 300)
        probe = make_entry(0, "after-restart")

        async def probe_once() -> None:
            listener = asyncio.create_task(wait_analysis(bootstrap, topics.analysed, probe.entry_id, 300))
            await asyncio.sleep(1.0)  # the listener is positioned at the end of the topic
            await produce(bootstrap, topics.raw, [probe], None)
            await listener

        asyncio.run(probe_once())
        how = "SIGKILL" if kill else "SIGTERM"
        print(f"{label}: restart after {how}: ready after {ready:.1f} s; first new entry analysed "
              f"{time.monotonic() - restarted:.1f} s after the restart (detector rebuilt from the table)",
              flush=True)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000, help="entries in the window before the restart")
    parser.add_argument("--store", default="memory", choices=["memory", "rocksdb"], help="worker.store")
    parser.add_argument("--kill", action="store_true",
                        help="SIGKILL instead of SIGTERM, once as a dynamic and once as a static group member "
                             "(worker.instance_id), side by side")
    args = parser.parse_args()
    tmp, broker, bootstrap = temp_broker()
    try:
        scenario(bootstrap, tmp, "bench", args.entries, args.store, args.kill)
        if args.kill:
            scenario(bootstrap, tmp, "benchstatic", args.entries, args.store, True, instance_id="bench-1")
    finally:
        stop_temp_broker(tmp, broker)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
