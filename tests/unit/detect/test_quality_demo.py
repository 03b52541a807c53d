"""The quality bar on the demo live blog (held out: written by another author, not tuned on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.detect.evaluate import Report, evaluate_files

DEMO = Path(__file__).resolve().parents[3] / "newsmon" / "demo"


@pytest.fixture(scope="module")
def report() -> Report:
    entries, labels = DEMO / "demo-liveblog.jsonl", DEMO / "demo-labels.json"
    if not (entries.exists() and labels.exists()):
        pytest.skip(f"demo blog not found under {DEMO}")
    return evaluate_files(entries, labels)


def test_demo_meets_the_bar(report: Report) -> None:
    assert report.passes(), (report.lines(), report.details)
