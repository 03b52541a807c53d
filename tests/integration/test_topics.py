"""Pipeline topics on a real broker: created with `kafka.partitions`, and existing ones of another
partition count refused (the stages' tables are co-partitioned with them)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka.errors import KafkaError

from newsmon.settings import KafkaSettings
from newsmon.streams.topics import ensure_topics

pytestmark = pytest.mark.integration


def test_topics_are_created_once_and_another_partition_count_is_refused(kafka: str) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    created = asyncio.run(ensure_topics(kafka, KafkaSettings(partitions=2, topic_prefix=prefix)))
    assert len(created) == 5
    assert asyncio.run(ensure_topics(kafka, KafkaSettings(partitions=2, topic_prefix=prefix))) == []
    with pytest.raises(KafkaError, match=r"has 2 partitions, but kafka\.partitions is 4"):
        asyncio.run(ensure_topics(kafka, KafkaSettings(partitions=4, topic_prefix=prefix)))
