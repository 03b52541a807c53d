"""Time the main job: `newsmon run` on the packaged demo, from a cold start to the first alert.

Prints: broker start, worker ready, replay start -> first alert (and its wall-clock share of the
demo's compressed timeline). Uses free ports and a temporary data directory; stops everything.

    .venv/bin/python bench/first_alert.py [--speedup 720]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speedup", type=float, default=720.0, help="demo replay speed-up (default: as shipped)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    default = subprocess.run([sys.executable, "-m", "newsmon", "config", "default"], capture_output=True,
                             text=True, check=True).stdout
    config = tmp / "newsmon.toml"
    config.write_text(re.sub(r"speedup = \d+", f"speedup = {args.speedup:g}", default), encoding="utf-8")
    env = {**os.environ, "NEWSMON_BROKER_PORT": str(free_port()), "NEWSMON_WEB_PORT": str(free_port()),
           "NEWSMON_BROKER_DATA_DIR": str(tmp / "kafka"), "NEWSMON_WORKER_DATA_DIR": str(tmp / "worker")}
    started = time.monotonic()
    marks: dict[str, float] = {}
    process = subprocess.Popen([sys.executable, "-m", "newsmon", "--config", str(config), "run"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, bufsize=1)
    patterns = {"broker": "worker '", "replay": "replay demo-liveblog: playing", "alert": "[ALERT]"}
    assert process.stdout is not None
    try:
        for line in process.stdout:
            for name, needle in patterns.items():
                if needle in line and name not in marks:
                    marks[name] = time.monotonic() - started
            if "alert" in marks or time.monotonic() - started > 300:
                break
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if "alert" not in marks:
        print("no alert within 300 s", file=sys.stderr)
        return 1
    print(f"broker started (cold data dir)       {marks['broker']:6.2f} s after launch")
    print(f"replay started                       {marks['replay']:6.2f} s after launch")
    print(f"first alert                          {marks['alert']:6.2f} s after launch")
    print(f"replay start -> first alert          {marks['alert'] - marks['replay']:6.2f} s "
          f"(the claim is published 45 min into the demo = {2700 / args.speedup:.2f} s at speedup {args.speedup:g})")
    print(f"exit code after Ctrl-C               {process.returncode}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
