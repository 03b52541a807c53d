"""A claim or a summary posted again word for word after the window has forgotten it (a pinned post)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from detect_fixtures import T0, make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.pins import PIN_PREFIX
from newsmon.model import Entry
from newsmon.replay import run
from newsmon.settings import RuleSettings, Settings

DAY = 24 * 60

CLAIMS = [
    ("Army says it broke through rebel lines at Kamdesh",
     "The army's spokesman said troops had broken through the rebels' defensive lines at Kamdesh overnight. "
     "The claim could not be independently verified."),
    ("Rebels claim breach of army defences near Dalbandin",
     "A rebel commander said his fighters breached the army's defences near Dalbandin and pushed 5 km on. "
     "There was no independent confirmation."),
    ("Government forces 'punch through' insurgent positions in Sarakhs",
     "Government forces have punched through insurgent positions in Sarakhs, the defence ministry said on Monday."),
]
ROUNDUP = ("What we know so far", "Here is the latest on the fighting in the north:\n- The army claims gains.\n"
           "- Aid agencies warn of shortages.\n- Talks are due to resume next week.")
FILLER = ("Aid convoy reaches the valley", "A convoy of 20 lorries carrying food reached the valley, the UN said.")


def _pinned_then(detector: Detector, first: Entry, days: float, title: str, body: str) -> tuple[str, str | None]:
    detector.analyse(new(first), first.published)
    filler = make_entry("f1", *FILLER, minutes=days * DAY / 2)  # the window moves on meanwhile
    detector.analyse(new(filler), filler.published)
    again = make_entry("again", title, body, minutes=days * DAY)
    analysis = detector.analyse(new(again), again.published)
    return analysis.story, analysis.duplicate_of


@pytest.mark.parametrize(("title", "body"), CLAIMS)
def test_a_claim_posted_again_verbatim_weeks_later_is_a_duplicate_of_the_first_post(title: str, body: str) -> None:
    detector = Detector(DetectionConfig())
    first = make_entry("pinned", title, body)
    story, duplicate_of = _pinned_then(detector, first, 20, title, body)
    assert duplicate_of == first.key and story == first.key


@pytest.mark.parametrize(("title", "body"), CLAIMS)
def test_spacing_and_case_do_not_hide_the_repeat(title: str, body: str) -> None:
    detector = Detector(DetectionConfig())
    first = make_entry("pinned", title, body)
    _, duplicate_of = _pinned_then(detector, first, 6, title.upper(), body.replace(" ", "  ") + "\n")
    assert duplicate_of == first.key


@pytest.mark.parametrize(("title", "body"), CLAIMS)
def test_a_repeat_with_a_new_sentence_is_no_pinned_repeat(title: str, body: str) -> None:
    detector = Detector(DetectionConfig())
    first = make_entry("pinned", title, body)
    _, duplicate_of = _pinned_then(detector, first, 6, title, body + " Fighting continued on Tuesday.")
    assert duplicate_of is None


def test_a_roundup_posted_again_days_later_is_a_duplicate() -> None:
    detector = Detector(DetectionConfig())
    first = make_entry("box", *ROUNDUP)
    _, duplicate_of = _pinned_then(detector, first, 5, *ROUNDUP)
    assert duplicate_of == first.key


def test_the_memory_ends_after_pin_days() -> None:
    title, body = CLAIMS[0]
    first = make_entry("pinned", title, body)
    assert _pinned_then(Detector(DetectionConfig(pin_days=10)), first, 9, title, body)[1] == first.key
    detector = Detector(DetectionConfig(pin_days=10))
    story, duplicate_of = _pinned_then(detector, first, 11, title, body)
    assert duplicate_of is None and story.endswith("again")


def test_the_memory_survives_a_restore_and_its_records_are_deleted_when_it_ends() -> None:
    title, body = CLAIMS[1]
    config = DetectionConfig(pin_days=10)
    detector, table = Detector(config), {}
    first = make_entry("pinned", title, body)
    for entry in (first, make_entry("f1", *FILLER, minutes=3 * DAY)):
        detector.analyse(new(entry), entry.published)
        table.update(json.loads(json.dumps(detector.memory_updates())))
    assert PIN_PREFIX + first.key in table and table[first.key] is None  # the window forgot it, the pin did not
    restored = Detector.restore(config, [(k, v) for k, v in table.items() if v is not None], T0 + timedelta(days=3))
    again = make_entry("again", title, body, minutes=5 * DAY)
    assert restored.analyse(new(again), again.published).duplicate_of == first.key
    late = make_entry("f2", *FILLER, minutes=30 * DAY)
    restored.analyse(new(late), late.published)
    assert restored.memory_updates().get(PIN_PREFIX + first.key, "kept") is None


def test_replay_does_not_alert_again_for_a_pinned_claim_posted_weeks_later() -> None:
    settings = Settings(rules=[RuleSettings("breakthrough-claim", "first-seen", "breakthrough-claim", "critical")])
    title, body = CLAIMS[0]
    entries = [make_entry("pinned", title, body), make_entry("f1", *FILLER, minutes=10 * DAY),
               make_entry("again", title, body, minutes=21 * DAY)]
    fired = [(step.entry.entry_id, a.kind.value) for step in run(entries, settings) for a in step.alerts]
    assert [i for i, kind in fired if kind == "fired"] == ["pinned"]
