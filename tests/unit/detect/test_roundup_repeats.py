"""A pinned summary posted again is a duplicate of the earlier summary.

Live blogs re-post their "What we know" or "Key developments so far" box hours later, word for word
or nearly. The taxonomy calls an entry repeated verbatim a duplicate; roundups were exempt from
duplicate detection altogether, so the repeat was neither. A roundup is still never a duplicate of a
report, nor a report of a roundup, and a summary with new items is no repeat.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.model import Entry

SUMMARY = (
    "If you're just joining us, here's where things stand:\n\n"
    "- Rebel factions say they have broken through army lines east of Varnitsa; the defence ministry says the "
    "attack was repelled.\n"
    "- Air strikes hit the market in Kestrova, killing at least nine civilians, the civil defence said.\n"
    "- The UN envoy called for a humanitarian pause and said talks would resume in Geneva on Monday."
)


def _duplicates(*entries: Entry) -> list[str | None]:
    d = Detector(DetectionConfig())
    return [d.analyse(new(e), e.published).duplicate_of for e in entries]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Key developments so far", SUMMARY),
        ("Pinned: What we know so far", SUMMARY),
        ("Key developments so far", SUMMARY.replace("at least nine", "at least 9")),
    ],
)
def test_a_summary_posted_again_is_a_duplicate_of_the_first(title: str, body: str) -> None:
    first = make_entry("r1", title, SUMMARY)
    again = make_entry("r2", title, body, minutes=600)
    assert (_duplicates(first, again)[1] or "").endswith("r1")


def test_a_summary_with_new_items_is_no_repeat() -> None:
    first = make_entry("r1", "Key developments so far", SUMMARY)
    later = SUMMARY.replace(
        "- The UN envoy called",
        "- The army says it retook two villages north of Ostrel overnight and captured 40 fighters.\n"
        "- Drones struck a fuel depot near Dolbrin; no casualties were reported.\n"
        "- The government imposed a curfew in the capital from 8pm.\n- The UN envoy called",
    )
    assert _duplicates(first, make_entry("r2", "Key developments so far", later, minutes=600))[1] is None


def test_a_report_is_no_duplicate_of_a_summary_nor_a_summary_of_a_report() -> None:
    report = make_entry(
        "e1", "Rebels say they broke through army lines east of Varnitsa",
        "Rebel factions say they have broken through army lines east of Varnitsa; the defence ministry says the "
        "attack was repelled.",
    )
    summary = make_entry("r1", "Key developments so far", SUMMARY, minutes=60)
    again = make_entry("e2", report.title, report.body + " Fighting continued.", minutes=120)
    dups = _duplicates(report, summary, again)
    assert dups[1] is None
    assert (dups[2] or "").endswith("e1")
