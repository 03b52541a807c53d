"""The worker's log hygiene: a retried coordinator lookup is no ERROR; a real failure still is."""

from __future__ import annotations

import logging
from typing import Any

from aiokafka.errors import GroupAuthorizationFailedError, GroupCoordinatorNotAvailableError

from newsmon.streams.worker import COORDINATOR_LOGGER, RetriedCoordinatorErrors


def record(err: Exception) -> logging.LogRecord:
    return logging.LogRecord(COORDINATOR_LOGGER, logging.ERROR, __file__, 1,
                             "Group Coordinator Request failed: %s", (err,), None)


def test_a_retriable_coordinator_error_becomes_a_warning() -> None:
    rec = record(GroupCoordinatorNotAvailableError())
    assert RetriedCoordinatorErrors().filter(rec)
    assert (rec.levelname, rec.levelno) == ("WARNING", logging.WARNING)
    assert rec.getMessage().endswith("(retrying)")


def test_a_fatal_coordinator_error_stays_an_error() -> None:
    rec = record(GroupAuthorizationFailedError())
    assert RetriedCoordinatorErrors().filter(rec) and rec.levelno == logging.ERROR


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(caplog: Any) -> None:
    from newsmon.streams.outage import OutageLog

    now = [100.0]
    outage = OutageLog(logging.getLogger("newsmon.worker"), quiet_seconds=5, clock=lambda: now[0])

    def client(name: str, level: int, msg: str) -> bool:
        return outage.filter(logging.LogRecord(name, level, __file__, 1, msg, (), None))

    with caplog.at_level(logging.INFO, logger="newsmon.worker"):
        kept = [client("aiokafka.conn", logging.ERROR, "Unable connect to node with id 1: refused")]
        for _ in range(300):  # ~30 s of a broker restart
            now[0] += 0.1
            kept.append(client("aiokafka.client", logging.ERROR, "Unable to update metadata from [1]"))
            kept.append(client("aiokafka.consumer.fetcher", logging.ERROR, "Failed fetch messages from 1: x"))
            outage.tick()
        assert client("aiokafka.consumer.fetcher", logging.ERROR, "Unexpected error in fetcher routine")
        assert client("faust.transport", logging.ERROR, "Unable connect to node")  # not aiokafka's
        now[0] += 5
        outage.tick()
        outage.tick()
    assert not any(kept)
    lines = [r.getMessage() for r in caplog.records if r.name == "newsmon.worker"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("Kafka unreachable or not ready: Unable connect to node with id 1")
    assert lines[1] == "Kafka reachable again after 30 s (600 connection errors not logged)"


def test_a_coordinator_still_being_elected_is_no_outage() -> None:
    from newsmon.streams.outage import OutageLog

    outage = OutageLog(logging.getLogger("newsmon.worker"))
    rec = logging.LogRecord(COORDINATOR_LOGGER, logging.WARNING, __file__, 1,
                            "Group Coordinator Request failed: %s (retrying)", ("x",), None)
    assert outage.filter(rec) and outage.down_since is None
