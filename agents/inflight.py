"""What the deliver stage has queued or is sending in this process, per channel and idempotency key.

The delivery-state table only knows what a channel acknowledged.  A second copy of an alert read
while the first is still queued or being sent -- the same record handed to the agent twice when a
worker starts (read before and again after the seek to the committed offsets), or an alert the rules
stage emitted again after a crash -- would be queued again and sent twice.  Such a copy is not
queued: it waits for the first and is acknowledged to Kafka with it (`Pending.copies`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

S = TypeVar("S")


class InFlight:
    def __init__(self) -> None:
        self._by_key: dict[str, Any] = {}  # ack key -> the Pending alert queued or being sent for it

    def split(self, senders: Iterable[S], key_of: Callable[[S], str]) -> tuple[list[S], dict[S, Any]]:
        """The senders that still need the alert queued, and those that have a copy in flight
        (with that copy's Pending)."""
        todo: list[S] = []
        earlier: dict[S, Any] = {}
        for sender in senders:
            first = self._by_key.get(key_of(sender))
            if first is None:
                todo.append(sender)
            else:
                earlier[sender] = first
        return todo, earlier

    def add(self, key: str, pending: Any) -> None:
        self._by_key[key] = pending

    def follow(self, pending: Any, firsts: Iterable[Any]) -> int:
        """Make `pending` a copy of each distinct first one; returns how many it waits for."""
        distinct = {id(first): first for first in firsts}
        for first in distinct.values():
            first.copies.append(pending)
        return len(distinct)

    def done(self, settled: Iterable[tuple[str, Any]]) -> None:
        """(key, pending) pairs a channel has finished with (sent, refused, superseded or given up)."""
        for key, pending in settled:
            if self._by_key.get(key) is pending:
                del self._by_key[key]
