"""`newsmon connect`: run the sources in their own process, producing to the raw topic."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer
from prometheus_client import start_http_server

from newsmon.connectors.runner import run_sources
from newsmon.metrics import Metrics, process_registry
from newsmon.model import Entry, utcnow
from newsmon.settings import Settings
from newsmon.streams.records import encode_entry
from newsmon.streams.topics import Topics, client_options, ensure_topics


async def run_connectors(settings: Settings, metrics: Metrics | None = None) -> None:
    """Poll and play the configured sources into the raw topic; /metrics on the worker web port."""
    if metrics is None:
        metrics = Metrics(process_registry())
        start_http_server(settings.worker.web_port, settings.worker.web_host, registry=metrics.registry)
    await ensure_topics(settings.bootstrap, settings.kafka)
    topic = Topics.for_prefix(settings.kafka.topic_prefix).raw
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap, acks="all", linger_ms=1,
                                **client_options(settings.kafka))
    await producer.start()

    async def sink(entry: Entry) -> None:
        await producer.send_and_wait(topic, encode_entry(entry), key=entry.source.encode())

    try:
        await run_sources(settings.sources, sink, metrics, utcnow)
    finally:
        await producer.stop()
