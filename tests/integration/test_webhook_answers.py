"""Webhook receivers that misbehave on a real socket: no answer, or an answer that never ends.

A delivery attempt must end (retry or delivered) within the channel's timeout, so
that one such receiver cannot hold a delivery lane.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from newsmon.connectors.channel import Outcome
from newsmon.connectors.webhook import WebhookChannel
from newsmon.model import Alert, AlertKind

pytestmark = pytest.mark.integration

ALERT = Alert("a1", "rule", "warning", AlertKind.FIRED, "s", "blog\x1f1", "blog", "Title", "Summary",
              "https://x/#1", datetime(2024, 3, 1, tzinfo=UTC))


def serve(behaviour: str) -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)  # the request (small enough for one read here)
            if behaviour == "trickle":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n")
                while not stop.is_set():
                    try:
                        conn.sendall(b"x")
                    except OSError:
                        return
                    time.sleep(0.05)
            else:  # silent: read, never answer
                stop.wait()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.fixture
def silent() -> Iterator[str]:
    yield from serve("silent")


@pytest.fixture
def trickle() -> Iterator[str]:
    yield from serve("trickle")


async def deliver(url: str) -> tuple[Outcome, str]:
    channel = WebhookChannel("hook", url, "secret", timeout=0.5)
    try:
        delivery = await asyncio.wait_for(channel.send(ALERT), 30)  # a hang fails the test
    finally:
        await channel.aclose()
    return delivery.outcome, delivery.detail


async def test_a_receiver_that_never_answers_is_retried(silent: str) -> None:
    assert await deliver(silent) == (Outcome.RETRY, "no answer within 0.5s")


async def test_a_200_whose_body_never_ends_counts_as_delivered(trickle: str) -> None:
    assert await deliver(trickle) == (Outcome.DELIVERED, "")
