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
``python -m newsmon.broker``.  The parts: `config` (BrokerConfig, BrokerStatus,
BrokerError, file helpers), `jars` (Java and the Maven-fetched jars), `probe`
(does a Kafka broker answer on a port), `process` (the JVM's pid and run files);
this module writes the storage and starts and stops the JVM.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from newsmon.broker.config import (
    LOG4J2_FILE,
    LOG_TAIL_LINES,
    NODE_ID,
    OFFSETS_TOPIC_PARTITIONS,
    BrokerConfig,
    BrokerError,
    BrokerStatus,
    Log,
    _locked,
    _stderr,
    _tail,
    _write_atomic,
    kafka_version,
)
from newsmon.broker.jars import _classpath, _java_version_text, check_java, ensure_jars
from newsmon.broker.probe import kafka_answers, port_in_use
from newsmon.broker.process import (
    _children,
    _DetachedPopen,
    _pid_alive,
    _remove_run_files,
    _running_endpoint,
    _running_pid,
)

# the public interface of the broker package, also what the integration tests call
__all__ = ["BrokerConfig", "BrokerError", "BrokerStatus", "check_java", "ensure_jars", "kafka_answers",
           "kafka_version", "main", "port_in_use", "start", "status", "stop"]


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
        # After a crash the restarted node finds its own old registration and waits until the
        # controller fences it (DUPLICATE_BROKER_REGISTRATION): 9 s by default, 3 s here.  The
        # controller runs in the same JVM, so a missed heartbeat means a stalled broker anyway.
        "broker.session.timeout.ms": "3000",
        "broker.heartbeat.interval.ms": "1000",
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


def _listening(host: str, port: int) -> bool:
    """True if a connection to host:port is accepted (something listens there)."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _check_ports_free(cfg: BrokerConfig, leftover_seconds: float = 30.0) -> None:
    """Fail if another program holds a port; wait out the leftovers of a crashed broker.

    A broker killed with SIGKILL leaves its side of each client connection in FIN-WAIT-2 until
    the client closes its own (Kafka clients retry and do so within seconds): the port cannot
    be bound then, though nothing listens on it.  Such a port is waited for, not refused.
    """
    deadline = time.monotonic() + leftover_seconds
    for name, port in (("Kafka", cfg.port), ("controller", cfg.controller_port)):
        while port_in_use(cfg.host, port) and not _listening(cfg.host, port) and time.monotonic() < deadline:
            time.sleep(0.2)
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
