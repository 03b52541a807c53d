"""`newsmon broker start|stop|status`: the embedded local Kafka broker."""

from __future__ import annotations

from typing import Any, TextIO

from newsmon import broker
from newsmon.broker import BrokerConfig
from newsmon.settings import Settings

COMMANDS = ("broker",)


def add_arguments(subparsers: Any) -> None:
    brk = subparsers.add_parser("broker", help="manage the embedded local Kafka broker")
    brk.add_argument("action", choices=("start", "stop", "status"))


def broker_config(settings: Settings) -> BrokerConfig:
    return BrokerConfig(
        port=settings.broker.port,
        controller_port=settings.broker.controller_port,
        data_dir=settings.broker.data_dir,
        heap=settings.broker.heap,
        num_partitions=settings.kafka.partitions,
    )


def cmd(settings: Settings, action: str, out: TextIO) -> int:
    if not settings.embedded:
        out.write(f"newsmon uses the existing cluster at {settings.bootstrap}; no local broker to {action}.\n")
        return 0
    cfg = broker_config(settings)
    if action == "start":
        state = broker.start(cfg)
    elif action == "stop":
        broker.stop(cfg)
        state = broker.status(cfg)
    else:
        state = broker.status(cfg)
    out.write(state.describe() + "\n")
    return 0
