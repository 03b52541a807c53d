"""Topic names, their keys, and creating them before any worker starts.

Flow (each arrow is a Kafka topic, all names under `kafka.topic_prefix`)::

    connectors --raw--> dedup --unique--> detect --analysed--> rules --alerts--> deliver
                 (key: source)   (key: scope)        (key: scope)        (key: story)

    any stage --deadletter--> (inspection; key: the stage name)

Faust only declares its own internal topics (changelogs).  Source topics that
would otherwise be auto-created with the broker's partition count are created
here with the partition count the app uses, so tables are co-partitioned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from newsmon.settings import KafkaSettings

log = logging.getLogger(__name__)

_TOPIC_EXISTS = 36


@dataclass(frozen=True, slots=True)
class Topics:
    raw: str
    unique: str
    analysed: str
    alerts: str
    deadletter: str

    @classmethod
    def for_prefix(cls, prefix: str) -> Topics:
        return cls(
            raw=f"{prefix}.entries.raw",
            unique=f"{prefix}.entries.unique",
            analysed=f"{prefix}.entries.analysed",
            alerts=f"{prefix}.alerts",
            deadletter=f"{prefix}.deadletter",
        )

    def all(self) -> tuple[str, ...]:
        return (self.raw, self.unique, self.analysed, self.alerts, self.deadletter)


def client_options(kafka: KafkaSettings) -> dict[str, str]:
    """Extra aiokafka options (security_protocol, sasl_*) from `[kafka.client]`."""
    return dict(kafka.client)


async def _check_partitions(admin: AIOKafkaAdminClient, names: list[str], partitions: int) -> None:
    """Existing pipeline topics must have ``kafka.partitions`` partitions: the stages' tables are
    co-partitioned with them (the workers take Faust's own check of that as done, see
    `newsmon.agents.context.co_partitioned`)."""
    if not names:
        return
    for topic in await admin.describe_topics(names):
        name, found = topic.get("topic"), len(topic.get("partitions") or ())
        if found and found != partitions:
            raise KafkaError(
                f"topic {name} has {found} partitions, but kafka.partitions is {partitions}: "
                "set kafka.partitions to match, or use another kafka.topic_prefix"
            )


async def ensure_topics(bootstrap: str, kafka: KafkaSettings, timeout: float = 30.0) -> list[str]:
    """Create the pipeline's topics if missing; returns the names created."""
    topics = Topics.for_prefix(kafka.topic_prefix)
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000), **client_options(kafka)
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics.all() if t not in existing]
        await _check_partitions(admin, [t for t in topics.all() if t in existing], kafka.partitions)
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(t, kafka.partitions, kafka.replication) for t in missing],
            timeout_ms=int(timeout * 1000),
        )
        for name, code, *rest in response.topic_errors:
            if code not in (0, _TOPIC_EXISTS):
                raise KafkaError(f"cannot create topic {name}: error {code} {rest[0] if rest else ''}")
        log.info("created topics %s with %d partitions", ", ".join(missing), kafka.partitions)
        return missing
    finally:
        await admin.close()
