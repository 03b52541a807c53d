"""The worker's /timeline page in a real headless Chromium: the seed blog's breakthrough story and its contest.

Needs Debian's ``chromium`` (installed with apt-get when missing).  The
screenshot is kept as ``test-artifacts/timeline.png`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import html as lxml_html
from support import Worker, produce, run, seed_replay_source

from newsmon.model import Entry
from newsmon.streams.records import encode_entry
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing."""
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            pytest.skip("chromium is not installed at /usr/bin/chromium and apt-get (as root) is not available")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
            assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert CHROMIUM.exists()
    return CHROMIUM


def browse(chromium: Path, tmp_path: Path, url: str, *extra: str) -> str:
    """Run headless Chromium on `url` (JS runs for 5 s of virtual time); returns its stdout."""
    args = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-proxy-server", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1280,2000",
            "--virtual-time-budget=5000", *extra, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"chromium exited with {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def timeline(worker: Worker) -> dict[str, Any]:
    response = httpx.get(f"{worker.web}/timeline.json", timeout=5)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def wait_for_story(worker: Worker, found: Callable[[dict[str, Any]], bool], timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    data: dict[str, Any] = {}
    while time.monotonic() < deadline:
        data = timeline(worker)
        for story in data["stories"]:
            if found(story):
                return story
        time.sleep(0.5)
    raise AssertionError(f"no such story on /timeline.json in {timeout}s: {data}\n{worker.output()[-3000:]}")


def breakthrough_contested(story: dict[str, Any]) -> bool:
    entries = {e["id"]: e for e in story["entries"]}
    return (story["id"].endswith("\x1fE24") and story["complete"] and bool(story["alerts"])
            and "E10" in entries and entries["E10"]["contests"] == story["id"]
            and any(c["entry"].endswith("\x1fE10") for c in story["contested_by"]))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_timeline_page_shows_the_breakthrough_story_and_its_contesting_entry(
    shared_dir: Path, start_worker: Callable[..., Worker], chromium: Path, tmp_path: Path
) -> None:
    worker = start_worker(seed_replay_source(shared_dir), with_sources=True)
    story = wait_for_story(worker, breakthrough_contested)
    time.sleep(3)  # let the rest of the blog arrive, so the page shows more than one story
    story = next(s for s in timeline(worker)["stories"] if s["id"] == story["id"])
    e10 = next(e for e in story["entries"] if e["id"] == "E10")
    assert "breakthrough" in story["headline"].lower() or "broken through" in story["headline"].lower()
    assert any(c["kind"] == "breakthrough" and c["place"] == "Luhansk" for c in story["claims"])
    assert any(a["rule"] == "breakthrough-claim" and a["severity"] == "critical" for a in story["alerts"])

    page = httpx.get(f"{worker.web}/timeline", timeout=5)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no external assets

    dom = lxml_html.fromstring(browse(chromium, tmp_path, f"{worker.web}/timeline", "--dump-dom"))
    cards = [c for c in dom.xpath("//article[contains(@class, 'story')]")
             if c.xpath("string(.//h2//*[@class='headline'])") == story["headline"]]
    assert len(cards) == 1, lxml_html.tostring(dom)[:3000]
    card = cards[0]
    assert card.xpath(".//h2//span[contains(@class, 'badge') and text()='contested']"), "no 'contested' badge"
    rows = [li for li in card.xpath(".//ol[@class='entries']/li") if e10["title"] in li.text_content()]
    assert len(rows) == 1, "the contesting entry E10 is not listed in the story"
    assert rows[0].xpath(".//span[contains(@class, 'badge') and text()='contests']"), "E10 has no 'contests' marker"
    assert e10["title"] in card.xpath("string(.//ul[@class='contested-by'])")
    assert "breakthrough-claim" in card.xpath("string(.//ul[@class='alerts'])")
    assert "Luhansk" in card.xpath("string(.//ul[@class='claims'])")
    assert e10["language"] == "en" and rows[0].xpath(".//span[@class='lang' and text()='en']"), "no language shown"
    statuses = {c["verification"] for c in story["claims"]}
    assert statuses and statuses <= {"unverified", "verified", "disputed"}
    shown = set(card.xpath(".//ul[@class='claims']/li/span[contains(@class, 'badge')]/text()"))
    assert statuses <= shown, f"verification status not on the page: {statuses} vs {shown}"
    assert len(dom.xpath("//article")) > 1
    assert "refresh failed" not in dom.xpath("string(//*[@id='status'])")

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "timeline.png"
    shot.unlink(missing_ok=True)
    browse(chromium, tmp_path, f"{worker.web}/timeline", f"--screenshot={shot}")
    assert shot.exists(), "chromium wrote no screenshot"
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 30_000, "the screenshot is (nearly) blank"


def test_hostile_title_is_rendered_as_text(
    kafka: str, start_worker: Callable[..., Worker], chromium: Path, tmp_path: Path
) -> None:
    worker = start_worker()
    body = "Nothing to see."
    hostile = Entry(source="hostile", entry_id="x1", title=HOSTILE, body=body, url="javascript:alert(1)",
                    content_hash=content_hash(HOSTILE, body))
    run(produce(kafka, Topics.for_prefix(worker.prefix).raw, [(b"hostile", encode_entry(hostile))]))
    wait_for_story(worker, lambda s: s["headline"] == HOSTILE, timeout=60)

    raw = browse(chromium, tmp_path, f"{worker.web}/timeline", "--dump-dom")
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw  # escaped text ...
    dom = lxml_html.fromstring(raw)
    assert dom.xpath("//img") == []  # ... not an element
    assert dom.xpath("//h2/*[@class='headline']/text()") == [HOSTILE]
    assert not dom.xpath("//a[starts-with(@href, 'javascript:')]")
