"""A claim the other side denies in the same entry is disputed, in every way it is said.

* a denial whose object is a pronoun standing for the claim ("Cambodia's defence ministry has
  already denied it", "The Polisario flatly rejects this", "Kiew wies das zurück");
* an attack said to be beaten back by another party than the claimant, when no side table knows
  either ("Tripoli's operations room insists the attack was beaten back"), but not by the
  claimant's own party, and not "the defensive line held by ..." inside the claim's sentence;
* such a denial is about the entry's own claim: it contests no other claim of the story.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.tokens import read_text


def _verification(extractor: ClaimExtractor, title: str, body: str) -> str:
    result = extractor.extract(read_text(title, body))
    assert result.claims
    return result.claims[0].verification


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Thailand says Ta Krabey hilltop post taken",
         "Thai troops have overrun a Cambodian hilltop outpost overlooking the Ta Krabey temple, the Thai army says. "
         "Cambodia's defence ministry has already denied it."),
        ("Amgala: Rabat says troops stormed Polisario trenches",
         "Soldiers of the Royal Armed Forces stormed through Polisario trench lines east of Amgala, a Moroccan "
         "military official said. The Polisario flatly rejects this."),
        ("Russland meldet Durchbruch bei Pokrowsk",
         "Russische Truppen haben nach Angaben des Verteidigungsministeriums in Moskau die ukrainischen Linien bei "
         "Pokrowsk durchbrochen. Kiew wies das umgehend zurück."),
        ("LNA claims breakthrough at Abu Grein",
         "Khalifa Haftar's forces say they have smashed through the defences at Abu Grein, the crossroads town on "
         "the road north to Misrata. Tripoli's operations room insists the attack was beaten back."),
    ],
)
def test_the_other_sides_denial_in_the_entry_disputes_its_claim(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    assert _verification(extractor, title, body) == "disputed"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Haftar's forces say they have ruptured Abu Grein defences",
         "Units of the Libyan National Army have ruptured the defensive line held by Tripoli-aligned forces at "
         "Abu Grein and are pushing west along the coastal highway, the LNA's media office said."),
        ("LNA claims breakthrough at Abu Grein",
         "Khalifa Haftar's forces say they have smashed through the defences at Abu Grein. Haftar's commanders "
         "said a counter-attack on the town in the evening was beaten back."),
    ],
)
def test_a_line_held_by_the_enemy_or_the_claimants_own_repulse_disputes_nothing(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    assert _verification(extractor, title, body) == "unverified"


def test_an_entrys_own_denial_contests_no_other_claim_of_the_story() -> None:
    first = make_entry(
        "t1", "Thai military says Cambodian line near Ta Muen Thom has been breached",
        "Cambodian defences on the ridgeline beside Ta Muen Thom have been breached, according to the Thai military, "
        "which says its infantry pushed through at dawn.",
    )
    second = make_entry(
        "t2", "Thailand says Ta Krabey hilltop post taken; Phnom Penh says attack failed",
        "Thai troops have overrun a Cambodian hilltop outpost overlooking the Ta Krabey temple, about 13km east of "
        "Ta Muen Thom, the Thai army says. Cambodia's defence ministry has already denied it.",
        minutes=60,
    )
    detector = Detector(DetectionConfig())
    detector.analyse(new(first), first.published)
    later = detector.analyse(new(second), second.published)
    assert later.claims and later.claims[0].verification == "disputed"
    assert later.contests is None
