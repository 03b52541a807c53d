"""Faust's "current event", for table writes made outside an agent's own loop.

A Faust table store files a write under the partition of the event being processed
(`faust.streams.current_event`); the RocksDB store *requires* one (``assert event is
not None``), the memory store does not look.  The deliver stage writes its
delivery-state table from channel lanes -- tasks of their own, long after the agent
handed the alert over -- so it names the alert's event explicitly with `as_current`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faust.streams import _current_event


@contextmanager
def as_current(event: Any) -> Iterator[None]:
    """Within the block, `current_event()` is ``event`` (this task only: a context variable)."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)
