"""The quality bar on the seed live blog (a dev set; the same bar is checked on unseen blogs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsmon.detect.evaluate import Report, evaluate_files

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("NEWSMON_SHARED", REPO.parent / "shared"))
ENTRIES = SHARED / "data" / "seed-entries.jsonl"
LABELS = SHARED / "data" / "seed-labels.json"


@pytest.fixture(scope="module")
def report() -> Report:
    if not (ENTRIES.exists() and LABELS.exists()):
        pytest.skip(f"seed data not found under {SHARED} (set NEWSMON_SHARED to the shared folder)")
    return evaluate_files(ENTRIES, LABELS)


def test_duplicates_f1(report: Report) -> None:
    assert report.duplicates.f1 >= 0.95, report.details["duplicates_fn"]


def test_topics_micro_f1(report: Report) -> None:
    assert report.topics.f1 >= 0.90, (report.details["topics_fp"], report.details["topics_fn"])


def test_breakthrough_alerts_and_contests(report: Report) -> None:
    assert all(report.alerts_expected.values()), report.alerts_expected
    assert all(report.alerts_forbidden.values()), report.alerts_forbidden
    assert all(report.contests.values()), report.contests


def test_story_pairwise_f1(report: Report) -> None:
    assert report.stories.f1 >= 0.85, (report.details["stories_fp"], report.details["stories_fn"])


def test_story_pairwise_precision_floor(report: Report) -> None:
    # what the current clustering does reach; guards against regressions
    assert report.stories.precision >= 0.85 and report.stories.f1 >= 0.7
