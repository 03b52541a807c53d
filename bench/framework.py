"""The framework's own ceiling: how many records/s one Faust agent moves on this machine, doing nothing.

Real Kafka (temporary broker).  N records of ~600 bytes (the size of a wire entry) are
produced to a 4-partition topic first; then a bare Faust worker -- none of newsmon's code --
reads them with one agent, in one of these modes:

* ``consume``: ``async for event in stream.events()``, nothing else;
* ``forward``: each record sent on to another topic (what every newsmon stage does);
* ``table``: forwarded, and a changelogged table key written per record (as dedup does);
* ``take``: ``stream.take(500, within=0.05)`` batches, each record forwarded.

and, for comparison, a plain aiokafka consumer (``getmany``) with no framework.  Reported:
records/s from the first record seen to the last.  newsmon's pipeline is four such agents
(dedup, detect, rules, deliver) plus three tables, so its own floor (``bench/latency.py
--floor``) is bounded by these figures.  Not a test: prints figures.

    .venv/bin/python bench/framework.py [--records 50000] [--modes consume,forward,table,take,aiokafka]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from latency import stop_temp_broker, temp_broker

PAYLOAD = json.dumps({"v": 1, "source": "bench", "title": "x" * 80, "body": "y" * 400, "hash": "h" * 40}).encode()


async def fill(bootstrap: str, topic: str, records: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        for n in range(records):
            await producer.send(topic, PAYLOAD, key=str(n % 64).encode())
        await producer.flush()
    finally:
        await producer.stop()


async def plain_consumer(bootstrap: str, topic: str, records: int) -> float:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id="plain", enable_auto_commit=True)
    await consumer.start()
    seen, first = 0, time.perf_counter()  # from the consumer's start: its first fetch included
    try:
        while seen < records:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            seen += sum(len(messages) for messages in batch.values())
        return seen / (time.perf_counter() - first)
    finally:
        await consumer.stop()


def child(mode: str, bootstrap: str, topic: str, records: int, datadir: str) -> None:
    """A bare Faust worker; prints records/s and exits once `records` were handled."""
    import faust

    app = faust.App(f"fw-{mode}", broker=f"kafka://{bootstrap}", store="memory://", datadir=datadir,
                    topic_partitions=4, web_enabled=False, consumer_auto_offset_reset="earliest",
                    producer_linger_ms=1)
    source = app.topic(topic, value_type=bytes, key_type=bytes, value_serializer="raw", key_serializer="raw")
    out = app.topic(f"{topic}-out-{mode}", value_type=bytes, key_type=bytes, value_serializer="raw",
                    key_serializer="raw")
    table = app.Table("fw-table", default=None, partitions=4) if mode == "table" else None
    state = {"seen": 0, "first": 0.0}

    def tick(n: int) -> None:
        if not state["first"]:
            state["first"] = time.perf_counter()
        state["seen"] += n
        if state["seen"] >= records:
            rate = state["seen"] / (time.perf_counter() - state["first"])
            print(json.dumps({"mode": mode, "rate": rate}).rstrip(), flush=True)
            os._exit(0)

    async def agent(stream: Any) -> None:
        if mode == "take":
            async for batch in stream.take(500, within=0.05):
                for value in batch:
                    await out.send(key=b"k", value=value)
                tick(len(batch))
            return
        async for event in stream.events():
            if mode in ("forward", "table"):
                await out.send(key=event.key, value=event.value)
            if table is not None:
                table[event.key.decode()] = len(event.value)
            tick(1)

    app.agent(source, name=f"fw.{mode}")(agent)
    sys.argv = [sys.argv[0], "worker", "-l", "warn"]
    app.main()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--modes", default="consume,forward,table,take,aiokafka")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, bootstrap, topic, records, datadir = args.child
        child(mode, bootstrap, topic, int(records), datadir)
        return 0
    tmp, broker, bootstrap = temp_broker()
    try:
        topic = "fw-in"
        asyncio.run(fill(bootstrap, topic, args.records))
        print(f"{args.records} records of {len(PAYLOAD)} bytes on {topic} (4 partitions)", flush=True)
        for mode in args.modes.split(","):
            if mode == "aiokafka":
                rate = asyncio.run(plain_consumer(bootstrap, topic, args.records))
            else:
                run = subprocess.run([sys.executable, __file__, "--child", mode, bootstrap, topic,
                                      str(args.records), str(tmp / mode)],
                                     capture_output=True, text=True, timeout=900, cwd=Path(__file__).parent)
                # Faust's worker redirects stdout into its log (stderr)
                lines = [line[line.index("{") :] for line in (run.stdout + run.stderr).splitlines() if '"rate"' in line]
                if not lines:
                    print(f"{mode:>9}: failed\n{run.stderr[-2000:]}")
                    continue
                rate = json.loads(lines[-1])["rate"]
            print(f"{mode:>9}: {rate:8.0f} records/s", flush=True)
    finally:
        stop_temp_broker(tmp, broker)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
