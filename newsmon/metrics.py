"""Prometheus metrics of every stage, registered on a registry passed in.

Names follow Prometheus conventions: `newsmon_` prefix, base units in the
name, counters end in `_total`.  Labels are bounded sets (source ids, stage
names, rule names, channel names), never entry ids or URLs.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client import generate_latest as _generate_latest

from newsmon.languages import OTHER, SUPPORTED

SOURCE_ERROR_CLASSES = ("network", "timeout", "http-4xx", "http-5xx", "too-large", "unreadable", "sink")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """All of newsmon's own metrics; one instance per process."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        r = registry
        # connectors
        self.polls = Counter("newsmon_source_polls_total", "Polls of a source by outcome.",
                             ["source", "outcome"], registry=r)
        self.source_errors = Counter("newsmon_source_errors_total", "Failed polls of a source by error class.",
                                     ["source", "class"], registry=r)
        self.poll_seconds = Histogram("newsmon_source_poll_duration_seconds", "Time to fetch and parse one poll.",
                                      ["source"], buckets=LATENCY_BUCKETS, registry=r)
        self.fetched_bytes = Counter("newsmon_source_fetched_bytes_total", "Response bytes read from a source.",
                                     ["source"], registry=r)
        self.error_streak = Gauge("newsmon_source_error_streak", "Consecutive failed polls of a source.",
                                  ["source"], registry=r)
        self.next_poll = Gauge("newsmon_source_next_poll_delay_seconds", "Delay until the next poll of a source.",
                               ["source"], registry=r)
        self.emitted = Counter("newsmon_source_entries_emitted_total", "Entries a connector sent to the raw topic.",
                               ["source"], registry=r)
        self.skipped_lines = Counter("newsmon_source_lines_skipped_total",
                                     "Malformed lines of a replay (backfill) file, reported and skipped.",
                                     ["source"], registry=r)
        self.deferred = Counter("newsmon_source_entries_deferred_total",
                                "New or edited entries held over to the next poll (over max_entries).",
                                ["source"], registry=r)
        self.source_warnings = Counter("newsmon_source_document_warnings_total",
                                       "Documents read with a warning (a truncated or broken feed: what parsed "
                                       "was still sent on).", ["source"], registry=r)
        self.poll_interval = Gauge("newsmon_source_poll_interval_seconds",
                                   "Current adaptive polling interval of a source.", ["source"], registry=r)
        self.last_success = Gauge("newsmon_source_last_success_timestamp_seconds",
                                  "Unix time of the last successful poll of a source.", ["source"], registry=r)
        # stages
        self.stage_in = Counter("newsmon_stage_entries_in_total", "Records a stage consumed.",
                                ["stage", "source"], registry=r)
        self.stage_out = Counter("newsmon_stage_entries_out_total", "Records a stage produced.",
                                 ["stage", "source"], registry=r)
        self.duplicates = Counter("newsmon_duplicates_suppressed_total", "Entries suppressed as duplicates.",
                                  ["source", "kind"], registry=r)
        self.updates = Counter("newsmon_entry_updates_total", "Edited entries passed on as updates.",
                               ["source"], registry=r)
        self.analysed = Counter("newsmon_entries_analysed_total",
                                "Entries detection analysed, by identified language (a supported code, else other).",
                                ["language"], registry=r)
        self.stories = Counter("newsmon_stories_opened_total", "New stories opened.", ["source"], registry=r)
        self.topics = Counter("newsmon_topic_entries_total", "Entries classified into a topic.",
                              ["topic"], registry=r)
        self.claims = Counter("newsmon_claims_total", "Claims extracted, by kind.", ["kind"], registry=r)
        self.contested = Counter("newsmon_contested_links_total", "Entries linked as contesting a claim.",
                                 registry=r)
        self.stage_seconds = Histogram("newsmon_stage_processing_seconds", "Time a stage spent on one record.",
                                       ["stage"], buckets=LATENCY_BUCKETS, registry=r)
        self.errors = Counter("newsmon_errors_total", "Records a stage failed on.", ["stage", "source"], registry=r)
        self.deadlettered = Counter("newsmon_deadletter_records_total", "Records sent to the dead-letter topic.",
                                    ["stage"], registry=r)
        # alerts
        self.alerts = Counter("newsmon_alerts_total", "Alerts produced by rules.", ["rule", "severity", "kind"],
                              registry=r)
        self.deliveries = Counter("newsmon_deliveries_total", "Alert deliveries by channel and outcome.",
                                  ["channel", "outcome"], registry=r)
        self.delivery_seconds = Histogram("newsmon_delivery_latency_seconds",
                                          "From alert creation to acknowledged delivery.", ["channel"],
                                          buckets=LATENCY_BUCKETS, registry=r)
        self.end_to_end = Histogram("newsmon_end_to_end_latency_seconds",
                                    "From an entry being first seen to its alert being delivered.",
                                    ["channel"], buckets=LATENCY_BUCKETS, registry=r)
        self.alerts_suppressed = Counter("newsmon_alerts_suppressed_total",
                                         "Alerts held back by routing (silenced, inhibited, quiet-period, "
                                         "superseded).", ["reason"], registry=r)
        self.delivery_backlog = Gauge("newsmon_delivery_backlog", "Alerts queued for a channel, not yet settled.",
                                      ["channel"], registry=r)
        self.delivery_throttled = Counter("newsmon_delivery_throttled_total",
                                          "Sends that waited for the channel's rate limit.", ["channel"], registry=r)
        self.window_entries = Gauge("newsmon_detection_window_entries",
                                    "Entries held in a detection scope's time window (memory, restart time).",
                                    ["scope"], registry=r)
        # kafka (updated by newsmon.agents.lag, only for the partitions this worker is assigned)
        self.consumer_lag = Gauge("newsmon_consumer_lag_records",
                                  "Records of a consumed partition not yet processed and committed: "
                                  "end offset minus committed offset.", ["topic", "partition"], registry=r)
        self.stage_gaps = Counter("newsmon_stage_gap_records_total",
                                  "Records a stage's consumer found it had skipped (a hole in the offsets it "
                                  "handed over): 'reread' when read again, 'lost' when deleted by retention "
                                  "before they were processed.", ["stage", "outcome"], registry=r)

    def prime(self, stages: Iterable[str], channels: Iterable[str], sources: Iterable[str]) -> None:
        """Create the known label sets at zero, so `increase()` sees the first failure too."""
        for stage in stages:
            self.deadlettered.labels(stage)
            for outcome in ("reread", "lost"):
                self.stage_gaps.labels(stage, outcome)
        for language in (*SUPPORTED, OTHER):
            self.analysed.labels(language)
        for channel in channels:
            for outcome in ("delivered", "retry", "failed"):
                self.deliveries.labels(channel, outcome)
        for source in sources:
            for outcome in ("ok", "not-modified", "error"):
                self.polls.labels(source, outcome)
            for kind in SOURCE_ERROR_CLASSES:
                self.source_errors.labels(source, kind)
            self.emitted.labels(source)
            self.deferred.labels(source)
            self.source_warnings.labels(source)


def generate_latest(registry: CollectorRegistry) -> bytes:
    return _generate_latest(registry)


def process_registry() -> CollectorRegistry:
    """A fresh registry with the standard process, platform and GC collectors."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry
