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
    name: str

    async def send(self, alert: Alert) -> Delivery: ...

    async def aclose(self) -> None: ...
