"""The whole path on a real broker: source -> Kafka -> Faust worker -> webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from support import Receiver, Worker, consume_until, produce, run, seed_replay_source

from newsmon.connectors.poller import Poller
from newsmon.metrics import Metrics
from newsmon.model import Entry
from newsmon.settings import SourceSettings
from newsmon.streams.records import decode_event, encode_entry
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration

SECRET = "integration-secret"


def webhook(receiver: Receiver) -> str:
    return f"""
[[channels]]
name = "hook"
kind = "webhook"
url = "{receiver.url}"
secret = "{SECRET}"
"""


def test_seed_blog_replay_alerts_once_on_the_breakthrough_claim(
    shared_dir: Path, receiver: Receiver, start_worker: Callable[..., Worker]
) -> None:
    worker = start_worker(seed_replay_source(shared_dir) + webhook(receiver), with_sources=True)
    got = receiver.wait_for(lambda reqs: any(r.json()["entry_key"].endswith("E24") for r in reqs), timeout=90)
    # Let the rest of the blog (entries published after E24) flow through before judging.
    time.sleep(5)
    got = list(receiver.requests)
    alerts = [r.json() for r in got]
    fired = [a for a in alerts if a["kind"] == "fired"]
    assert [a["entry_key"].split("\x1f")[1] for a in fired] == ["E24"], alerts
    assert fired[0]["rule"] == "breakthrough-claim"
    assert fired[0]["language"] == "en"
    keys = [r.headers["idempotency-key"] for r in got]
    assert len(keys) == len(set(keys)), f"an alert was delivered twice: {keys}"
    for request in got:  # every delivery is signed as documented
        timestamp, signature = (part.split("=", 1)[1] for part in request.headers["x-newsmon-signature"].split(","))
        expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(signature, expected)
    metrics = _metrics(worker)
    assert 'newsmon_alerts_total{kind="fired",rule="breakthrough-claim",severity="critical"} 1.0' in metrics
    analysed = {line.split('"')[1]: float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                if line.startswith("newsmon_entries_analysed_total{")}
    assert analysed["en"] >= 1 and analysed.keys() == {"en", "uk", "ru", "de", "fr", "es", "it", "pl", "pt", "other"}


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test desk</title><link>http://127.0.0.1/</link><description>t</description>
<item><guid>urn:test:1</guid><title>Ministry reports shelling of a border town</title>
<description>Two buildings were hit overnight, officials said.</description>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><guid>urn:test:2</guid><title>Parliament debates a new aid package</title>
<description>The vote is expected next week.</description>
<pubDate>Tue, 05 Mar 2024 11:00:00 GMT</pubDate></item>
<item><guid>urn:test:3</guid><title>Airport reopens after drone sighting</title>
<description>Flights resumed in the afternoon.</description>
<pubDate>Tue, 05 Mar 2024 12:00:00 GMT</pubDate></item>
</channel></rss>
"""


def test_same_rss_document_twice_passes_dedup_once(
    kafka: str, static_server: Callable[..., str], start_worker: Callable[..., Worker]
) -> None:
    worker = start_worker()
    topics = Topics.for_prefix(worker.prefix)
    url = static_server("/feed.xml", RSS.encode())
    source = SourceSettings(id="desk", kind="rss", url=url)

    async def poll_twice() -> int:
        sent = 0
        for _ in range(2):  # two connector processes in turn: no shared memory between the polls
            poller = Poller(Metrics(CollectorRegistry()), lambda: datetime.now(UTC))
            entries: list[Entry] = []

            async def sink(entry: Entry, entries: list[Entry] = entries) -> None:
                entries.append(entry)

            await poller.poll_once(source, sink)
            await poller.aclose()
            await produce(kafka, topics.raw, [(e.source.encode(), encode_entry(e)) for e in entries])
            sent += len(entries)
        return sent

    assert run(poll_twice()) == 6
    records = run(consume_until(kafka, topics.unique, lambda recs: len(recs) >= 3, wait_seconds=30))
    time.sleep(3)  # anything wrongly passed would arrive by now
    records = run(consume_until(kafka, topics.unique, lambda recs: False, wait_seconds=3))
    ids = Counter(decode_event(r.value).entry.entry_id for r in records)
    assert sorted(ids) == ["urn:test:1", "urn:test:2", "urn:test:3"]
    assert set(ids.values()) == {1}
    assert 'newsmon_duplicates_suppressed_total{kind="exact",source="other"} 3.0' in _metrics(worker)


