"""Integration tests for newsmon's local Kafka broker (newsmon.broker.manager).

They start real broker JVMs on free loopback ports with throw-away data
directories. The jars go to the usual cache (NEWSMON_KAFKA_CACHE_DIR or
~/.cache/newsmon/kafka-<version>), so only the first run downloads them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from newsmon.broker import manager, probe
from newsmon.broker.manager import BrokerConfig, BrokerError

pytestmark = pytest.mark.integration


def _free_ports(count: int) -> list[int]:
    """Ports that were free a moment ago (held open together so they differ)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


@pytest.fixture(scope="module")
def java_and_jars() -> None:
    """Skip when this machine cannot run the broker; fetch the jars once."""
    try:
        manager.check_java()
        manager.ensure_jars(BrokerConfig(), log=lambda _message: None)
    except BrokerError as exc:
        pytest.skip(f"local Kafka broker unavailable: {exc}")


@pytest.fixture
def cfg(tmp_path: Path, java_and_jars: None) -> Iterator[BrokerConfig]:
    port, controller_port = _free_ports(2)
    config = BrokerConfig(port=port, controller_port=controller_port, data_dir=tmp_path / "kafka", heap="256m")
    yield config
    manager.stop(config, timeout=15)  # never leave a JVM behind


async def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value)
    finally:
        await producer.stop()


async def _consume(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        received: list[bytes] = []
        async with asyncio.timeout(30):
            while len(received) < count:
                message = await consumer.getone()
                assert message.value is not None
                received.append(message.value)
        return received
    finally:
        await consumer.stop()


def test_start_status_roundtrip_idempotent_and_stop(cfg: BrokerConfig) -> None:
    started = manager.start(cfg, timeout=60)
    assert started.running and started.ready
    assert started.bootstrap == f"127.0.0.1:{cfg.port}"
    assert manager.kafka_answers(cfg.host, cfg.port)

    asyncio.run(_produce(cfg.bootstrap, "roundtrip", [b"hello"]))
    assert asyncio.run(_consume(cfg.bootstrap, "roundtrip", 1)) == [b"hello"]

    current = manager.status(cfg)
    assert current.running and current.ready and current.pid == started.pid
    assert current.log_file.is_file() and current.data_dir == cfg.data_dir

    again = manager.start(cfg, timeout=60)
    assert again.running and again.pid == started.pid

    assert manager.stop(cfg) is True
    assert not manager.status(cfg).running
    assert not cfg.pid_file.exists()
    assert not manager.port_in_use(cfg.host, cfg.port)
    assert not manager.port_in_use(cfg.host, cfg.controller_port)
    assert manager.stop(cfg) is False


def test_restart_keeps_data(cfg: BrokerConfig) -> None:
    manager.start(cfg, timeout=60)
    asyncio.run(_produce(cfg.bootstrap, "durable", [b"one", b"two"]))
    cluster_id = (cfg.data_dir / "cluster.id").read_text()
    assert manager.stop(cfg)

    restarted = manager.start(cfg, timeout=60)
    assert restarted.running and restarted.ready
    assert (cfg.data_dir / "cluster.id").read_text() == cluster_id
    # no key: the two records may sit in different partitions, so their order is not defined
    assert sorted(asyncio.run(_consume(cfg.bootstrap, "durable", 2))) == [b"one", b"two"]


def test_restart_right_after_sigkill_with_a_client_connected(cfg: BrokerConfig) -> None:
    """A JVM killed with SIGKILL takes a moment to die and keeps its ports meanwhile: status
    says running until it is gone, and a start right after that succeeds."""
    started = manager.start(cfg, timeout=60)
    assert started.pid is not None
    with socket.create_connection((cfg.host, cfg.port)) as client:
        assert probe._api_versions(client)  # answered: the broker serves this connection
        os.kill(started.pid, signal.SIGKILL)
        while manager.status(cfg).running:
            pass
        restarted = manager.start(cfg, timeout=60)
    assert restarted.running and restarted.ready and restarted.pid != started.pid


def test_start_refuses_port_held_by_another_program(cfg: BrokerConfig) -> None:
    with socket.socket() as squatter:
        squatter.bind((cfg.host, cfg.port))
        squatter.listen()
        with pytest.raises(BrokerError, match=rf"port {cfg.port}\b"):
            manager.start(cfg, timeout=30)
    assert not manager.status(cfg).running
    assert not cfg.pid_file.exists()


def test_start_refuses_taken_controller_port(cfg: BrokerConfig) -> None:
    with socket.socket() as squatter:
        squatter.bind((cfg.host, cfg.controller_port))
        squatter.listen()
        with pytest.raises(BrokerError, match=rf"controller port {cfg.controller_port}\b"):
            manager.start(cfg, timeout=30)


def test_early_exit_reports_log_tail(cfg: BrokerConfig) -> None:
    doomed = BrokerConfig(port=cfg.port, controller_port=cfg.controller_port, data_dir=cfg.data_dir, heap="1k")
    with pytest.raises(BrokerError, match="exited during start-up") as raised:
        manager.start(doomed, timeout=30)
    assert "heap" in str(raised.value).lower()
    assert not cfg.pid_file.exists()


def test_missing_java_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrokerError, match=r"Java 17\+.*openjdk-17-jre-headless"):
        manager.start(BrokerConfig(data_dir=tmp_path / "kafka"))
