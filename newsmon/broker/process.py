"""The broker's JVM process: its pid file, whether it is alive and what it listens on."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

from newsmon.broker.config import BrokerConfig

# --------------------------------------------------------------------------- process tracking


class _DetachedPopen(subprocess.Popen[bytes]):
    """A child meant to outlive this process: no "still running" warning at exit."""

    def __del__(self) -> None:
        pass


# JVMs started by this Python process: kept so they can be reaped (no zombies).
_children: dict[int, subprocess.Popen[bytes]] = {}


def _pid_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie still answers kill(0); on Linux /proc tells
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _command_line(pid: int) -> str | None:
    """The process's command line; None when unknown (a process being torn down, e.g. a JVM
    killed with SIGKILL, has an empty one for a while: it still holds its ports then)."""
    if Path("/proc/self").is_dir():  # Linux: /proc tells, ps would not know more
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() or None
        except OSError:
            return None
    try:
        done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None


def _running_pid(cfg: BrokerConfig) -> int | None:
    """Pid of this data dir's broker JVM if it is alive, else None (stale files removed)."""
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid):
        command = _command_line(pid)
        # Guard against pid reuse: the process must be a broker of this data dir.
        if command is None or ("kafka.Kafka" in command and str(cfg.properties_file) in command):
            return pid
    _remove_run_files(cfg)
    return None


def _remove_run_files(cfg: BrokerConfig) -> None:
    for path in (cfg.pid_file, cfg.state_file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _running_endpoint(cfg: BrokerConfig) -> tuple[str, int, int]:
    """(host, port, controller_port) the running broker was started with."""
    try:
        state = json.loads(cfg.state_file.read_text())
        return str(state["host"]), int(state["port"]), int(state["controller_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return cfg.host, cfg.port, cfg.controller_port


