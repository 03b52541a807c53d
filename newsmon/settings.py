"""The one `Settings` object and its parts: plain, frozen data.

Read from a TOML file and the environment, and validated, by `newsmon.config`
(``load``, ``from_mapping``); built once at the entry point (`newsmon.cli`) and
passed down.  This module imports nothing of newsmon, so every layer can.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCE_KINDS = ("rss", "liveblog", "guardian", "html", "replay")
CHANNEL_KINDS = ("console", "webhook", "slack")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
STORES = ("memory", "rocksdb")  # worker.store values
SCOPE_PER_SOURCE = "source"  # worker.scope value: every source is its own detection scope
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ConfigError(ValueError):
    """A configuration problem, with file, line and key where known."""


@dataclass(frozen=True, slots=True)
class KafkaSettings:
    bootstrap: str | None = None  # None: run the embedded local broker
    partitions: int = 4
    topic_prefix: str = "newsmon"
    replication: int = 1
    client: Mapping[str, str] = field(default_factory=dict)  # passed to aiokafka (TLS/SASL)


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    port: int = 19092
    controller_port: int = 19093
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/newsmon/kafka").expanduser())
    heap: str = "512m"


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    app_id: str = "newsmon"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/newsmon/worker").expanduser())
    scope: str = "global"  # detection scope of sources without their own; "source": each source is its own
    log_level: str = "info"
    dedup_retention: float = 30 * 86400.0  # forget entry identities not seen for this long
    store: str = "memory"  # where tables live between restarts: "memory" (changelogs only) or "rocksdb"
    instance_id: str = ""  # static group membership (Kafka's group.instance.id); "": dynamic


@dataclass(frozen=True, slots=True)
class SourceSettings:
    id: str
    kind: str
    url: str = ""
    path: str = ""
    interval: float = 60.0
    min_interval: float = 15.0
    max_interval: float = 900.0
    speedup: float = 1.0  # replay only: 60 plays an hour in a minute
    options: Mapping[str, Any] = field(default_factory=dict)
    scope: str = ""  # detection scope of this source ("": worker.scope)


@dataclass(frozen=True, slots=True)
class RuleSettings:
    name: str
    kind: str = "first-seen"
    topic: str = ""
    severity: str = "warning"
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    name: str
    kind: str
    url: str = ""
    secret: str = field(default="", repr=False)  # never printed
    timeout: float = 10.0
    options: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # what logs may show
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True, slots=True)
class Settings:
    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    broker: BrokerSettings = field(default_factory=BrokerSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    sources: tuple[SourceSettings, ...] = ()
    rules: tuple[RuleSettings, ...] = ()
    channels: tuple[ChannelSettings, ...] = ()
    detection: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def embedded(self) -> bool:
        """True when newsmon runs its own local broker."""
        return self.kafka.bootstrap is None

    @property
    def bootstrap(self) -> str:
        return self.kafka.bootstrap or f"127.0.0.1:{self.broker.port}"

    def feed_sources(self) -> frozenset[str]:
        """Sources that interleave unrelated stories (RSS/Atom/RDF feeds), unlike live pages, which
        post runs of updates on one story (detection's source-run cue is for those only)."""
        return frozenset(src.id for src in self.sources if src.kind == "rss")

    def scopes(self) -> Callable[[str], str]:
        """source id -> the detection scope of its entries.

        Entries of one scope are compared with each other (duplicates, stories,
        contests) and counted together by window and spike rules; a scope is one
        Kafka key, so one partition and one worker at a time.  A source's own
        ``scope``, else ``worker.scope``, where ``"source"`` makes each source its own.
        """
        own = {src.id: src.scope for src in self.sources if src.scope}
        default = self.worker.scope

        def scope_of(source: str) -> str:
            return own.get(source) or (source if default == SCOPE_PER_SOURCE else default)

        return scope_of


def parse_duration(value: object) -> float:
    """Seconds from 90, 1.5, "90s", "5m", "6h", "250ms"."""
    if isinstance(value, bool):
        raise ValueError(f'expected a duration like "90s", "5m", got {value!r}')
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f'expected a duration like "90s", "5m", got {value!r}')
    return float(match.group(1)) * _UNITS[match.group(2)]
