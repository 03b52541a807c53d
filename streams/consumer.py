"""Faust's Kafka consumer, made unable to skip a record of newsmon's own topics.

faust-streaming (0.15) hands each fetched record to the agents in
`Consumer._drain_messages` and decides what to commit in `_new_offset`.  Three
of its rules let a record be committed without ever being processed:

1. **Forward jumps are acked.**  When a partition's next record is more than
   one offset past the last one handed over, the offsets in between are taken
   for compaction or transaction markers (a "gap") and acked, so they commit.
   On newsmon's topics (not compacted, no transactions) there are no such
   holes: a jump means records the agents never saw.  Jumps do happen: the
   read position moves on under records that were fetched but not handed over
   -- a flow stop (rebalance, recovery) interrupting a hand-over, records of a
   partition paused while its batch was being iterated (`getmany` drops them),
   a batch fetched before `perform_seek` moved the position back and iterated
   after it.  Seen after a broker crash: a restarted worker sought partition 2
   of the raw topic to its committed offset 22, was handed offset 142 first and
   acked 23-141 as a "gap".
2. **Records below the read position are dropped**, and that position is
   advanced even when a flow stop interrupted the hand-over, so records read
   again after the seek back to the committed offsets may be dropped, unseen.
3. **The head of the ack list may be one past the committed offset**
   (``min(acked) - committed > 1`` is the test): with the record at the
   committed offset still in progress (an alert whose delivery is retrying) and
   the next one acked, both are committed.
4. **Records handed over during a rebalance are dropped unseen.**  Recovery
   resumes the flow to read the changelogs, so stream records fetched meanwhile
   reach the agents' buffers; but `FlowControlEvent.resume()` *clears* those
   buffers, and recovery calls it again after its seek to the committed offsets.
   A record handed over before that last resume was processed twice (it is read
   again after the seek: the deliver stage sent a partition's head alert twice)
   or, once handed over after the seek, never (a failover lost the NEW claim of
   one source: its record reached the detect agent's buffer and was cleared).

Here, for the topics agents consume (those Faust acks), nothing is handed over while a
rebalance runs (`app.rebalancing`, from the revocation until the recovery has resumed the
flow for the last time) nor in a consumer generation before its seek to the committed
offsets (4.): such records are held and the partition is sought back; a partition without a
commit is sought to its first record at every seek to the committed offsets (aiokafka does not
move it).  Otherwise the position is the next
offset to hand over, moved only when a hand-over completed; a record above it
is not handed over, the partition is sought back to it and read again (counted
by the app's `hole_listeners`); a record below it was handed over already since the last seek
(a re-fetch) and is skipped; a commit needs every offset from the committed one
acked.  Records deleted by retention before they were processed cannot be read
again: that loss is counted too.  Changelog topics keep Faust's own rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncGenerator, Callable
from typing import Any, cast

from faust.transport.consumer import CONSUMER_FETCHING, CONSUMER_WAIT_EMPTY
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from mode import Service

log = logging.getLogger("newsmon.streams.consumer")

#: called with (topic, partition, first missing offset, offset found, records lost to retention)
HoleListener = Callable[[str, int, int, int, int], None]


class Consumer(faust_aiokafka.Consumer):
    """The aiokafka consumer with the hand-over and commit rules above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next: dict[TP, int] = {}  # acked topics: next offset to hand over, since the last seek
        self._sought: int | None = None  # the consumer generation whose stream partitions were sought
        self.drain_deadline: float | None = None  # monotonic time the stop's wait for acks ends (App)

    # -- position -------------------------------------------------------------

    async def perform_seek(self) -> None:
        # Faust seeks the stream partitions to their committed offsets at the end of every
        # recovery (after resuming them); it stores those offsets in `_read_offset`.  Nothing
        # of a generation is handed over before this seek (`_hand_over`), so every record from
        # the committed offset on is handed over exactly once.  A second seek in the same
        # generation keeps what was handed over since the first.
        await super().perform_seek()
        generation = self.app.consumer_generation_id
        fresh = generation != self._sought
        self._sought = generation
        # Never committed: aiokafka's seek leaves such a partition wherever its fetch position
        # got to, past records that a rebalance cleared from the agents' buffers or that were
        # held back; nothing of it was processed, so it is read from its first record.  One
        # look-up for all of them: each call waits for the consumer thread's fetch (~1.5 s).
        uncommitted = [tp for tp, offset in self._read_offset.items()
                       if offset is None and self.app.topics.acks_enabled_for(tp.topic)]
        starts: dict[TP, int | None] = dict(self._read_offset)
        if uncommitted:
            earliest = await self.earliest_offsets(*uncommitted)
            for tp in uncommitted:
                start = starts[tp] = int(earliest.get(tp) or 0)
                await self._seek(tp, start)
        for tp, offset in starts.items():
            if offset is not None and (fresh or tp not in self._next):
                self._next[tp] = offset

    async def seek(self, partition: TP, offset: int) -> None:
        await super().seek(partition, offset)
        self._next[partition] = offset

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        # Faust clears every agent's buffer here (`flow_control.clear()`), of every partition,
        # not only the revoked ones: what was handed over and not yet taken is gone.
        self._next.clear()
        await super().on_partitions_revoked(revoked)

    # -- commit ---------------------------------------------------------------

    @Service.transitions_to(CONSUMER_WAIT_EMPTY)
    async def wait_empty(self) -> None:
        """Wait until every record handed to an agent is acked, committing as they are.

        Faust's own loop cannot be bounded from outside: its `_wait_for_ack` swallows the
        `CancelledError` of an `asyncio.wait_for` around it, so the wait went on as long as an
        alert waited for a channel (an hour for a rate-limit token).  This loop also ends at
        `drain_deadline`, which the app sets when it stops (not at a rebalance: there a record
        still in flight would be delivered here and again by the partition's next owner).
        """
        while self._unacked_messages and not self.should_stop:
            gc.collect()  # as Faust's loop: an event dropped in a reference cycle acks its message when collected
            await self.commit()
            if not self._unacked_messages:
                break
            if self.drain_deadline is not None and time.monotonic() >= self.drain_deadline:
                break
            await self._wait_for_ack(timeout=1)
            self._clean_unacked_messages()
        await self.commit_and_end_transactions()

    def unacked_count(self) -> int:
        """Records handed to an agent and not acked yet."""
        self._clean_unacked_messages()
        return len(self._unacked_messages)

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        if acked and committed is not None and min(acked) > committed and self.app.topics.acks_enabled_for(tp.topic):
            return None  # the record at the committed offset is not done: nothing after it commits
        offset: int | None = super()._new_offset(tp)
        return offset

    # -- hand-over ------------------------------------------------------------

    async def _hole(self, tp: TP, expected: int, found: int) -> None:
        """Records expected..found-1 were never handed over: read them again, or count them lost."""
        earliest = int((await self.earliest_offsets(tp)).get(tp) or 0)
        lost = max(0, min(earliest, found) - expected)
        for listener in getattr(self.app, "hole_listeners", ()):
            listener(tp.topic, tp.partition, expected, found, lost)
        if lost:
            log.error("%s[%d]: offsets %d-%d were deleted (retention) before they were processed",
                      tp.topic, tp.partition, expected, expected + lost - 1)
            self._next[tp] = expected + lost
            if self._committed_offset[tp] is not None:
                self._committed_offset[tp] = expected + lost
            if expected + lost == found:
                return
        log.warning("%s[%d]: offsets %d-%d were skipped by the fetcher; reading them again",
                    tp.topic, tp.partition, self._next[tp], found - 1)
        await self._seek(tp, self._next[tp])

    async def _hold(self, tp: TP, offset: int, sought: set[TP]) -> None:
        """Not now: a rebalance is under way (4.).  The partition is sought back -- to the next
        offset to hand over, or to this record when that is not known yet -- and read again
        once the rebalance has ended (Faust's seek to the committed offsets may move it again)."""
        sought.add(tp)
        following = self._next.get(tp)
        back = offset if following is None else min(following, offset)
        try:
            await self._seek(tp, back)
        except Exception as exc:  # no longer assigned: whoever gets it reads from the commit
            log.debug("%s[%d]: not sought back to %d: %s", tp.topic, tp.partition, back, exc)

    async def _hand_over(self, tp: TP, message: Any, sought: set[TP]) -> bool:
        """Hand one fetched record to the agents if it is the next one; False when a flow stop
        interrupted the hand-over (the rest of the batch is not handed over either)."""
        offset = message.offset
        acked = self.app.topics.acks_enabled_for(message.topic)
        if acked:
            if self.app.rebalancing or self._sought != self.app.consumer_generation_id:
                await self._hold(tp, offset, sought)
                return True
            expected = self._next.get(tp)
            if expected is not None and offset < expected:
                return True  # handed over already since the last seek
            if expected is not None and offset > expected:
                sought.add(tp)
                await self._hole(tp, expected, offset)
                if self._next.get(tp) != offset:
                    return True
                sought.discard(tp)
        else:  # Faust's rule (changelogs are compacted: their offsets have holes)
            last = self._read_offset[tp]
            if last is not None and offset < last:
                return True
        if self._commit_every is not None and self._n_acked >= self._commit_every:
            self._n_acked = 0
            await self.commit()
        hand_over = asyncio.ensure_future(self.callback(message))
        await self.wait_first(hand_over, self.suspend_flow.wait())  # cancels hand_over if not done
        if not hand_over.done() or hand_over.cancelled():
            return False
        self._read_offset[tp] = offset
        if acked:
            self._next[tp] = offset + 1
        return True

    async def _drain_messages(self, fetcher: Any) -> None:  # the fetcher task's loop
        consumer_stopped, fetcher_stopped = self._stopped.is_set, fetcher._stopped.is_set
        handed = 0
        try:
            while not (consumer_stopped() or fetcher_stopped()):
                self.diag.set_flag(CONSUMER_FETCHING)
                await asyncio.sleep(0)
                if self.should_stop:
                    continue
                sought: set[TP] = set()  # partitions sought back during this batch: the rest of it is stale
                fetched = cast(AsyncGenerator[tuple[TP, Any], None], self.getmany(timeout=1.0))
                async with contextlib.aclosing(fetched) as batch:
                    async for tp, message in batch:
                        handed += 1
                        if handed % 100 == 0:
                            await asyncio.sleep(0)  # let health checks and timers run
                        if tp not in sought and not await self._hand_over(tp, message, sought):
                            break
                if sought and self.app.rebalancing:
                    await asyncio.sleep(0.05)  # records held back: no busy loop while the rebalance runs
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise
        finally:
            self.diag.unset_flag(CONSUMER_FETCHING)


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer
