"""Run a single-node Apache Kafka broker on this machine for newsmon.

The broker is the plain Apache Kafka server (KRaft mode: one JVM acting as
both broker and controller) built from the jars that Maven fetches once from
Maven Central, as listed in the ``pom.xml`` next to this module.  Nothing but
Java 17+ (to run it) and Maven (once, to download it) is needed.

Layout of a data directory (``BrokerConfig.data_dir``)::

    server.properties   written on every start from the BrokerConfig
    cluster.id          the KRaft cluster id, created once
    logs/               Kafka's log.dirs (topics and cluster metadata)
    broker.log          the JVM's stdout/stderr (broker.log.1: previous run)
    broker.pid          pid of the running JVM; broker.json: its endpoints

The public functions are :func:`ensure_jars`, :func:`start`, :func:`stop` and
:func:`status`; :func:`main` is the small command line behind
``python -m newsmon.broker``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
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


# --------------------------------------------------------------------------- java and jars


def find_java() -> Path:
    """The ``java`` to use: ``$JAVA_HOME/bin/java`` if present, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return Path(java_home) / "bin" / "java"
    found = shutil.which("java")
    if not found:
        raise BrokerError(
            f"newsmon needs Java {MIN_JAVA}+ to run the local Kafka broker, and no `java` "
            f"was found on PATH or in JAVA_HOME; {JAVA_HINT}"
        )
    return Path(found)


@lru_cache(maxsize=8)
def _java_version_text(java: Path) -> str:
    """What ``java -version`` prints (it prints to stderr)."""
    try:
        done = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrokerError(f"could not run `{java} -version` ({exc}); {JAVA_HINT}") from exc
    return (done.stderr + done.stdout).strip()


