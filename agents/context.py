"""What every agent needs, built once per worker and passed to each `attach()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from newsmon.metrics import Metrics
from newsmon.model import utcnow
from newsmon.settings import Settings
from newsmon.streams.app import AppTopics


@dataclass
class Context:
    settings: Settings
    topics: AppTopics
    metrics: Metrics
    run_sources: bool = False
    clock: Callable[[], datetime] = utcnow
    ready: dict[str, bool] = field(default_factory=dict)

    def source_label(self, source: str) -> str:
        """A bounded metric label: configured source ids, else 'other'."""
        if any(s.id == source for s in self.settings.sources):
            return source
        return "other"
