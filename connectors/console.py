"""Console channel: one readable block per alert on a text stream (stdout by default)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from newsmon.connectors.channel import Delivery, Outcome
from newsmon.explain import why_line
from newsmon.model import KEY_SEPARATOR, Alert, verification


def render(alert: Alert) -> str:
    """The alert as the few lines an analyst reads on a terminal."""
    head = alert.banner
    lines = [f"[{head}] {alert.severity.upper()} {alert.rule}: {alert.title}"]
    if alert.claim:
        claim = alert.claim
        status = verification(claim)
        verified = "not independently verified" if status == "unverified" else status
        who = claim.claimant or "unattributed"
        where = f" at {claim.place}" if claim.place else ""
        lines.append(f"    claim: {claim.kind} by {who}{where} ({verified})")
    if alert.contested_by:
        contested = ", ".join(key.replace(KEY_SEPARATOR, "/") for key in alert.contested_by)
        lines.append(f"    contested by: {contested}")
    lines.append(f"    {alert.summary}")
    lines.append(f"    why: {why_line(alert)}")
    lines.append(f"    source: {alert.source} {alert.url}".rstrip())
    return "\n".join(lines)


class ConsoleChannel:
    def __init__(self, name: str = "console", stream: TextIO | None = None) -> None:
        self.name = name
        self._stream = stream

    async def send(self, alert: Alert) -> Delivery:
        stream = self._stream or sys.stdout
        print(render(alert), file=stream, flush=True)
        return Delivery(Outcome.DELIVERED)

    group_size = 1000  # a group's batch is printed as one block

    async def send_group(self, alerts: Sequence[Alert], group: str) -> Delivery:
        stream = self._stream or sys.stdout
        head = f"[GROUP {group}] {len(alerts)} alerts"
        print("\n".join([head, *(render(a) for a in alerts)]), file=stream, flush=True)
        return Delivery(Outcome.DELIVERED)

    async def aclose(self) -> None:
        return None
