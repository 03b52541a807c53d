"""Speakers no side table knows: what they are called says which party they are.

"Rebels", "opposition factions" and "insurgents" are what any armed group is called, not a party's
name, so a claim by "Opposition factions" re-reported as the rebels' is one claim (a duplicate, no
second alert). The army and the rebels are two parties: the army's counter-claim at the same town is
news, never a duplicate of the rebels' claim, and the other way round.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.parties import other_party

FIRST = make_entry(
    "a1",
    "Opposition factions say they have broken through army defences at Tel Rifaat",
    "Opposition factions said on Wednesday their fighters had broken through army defences at Tel Rifaat, "
    "north of Aleppo.",
    source="wire",
)


def _second(title: str, body: str) -> str | None:
    d = Detector(DetectionConfig())
    d.analyse(new(FIRST), FIRST.published)
    later = make_entry("b1", title, body, minutes=40, source="blog")
    analysis = d.analyse(new(later), later.published)
    assert analysis.claims
    return analysis.duplicate_of


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Rebels claim breakthrough at Tel Rifaat",
         "Rebels are claiming to have punched through the army front line at Tel Rifaat, north of Aleppo. "
         "This could not be verified."),
        ("Insurgents say army lines at Tel Rifaat breached",
         "Insurgents said their fighters had breached the army's defences at Tel Rifaat, north of Aleppo."),
    ],
)
def test_the_same_armed_group_under_another_common_name_is_one_claim(title: str, body: str) -> None:
    assert _second(title, body) == FIRST.key


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Army says it broke through rebel lines at Tel Rifaat",
         "The army said its troops had broken through rebel defences at Tel Rifaat, north of Aleppo, and "
         "retaken the town."),
        ("Government forces claim breakthrough at Tel Rifaat",
         "The defence ministry said government troops broke through the militants' lines at Tel Rifaat."),
    ],
)
def test_the_army_s_counter_claim_at_the_same_town_is_news(title: str, body: str) -> None:
    assert _second(title, body) is None


@pytest.mark.parametrize(
    ("a", "b", "other"),
    [
        ("Rebels", "Opposition factions", False),
        ("the army", "Rebels", True),
        ("Insurgents", "Syria's defence ministry", True),
        ("the police", "the gangs", True),
        ("Tripoli's operations room", "Khalifa Haftar's forces", True),
        ("the general staff", "Rebels", False),
    ],
)
def test_speakers_of_two_kinds_are_two_parties(a: str, b: str, other: bool) -> None:
    assert other_party(a, b) is other


def test_two_states_forces_are_still_two_parties() -> None:
    assert other_party("Northland's defence ministry", "Southland's army")
    assert not other_party("Northland's defence ministry", "Northland's army")
