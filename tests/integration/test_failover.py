"""A worker killed while another runs: the survivor takes over its partitions and loses nothing.

Two workers share the partitions (each source its own detection scope, so both detect).
Breakthrough claims from eight sources alert once each; one worker is killed with SIGKILL;
then every source re-reports its claim (reworded: a duplicate) and makes a new claim
elsewhere.  The survivor, having rebuilt the dead worker's detection memory, rule state and
delivery state from the changelogs, alerts on every new claim once and on no re-report.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable

import pytest
from support import Receiver, Worker, produce, run, wait_caught_up

from newsmon.model import Entry
from newsmon.streams.records import encode_entry
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration

SOURCES = [f"desk{n}" for n in range(8)]
CLAIM = (
    "Russia says its forces broke through defences near Kreminna",
    "Russian troops have broken through Ukrainian defensive lines near Kreminna in the Luhansk region, "
    "the Russian defence ministry claimed on Tuesday, saying armoured columns had advanced several kilometres. "
    "The claim could not be independently verified.",
)
REREPORT = (
    "Russian defence ministry claims breakthrough near Kreminna",
    "Russian troops have broken through Ukrainian defensive lines near Kreminna in Luhansk, "
    "the Russian defence ministry claimed on Tuesday, saying armoured columns had advanced several kilometres. "
    "The claim could not be independently verified.",
)
NEW_CLAIM = (
    "Ukraine says its brigades punched through minefields south of Robotyne",
    "Ukrainian brigades punched through Russian minefields and trenches south of Robotyne in the Zaporizhzhia "
    "region, the general staff in Kyiv claimed, adding that assault units had seized two villages overnight "
    "after a week of heavy artillery duels.",
)


def entries(text: tuple[str, str], suffix: str) -> list[tuple[bytes, bytes]]:
    title, body = text
    return [
        (s.encode(), encode_entry(Entry(s, f"{s}-{suffix}", title, body, content_hash=content_hash(title, body))))
        for s in SOURCES
    ]


def alerts_by_key(receiver: Receiver) -> Counter[str]:
    with receiver.lock:
        return Counter(r.headers["idempotency-key"] for r in receiver.requests)


@pytest.mark.parametrize("store", ["memory", "rocksdb"])
def test_survivor_of_a_kill_9_alerts_new_claims_once_and_no_re_report(
    kafka: str, receiver: Receiver, start_worker: Callable[..., Worker], store: str
) -> None:
    prefix = f"failover{store}{int(time.time())}"
    hook = f'\n[[channels]]\nname = "hook"\nkind = "webhook"\nurl = "{receiver.url}"\nsecret = "s"\n'
    options = f'scope = "source"\nstore = "{store}"'
    doomed, survivor = (start_worker(hook, prefix=prefix, worker_options=options, own_data_dir=True) for _ in "ab")
    topics = Topics.for_prefix(prefix)
    raw, pipeline = topics.raw, (topics.raw, topics.unique, topics.analysed, topics.alerts)
    time.sleep(3)  # let the group settle on two members before the records arrive
    run(produce(kafka, raw, entries(CLAIM, "1")))
    receiver.wait_for(lambda reqs: len(reqs) >= len(SOURCES), timeout=60)
    # every alert delivered, its acknowledgement in delivery-state and its offset committed: the crash
    # below is not inside the window between a receiver's 2xx and the durable record of it
    wait_caught_up(kafka, prefix, pipeline)
    first = alerts_by_key(receiver)
    assert len(first) == len(SOURCES) and set(first.values()) == {1}
    assert doomed.stop(signal.SIGKILL) == -signal.SIGKILL

    run(produce(kafka, raw, entries(REREPORT, "2") + entries(NEW_CLAIM, "3")))
    # the survivor gets the dead worker's partitions once the broker expires its session (10 s)
    receiver.wait_for(lambda reqs: len(reqs) >= 2 * len(SOURCES), timeout=120)
    wait_caught_up(kafka, prefix, pipeline)  # every record processed: a wrong alert would have been sent
    got = alerts_by_key(receiver)
    assert set(got.values()) == {1}, got  # no alert sent twice
    with receiver.lock:
        stories = Counter((r.json()["source"], r.json()["title"]) for r in receiver.requests)
    assert stories == Counter({(s, title): 1 for s in SOURCES for title in (CLAIM[0], NEW_CLAIM[0])}), stories
    assert survivor.process.poll() is None
