"""Re-reports of claims by parties no side table knows: whose claim it is, from the names around the action.

* the attacker is named before the action (or after "by" in the passive) and by the claimant, the
  defender right after the action; a party's name of several words is also known by its initials
  ("Ambazonia Defence Forces" is the "ADF");
* a reworded report of the same party's claim at the same place is a duplicate; the other side's
  claim at that place (its attacker is the first claim's defender) is not.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from detect_fixtures import T0, make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claimparties import party_names, roles, same_party
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.model import Analysis, Claim, Entry

FIRST = make_entry(
    "a1", "Separatists claim breakthrough at Batibo",
    "The Ambazonia Defence Forces said on Monday that its fighters had broken through the army's defensive "
    "lines at Batibo and taken two checkpoints. The claim could not be verified.", source="blog")


def _second(entry: Entry) -> tuple[Analysis, Analysis]:
    detector = Detector(DetectionConfig())
    first = detector.analyse(new(FIRST), FIRST.published)
    again = detector.analyse(new(entry), T0 + timedelta(hours=3))
    assert first.claims and again.claims and not first.claims[0].side and not again.claims[0].side
    return first, again


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("ADF says it breached army defences in Batibo",
         "ADF fighters breached the army's defences in Batibo and seized two checkpoints, a spokesman for the group "
         "said. There was no independent confirmation."),
        ("Batibo: separatist fighters punch through army lines",
         "Fighters of the Ambazonia Defence Forces say they punched through army positions around Batibo, taking "
         "two checkpoints, according to a statement. The claim could not be independently verified."),
        ("Army lines at Batibo breached, separatists say",
         "Army defensive positions at Batibo were breached by ADF fighters, who took two checkpoints, the group "
         "said in a statement. It could not be verified."),
    ],
)
def test_the_same_partys_claim_reworded_by_another_source_is_a_duplicate(title: str, body: str) -> None:
    first, again = _second(make_entry("w1", title, body, source="wire"))
    assert again.duplicate_of == first.event.entry.key


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Army says it broke through ADF lines at Batibo",
         "The army said its soldiers had broken through the lines of the Ambazonia Defence Forces at Batibo and "
         "retaken two checkpoints. The claim could not be verified."),
        ("Troops breach separatist defences in Batibo, army says",
         "Government troops breached ADF defences in Batibo and took back two checkpoints, the army said. There "
         "was no independent confirmation."),
    ],
)
def test_the_other_sides_claim_at_the_same_place_is_no_duplicate(title: str, body: str) -> None:
    _, again = _second(make_entry("w1", title, body, source="wire"))
    assert again.duplicate_of is None


def test_a_name_of_several_words_is_known_by_its_initials() -> None:
    assert {"lna", "gna"} <= party_names("the Libyan National Army against the Government of National Accord")
    assert "adf" in party_names("the Ambazonia Defence Forces")
    assert "thursday" not in party_names("said on Thursday")


def test_roles_read_the_active_and_the_passive() -> None:
    active = Claim("breakthrough", "", "Batibo", evidence="ADF fighters broke through army lines at Batibo.",
                   action="broke through")
    passive = Claim("breakthrough", "", "Batibo", evidence="Army lines at Batibo were breached by ADF fighters.",
                    action="breached")
    assert roles(active) == (frozenset({"adf"}), frozenset({"batibo"}))
    assert roles(passive) is not None and "adf" in roles(passive)[0]
    assert same_party(active, passive) is True
    for evidence, action in [("ADF fighters were breaking through army lines at Batibo.", "breaking through"),
                             ("ADF units are pushing through army positions at Batibo.", "pushing through")]:
        progressive = Claim("breakthrough", "", "Batibo", evidence=evidence, action=action)
        assert same_party(active, progressive) is True  # a progressive is active, not passive
    other = Claim("breakthrough", "", "Batibo", evidence="Troops broke through ADF lines at Batibo.",
                  action="broke through")
    assert same_party(active, other) is False


@pytest.mark.parametrize("body", [
    "ADF fighters breached the army's defences in Batibo and seized two checkpoints, the group's Council of Elders "
    "said.",
    "Fighters loyal to the Government of National Salvation say they breached the army's defences in Batibo and "
    "seized two checkpoints.",
])
def test_a_body_named_of_something_is_no_new_place_of_a_re_report(body: str) -> None:
    first, again = _second(make_entry("w1", "ADF claims breach in Batibo", body, source="wire"))
    assert again.duplicate_of == first.event.entry.key
