"""Integration fixtures: one real Kafka broker for the whole session, real HTTP peers, real workers.

The broker is started by newsmon's own manager (the same code as `newsmon broker start`)
on free ports with a temporary data directory, and stopped at the end of the session.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support import Received, Receiver, Worker, free_port, spawn_worker, wait_ready, write_config

from newsmon.broker import BrokerConfig, start, stop

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("NEWSMON_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (set NEWSMON_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of a real single-node KRaft broker, shared by the session."""
    port = free_port()
    cfg = BrokerConfig(port=port, controller_port=free_port(), data_dir=tmp_path_factory.mktemp("kafka"))
    start(cfg, timeout=120)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop(cfg)


# -- HTTP receiver -------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            rec = state["r"]
            with rec.lock:
                rec.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                answer = rec.responses.pop(0) if rec.responses else 200
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["r"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def static_server() -> Iterator[Callable[[str, bytes, str], str]]:
    """Serve bytes at a path over real HTTP on 127.0.0.1; returns `add(path, body, content_type) -> url`."""
    routes: dict[str, tuple[bytes, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in routes:
                self.send_error(404)
                return
            body, ctype = routes[self.path]
            self.send_response(200)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def add(path: str, body: bytes, ctype: str = "application/rss+xml") -> str:
        routes[path] = (body, ctype)
        return f"http://127.0.0.1:{server.server_address[1]}{path}"

    try:
        yield add
    finally:
        server.shutdown()
        server.server_close()


# -- workers -------------------------------------------------------------------


@pytest.fixture
def start_worker(tmp_path: Path, kafka: str) -> Iterator[Callable[..., Worker]]:
    """Start `newsmon worker` subprocesses on the session broker; all are stopped at teardown."""
    started: list[Worker] = []

    def launch(extra: str = "", *, with_sources: bool = False, prefix: str | None = None,
               ready_timeout: float = 90, worker_options: str = "", own_data_dir: bool = False) -> Worker:
        prefix = prefix or f"t{uuid.uuid4().hex[:8]}"
        port = free_port()
        n = len(started)
        config = write_config(tmp_path / (f"{prefix}-{n}.toml" if own_data_dir else f"{prefix}.toml"), kafka,
                              prefix=prefix, web_port=port, extra=extra, worker=worker_options,
                              data_dir=tmp_path / f"worker-{prefix}-{n}" if own_data_dir else None)
        log = tmp_path / f"{prefix}-{len(started)}.log"
        worker = spawn_worker(config, f"http://127.0.0.1:{port}", prefix, log, with_sources=with_sources)
        started.append(worker)
        return wait_ready(worker, ready_timeout)

    try:
        yield launch
    finally:
        for worker in started:
            worker.stop()
