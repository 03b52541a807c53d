"""`newsmon run`, the main job: embedded broker + worker + demo source, alerts on the console, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import free_port

from newsmon.broker import BrokerConfig, status

pytestmark = pytest.mark.integration


def test_run_plays_the_demo_prints_one_alert_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port, web = free_port(), free_port()
    # The packaged default configuration, with this test's ports and a faster replay.
    config = tmp_path / "newsmon.toml"
    default = subprocess.run([sys.executable, "-m", "newsmon", "config", "default"],
                             capture_output=True, text=True, check=True).stdout
    config.write_text(default.replace("speedup = 720", "speedup = 20000"), encoding="utf-8")
    env = {**os.environ, "NEWSMON_BROKER_PORT": str(port), "NEWSMON_WEB_PORT": str(web),
           "NEWSMON_BROKER_DATA_DIR": str(tmp_path / "kafka"), "NEWSMON_WORKER_DATA_DIR": str(tmp_path / "w"),
           "NEWSMON_APP_ID": "run-test"}
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "newsmon", "--config", str(config), "run"],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "[ALERT]" not in log.read_text(errors="replace"):
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        time.sleep(5)  # the rest of the demo blog: re-reports and denials must not alert again
        process.send_signal(signal.SIGINT)
        code = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert output.count("[ALERT]") == 1, output[-3000:]
    assert "breakthrough" in output.split("[ALERT]", 1)[1].split("\n", 1)[0].lower()
    cfg = BrokerConfig(port=port, controller_port=port + 1, data_dir=tmp_path / "kafka")
    assert not status(cfg).running, "the broker that `run` started is still running"
