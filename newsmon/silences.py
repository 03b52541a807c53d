"""Silences on disk: one JSON file in the worker's data directory.

``newsmon silence add|list|expire`` edits the file (atomic replace under an
exclusive lock); every worker re-reads it when its modification time changes
(checked at most once a second).  A file, not a topic, because it works with
the broker down, needs no extra topic or consumer, and survives restarts; with
workers on several machines, point their ``worker.data_dir`` (or just this
file, via ``NEWSMON_SILENCES``) at shared storage.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from newsmon.routing import Silence
from newsmon.settings import Settings

FILE_NAME = "silences.json"


def path_for(settings: Settings) -> Path:
    override = os.environ.get("NEWSMON_SILENCES")
    return Path(override) if override else settings.worker.data_dir / FILE_NAME


def load(path: Path) -> list[Silence]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read silences: {exc}") from None
    return [Silence.from_dict(item) for item in data.get("silences", [])]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / (path.name + ".lock")).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _save(path: Path, silences: list[Silence]) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps({"v": 1, "silences": [s.to_dict() for s in silences]}, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def add(path: Path, silence: Silence, now: datetime) -> None:
    """Add a silence, dropping ones that expired."""
    with _locked(path):
        kept = [s for s in load(path) if s.ends > now and s.id != silence.id]
        _save(path, [*kept, silence])


def expire(path: Path, silence_id: str, now: datetime) -> bool:
    """End a silence now (prefix of its id is enough when unique); False when none matched."""
    with _locked(path):
        silences = load(path)
        hits = [s for s in silences if s.id.startswith(silence_id)]
        if len(hits) != 1:
            return False
        _save(path, [s for s in silences if s is not hits[0] and s.ends > now])
        return True


class SilenceFile:
    """The silences of a file, re-read when it changes."""

    def __init__(self, path: Path, check_every: float = 1.0) -> None:
        self.path = path
        self._check_every = check_every
        self._checked = -1e9
        self._mtime: float | None = None
        self._silences: list[Silence] = []

    def current(self) -> list[Silence]:
        now = time.monotonic()
        if now - self._checked >= self._check_every:
            self._checked = now
            try:
                mtime: float | None = self.path.stat().st_mtime
            except FileNotFoundError:
                mtime = None
            if mtime != self._mtime:
                self._mtime = mtime
                # on a broken file keep the last good set; the CLI only writes whole files
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    self._silences = load(self.path)
        return self._silences
