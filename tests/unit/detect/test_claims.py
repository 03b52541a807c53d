from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor, ClaimResult, contest_reason
from newsmon.detect.tokens import read_text
from newsmon.model import Claim


def ex(extractor: ClaimExtractor, title: str, body: str) -> ClaimResult:
    return extractor.extract(read_text(title, body))


def test_claim_with_claimant_place_and_verification(extractor: ClaimExtractor) -> None:
    result = ex(extractor,
        "Northland says its army broke through lines near Velmora",
        "Northland's troops have broken through the Southland defences near the town of Velmora, "
        "the Northland general staff said on Friday.\n\n"
        "The report could not be independently verified.",
    )
    (claim,) = result.claims
    assert claim.kind == "breakthrough"
    assert claim.claimant == "Northland general staff"
    assert claim.place == "Velmora"
    assert claim.verified is False
    assert "broken through" in claim.evidence


def test_attribution_styles(extractor: ClaimExtractor) -> None:
    (c1,) = ex(extractor,
        "", "According to the Eastland defence ministry, its units made a breakthrough in Korrin region."
    ).claims
    assert c1.claimant == "Eastland defence ministry" and c1.place == "Korrin"
    (c2,) = ex(extractor,
        "", "Troops punched through two defensive lines outside Marsk, said the Westland army."
    ).claims
    assert c2.claimant == "Westland army" and c2.place == "Marsk"
    (c3,) = ex(extractor,
        "", "Westland forces breached the defences around Old Tarn, confirmed by satellite images."
    ).claims
    assert c3.place == "Old Tarn" and c3.verified is True


@pytest.mark.parametrize(
    "title, body",
    [
        (
            "Northland failing to 'punch through' despite huge losses",
            "The army has not been able to punch through the lines.",
        ),
        (
            "Offensive makes no significant breakthroughs",
            "Attacks are on too small a scale to achieve a significant breakthrough.",
        ),
        (
            "Army struggles to achieve a major breakthrough",
            "Commanders are struggling to achieve a major breakthrough in the east.",
        ),
        (
            "Breakthrough in talks on grain exports",
            "Negotiators announced a breakthrough in talks over the grain deal.",
        ),
        ("Hopes of a breakthrough", "Northland hopes to break through the lines before winter."),
        ("", "A breakthrough is now likely in the coming weeks, according to intelligence analysts."),
        ("", "Northland said earlier that its troops had broken through near Velmora."),
    ],
)
def test_negations_assessments_and_recaps_are_not_claims(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = ex(extractor, title, body)
    assert result.claims == ()
    assert result.blocked, "the trigger should be reported as blocked, with a reason"


def test_negated_blocker_affirms(extractor: ClaimExtractor) -> None:
    result = ex(extractor,
        "", '"The enemy could not stop the breakthrough of our tank units," the Northland commander said.'
    )
    assert len(result.claims) == 1
    assert result.claims[0].claimant == "Northland commander"


def test_contest_signals_and_reason(extractor: ClaimExtractor) -> None:
    claim = Claim(kind="breakthrough", claimant="Northland defence ministry", place="Velmora")
    result = ex(extractor,
        "Southland says it repelled Northland attacks near Velmora",
        "Southland's military said its forces repelled several Northland attacks near Velmora overnight.",
    )
    assert result.claims == ()
    assert result.contests
    reasons = [contest_reason(s, claim, same_story=False) for s in result.contests]
    assert any("Velmora" in r for r in reasons)
    # another place, another story: no contest
    assert all(
        contest_reason(s, Claim("breakthrough", "Northland army", "Korrin"), False) == ""
        for s in result.contests
    )
    # the claimant repeating itself is no contest
    denial = ex(extractor, "", "The Northland defence ministry denied reports of heavy losses near Velmora.")
    assert all(contest_reason(s, claim, same_story=True) == "" for s in denial.contests)
    other = ex(extractor, "", "Southland's army denied that its troops had retreated from Velmora.")
    assert any(contest_reason(s, claim, same_story=False) for s in other.contests)


@pytest.mark.parametrize(
    "sentence",
    [
        "Southland's army rejected Northland's assertion that its troops broke through near Velmora.",
        "Southland dismissed claims that Northland forces had broken through its lines at Velmora.",
        "The Southland command denied that the enemy broke through near Velmora.",
    ],
)
def test_denial_restating_a_claim_claims_nothing(extractor: ClaimExtractor, sentence: str) -> None:
    result = ex(extractor, "", sentence + " All attacks were repelled, it said.")
    assert result.claims == ()
    assert any("negation" in b["reason"] for b in result.blocked)
    assert result.contests
