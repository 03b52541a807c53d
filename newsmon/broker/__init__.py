"""newsmon's local single-node Kafka broker (see :mod:`newsmon.broker.manager`)."""

from newsmon.broker.manager import (
    BrokerConfig,
    BrokerError,
    BrokerStatus,
    ensure_jars,
    kafka_version,
    start,
    status,
    stop,
)

__all__ = [
    "BrokerConfig",
    "BrokerError",
    "BrokerStatus",
    "ensure_jars",
    "kafka_version",
    "start",
    "status",
    "stop",
]
