"""The one `Settings` object: read from a TOML file, overridden by environment.

Built once at the entry point (`newsmon.cli`) and passed down.  Validation
errors name the file, the line and the key, e.g.::

    newsmon.toml:14: sources[1].interval: expected a duration like "90s", "5m", got "soon"
"""

from __future__ import annotations

import os
import re
import tomllib
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


class _Reader:
    """Reads one table of the document, recording where each problem is."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin

    def fail(self, where: str, message: str) -> ConfigError:
        line = self._line_of(where)
        prefix = f"{self.origin}:{line}" if line else self.origin
        return ConfigError(f"{prefix}: {where}: {message}")

    def _line_of(self, where: str) -> int | None:
        """Best-effort line of `section[i].key` in the TOML text."""
        match = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", where)
        if not match or not self.text:
            return None
        section, index, key = match.group(1), match.group(2), match.group(3)
        lines = self.text.splitlines()
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
        starts = [n for n, line in enumerate(lines) if header.match(line)]
        if not starts:
            return None
        start = starts[int(index) if index and int(index) < len(starts) else 0]
        if key is None:
            return start + 1
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(start + 1, len(lines)):
            if re.match(r"^\s*\[", lines[n]):
                break
            if key_re.match(lines[n]):
                return n + 1
        return start + 1


def _known(reader: _Reader, where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            raise reader.fail(f"{where}.{key}", f"unknown key (known: {hint})")


def _typed(reader: _Reader, where: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    if isinstance(value, bool) and kind is not bool:
        raise reader.fail(where, f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    if not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise reader.fail(where, f"expected {name}, got {value!r}")
    return value


def _duration(reader: _Reader, where: str, value: Any) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise reader.fail(where, str(exc)) from None
    if seconds <= 0:
        raise reader.fail(where, "must be positive")
    return seconds


def _port(reader: _Reader, where: str, value: Any) -> int:
    port = _typed(reader, where, value, int)
    if not 1 <= port <= 65535:
        raise reader.fail(where, f"not a TCP port: {port}")
    return int(port)


def _secret(reader: _Reader, where: str, table: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """A secret given inline or, better, by the name of an environment variable."""
    if "secret_env" in table:
        name = _typed(reader, f"{where}.secret_env", table["secret_env"], str)
        if name not in env:
            raise reader.fail(f"{where}.secret_env", f"environment variable {name} is not set")
        return env[name]
    return str(_typed(reader, f"{where}.secret", table.get("secret", ""), str))


def _kafka(reader: _Reader, table: Mapping[str, Any], env: Mapping[str, str]) -> KafkaSettings:
    _known(reader, "kafka", table, {"bootstrap", "partitions", "topic_prefix", "replication", "client"})
    bootstrap = env.get("NEWSMON_KAFKA_BOOTSTRAP") or table.get("bootstrap") or None
    if bootstrap in ("embedded", "local"):
        bootstrap = None
    partitions = _typed(reader, "kafka.partitions", table.get("partitions", 4), int)
    if partitions < 1:
        raise reader.fail("kafka.partitions", "must be at least 1")
    client = _typed(reader, "kafka.client", table.get("client", {}), dict)
    return KafkaSettings(
        bootstrap=_typed(reader, "kafka.bootstrap", bootstrap, str) if bootstrap else None,
        partitions=partitions,
        topic_prefix=_typed(reader, "kafka.topic_prefix", table.get("topic_prefix", "newsmon"), str),
        replication=_typed(reader, "kafka.replication", table.get("replication", 1), int),
        client={str(k): str(v) for k, v in client.items()},
    )


def _broker(reader: _Reader, table: Mapping[str, Any], env: Mapping[str, str], base: Path) -> BrokerSettings:
    _known(reader, "broker", table, {"port", "controller_port", "data_dir", "heap"})
    if env.get("NEWSMON_BROKER_PORT"):
        port = int(env["NEWSMON_BROKER_PORT"])
        controller = int(env.get("NEWSMON_BROKER_CONTROLLER_PORT") or port + 1)
    else:
        port = _port(reader, "broker.port", table.get("port", 19092))
        controller = _port(reader, "broker.controller_port", table.get("controller_port", port + 1))
    data_dir = env.get("NEWSMON_BROKER_DATA_DIR") or table.get("data_dir")
    return BrokerSettings(
        port=port,
        controller_port=controller,
        data_dir=_path(base, data_dir) if data_dir else BrokerSettings().data_dir,
        heap=_typed(reader, "broker.heap", table.get("heap", "512m"), str),
    )


def _worker(reader: _Reader, table: Mapping[str, Any], env: Mapping[str, str], base: Path) -> WorkerSettings:
    _known(reader, "worker", table,
           {"app_id", "web_host", "web_port", "data_dir", "scope", "log_level", "dedup_retention", "store"})
    store = _typed(reader, "worker.store", table.get("store", "memory"), str)
    if store not in STORES:
        raise reader.fail("worker.store", f"expected one of {', '.join(STORES)}, got {store!r}")
    web_port = env.get("NEWSMON_WEB_PORT")
    data_dir = env.get("NEWSMON_WORKER_DATA_DIR") or table.get("data_dir")
    return WorkerSettings(
        app_id=_typed(reader, "worker.app_id", env.get("NEWSMON_APP_ID") or table.get("app_id", "newsmon"), str),
        web_host=_typed(reader, "worker.web_host", table.get("web_host", "127.0.0.1"), str),
        web_port=int(web_port) if web_port else _port(reader, "worker.web_port", table.get("web_port", 6066)),
        data_dir=_path(base, data_dir) if data_dir else WorkerSettings().data_dir,
        scope=_typed(reader, "worker.scope", table.get("scope", "global"), str),
        dedup_retention=_duration(reader, "worker.dedup_retention", table.get("dedup_retention", "30d")),
        store=store,
        log_level=_typed(reader, "worker.log_level",
                         env.get("NEWSMON_LOG_LEVEL") or table.get("log_level", "info"), str),
    )


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _source(reader: _Reader, n: int, table: Mapping[str, Any], base: Path) -> SourceSettings:
    where = f"sources[{n}]"
    core = {"id", "kind", "url", "path", "interval", "min_interval", "max_interval", "speedup", "scope"}
    _typed(reader, where, table, dict)
    for key in ("id", "kind"):
        if key not in table:
            raise reader.fail(where, f"missing required key '{key}'")
    source_id = _typed(reader, f"{where}.id", table["id"], str)
    if not _ID.match(source_id):
        raise reader.fail(f"{where}.id", f"use letters, digits, '.', '_' or '-' (got {source_id!r})")
    kind = _typed(reader, f"{where}.kind", table["kind"], str)
    if kind not in SOURCE_KINDS:
        raise reader.fail(f"{where}.kind", f"unknown source kind {kind!r} (known: {', '.join(SOURCE_KINDS)})")
    url = _typed(reader, f"{where}.url", table.get("url", ""), str)
    path = _typed(reader, f"{where}.path", table.get("path", ""), str)
    if kind == "replay" and not path:
        raise reader.fail(where, "a replay source needs 'path' (a JSON-lines file)")
    if kind != "replay" and not url.startswith(("http://", "https://")):
        raise reader.fail(f"{where}.url", f"a {kind} source needs an http(s) url")
    if kind == "html" and not (isinstance(table.get("selectors"), dict) or isinstance(table.get("preset"), str)):
        raise reader.fail(where, "an html source needs a 'selectors' table (entry, title, time, ...) or a 'preset'")
    if path:
        path = "demo:" + path[5:] if path.startswith("demo:") else str(_path(base, path))
    interval = _duration(reader, f"{where}.interval", table.get("interval", 60))
    lo = _duration(reader, f"{where}.min_interval", table.get("min_interval", min(15.0, interval)))
    hi = _duration(reader, f"{where}.max_interval", table.get("max_interval", max(900.0, interval)))
    if not lo <= interval <= hi:
        raise reader.fail(f"{where}.interval", f"must lie between min_interval ({lo}s) and max_interval ({hi}s)")
    speedup = table.get("speedup", 1.0)
    if not isinstance(speedup, int | float) or isinstance(speedup, bool) or speedup <= 0:
        raise reader.fail(f"{where}.speedup", f"expected a positive number, got {speedup!r}")
    scope = _typed(reader, f"{where}.scope", table.get("scope", ""), str)
    if scope and not _ID.match(scope):
        raise reader.fail(f"{where}.scope", f"use letters, digits, '.', '_' or '-' (got {scope!r})")
    options = {k: v for k, v in table.items() if k not in core}
    return SourceSettings(source_id, kind, url, path, interval, lo, hi, float(speedup), options, scope)


def _rule(reader: _Reader, n: int, table: Mapping[str, Any]) -> RuleSettings:
    where = f"rules[{n}]"
    _typed(reader, where, table, dict)
    if "name" not in table:
        raise reader.fail(where, "missing required key 'name'")
    name = _typed(reader, f"{where}.name", table["name"], str)
    if not _ID.match(name):
        raise reader.fail(f"{where}.name", f"use letters, digits, '.', '_' or '-' (got {name!r})")
    severity = _typed(reader, f"{where}.severity", table.get("severity", "warning"), str)
    if severity not in ("info", "warning", "critical"):
        raise reader.fail(f"{where}.severity", f"expected info, warning or critical, got {severity!r}")
    options = {k: v for k, v in table.items() if k not in {"name", "kind", "topic", "severity"}}
    rule = RuleSettings(
        name=name,
        kind=_typed(reader, f"{where}.kind", table.get("kind", "first-seen"), str),
        topic=_typed(reader, f"{where}.topic", table.get("topic", ""), str),
        severity=severity,
        options=options,
    )
    from newsmon.rules import build_rule  # the rule kinds own their options

    try:
        build_rule(rule)
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        raise reader.fail(f"{where}.{key}", message) from None
    return rule


def _channel(reader: _Reader, n: int, table: Mapping[str, Any], env: Mapping[str, str]) -> ChannelSettings:
    where = f"channels[{n}]"
    _typed(reader, where, table, dict)
    for key in ("name", "kind"):
        if key not in table:
            raise reader.fail(where, f"missing required key '{key}'")
    kind = _typed(reader, f"{where}.kind", table["kind"], str)
    if kind not in CHANNEL_KINDS:
        raise reader.fail(f"{where}.kind", f"unknown channel kind {kind!r} (known: {', '.join(CHANNEL_KINDS)})")
    url = table.get("url", "")
    if "url_env" in table:
        name = _typed(reader, f"{where}.url_env", table["url_env"], str)
        if name not in env:
            raise reader.fail(f"{where}.url_env", f"environment variable {name} is not set")
        url = env[name]
    url = _typed(reader, f"{where}.url", url, str)
    if kind != "console" and not url.startswith(("http://", "https://")):
        raise reader.fail(f"{where}.url", f"a {kind} channel needs an http(s) url")
    core = {"name", "kind", "url", "url_env", "secret", "secret_env", "timeout"}
    channel = ChannelSettings(
        name=_typed(reader, f"{where}.name", table["name"], str),
        kind=kind,
        url=url,
        secret=_secret(reader, where, table, env),
        timeout=_duration(reader, f"{where}.timeout", table.get("timeout", 10)),
        options={k: v for k, v in table.items() if k not in core},
    )
    from newsmon.connectors.channels import delivery_options  # the channel kinds own their options

    try:
        delivery_options(channel)
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        raise reader.fail(f"{where}.{key}", message) from None
    return channel


def _unique(reader: _Reader, section: str, names: list[str]) -> None:
    seen: set[str] = set()
    for n, name in enumerate(names):
        if name in seen:
            raise reader.fail(f"{section}[{n}]", f"duplicate name {name!r}")
        seen.add(name)


def from_mapping(
    data: Mapping[str, Any],
    env: Mapping[str, str] | None = None,
    *,
    text: str = "",
    origin: str = "<config>",
    base: Path | None = None,
) -> Settings:
    """Validate a parsed document into `Settings`; `env` overrides (defaults to os.environ)."""
    env = os.environ if env is None else env
    base = base or Path.cwd()
    reader = _Reader(text, origin)
    _known(reader, "<top>", data, {"kafka", "broker", "worker", "sources", "rules", "channels", "detection"})
    for section in ("kafka", "broker", "worker", "detection"):
        _typed(reader, section, data.get(section, {}), dict)
    for section in ("sources", "rules", "channels"):
        _typed(reader, section, data.get(section, []), list)
    sources = tuple(_source(reader, n, t, base) for n, t in enumerate(data.get("sources", [])))
    rules = tuple(_rule(reader, n, t) for n, t in enumerate(data.get("rules", [])))
    channels = tuple(_channel(reader, n, t, env) for n, t in enumerate(data.get("channels", [])))
    _unique(reader, "sources", [s.id for s in sources])
    _unique(reader, "rules", [r.name for r in rules])
    _unique(reader, "channels", [c.name for c in channels])
    return Settings(
        kafka=_kafka(reader, data.get("kafka", {}), env),
        broker=_broker(reader, data.get("broker", {}), env, base),
        worker=_worker(reader, data.get("worker", {}), env, base),
        sources=sources,
        rules=rules,
        channels=channels,
        detection=dict(data.get("detection", {})),
        path=Path(origin) if origin != "<config>" else None,
    )


def load(path: Path | str, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a TOML config file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return from_mapping(data, env, text=text, origin=str(path), base=path.resolve().parent)
