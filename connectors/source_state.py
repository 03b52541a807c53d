"""Per source, what the poller works with: its validated options, its state, one poll's result.

* `SourceConfig` and `source_config`: a source's settings with the poller's own
  options (`POLLER_OPTIONS`) checked; the rest are the parser's.  The poller's
  options, all optional::

    host_spacing = "1s"      # minimum gap between requests to the host (on the wire)
    host_concurrency = 2     # requests in flight to the host
    max_bytes = 8388608      # response size cap
    timeout = "30s"          # whole request, connect to last byte
    max_backoff = "15m"      # cap of the error backoff (default max_interval)
    remember = 5000          # entry ids remembered for change detection
    max_entries = 1000       # new or edited entries sent on per poll

* `SourceState`: what the poller knows about one source (validators, schedule,
  error streak, the entry memory, entries held over); `snapshot()` is what
  the CLI and the worker's ``/sources`` page show.
* `PollResult` and its outcomes (`OK`, `NOT_MODIFIED`, `UNCHANGED`,
  `THROTTLED`, `ERROR`: the `outcome` label of newsmon_source_polls_total).

Plain data and checks: no HTTP, no clock, no metrics.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newsmon.connectors.schedule import Policy
from newsmon.model import Entry
from newsmon.settings import SourceSettings, parse_duration

__all__ = [
    "ERROR",
    "MAX_ENTRIES",
    "NOT_MODIFIED",
    "OK",
    "POLLER_OPTIONS",
    "REMEMBER",
    "THROTTLED",
    "UNCHANGED",
    "PollResult",
    "SourceConfig",
    "SourceState",
    "source_config",
]

REMEMBER = 5000
MAX_ENTRIES = 1000
POLLER_OPTIONS = frozenset(
    {"host_spacing", "host_concurrency", "max_bytes", "timeout", "max_backoff", "remember", "max_entries"}
)

# outcomes, the `outcome` label of newsmon_source_polls_total
OK = "ok"  # 200, parsed
NOT_MODIFIED = "not-modified"  # 304
UNCHANGED = "unchanged"  # 200 with the same bytes as last time: not parsed
THROTTLED = "throttled"  # 429 / 503
ERROR = "error"  # anything else that failed


@dataclass(frozen=True, slots=True)
class PollResult:
    outcome: str  # OK, NOT_MODIFIED, UNCHANGED, THROTTLED, ERROR
    status: int | None = None  # HTTP status, None when no response came
    entries: list[Entry] = field(default_factory=list)  # parsed from this response
    changed: list[Entry] = field(default_factory=list)  # sent to the sink: new or edited
    new: int = 0  # how many of `changed` were never seen before
    deferred: int = 0  # new or edited entries held over to later polls (over `max_entries`)
    error: str = ""
    retry_after: float | None = None
    max_age: float | None = None


@dataclass
class SourceState:
    """What the poller knows about one source; `snapshot()` is what the CLI shows."""

    source: str
    kind: str = ""
    url: str = ""
    status: str = "never polled"  # never polled | ok | failing | throttled | misconfigured
    interval: float = 0.0  # current adaptive interval (s)
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    next_poll: datetime | None = None  # wall clock, for people
    next_poll_at: float | None = None  # monotonic, for the scheduler
    error_streak: int = 0
    last_error: str = ""
    last_error_at: datetime | None = None
    warning: str = ""  # what the parser said of the last document read (a broken feed); "" when clean
    last_status: int | None = None
    last_outcome: str = ""
    polls: int = 0
    successes: int = 0
    entries_seen: int = 0  # distinct entry ids seen since start (an evicted id seen again counts again)
    entries_emitted: int = 0  # new + changed entries sent on
    entries_deferred: int = 0  # new + changed entries held over to a later poll (counted at every poll)
    etag: str = ""
    last_modified: str = ""
    body_digest: str = ""
    present: int = 0  # entries in the last document parsed
    held: list[Entry] = field(default_factory=list, repr=False)  # to send with the next polls (max_entries)
    memory: OrderedDict[str, tuple[str, datetime]] = field(default_factory=OrderedDict, repr=False)

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready view, without the entry memory."""
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.source,
            "kind": self.kind,
            "url": self.url,
            "status": self.status,
            "interval_seconds": round(self.interval, 3),
            "last_attempt": iso(self.last_attempt),
            "last_success": iso(self.last_success),
            "next_poll": iso(self.next_poll),
            "error_streak": self.error_streak,
            "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at),
            "warning": self.warning,
            "last_status": self.last_status,
            "last_outcome": self.last_outcome,
            "polls": self.polls,
            "successes": self.successes,
            "entries_seen": self.entries_seen,
            "entries_emitted": self.entries_emitted,
            "entries_deferred": self.entries_deferred,
            "held": len(self.held),
            "remembered": len(self.memory),
            "conditional": bool(self.etag or self.last_modified),
        }


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """A source's settings as the poller uses them, options validated."""

    policy: Policy
    host: str
    host_spacing: float | None  # None: not set by the source (the poller's default applies)
    host_concurrency: int | None
    max_bytes: int
    timeout: float
    remember: int
    max_entries: int
    parser_options: Mapping[str, Any]


def source_config(source: SourceSettings, *, max_bytes: int, timeout: float) -> SourceConfig:
    """The source's validated settings (`max_bytes`, `timeout`: the poller's defaults);
    raises ValueError naming the bad option."""
    options = dict(source.options)

    def duration(name: str, default: float | None, *, zero_ok: bool = False) -> float | None:
        if name not in options:
            return default
        try:
            value = parse_duration(options[name])
        except ValueError as exc:
            raise ValueError(f"source {source.id}: option {name}: {exc}") from None
        if value < 0 or (value == 0 and not zero_ok):
            raise ValueError(f"source {source.id}: option {name}: must be {'>= 0' if zero_ok else '> 0'}")
        return value

    def count(name: str, default: int | None) -> int | None:
        if name not in options:
            return default
        value = options[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"source {source.id}: option {name}: expected a whole number >= 1, got {value!r}")
        return value

    parts = urlsplit(source.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"source {source.id}: not an http(s) url: {source.url!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"source {source.id}: bad url {source.url!r}: {exc}") from None
    host = f"{parts.hostname.lower()}:{port or (443 if parts.scheme == 'https' else 80)}"
    max_backoff = duration("max_backoff", source.max_interval) or source.max_interval
    try:
        policy = Policy(interval=source.interval, min_interval=source.min_interval,
                        max_interval=source.max_interval, max_backoff=max_backoff)
    except ValueError as exc:
        raise ValueError(f"source {source.id}: {exc}") from None
    return SourceConfig(
        policy=policy,
        host=host,
        host_spacing=duration("host_spacing", None, zero_ok=True),
        host_concurrency=count("host_concurrency", None),
        max_bytes=count("max_bytes", max_bytes) or max_bytes,
        timeout=duration("timeout", timeout) or timeout,
        remember=count("remember", REMEMBER) or REMEMBER,
        max_entries=count("max_entries", MAX_ENTRIES) or MAX_ENTRIES,
        parser_options={k: v for k, v in options.items() if k not in POLLER_OPTIONS},
    )
