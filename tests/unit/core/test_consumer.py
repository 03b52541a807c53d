"""newsmon's consumer rules (newsmon.streams.consumer): no record of an agent's topic commits unprocessed.

Driven without a broker: the hand-over and the commit computation are the consumer's own
bookkeeping; seeking and the earliest-offset lookup are replaced by recorders.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.types import TP

from newsmon.streams.app import App
from newsmon.streams.consumer import Consumer, Transport

TOPIC = "t.entries.raw"
TPART = TP(TOPIC, 0)


class Message:
    def __init__(self, offset: int, topic: str = TOPIC) -> None:
        self.topic, self.partition, self.offset = topic, 0, offset


def make_consumer() -> Any:
    """Our consumer on the running loop (Faust binds its waits to one loop)."""
    app = App("t", store="memory://", broker="kafka://127.0.0.1:1")
    app.hole_listeners = []
    app.topics._acking_topics.add(TOPIC)
    handed: list[int] = []

    async def callback(message: Any) -> None:
        handed.append(message.offset)

    c = Consumer(Transport(app.conf.broker_consumer, app), callback=callback,
                 on_partitions_revoked=None, on_partitions_assigned=None,  # type: ignore[arg-type]
                 loop=asyncio.get_running_loop())
    c.handed, c.sought, c.earliest = handed, [], 0

    async def seek(tp: TP, offset: int) -> None:
        c.sought.append((tp.partition, offset))

    async def earliest_offsets(*tps: TP) -> dict[TP, int]:
        return {tp: c.earliest for tp in tps}

    c._seek, c.earliest_offsets = seek, earliest_offsets
    c._sought = app.consumer_generation_id  # the partitions of this generation were sought
    return c


async def test_nothing_commits_while_the_record_at_the_committed_offset_is_unacked() -> None:
    consumer = make_consumer()
    consumer._committed_offset[TPART] = 10
    consumer._acked[TPART] = [11, 12]  # 10 still in progress (e.g. a delivery retrying)
    assert consumer._new_offset(TPART) is None
    consumer._acked[TPART] = [10, 11, 12]
    assert consumer._new_offset(TPART) == 13


def test_faust_itself_would_commit_past_it() -> None:
    """The rule newsmon's consumer replaces (faust-streaming 0.15): a head hole of one record commits."""
    app = faust.App("f", store="memory://", broker="kafka://127.0.0.1:1")
    base = faust.transport.drivers.aiokafka.Consumer(
        faust.transport.drivers.aiokafka.Transport(app.conf.broker_consumer, app), callback=lambda m: None,
        on_partitions_revoked=None, on_partitions_assigned=None)  # type: ignore[arg-type]
    base._committed_offset[TPART] = 10
    base._acked[TPART] = [11, 12]
    assert base._new_offset(TPART) == 13


async def test_a_record_past_the_next_offset_is_not_handed_over_and_the_partition_is_read_again() -> None:
    consumer = make_consumer()
    holes: list[tuple[str, int, int, int, int]] = []
    consumer.app.hole_listeners.append(lambda *args: holes.append(args))
    consumer._next[TPART] = 10
    sought: set[TP] = set()
    assert await consumer._hand_over(TPART, Message(15), sought)
    assert consumer.handed == [] and consumer.sought == [(0, 10)] and sought == {TPART}
    assert holes == [(TOPIC, 0, 10, 15, 0)]
    assert consumer._next[TPART] == 10  # still expects 10
    for offset in (9, 10, 11):  # 9: handed over before the seek; 10, 11: read again
        assert await consumer._hand_over(TPART, Message(offset), set())
    assert consumer.handed == [10, 11] and consumer._next[TPART] == 12


async def test_records_deleted_by_retention_are_counted_lost_not_awaited_forever() -> None:
    consumer = make_consumer()
    holes: list[tuple[str, int, int, int, int]] = []
    consumer.app.hole_listeners.append(lambda *args: holes.append(args))
    consumer._next[TPART], consumer._committed_offset[TPART], consumer.earliest = 10, 10, 15
    assert await consumer._hand_over(TPART, Message(15), set())
    assert holes == [(TOPIC, 0, 10, 15, 5)] and consumer.sought == []
    assert consumer.handed == [15] and consumer._committed_offset[TPART] == 15


async def test_a_hand_over_interrupted_by_a_flow_stop_does_not_move_the_position() -> None:
    consumer = make_consumer()
    entered = asyncio.Event()

    async def blocked(message: Any) -> None:
        entered.set()
        await asyncio.Event().wait()  # the agents' buffer is held by a rebalance

    consumer.callback = blocked
    consumer._next[TPART] = 10
    task = asyncio.ensure_future(consumer._hand_over(TPART, Message(10), set()))
    await entered.wait()
    consumer.stop_flow()
    assert await task is False
    assert consumer._next[TPART] == 10 and consumer._read_offset[TPART] is None


async def test_changelog_records_keep_fausts_rule() -> None:
    consumer = make_consumer()
    changelog = TP("t-entry-hashes-changelog", 0)
    consumer._read_offset[changelog] = 10
    assert await consumer._hand_over(changelog, Message(20, changelog.topic), set())  # compacted: holes are normal
    assert consumer.handed == [20] and consumer.sought == []


def committed_at(consumer: Any, offset: int | None) -> None:
    """The broker's committed offset of the partition, as the seek at the end of a recovery reads it."""

    async def seek_to_committed() -> dict[TP, int | None]:
        if offset is not None:  # aiokafka seeks only partitions with a commit
            consumer.sought.append((TPART.partition, offset))
        return {TPART: offset}

    consumer.seek_to_committed = seek_to_committed


async def hand(consumer: Any, *offsets: int) -> None:
    for offset in offsets:
        assert await consumer._hand_over(TPART, Message(offset), set())


async def test_records_fetched_before_the_seek_that_ends_a_recovery_are_handed_over_after_it_once() -> None:
    # A new assignment (generation 2): the flow runs during recovery and the fetcher reads 10
    # and 11 before Faust seeks the partition back to its committed offset 10; they reach the
    # agents only after the seek, once each (handed over before it, the deliver stage had
    # sent the partition's head alert twice, and the stream could drop them unprocessed).
    consumer = make_consumer()
    consumer.app.consumer_generation_id = 2
    committed_at(consumer, 10)
    await hand(consumer, 10, 11)
    assert consumer.handed == []
    await consumer.perform_seek()
    await hand(consumer, 10, 11, 12)
    assert consumer.handed == [10, 11, 12]


async def test_after_a_revocation_the_partition_is_read_again_from_its_committed_offset() -> None:
    # A revocation clears the agents' buffers: 10 and 11 were handed over but never processed.
    consumer = make_consumer()
    consumer._on_partitions_revoked = _nothing
    committed_at(consumer, 10)
    await hand(consumer, 10, 11)
    await consumer.on_partitions_revoked({TPART})
    consumer.app.consumer_generation_id += 1
    await consumer.perform_seek()
    await hand(consumer, 10, 11, 12)
    assert consumer.handed == [10, 11, 10, 11, 12]


async def test_nothing_is_handed_over_while_a_rebalance_runs_and_the_partition_is_read_again_after_it() -> None:
    # Faust's recovery resumes the flow -- clearing the agents' buffers -- after its seek to the
    # committed offsets: a record handed over then was dropped unseen (a failover lost a claim).
    consumer = make_consumer()
    committed_at(consumer, 10)
    await consumer.perform_seek()
    consumer.app.rebalancing = True
    batch: set[TP] = set()
    assert await consumer._hand_over(TPART, Message(10), batch)
    assert consumer.handed == [] and batch == {TPART}
    assert consumer.sought[-1] == (0, 10)  # the partition is read again from 10
    consumer.app.rebalancing = False
    await hand(consumer, 10, 11)
    assert consumer.handed == [10, 11]


async def test_a_partition_never_committed_is_read_from_its_first_record_after_a_rebalance() -> None:
    # Records 0-2 were fetched and held (or cleared from the buffers) during the rebalance; the
    # partition has no commit, so Faust's seek leaves the fetch position past them.
    consumer = make_consumer()
    consumer.app.consumer_generation_id = 2
    committed_at(consumer, None)
    await hand(consumer, 0, 1, 2)
    assert consumer.handed == []
    await consumer.perform_seek()
    assert consumer.sought[-1] == (0, 0)  # back to the first record
    await hand(consumer, 0, 1, 2, 3)
    assert consumer.handed == [0, 1, 2, 3]


async def test_a_second_seek_in_one_generation_keeps_what_was_handed_over() -> None:
    consumer = make_consumer()
    committed_at(consumer, 10)
    await consumer.perform_seek()
    await hand(consumer, 10, 11)
    await consumer.perform_seek()
    await hand(consumer, 10, 11, 12)
    assert consumer.handed == [10, 11, 12]


async def _nothing(revoked: set[TP]) -> None:
    return None
