"""What disputes a claim inside its own entry, and what only looks like it.

* "lie" as a noun of denial ("Kyiv called the report a lie", "these are lies") disputes a claim;
  "lies" as a verb of place ("the village lies on the road to …") does not;
* an attack repelled disputes the claim of the side whose attack it was; the other side's attack
  pushed back ("Russian units … before being partly pushed back", background of a Ukrainian claim)
  disputes nothing.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text

NORTH_CLAIM = "Northland's defence ministry says its troops have broken through Southland defences near Velmora."


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor(default_taxonomy())


def _verification(extractor: ClaimExtractor, body: str) -> str:
    result = extractor.extract(read_text("Northland claims breakthrough near Velmora", body))
    assert result.claims
    return result.claims[0].verification


@pytest.mark.parametrize(
    "background",
    [
        "Velmora lies on the western approaches to Korrin, which Northland has tried to encircle for months.",
        "The village lies about 10km west of Korrin, on the main road.",
        "Velmora lies in a river valley and had 3,000 residents before the war.",
    ],
)
def test_a_village_that_lies_somewhere_disputes_nothing(extractor: ClaimExtractor, background: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {background}") == "unverified"


@pytest.mark.parametrize(
    "denial",
    [
        "Southland's army called the report a lie.",
        '"These are lies," a Southland military spokesman said.',
        "Southland's general staff said the claims were lies and disinformation.",
    ],
)
def test_calling_the_claim_a_lie_disputes_it(extractor: ClaimExtractor, denial: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {denial}") == "disputed"


@pytest.mark.parametrize(
    "background",
    [
        "The area has seen heavy fighting since August, when Southland units infiltrated Northland lines "
        "before being partly pushed back.",
        "Last month Southland soldiers crossed the river there before being driven back.",
    ],
)
def test_the_other_sides_attack_pushed_back_disputes_nothing(extractor: ClaimExtractor, background: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {background}") == "unverified"


@pytest.mark.parametrize(
    "repelled",
    [
        "Southland's army said the Northland attack near Velmora had been repelled.",
        "Southland's general staff said its troops repelled Northland assaults near Velmora.",
    ],
)
def test_the_claimants_attack_repelled_disputes_it(extractor: ClaimExtractor, repelled: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {repelled}") == "disputed"


@pytest.mark.parametrize(
    "body",
    [
        "Since this morning enemy outlets have spread reports of a so-called breakthrough at Korrin. The so-called "
        "breakthrough is a fabrication. Meanwhile Northland troops have broken through the Southland defensive line "
        "east of Velmora, the Northland defence ministry said.",
        "Enemy channels speak of a breakthrough at Korrin overnight. That is false. On the eastern front, "
        "Northland brigades pierced the Southland front line at Velmora, the Northland general staff said.",
    ],
)
def test_a_denial_of_what_the_lead_says_elsewhere_disputes_nothing_of_the_own_claim(
    extractor: ClaimExtractor, body: str
) -> None:
    (claim,) = extractor.extract(read_text("Statement on the situation at the fronts", body)).claims
    assert claim.place == "Velmora" and claim.verification == "unverified"


@pytest.mark.parametrize(
    "denial",
    ["The claim is a fabrication.", "Those reports are false, the other side said.", "This was denied."],
)
def test_a_denial_naming_no_place_disputes_the_claim_of_the_lead(extractor: ClaimExtractor, denial: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {denial}") == "disputed"
