"""A topic may imply others (`implies` in the taxonomy): a breakthrough claim is news of the fighting.

Claims worded without any of combat's own phrases still carry `combat`; entries that carry no claim
(a breakthrough in talks, a failed push denied) get no combat from it.
"""

from __future__ import annotations

import pytest

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.taxonomy import load_taxonomy
from newsmon.model import Analysis
from tests.unit.detect.detect_fixtures import make_entry, new


def _analyse(title: str, body: str, config: DetectionConfig | None = None) -> Analysis:
    entry = make_entry("x1", title, body)
    return Detector(config or DetectionConfig()).analyse(new(entry), entry.published)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Police say units broke through barricade line into Solvar district",
         "Specialised police units broke through the barricade line at the Solvar junction and are operating "
         "inside the district, the national police spokesman told reporters. The claim could not be verified."),
        ("Militia claims to have breached army defences at Korrin",
         "The Northland militia said its fighters breached the army's defensive line at Korrin overnight."),
        ("Northland: Southland lines pierced west of Velmora",
         "Northland's defence ministry said its brigades pierced the Southland front line west of Velmora."),
    ],
)
def test_a_breakthrough_claim_carries_combat(title: str, body: str) -> None:
    analysis = _analyse(title, body)
    assert analysis.claims, "the wording is a claim"
    assert "breakthrough-claim" in analysis.classification.topics and "combat" in analysis.classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Breakthrough in pay talks as unions and ministry agree deal",
         "Negotiators broke through months of deadlock on Tuesday, the transport union said."),
        ("Scientists report breakthrough in battery storage",
         "A laboratory team said its new cell breached the 500 Wh/kg barrier in tests."),
    ],
)
def test_no_claim_no_combat_from_it(title: str, body: str) -> None:
    analysis = _analyse(title, body)
    assert not analysis.claims
    assert "combat" not in analysis.classification.topics and "breakthrough-claim" not in analysis.classification.topics


def test_removing_an_implied_topic_leaves_the_claim_topic_alone() -> None:
    taxonomy = load_taxonomy({"remove_topics": ["combat"]})
    assert taxonomy.topic("breakthrough-claim").implies == ()
    analysis = _analyse(
        "Militia claims to have breached army defences at Korrin",
        "The Northland militia said its fighters breached the army's defensive line at Korrin overnight.",
        DetectionConfig(taxonomy=taxonomy),
    )
    assert analysis.classification.topics == ("breakthrough-claim",)


@pytest.mark.parametrize(
    ("bad", "word"),
    [
        ({"topics": {"combat": {"implies": ["nope"]}}}, "combat.implies"),
        ({"topics": {"combat": {"implies": ["combat"]}}}, "combat.implies"),
        ({"topics": {"combat": {"implies": "airspace"}}}, "combat.implies"),
    ],
)
def test_a_bad_implied_topic_is_named(bad: dict[str, object], word: str) -> None:
    with pytest.raises(ValueError, match=word):
        load_taxonomy(bad)
