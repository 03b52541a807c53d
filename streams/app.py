"""The Faust app factory: one `faust.App` per worker process, built from `Settings`.

Topics carry raw bytes; each agent decodes them itself inside its error guard,
so a record that does not decode reaches the dead-letter topic instead of
stopping the agent (Faust's own deserialisation errors would be logged and
skipped, i.e. lost).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import faust
from faust.types import TopicT
from faust.types.transports import TransportT

from newsmon.settings import Settings
from newsmon.streams.consumer import Consumer, HoleListener, Transport
from newsmon.streams.topics import Topics

log = logging.getLogger("newsmon.streams.app")


@dataclass(frozen=True, slots=True)
class AppTopics:
    """The Faust topic objects of the pipeline (see `newsmon.streams.topics`)."""

    names: Topics
    raw: TopicT
    unique: TopicT
    analysed: TopicT
    alerts: TopicT
    deadletter: TopicT


class App(faust.App):
    """Faust's app with a bounded graceful stop.

    On SIGTERM/SIGINT Faust stops fetching and waits until every record handed
    to an agent is acked (`stream_wait_empty`), e.g. an alert whose delivery is
    in flight.  Faust waits without limit; a channel that is down would hold the
    worker forever, so the wait ends after `drain_seconds` (`Consumer.wait_empty`;
    a rebalance still waits as long as Faust does).  Records not acked by
    then are not committed and are processed again after a restart (webhook
    receivers drop the repeats by their Idempotency-Key).
    """

    drain_seconds = 10.0
    hole_listeners: list[HoleListener]  # told when the consumer finds records it skipped

    def _new_transport(self) -> TransportT:
        # newsmon's consumer: no record of an agent's topic is committed unprocessed (streams.consumer)
        return Transport(self.conf.broker_consumer, self)

    async def _stop_consumer(self) -> None:
        consumer = self._consumer
        if isinstance(consumer, Consumer):  # the stop's wait for acks ends (see Consumer.wait_empty)
            consumer.drain_deadline = time.monotonic() + self.drain_seconds
        await super()._stop_consumer()
        left = consumer.unacked_count() if isinstance(consumer, Consumer) else 0
        if left:
            log.warning("stopped with %d records in flight after %.0fs; they are processed again on restart",
                        left, self.drain_seconds)


def broker_url(settings: Settings) -> str:
    return ";".join(f"kafka://{host}" for host in settings.bootstrap.split(","))


def create_app(settings: Settings) -> faust.App:
    kafka = settings.kafka
    options: dict[str, Any] = {}
    if kafka.client.get("security_protocol"):
        options["broker_credentials"] = _credentials(settings)
    app = App(
        settings.worker.app_id,
        broker=broker_url(settings),
        store=store_url(settings),
        topic_partitions=kafka.partitions,
        topic_replication_factor=kafka.replication,
        topic_allow_declare=True,
        datadir=str(settings.worker.data_dir),
        web_enabled=True,
        web_host=settings.worker.web_host,
        web_port=settings.worker.web_port,
        web_bind=settings.worker.web_host,
        consumer_auto_offset_reset="earliest",
        producer_linger_ms=1,
        # A worker that died (kill -9, lost host) keeps its partitions until the broker gives up on
        # it; 10 s instead of Faust's 60 s lets a restarted or surviving worker take over sooner.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        # Static membership: a worker restarted under the same id takes its partitions back at
        # once, instead of waiting out the session of its killed predecessor (README, Delivery).
        consumer_group_instance_id=settings.worker.instance_id or None,
        stream_wait_empty=True,  # on stop, wait until every record handed to an agent is acked
        broker_commit_every=100,
        broker_commit_interval=1.0,
        **options,
    )
    app.hole_listeners = []
    return app


def store_url(settings: Settings) -> str:
    """Faust's table store: ``memory://`` (rebuilt from the changelogs at every start) or
    ``rocksdb://`` (kept in ``worker.data_dir``; a restart reads only the changelog tail)."""
    if settings.worker.store != "rocksdb":
        return "memory://"
    try:
        import rocksdict  # noqa: F401
    except ImportError:
        raise SystemExit('worker.store = "rocksdb" needs the rocksdict package: '
                         "pip install 'newsmon[rocksdb]'") from None
    return "rocksdb://"


def _credentials(settings: Settings) -> Any:
    """SASL/TLS passed through from `[kafka.client]` (security_protocol, sasl_*)."""
    client = settings.kafka.client
    mechanism = client.get("sasl_mechanism", "PLAIN")
    if "sasl_plain_username" in client:
        return faust.SASLCredentials(
            username=client["sasl_plain_username"],
            password=client.get("sasl_plain_password", ""),
            mechanism=mechanism,
        )
    import ssl

    return faust.SSLCredentials(ssl.create_default_context(cafile=client.get("ssl_cafile")))


def declare_topics(app: faust.App, settings: Settings) -> AppTopics:
    names = Topics.for_prefix(settings.kafka.topic_prefix)

    def topic(name: str) -> TopicT:
        return app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.kafka.partitions,
        )

    return AppTopics(
        names=names,
        raw=topic(names.raw),
        unique=topic(names.unique),
        analysed=topic(names.analysed),
        alerts=topic(names.alerts),
        deadletter=topic(names.deadletter),
    )
