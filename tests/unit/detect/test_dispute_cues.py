"""What disputes a claim inside its own entry, and what only looks like it.

* "lie" as a noun of denial ("Kyiv called the report a lie", "these are lies") disputes a claim;
  "lies" as a verb of place ("the village lies on the road to …") does not;
* an attack repelled disputes the claim of the side whose attack it was; the other side's attack
  pushed back ("Russian units … before being partly pushed back", background of a Ukrainian claim)
  disputes nothing;
* a denial naming no place is of what the entry's lead reports: the claim there, but nothing of the
  entry's own claim at another place ("the so-called breakthrough at Korrin is a fabrication;
  meanwhile our troops broke through at Velmora").
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text

NORTH_CLAIM = "Northland's defence ministry says its troops have broken through Southland defences near Velmora."



def _verification(extractor: ClaimExtractor, body: str) -> str:
    result = extractor.extract(read_text("Northland claims breakthrough near Velmora", body))
    assert result.claims
    return result.claims[0].verification


# what follows the claim in its entry, and the claim's status then
FOLLOWING = [
    # "lies" as a verb of place
    (
        "Velmora lies on the western approaches to Korrin, which Northland has tried to encircle for months.",
        "unverified",
    ),
    ("The village lies about 10km west of Korrin, on the main road.", "unverified"),
    ("Velmora lies in a river valley and had 3,000 residents before the war.", "unverified"),
    # "a lie" as a noun of denial
    ("Southland's army called the report a lie.", "disputed"),
    ('"These are lies," a Southland military spokesman said.', "disputed"),
    ("Southland's general staff said the claims were lies and disinformation.", "disputed"),
    # the other side's attack pushed back, in the claim's background
    (
        "The area has seen heavy fighting since August, when Southland units infiltrated Northland lines "
        "before being partly pushed back.",
        "unverified",
    ),
    ("Last month Southland soldiers crossed the river there before being driven back.", "unverified"),
    # the claimant's own attack repelled
    ("Southland's army said the Northland attack near Velmora had been repelled.", "disputed"),
    ("Southland's general staff said its troops repelled Northland assaults near Velmora.", "disputed"),
    # a denial naming no place, of the claim the lead reports
    ("The claim is a fabrication.", "disputed"),
    ("Those reports are false, the other side said.", "disputed"),
    ("This was denied.", "disputed"),
]


@pytest.mark.parametrize(("following", "status"), FOLLOWING)
def test_what_follows_a_claim_disputes_it_or_not(extractor: ClaimExtractor, following: str, status: str) -> None:
    assert _verification(extractor, f"{NORTH_CLAIM} {following}") == status


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
