"""What every agent needs, built once per worker and passed to each `attach()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


def co_partitioned(table: Any, *topics: str) -> None:
    """Tell a Faust table that its source topics have its partition count.

    Faust checks that at a table's first write, comparing the source topic's partitions with
    its changelog's in the consumer's metadata snapshot; a changelog Faust created at start-up
    is in that snapshot with 0 partitions until the next metadata refresh, so on a busy
    machine the first records of a stage failed with PartitionsMismatch and went to the dead
    letter topic.  newsmon creates the source topics and Faust the changelogs with the same
    ``kafka.partitions``, and `ensure_topics` refuses existing topics of another count.
    """
    table._verified_source_topics_for_partitions.update(topics)
