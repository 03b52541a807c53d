"""What every alert channel (console, webhook, Slack) offers the delivery agent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from newsmon.model import Alert


class Outcome(StrEnum):
    DELIVERED = "delivered"  # the receiver acknowledged it (2xx)
    RETRY = "retry"  # a passing failure: network error, 5xx, 408, 429
    FAILED = "failed"  # the receiver refused it for good (4xx): dead-letter it


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    status: int = 0  # HTTP status, 0 where none
    detail: str = ""  # error text or the start of the response body
    retry_after: float | None = None  # seconds the receiver asked us to wait


class Channel(Protocol):
    """A channel sends one alert per `send`.  One that can show several alerts in one notification
    also has ``group_size`` (alerts per notification) and ``async send_group(alerts, group)``
    (`group`: the group's labels, e.g. ``place=Luhansk``); the deliver agent then sends a group's
    batch that way (Slack, console).  The webhook has neither: a group's alerts go out together, each
    as its own POST with its own Idempotency-Key."""

    name: str

    async def send(self, alert: Alert) -> Delivery: ...

    async def aclose(self) -> None: ...
