"""Named armed groups without a country word, a claimant's own propaganda outlet, and a denial
of losing ground: several wordings, both polarities.  Sentences written for these tests (none
from a labelled set)."""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body, side",
    [
        ("The Africa Corps said its assault detachment had ruptured the militants' defensive line near Anefis.",
         "russia"),
        ("Malian troops broke through the defences of armed groups near Ber, the army said.", "mali-government"),
        ("FAMa units punched through the jihadist lines outside Niono, according to a military statement.",
         "mali-government"),
        ("JNIM said its fighters had overrun the outer defences of the army camp at Dioura.", "jnim"),
        ("The Azawad Liberation Front said its fighters broke through army positions near Aguelhok.", "azawad-fla"),
    ],
)
def test_named_armed_groups_are_the_claims_side(extractor: ClaimExtractor, body: str, side: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side == side


@pytest.mark.parametrize(
    "body",
    [
        "JNIM said its fighters overran the defences of the camp at Dioura. In a statement carried by its "
        "propaganda outlet, the group said it held the base.",
        "Hamas said its fighters broke through Israeli lines near Beit Hanoun, in a video posted on its "
        "propaganda channel.",
        "Russian troops broke through Ukrainian defences near Robotyne, the Russian defence ministry said. The "
        "footage was published by a Kremlin propaganda account.",
    ],
)
def test_a_claimants_propaganda_outlet_does_not_dispute_its_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.verification == "unverified"


@pytest.mark.parametrize(
    "body",
    [
        "Malian troops broke through the defences of jihadist fighters at Kabara, the army said. JNIM denied "
        "losing any ground.",
        "Malian troops broke through the defences of jihadist fighters at Kabara, the army said. JNIM dismissed "
        "the claim as propaganda.",
        "Russian troops broke through Ukrainian defences near Robotyne, the Russian defence ministry said. "
        "Ukraine's general staff denied that its forces had lost ground there.",
    ],
)
def test_a_denial_in_the_same_entry_disputes_the_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.verification == "disputed"
