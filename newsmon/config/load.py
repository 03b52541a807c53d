"""The document and its plain sections (kafka, broker, worker), with the environment overrides."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsmon.config.channels import read_channel
from newsmon.config.reader import Reader
from newsmon.config.rules import read_detection, read_rule
from newsmon.config.sources import read_source
from newsmon.settings import (
    STORES,
    BrokerSettings,
    ConfigError,
    KafkaSettings,
    Settings,
    WorkerSettings,
)

TOP_KEYS = ("kafka", "broker", "worker", "sources", "rules", "channels", "detection")
CLIENT_KEYS = ("security_protocol", "sasl_mechanism", "sasl_plain_username", "sasl_plain_password", "ssl_cafile")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
# environment variable -> the key it overrides
ENV_OVERRIDES = {
    "NEWSMON_KAFKA_BOOTSTRAP": "kafka.bootstrap",
    "NEWSMON_BROKER_PORT": "broker.port",
    "NEWSMON_BROKER_CONTROLLER_PORT": "broker.controller_port",
    "NEWSMON_BROKER_DATA_DIR": "broker.data_dir",
    "NEWSMON_APP_ID": "worker.app_id",
    "NEWSMON_WEB_PORT": "worker.web_port",
    "NEWSMON_WORKER_DATA_DIR": "worker.data_dir",
    "NEWSMON_LOG_LEVEL": "worker.log_level",
    "NEWSMON_INSTANCE_ID": "worker.instance_id",
}


class _EnvReader(Reader):
    """Checks an environment override like the key it replaces; errors name the variable."""

    def __init__(self, variable: str) -> None:
        super().__init__("", "environment")
        self.variable = variable

    def fail(self, where: str, message: str) -> ConfigError:
        return ConfigError(f"environment variable {self.variable} (overrides {where}): {message}")


def _value(reader: Reader, env: Mapping[str, str], table: Mapping[str, Any], where: str,
           default: Any) -> tuple[Reader, Any]:
    """The value of `where` (``section.key``) and the reader that checks it: the environment's, else the file's."""
    for variable, key in ENV_OVERRIDES.items():
        if key == where and env.get(variable):
            return _EnvReader(variable), env[variable]
    return reader, table.get(where.split(".", 1)[1], default)


def _kafka(reader: Reader, table: Mapping[str, Any], env: Mapping[str, str]) -> KafkaSettings:
    reader.known("kafka", table, {"bootstrap", "partitions", "topic_prefix", "replication", "client"})
    check, bootstrap = _value(reader, env, table, "kafka.bootstrap", "embedded")
    bootstrap = check.typed("kafka.bootstrap", bootstrap, str).strip()
    if bootstrap in ("embedded", "local", ""):
        bootstrap = None
    elif any(":" not in part or not part.rsplit(":", 1)[1].isdigit() for part in bootstrap.split(",")):
        raise check.fail("kafka.bootstrap", f'expected "embedded" or host:port[,host:port], got {bootstrap!r}')
    client = reader.typed("kafka.client", table.get("client", {}), dict)
    reader.known("kafka.client", client, CLIENT_KEYS)
    for key, value in client.items():
        reader.typed(f"kafka.client.{key}", value, str)
    return KafkaSettings(
        bootstrap=bootstrap,
        partitions=reader.count("kafka.partitions", table.get("partitions", 4)),
        topic_prefix=reader.typed("kafka.topic_prefix", table.get("topic_prefix", "newsmon"), str),
        replication=reader.count("kafka.replication", table.get("replication", 1)),
        client={str(k): str(v) for k, v in client.items()},
    )


def _dir(reader: Reader, env: Mapping[str, str], table: Mapping[str, Any], where: str, base: Path,
         default: Path) -> Path:
    check, value = _value(reader, env, table, where, None)
    if value is None:
        return default
    path = Path(check.typed(where, value, str)).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _broker(reader: Reader, table: Mapping[str, Any], env: Mapping[str, str], base: Path) -> BrokerSettings:
    reader.known("broker", table, {"port", "controller_port", "data_dir", "heap"})
    check, port = _value(reader, env, table, "broker.port", 19092)
    port = check.port("broker.port", port)
    check, controller = _value(reader, env, table, "broker.controller_port", port + 1)
    controller = check.port("broker.controller_port", controller)
    if controller == port:
        raise check.fail("broker.controller_port", f"must differ from broker.port ({port})")
    return BrokerSettings(
        port=port,
        controller_port=controller,
        data_dir=_dir(reader, env, table, "broker.data_dir", base, BrokerSettings().data_dir),
        heap=reader.typed("broker.heap", table.get("heap", "512m"), str),
    )


def _worker(reader: Reader, table: Mapping[str, Any], env: Mapping[str, str], base: Path) -> WorkerSettings:
    reader.known("worker", table,
                 {"app_id", "web_host", "web_port", "data_dir", "scope", "log_level", "dedup_retention", "store",
                  "instance_id"})
    check, app_id = _value(reader, env, table, "worker.app_id", "newsmon")
    app_id = check.typed("worker.app_id", app_id, str)
    check, web_port = _value(reader, env, table, "worker.web_port", 6066)
    web_port = check.port("worker.web_port", web_port)
    check, level = _value(reader, env, table, "worker.log_level", "info")
    level = check.choice("worker.log_level", check.typed("worker.log_level", level, str).lower(), LOG_LEVELS)
    check, instance = _value(reader, env, table, "worker.instance_id", "")
    instance = check.typed("worker.instance_id", instance, str).strip()
    return WorkerSettings(
        app_id=app_id,
        web_host=reader.typed("worker.web_host", table.get("web_host", "127.0.0.1"), str),
        web_port=web_port,
        data_dir=_dir(reader, env, table, "worker.data_dir", base, WorkerSettings().data_dir),
        scope=reader.typed("worker.scope", table.get("scope", "global"), str),
        dedup_retention=reader.duration("worker.dedup_retention", table.get("dedup_retention", "30d")),
        store=reader.choice("worker.store", table.get("store", "memory"), STORES),
        log_level=level,
        instance_id=instance,
    )


def _unique(reader: Reader, section: str, names: list[str]) -> None:
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
    reader = Reader(text, origin)
    reader.known("<top>", data, TOP_KEYS)
    for section in ("kafka", "broker", "worker", "detection"):
        reader.typed(section, data.get(section, {}), dict)
    for section in ("sources", "rules", "channels"):
        reader.typed(section, data.get(section, []), list)
    kafka = _kafka(reader, data.get("kafka", {}), env)
    broker = _broker(reader, data.get("broker", {}), env, base)
    worker = _worker(reader, data.get("worker", {}), env, base)
    detection = read_detection(reader, data.get("detection", {}))
    topics = detection.taxonomy.names
    sources = tuple(read_source(reader, n, t, base) for n, t in enumerate(data.get("sources", [])))
    rules = tuple(read_rule(reader, n, t, topics) for n, t in enumerate(data.get("rules", [])))
    channels = tuple(read_channel(reader, n, t, env) for n, t in enumerate(data.get("channels", [])))
    _unique(reader, "sources", [s.id for s in sources])
    _unique(reader, "rules", [r.name for r in rules])
    _unique(reader, "channels", [c.name for c in channels])
    return Settings(
        kafka=kafka,
        broker=broker,
        worker=worker,
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
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return from_mapping(data, env, text=text, origin=str(path), base=path.resolve().parent)