def test_malformed_record_goes_to_dead_letter_and_the_agent_goes_on(
    kafka: str, start_worker: Callable[..., Worker]
) -> None:
    worker = start_worker()
    topics = Topics.for_prefix(worker.prefix)
    good = Entry(source="desk", entry_id="after-the-bad-one", title="A fine entry", body="Nothing wrong here.",
                 content_hash=content_hash("A fine entry", "Nothing wrong here."))
    bad = [(b"desk", b"\xff\x00 not json"), (b"desk", json.dumps({"v": 99, "id": "x"}).encode())]
    run(produce(kafka, topics.raw, [*bad, (b"desk", encode_entry(good))]))

    dead = run(consume_until(kafka, topics.deadletter, lambda recs: len(recs) >= 2, wait_seconds=30))
    letters: list[dict[str, Any]] = [json.loads(r.value) for r in dead]
    assert [d["stage"] for d in letters] == ["dedup", "dedup"]
    assert "not JSON" in letters[0]["error"] and letters[0]["value_b64"]
    assert "schema version 99" in letters[1]["error"]
    passed = run(consume_until(kafka, topics.unique, lambda recs: len(recs) >= 1, wait_seconds=30))
    assert [decode_event(r.value).entry.entry_id for r in passed] == ["after-the-bad-one"]
    assert worker.process.poll() is None
    assert 'newsmon_deadletter_records_total{stage="dedup"} 2.0' in _metrics(worker)


def _metrics(worker: Worker) -> str:
    import httpx

    return httpx.get(f"{worker.web}/metrics", timeout=5).text


def test_per_source_scopes_spread_detection_over_two_workers(
    kafka: str, start_worker: Callable[..., Worker]
) -> None:
    """Each source its own scope: the same text from 16 sources is no duplicate, and both workers detect."""
    prefix = f"scopes{int(time.time())}"
    workers = [start_worker(prefix=prefix, worker_options='scope = "source"', own_data_dir=True) for _ in range(2)]
    topics = Topics.for_prefix(prefix)
    title, body = "Shelling reported in Kherson", "Two districts were shelled overnight, the governor said."
    sources = [f"desk{n:02d}" for n in range(16)]
    entries = [Entry(source=s, entry_id="1", title=title, body=body, content_hash=content_hash(title, body))
               for s in sources]
    time.sleep(3)  # let the group settle on two members before the records arrive
    run(produce(kafka, topics.raw, [(e.source.encode(), encode_entry(e)) for e in entries]))
    records = run(consume_until(kafka, topics.analysed, lambda recs: len(recs) >= 16, wait_seconds=60))
    analyses = {r.key.decode(): json.loads(r.value) for r in records}
    assert sorted(analyses) == sources  # keyed by scope: one per source
    assert all(a["duplicate_of"] is None for a in analyses.values())
    detected = [_stage_in(_metrics(w), "detect") for w in workers]
    assert sum(detected) >= 16 and min(detected) > 0, f"detections per worker: {detected}"  # at least once


def _stage_in(metrics: str, stage: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith("newsmon_stage_entries_in_total{") and f'stage="{stage}"' in line)


@pytest.mark.parametrize("store", ["memory", "rocksdb"])
def test_detection_memory_survives_a_restart_for_every_scope(
    kafka: str, start_worker: Callable[..., Worker], store: str
) -> None:
    """Entries analysed before a restart are still known after it: a repeat is named a duplicate.
    With either table store: rebuilt from the changelogs, or kept in RocksDB."""
    prefix = f"{store}{int(time.time())}"
    options = f'scope = "source"\nstore = "{store}"'
    first = start_worker(prefix=prefix, worker_options=options)
    topics = Topics.for_prefix(prefix)
    title = "Shelling kills four in Kherson"
    body = ("Heavy shelling hit the centre of Kherson overnight, killing four people and wounding eleven, "
            "the regional governor said. Rescue teams were still searching the rubble of an apartment block.")

    def entries(suffix: str) -> list[Entry]:
        return [Entry(source=s, entry_id=f"{s}-{suffix}", title=title, body=body,
                      content_hash=content_hash(title, body)) for s in ("desk-a", "desk-b")]

    before = entries("1")
    run(produce(kafka, topics.raw, [(e.source.encode(), encode_entry(e)) for e in before]))
    run(consume_until(kafka, topics.analysed, lambda recs: len(recs) >= 2, wait_seconds=60))
    assert first.stop() == 0
    second = start_worker(prefix=prefix, worker_options=options)
    after = entries("2")  # new ids, same text: near-duplicates of the entries before the restart
    run(produce(kafka, topics.raw, [(e.source.encode(), encode_entry(e)) for e in after]))
    records = run(consume_until(kafka, topics.analysed, lambda recs: len(recs) >= 4, wait_seconds=60))
    got = {json.loads(r.value)["event"]["entry"]["id"]: json.loads(r.value)["duplicate_of"] for r in records}
    assert got == {"desk-a-1": None, "desk-b-1": None, "desk-a-2": "desk-a\x1fdesk-a-1",
                   "desk-b-2": "desk-b\x1fdesk-b-1"}
    metrics = _metrics(second)  # each scope's window: the entry from before the restart and the new one
    assert 'newsmon_detection_window_entries{scope="desk-a"} 2.0' in metrics
    assert 'newsmon_detection_window_entries{scope="desk-b"} 2.0' in metrics
    if store == "rocksdb":  # the tables were kept on disk, not only in the changelogs
        data = first.config.parent / f"worker-{prefix}"
        assert any(p.name.endswith(".db") or p.suffix == ".sst" for p in data.rglob("*")), sorted(data.rglob("*"))
    assert second.process.poll() is None
