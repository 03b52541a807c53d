"""Benchmark only (`bench/latency.py --floor`): the worker with detection replaced by a stand-in.

Python imports this module at start-up when its folder is on PYTHONPATH.  With
NEWSMON_BENCH_FLOOR set, `Detector.analyse` makes every entry its own story with
the topics in NEWSMON_BENCH_FLOOR_TOPICS (none by default: no alerts) and keeps no
memory, so what is left to measure is the pipeline itself: Kafka, Faust, the wire
records, dedup, rules and delivery.
"""

import os

if os.environ.get("NEWSMON_BENCH_FLOOR"):
    from datetime import datetime
    from typing import Any

    import newsmon.detect.detector as detector
    from newsmon.model import Analysis, Classification, EntryEvent

    _topics = tuple(t for t in os.environ.get("NEWSMON_BENCH_FLOOR_TOPICS", "").split(",") if t)

    def _analyse(self: Any, event: EntryEvent, now: datetime) -> Analysis:
        self._updates = {}
        return Analysis(event, story=event.entry.key, classification=Classification(_topics), at=now)

    detector.Detector.analyse = _analyse  # type: ignore[method-assign]
