"""The per-host gate of the poller: how many requests at once, how far apart, and a 429's pause.

One `HostGate` per host (``host:port``), shared by every source on it.  Its
`slot` is where a request waits for its turn before it goes on the wire: below
the host's concurrency limit, after a 429's Retry-After, at least `spacing`
seconds after the previous request's headers were written, and with a
connection of the poller's pool free.  When several sources set the limits,
the most polite value wins (`configure`).  Time comes in as arguments
(`monotonic`, `sleep`), so a test can drive it with a virtual clock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from newsmon.connectors.fetch import Trace

__all__ = ["HOST_CONCURRENCY", "HOST_SPACING", "HostGate"]

HOST_CONCURRENCY = 2
HOST_SPACING = 1.0


class HostGate:
    """Concurrency limit and request spacing of one host."""

    def __init__(self, limit: int, spacing: float) -> None:
        self.limit = limit
        self.spacing = spacing
        self.active = 0
        self.next_start = 0.0  # monotonic: earliest start of the next request
        self.turn = asyncio.Lock()  # held from a spaced request's wait until it is on the wire
        self.blocked_until = 0.0  # monotonic: after a 429 with Retry-After
        self.condition = asyncio.Condition()
        self._explicit_limit: int | None = None
        self._explicit_spacing: float | None = None

    def configure(self, limit: int | None, spacing: float | None) -> None:
        """Apply a source's explicit settings; the most polite of them wins."""
        if limit is not None:
            self._explicit_limit = limit if self._explicit_limit is None else min(self._explicit_limit, limit)
            self.limit = self._explicit_limit
        if spacing is not None:
            self._explicit_spacing = spacing if self._explicit_spacing is None else max(self._explicit_spacing,
                                                                                        spacing)
            self.spacing = self._explicit_spacing

    @contextlib.asynccontextmanager
    async def slot(self, connections: asyncio.Semaphore, monotonic: Callable[[], float],
                   sleep: Callable[[float], Awaitable[None]]) -> AsyncIterator[Trace | None]:
        """Wait for the host: concurrency, a 429's Retry-After, spacing; then a connection.

        With a spacing, requests to the host take turns: a request waits until `spacing` after
        the previous one went on the wire (its headers written, as httpcore's trace tells; or
        it ended without), so a slow connect or a late wake-up never brings two closer.
        Yields the trace callback to pass with the request (None without a spacing).
        """
        async with self.condition:
            await self.condition.wait_for(lambda: self.active < self.limit)
            self.active += 1
        try:
            blocked = self.blocked_until - monotonic()
            if blocked > 0:
                await sleep(blocked)
            async with connections:
                if self.spacing <= 0:
                    yield None
                    return
                await self.turn.acquire()
                released = False

                def sent() -> None:
                    nonlocal released
                    if not released:
                        released = True
                        self.next_start = monotonic() + self.spacing
                        self.turn.release()

                async def trace(event: str, info: Mapping[str, Any]) -> None:
                    if event.endswith(".send_request_headers.complete"):
                        sent()

                try:
                    wait = self.next_start - monotonic()
                    if wait > 0:
                        await sleep(wait)
                    yield trace
                finally:
                    sent()
        finally:
            self.active -= 1
            async with self.condition:
                self.condition.notify()
