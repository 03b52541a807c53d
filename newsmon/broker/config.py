"""The embedded broker's configuration, status and errors (see `newsmon.broker.manager`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
POM_FILE = PACKAGE_DIR / "pom.xml"
LOG4J2_FILE = PACKAGE_DIR / "log4j2.xml"

MIN_JAVA = 17
NODE_ID = 1
LOG_TAIL_LINES = 30
#: Partitions of __consumer_offsets; Kafka's default of 50 slows the first group join.
OFFSETS_TOPIC_PARTITIONS = 8

JAVA_HINT = "install openjdk-17-jre-headless or set NEWSMON_KAFKA_BOOTSTRAP to use an existing cluster"

Log = Callable[[str], None]


class BrokerError(Exception):
    """A problem with the local broker, described so that a user can act on it."""


# --------------------------------------------------------------------------- config


@lru_cache(maxsize=1)
def kafka_version() -> str:
    """The Kafka version pinned in the packaged pom.xml (``<kafka.version>``)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM_FILE).getroot().find("m:properties/m:kafka.version", ns)
    if node is None or not (node.text or "").strip():
        raise BrokerError(f"{POM_FILE} has no <kafka.version> property")
    return (node.text or "").strip()


def _xdg_dir(env_var: str, fallback: str) -> Path:
    value = os.environ.get(env_var)
    return Path(value) if value else Path.home() / fallback


def default_data_dir() -> Path:
    """``$NEWSMON_KAFKA_DATA_DIR`` or ``$XDG_DATA_HOME/newsmon/kafka``."""
    override = os.environ.get("NEWSMON_KAFKA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg_dir("XDG_DATA_HOME", ".local/share") / "newsmon" / "kafka"


def default_cache_dir() -> Path:
    """``$NEWSMON_KAFKA_CACHE_DIR`` or ``$XDG_CACHE_HOME/newsmon/kafka-<version>``."""
    override = os.environ.get("NEWSMON_KAFKA_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg_dir("XDG_CACHE_HOME", ".cache") / "newsmon" / f"kafka-{kafka_version()}"


@dataclass(frozen=True)
class BrokerConfig:
    """Where and how the local broker runs."""

    port: int = 19092
    controller_port: int = 19093
    host: str = "127.0.0.1"
    data_dir: Path = field(default_factory=default_data_dir)
    cache_dir: Path = field(default_factory=default_cache_dir)
    heap: str = "512m"
    num_partitions: int = 4

    def __post_init__(self) -> None:
        # Kafka needs absolute paths (log.dirs); normalise once here.
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser().resolve())
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser().resolve())
        for name in ("port", "controller_port"):
            value = getattr(self, name)
            if not 0 < value < 65536:
                raise BrokerError(f"{name} must be between 1 and 65535, got {value}")
        if self.port == self.controller_port:
            raise BrokerError(f"port and controller_port must differ (both are {self.port})")
        if not re.fullmatch(r"\d+[kKmMgG]?", self.heap):
            raise BrokerError(f"heap must look like 512m or 1g, got {self.heap!r}")
        if self.num_partitions < 1:
            raise BrokerError(f"num_partitions must be at least 1, got {self.num_partitions}")

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def libs_dir(self) -> Path:
        return self.cache_dir / "libs"

    @property
    def log_dirs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "broker.log"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "broker.pid"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "broker.json"

    @property
    def properties_file(self) -> Path:
        return self.data_dir / "server.properties"


@dataclass(frozen=True)
class BrokerStatus:
    """What :func:`status` found.

    ``running`` means the broker's JVM is alive; ``ready`` that it also answers
    Kafka requests on ``bootstrap``.
    """

    running: bool
    ready: bool
    pid: int | None
    bootstrap: str
    data_dir: Path
    log_file: Path
    kafka_version: str

    def describe(self) -> str:
        if self.running:
            state = "running" if self.ready else "starting (not answering yet)"
            head = f"local Kafka {self.kafka_version} broker: {state}, pid {self.pid}"
        else:
            head = f"local Kafka {self.kafka_version} broker: not running"
        return "\n".join(
            [
                head,
                f"  bootstrap: {self.bootstrap}",
                f"  data dir:  {self.data_dir}",
                f"  log file:  {self.log_file}",
            ]
        )


# --------------------------------------------------------------------------- small helpers


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log output)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``directory`` (one start/stop at a time)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / ".lock", "a")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise BrokerError(f"cannot use the directory {directory}: {exc}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