def java_major_version(java: Path) -> int:
    """Major version of ``java`` (8 for 1.8, 17 for 17.0.x, ...)."""
    text = _java_version_text(java)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        raise BrokerError(f"could not tell the Java version from `{java} -version`:\n{text}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_392" style
        major = int(match.group(2))
    return major


def check_java() -> Path:
    """Return a usable ``java`` or raise :class:`BrokerError` saying what to install."""
    java = find_java()
    major = java_major_version(java)
    if major < MIN_JAVA:
        raise BrokerError(
            f"newsmon needs Java {MIN_JAVA}+ to run the local Kafka broker, but {java} is Java {major}; {JAVA_HINT}"
        )
    return java


def _pom_digest() -> str:
    return hashlib.sha256(POM_FILE.read_bytes()).hexdigest()


def jars_ready(cfg: BrokerConfig) -> bool:
    """True if :func:`ensure_jars` has already completed for the packaged pom.xml."""
    marker = cfg.cache_dir / "libs.complete"
    try:
        return marker.read_text().strip() == _pom_digest() and cfg.libs_dir.is_dir()
    except OSError:
        return False


def ensure_jars(cfg: BrokerConfig, log: Log = print) -> Path:
    """Download the broker's jars into ``cfg.cache_dir/libs`` once; return that directory.

    A marker file holding the pom.xml's digest records a completed download, so
    a later call returns at once, and a changed pom.xml downloads afresh.
    """
    if jars_ready(cfg):
        return cfg.libs_dir
    with _locked(cfg.cache_dir):
        if jars_ready(cfg):  # another process finished it while we waited
            return cfg.libs_dir
        mvn = shutil.which("mvn")
        if not mvn:
            raise BrokerError(
                f"newsmon needs Maven (`mvn`) once, to download the Kafka {kafka_version()} "
                f"jars from Maven Central into {cfg.libs_dir}; install maven "
                f"(e.g. `apt-get install maven`) or set NEWSMON_KAFKA_BOOTSTRAP "
                f"to use an existing cluster"
            )
        pom = cfg.cache_dir / "pom.xml"
        shutil.copyfile(POM_FILE, pom)
        partial = cfg.cache_dir / "libs.partial"
        shutil.rmtree(partial, ignore_errors=True)
        log(f"Downloading the Kafka {kafka_version()} jars with Maven into {cfg.libs_dir} (once)...")
        command = [
            mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={partial}",
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BrokerError("Maven did not finish downloading the Kafka jars in 30 minutes") from exc
        if done.returncode != 0 or not any(partial.glob("kafka_2.13-*.jar")):
            output = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
            raise BrokerError(
                f"Maven could not download the Kafka jars (exit code {done.returncode}); "
                f"check the network access to Maven Central. Command: {' '.join(command)}\n"
                f"{output}"
            )
        shutil.rmtree(cfg.libs_dir, ignore_errors=True)
        os.replace(partial, cfg.libs_dir)
        for archive in cfg.cache_dir.glob("*.jsa"):  # made for the old jars
            archive.unlink()
        _write_atomic(cfg.cache_dir / "libs.complete", _pom_digest() + "\n")
        log(f"Kafka jars ready in {cfg.libs_dir}")
    return cfg.libs_dir


def _classpath(libs: Path) -> str:
    # An explicit, sorted list (not libs/*) keeps the class path identical from
    # run to run, which the class-data-sharing archive relies on.
    return os.pathsep.join(str(jar) for jar in sorted(libs.glob("*.jar")))


# --------------------------------------------------------------------------- kafka wire probe


class _ProbeError(Exception):
    pass


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise _ProbeError("connection closed by the server")
        chunks += chunk
    return bytes(chunks)


def _kafka_call(sock: socket.socket, api_key: int, version: int, correlation_id: int, body: bytes) -> bytes:
    """Send one request with a v1 (non-flexible) header; return the response body."""
    client_id = b"newsmon-probe"
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    response = _recv_exact(sock, size)
    (got_id,) = struct.unpack_from(">i", response, 0)
    if got_id != correlation_id:
        raise _ProbeError(f"correlation id {got_id} != {correlation_id}")
    return response[4:]


def _api_versions(sock: socket.socket) -> dict[int, tuple[int, int]]:
    """ApiVersions v0 (api key 18), which every broker answers: {api_key: (min, max)}."""
    body = _kafka_call(sock, 18, 0, 1, b"")
    error, count = struct.unpack_from(">hi", body, 0)
    if error != 0:
        raise _ProbeError(f"ApiVersions error code {error}")
    versions: dict[int, tuple[int, int]] = {}
    for i in range(count):
        key, low, high = struct.unpack_from(">hhh", body, 6 + 6 * i)
        versions[key] = (low, high)
    return versions


def _metadata_broker_count(sock: socket.socket, low: int, high: int) -> int | None:
    """Brokers listed by a Metadata request (api key 3) for no topics.

    Uses the newest non-flexible version (4..8) the broker accepts; returns
    None when there is none, so the caller falls back to ApiVersions alone.
    A KRaft broker lists itself only once it is registered and unfenced.
    """
    version = min(high, 8)
    if version < max(low, 4):
        return None
    body = struct.pack(">i?", 0, False)  # topics: [], allow_auto_topic_creation
    if version >= 8:
        body += struct.pack(">??", False, False)  # include_*_authorized_operations
    response = _kafka_call(sock, 3, version, 2, body)
    _throttle, brokers = struct.unpack_from(">ii", response, 0)
    return int(brokers)


def kafka_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """True if a Kafka broker at host:port answers and lists at least one live broker."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            versions = _api_versions(sock)
            if 3 not in versions:
                return True
            brokers = _metadata_broker_count(sock, *versions[3])
            return brokers is None or brokers > 0
    except (OSError, _ProbeError, struct.error):
        return False


def port_in_use(host: str, port: int) -> bool:
    """True if something listens on host:port (binding it fails)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR so that TIME_WAIT leftovers of a previous broker don't count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise BrokerError(f"cannot use {host}:{port}: {exc}") from exc
    return False


# --------------------------------------------------------------------------- process tracking


class _DetachedPopen(subprocess.Popen[bytes]):
    """A child meant to outlive this process: no "still running" warning at exit."""

    def __del__(self) -> None:
        pass


# JVMs started by this Python process: kept so they can be reaped (no zombies).
_children: dict[int, subprocess.Popen[bytes]] = {}


def _pid_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie still answers kill(0); on Linux /proc tells
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _command_line(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        pass
    try:
        done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None


def _running_pid(cfg: BrokerConfig) -> int | None:
    """Pid of this data dir's broker JVM if it is alive, else None (stale files removed)."""
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid):
        command = _command_line(pid)
        # Guard against pid reuse: the process must be a broker of this data dir.
        if command is None or ("kafka.Kafka" in command and str(cfg.properties_file) in command):
            return pid
    _remove_run_files(cfg)
    return None


def _remove_run_files(cfg: BrokerConfig) -> None:
    for path in (cfg.pid_file, cfg.state_file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _running_endpoint(cfg: BrokerConfig) -> tuple[str, int, int]:
    """(host, port, controller_port) the running broker was started with."""
    try:
        state = json.loads(cfg.state_file.read_text())
        return str(state["host"]), int(state["port"]), int(state["controller_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return cfg.host, cfg.port, cfg.controller_port


# --------------------------------------------------------------------------- storage


def new_cluster_id() -> str:
    """A KRaft cluster id: a random UUID as 22 characters of unpadded base64url."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):  # Kafka avoids ids that look like options
            return text


def _cluster_id(cfg: BrokerConfig) -> str:
    path = cfg.data_dir / "cluster.id"
    with contextlib.suppress(OSError):
        existing = path.read_text().strip()
        if existing:
            return existing
    cluster_id = new_cluster_id()
    _write_atomic(path, cluster_id + "\n")
    return cluster_id


def server_properties(cfg: BrokerConfig) -> str:
    """The server.properties text for a single combined broker+controller node."""
    host = cfg.host
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(NODE_ID),
        "controller.quorum.voters": f"{NODE_ID}@{host}:{cfg.controller_port}",
        "listeners": f"PLAINTEXT://{host}:{cfg.port},CONTROLLER://{host}:{cfg.controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{cfg.port}",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(cfg.log_dirs),
        "num.partitions": str(cfg.num_partitions),
        "auto.create.topics.enable": "true",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": str(OFFSETS_TOPIC_PARTITIONS),
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
    }
    lines = ["# Written by newsmon.broker on every start; edits here are overwritten."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _format_storage(cfg: BrokerConfig, java: Path, libs: Path) -> None:
    """Format log.dirs for KRaft unless already done (never reformat existing data)."""
    if (cfg.log_dirs / "meta.properties").exists():
        return
    cfg.log_dirs.mkdir(parents=True, exist_ok=True)
    command = [
        str(java), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        f"-Dlog4j2.configurationFile={LOG4J2_FILE}",
        "-cp", _classpath(libs), "kafka.tools.StorageTool",
        "format", "-t", _cluster_id(cfg), "-c", str(cfg.properties_file),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
        raise BrokerError(
            f"formatting the Kafka storage in {cfg.log_dirs} failed (exit code "
            f"{done.returncode}). If that directory holds data from another Kafka "
            f"version or cluster, move it away and start again.\n{output}"
        )


# --------------------------------------------------------------------------- start / stop / status


def _cds_archive(cfg: BrokerConfig, java: Path) -> Path:
    # One archive per exact JVM build: a JVM ignores an archive made by another.
    build = hashlib.sha256(_java_version_text(java).encode()).hexdigest()[:12]
    return cfg.cache_dir / f"broker-{build}.jsa"


def _jvm_command(cfg: BrokerConfig, java: Path, libs: Path) -> list[str]:
    # Application class-data sharing: the first run records the loaded classes
    # when the JVM exits; later runs map that archive and start faster.  A stale
    # or unusable archive is ignored by the JVM (-Xshare:auto is the default).
    # NEWSMON_KAFKA_CDS=0 turns this off.
    cds: list[str] = []
    if os.environ.get("NEWSMON_KAFKA_CDS", "1") != "0":
        archive = _cds_archive(cfg, java)
        option = "SharedArchiveFile" if archive.is_file() else "ArchiveClassesAtExit"
        cds = [f"-XX:{option}={archive}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    return [
        str(java),
        f"-Xms{cfg.heap}", f"-Xmx{cfg.heap}",
        "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
        "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
        *cds,
        f"-Dlog4j2.configurationFile={LOG4J2_FILE}",
        "-cp", _classpath(libs),
        "kafka.Kafka", str(cfg.properties_file),
    ]  # fmt: skip


def status(cfg: BrokerConfig) -> BrokerStatus:
    """Report whether this data dir's broker runs and answers Kafka requests."""
    pid = _running_pid(cfg)
    host, port, _ = _running_endpoint(cfg) if pid else (cfg.host, cfg.port, 0)
    return BrokerStatus(
        running=pid is not None,
        ready=pid is not None and kafka_answers(host, port),
        pid=pid,
        bootstrap=f"{host}:{port}",
        data_dir=cfg.data_dir,
        log_file=cfg.log_file,
        kafka_version=kafka_version(),
    )


def _check_ports_free(cfg: BrokerConfig) -> None:
    for name, port in (("Kafka", cfg.port), ("controller", cfg.controller_port)):
        if not port_in_use(cfg.host, port):
            continue
        what = (
            "a Kafka broker that is not newsmon's broker for this data dir"
            if kafka_answers(cfg.host, port, timeout=1.0)
            else "another program"
        )
        raise BrokerError(
            f"cannot start the local Kafka broker: {name} port {port} on {cfg.host} is "
            f"already in use by {what}; stop it, or choose another port (--port / "
            f"--controller-port), or set NEWSMON_KAFKA_BOOTSTRAP to use an existing cluster"
        )


def _wait_ready(cfg: BrokerConfig, pid: int, deadline: float, child: subprocess.Popen[bytes] | None) -> None:
    while True:
        if not _pid_alive(pid):
            code = child.returncode if child is not None else None
            _remove_run_files(cfg)
            exit_text = f" with exit code {code}" if code is not None else ""
            raise BrokerError(
                f"the local Kafka broker exited during start-up{exit_text}. "
                f"Last lines of {cfg.log_file}:\n{_tail(cfg.log_file)}"
            )
        if kafka_answers(cfg.host, cfg.port, timeout=1.0):
            return
        if time.monotonic() >= deadline:
            raise BrokerError(
                f"the local Kafka broker (pid {pid}) did not answer on {cfg.bootstrap} in "
                f"time. Last lines of {cfg.log_file}:\n{_tail(cfg.log_file)}"
            )
        time.sleep(0.2)


def start(cfg: BrokerConfig, timeout: float = 60.0, log: Log = _stderr) -> BrokerStatus:
    """Start the broker detached and wait until it answers Kafka requests.

    Idempotent: if this data dir's broker already runs (on the same ports) its
    status is returned.  The jar download on first use is not counted in
    ``timeout``.  Raises :class:`BrokerError` with an actionable message.
    """
    java = check_java()
    libs = ensure_jars(cfg, log=log)
    with _locked(cfg.data_dir):
        pid = _running_pid(cfg)
        if pid is not None:
            host, port, controller_port = _running_endpoint(cfg)
            if (host, port, controller_port) != (cfg.host, cfg.port, cfg.controller_port):
                raise BrokerError(
                    f"the local Kafka broker for {cfg.data_dir} already runs on {host}:{port} "
                    f"(controller port {controller_port}); stop it first to change its ports"
                )
            _wait_ready(cfg, pid, time.monotonic() + timeout, _children.get(pid))
            return status(cfg)

        _check_ports_free(cfg)
        try:
            _write_atomic(cfg.properties_file, server_properties(cfg))
            _format_storage(cfg, java, libs)
            if cfg.log_file.exists():
                os.replace(cfg.log_file, cfg.log_file.with_name(cfg.log_file.name + ".1"))
        except OSError as exc:
            raise BrokerError(f"cannot prepare the Kafka data dir {cfg.data_dir}: {exc}") from exc
        command = _jvm_command(cfg, java, libs)
        with open(cfg.log_file, "ab") as out:
            child = _DetachedPopen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=cfg.data_dir,
                start_new_session=True,  # survives the caller and its Ctrl-C
            )
        _children[child.pid] = child
        _write_atomic(cfg.pid_file, f"{child.pid}\n")
        endpoint = {"host": cfg.host, "port": cfg.port, "controller_port": cfg.controller_port}
        _write_atomic(cfg.state_file, json.dumps({"pid": child.pid, **endpoint}) + "\n")
        try:
            _wait_ready(cfg, child.pid, time.monotonic() + timeout, child)
        except BrokerError:
            _terminate(child.pid, grace=10.0)
            _remove_run_files(cfg)
            raise
        return status(cfg)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _terminate(pid: int, grace: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, grace):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 10.0):
        raise BrokerError(f"the local Kafka broker (pid {pid}) did not exit even after SIGKILL")


def stop(cfg: BrokerConfig, timeout: float = 30.0) -> bool:
    """Stop this data dir's broker: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Returns True if a running broker was stopped, False if none was running.
    """
    with _locked(cfg.data_dir):
        pid = _running_pid(cfg)
        if pid is None:
            return False
        _terminate(pid, grace=timeout)
        _remove_run_files(cfg)
        return True


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsmon.broker start|stop|status``; exit code 3 = not running."""
    parser = argparse.ArgumentParser(
        prog="python -m newsmon.broker", description="Manage newsmon's local Kafka broker."
    )
    parser.add_argument("action", choices=["start", "stop", "status", "fetch"])
    parser.add_argument("--port", type=int, help="Kafka port (default 19092)")
    parser.add_argument("--controller-port", type=int, help="KRaft controller port (default: port + 1)")
    parser.add_argument("--data-dir", type=Path, help="broker data directory")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait")
    args = parser.parse_args(argv)

    overrides: dict[str, object] = {}
    if args.port is not None:
        overrides["port"] = args.port
        overrides["controller_port"] = args.port + 1
    if args.controller_port is not None:
        overrides["controller_port"] = args.controller_port
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
    try:
        cfg = replace(BrokerConfig(), **overrides)  # type: ignore[arg-type]
        if args.action == "fetch":
            check_java()
            libs = ensure_jars(cfg, log=lambda message: print(message, file=sys.stderr))
            print(f"Kafka {kafka_version()} jars ready in {libs}")
            return 0
        if args.action == "start":
            result = start(cfg, timeout=args.timeout)
        elif args.action == "stop":
            stopped = stop(cfg, timeout=args.timeout)
            print("local Kafka broker stopped" if stopped else "local Kafka broker was not running")
            result = status(cfg)
        else:
            result = status(cfg)
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(result.describe())
    return 0 if result.running or args.action == "stop" else 3
