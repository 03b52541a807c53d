"""Change detection of the poller: which entries of a document go on, and in what batches.

Only entries that are new, or whose content hash changed (an edit), are
sent to the sink; an unchanged poll sends nothing.  Exact deduplication
downstream stays the authority: the memory here (`SourceState.memory`) is
bounded (`remember` ids per source, least recently present evicted first,
never fewer than twice what the page shows) and lost on restart.

A document with more new or edited entries than `max_entries` (a hostile or
broken page, an archive dumped into a feed) does not flood the pipeline ahead
of every other source: the first `max_entries` of them, in document order, are
sent on and the rest are held over in memory (`SourceState.held`, not parsed
again); every next poll, due after `min_interval`, sends the next
`max_entries` of them -- also when it is answered 304 or with the same bytes.
A changed document replaces what was held over (its entries are compared with
the memory again).  Nothing is dropped; held-over entries are counted at
every poll that holds them (by `newsmon.connectors.poller`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime

from newsmon.connectors.fetch import FetchError
from newsmon.connectors.source_state import SourceConfig, SourceState
from newsmon.metrics import Metrics
from newsmon.model import Entry

__all__ = ["Sink", "changes", "send_held"]

Sink = Callable[[Entry], Awaitable[None]]


def changes(state: SourceState, entries: list[Entry], now: datetime) -> list[Entry]:
    """Entries that are new or whose content hash changed, with `seen` set to when first sent on
    (`now` for a new one without)."""
    changed: list[Entry] = []
    for entry in entries:
        known = state.memory.get(entry.entry_id)
        if known is None:
            changed.append(entry if entry.seen else dataclasses.replace(entry, seen=now))
        elif known[0] != entry.content_hash:
            changed.append(dataclasses.replace(entry, seen=known[1]))
        else:
            state.memory.move_to_end(entry.entry_id)  # still on the page: keep it
    return changed


async def send_held(source: str, config: SourceConfig, state: SourceState, sink: Sink, *, metrics: Metrics,
                    clock: Callable[[], datetime]) -> tuple[list[Entry], int]:
    """Send the first `max_entries` of the held entries not sent yet (the rest stay held);
    returns them and how many of them were never seen before.  A sink failure is a `FetchError`
    (kind ``sink``); what was sent before it is remembered, the rest stays held."""
    memory = state.memory
    state.held = [e for e in state.held if memory.get(e.entry_id, ("",))[0] != e.content_hash]
    batch = state.held[: config.max_entries]
    new = sum(1 for e in batch if e.entry_id not in memory)
    await _send(source, config, state, batch, sink, metrics=metrics, clock=clock)
    state.held = state.held[config.max_entries :]
    return batch, new


async def _send(source: str, config: SourceConfig, state: SourceState, changed: list[Entry], sink: Sink, *,
                metrics: Metrics, clock: Callable[[], datetime]) -> None:
    for entry in changed:
        try:
            await sink(entry)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise FetchError(f"could not send entry on: {type(exc).__name__}: {exc}", kind="sink") from exc
        if entry.entry_id not in state.memory:
            state.entries_seen += 1
        state.memory[entry.entry_id] = (entry.content_hash, entry.seen or clock())
        state.memory.move_to_end(entry.entry_id)
        state.entries_emitted += 1
        metrics.emitted.labels(source).inc()
    limit = max(config.remember, 2 * state.present)  # never forget what the page still shows
    while len(state.memory) > limit:
        state.memory.popitem(last=False)
