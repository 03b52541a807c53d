"""A Kafka outage logged once per state change, not as hundreds of client errors.

While the broker is unreachable, aiokafka logs every reconnect, failed fetch, metadata refresh,
heartbeat and commit attempt (ERROR and WARNING, about every 100 ms: ~1,400 lines in 15 s of a
broker restart).  `OutageLog` filters those records on aiokafka's loggers: the first one is logged
as one WARNING ("Kafka unreachable: ..."), the others are counted and dropped, and when no
connection error has come for `quiet_seconds` (`tick`, from a timer) one WARNING says that Kafka is
reachable again, after how long and how many lines were held back.  Errors that are not about
reaching the broker pass unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

#: the messages aiokafka logs while it cannot reach a broker (retried by aiokafka itself)
OUTAGE_MESSAGES = (
    "Unable connect to node", "Unable to connect to node", "Failed fetch messages from",
    "Unable to update metadata", "Unable to request metadata", "Marking the coordinator dead",
    "Heartbeat failed", "Heartbeat send request failed",
    "Heartbeat session expired", "Error sending OffsetCommitRequest", "Got error produce response",
    "Coordinator not available", "Connection at", "LeaveGroup request failed", "OffsetCommit failed",
    "Failed to fetch committed offsets", "Error sending JoinGroup", "Error sending",
)


#: also logged by a healthy broker that is still electing a group coordinator: not an outage on its
#: own, but repeated every 100 ms during one
WHILE_DOWN = ("Group Coordinator Request failed",)


class OutageLog(logging.Filter):
    def __init__(self, log: logging.Logger, quiet_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.log, self.quiet_seconds, self.clock = log, quiet_seconds, clock
        self.down_since: float | None = None
        self.last_error = 0.0
        self.held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or not record.name.startswith("aiokafka"):
            return True
        message = str(record.msg)
        if self.down_since is not None and message.startswith(WHILE_DOWN):
            self.held += 1
            return False
        if not any(message.startswith(m) or m in message for m in OUTAGE_MESSAGES):
            return True
        now = self.clock()
        self.last_error = now
        if self.down_since is None:
            self.down_since = now
            self.held = 0
            self.log.warning("Kafka unreachable or not ready: %s; retrying (further connection errors are not logged "
                             "until it is back)", record.getMessage().strip())
            return False
        self.held += 1
        return False

    def tick(self) -> None:
        """Call every second or so: logs the recovery once the errors have stopped."""
        if self.down_since is not None and self.clock() - self.last_error >= self.quiet_seconds:
            self.log.warning("Kafka reachable again after %.0f s (%d connection errors not logged)",
                             self.last_error - self.down_since, self.held)
            self.down_since = None

    def install(self) -> None:
        """Filter every aiokafka logger (records are filtered where they are made, not on the way up)."""
        names = ["aiokafka", *(n for n in logging.root.manager.loggerDict if n.startswith("aiokafka."))]
        for name in names:
            logging.getLogger(name).addFilter(self)
