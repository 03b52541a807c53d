"""The worker's log hygiene: a retried coordinator lookup is no ERROR; a real failure still is."""

from __future__ import annotations

import logging

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
