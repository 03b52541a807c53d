"""Whether a Kafka broker answers: a minimal ApiVersions / Metadata exchange over a socket."""

from __future__ import annotations

import errno
import socket
import struct

from newsmon.broker.config import BrokerError

# --------------------------------------------------------------------------- kafka wire probe


class _ProbeError(Exception):
    pass


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise _ProbeError("connection closed by the server")
        chunks += chunk
    return bytes(chunks)


def _kafka_call(sock: socket.socket, api_key: int, version: int, correlation_id: int, body: bytes) -> bytes:
    """Send one request with a v1 (non-flexible) header; return the response body."""
    client_id = b"newsmon-probe"
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    response = _recv_exact(sock, size)
    (got_id,) = struct.unpack_from(">i", response, 0)
    if got_id != correlation_id:
        raise _ProbeError(f"correlation id {got_id} != {correlation_id}")
    return response[4:]


def _api_versions(sock: socket.socket) -> dict[int, tuple[int, int]]:
    """ApiVersions v0 (api key 18), which every broker answers: {api_key: (min, max)}."""
    body = _kafka_call(sock, 18, 0, 1, b"")
    error, count = struct.unpack_from(">hi", body, 0)
    if error != 0:
        raise _ProbeError(f"ApiVersions error code {error}")
    versions: dict[int, tuple[int, int]] = {}
    for i in range(count):
        key, low, high = struct.unpack_from(">hhh", body, 6 + 6 * i)
        versions[key] = (low, high)
    return versions


def _metadata_broker_count(sock: socket.socket, low: int, high: int) -> int | None:
    """Brokers listed by a Metadata request (api key 3) for no topics.

    Uses the newest non-flexible version (4..8) the broker accepts; returns
    None when there is none, so the caller falls back to ApiVersions alone.
    A KRaft broker lists itself only once it is registered and unfenced.
    """
    version = min(high, 8)
    if version < max(low, 4):
        return None
    body = struct.pack(">i?", 0, False)  # topics: [], allow_auto_topic_creation
    if version >= 8:
        body += struct.pack(">??", False, False)  # include_*_authorized_operations
    response = _kafka_call(sock, 3, version, 2, body)
    _throttle, brokers = struct.unpack_from(">ii", response, 0)
    return int(brokers)


def kafka_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """True if a Kafka broker at host:port answers and lists at least one live broker."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            versions = _api_versions(sock)
            if 3 not in versions:
                return True
            brokers = _metadata_broker_count(sock, *versions[3])
            return brokers is None or brokers > 0
    except (OSError, _ProbeError, struct.error):
        return False


def port_in_use(host: str, port: int) -> bool:
    """True if something listens on host:port (binding it fails)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR so that TIME_WAIT leftovers of a previous broker don't count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise BrokerError(f"cannot use {host}:{port}: {exc}") from exc
    return False


