"""The future is no claim, and a cyberattack in the headline frames the entry.

* **Future**: "our fighters will break through Daesh lines if ordered", "We'll break through",
  "troops will soon break through" predict or promise; "broke through ... and will push on" is a claim.
* **Cyberattack headline**: "Ciberataque contra Banco X" with attackers that "lograron romper parte de
  las defensas" of the bank's systems, in every supported language; a war entry that mentions a
  cyberattack beside a breakthrough stays a claim.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "If the commander-in-chief gives the order, our fighters will break through Daesh lines and be at the "
        "gates of Tal Afar within 48 hours, a PMF commander told reporters.",
        "Russian troops will soon break through Ukrainian lines near Pokrovsk, a Russian general predicted.",
        "We'll break through their defences near Pokrovsk, the Russian commander said.",
        "Russian troops are going to break through Ukrainian lines near Pokrovsk, the blogger wrote.",
    ],
)
def test_the_future_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims == ()


def test_a_claim_with_a_future_after_it_stays_one(extractor: ClaimExtractor) -> None:
    body = "Russian troops broke through Ukrainian lines near Pokrovsk and will push on to Myrnohrad, the army said."
    (claim,) = extractor.extract(read_text("", body)).claims
    assert (claim.side, claim.place) == ("russia", "Pokrovsk")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Ciberataque contra Banco Atlántico Central",
         "La entidad confirmó que los atacantes lograron romper parte de las defensas perimetrales de sus sistemas."),
        ("Cyberattack hits Northbank", "The bank said the attackers broke through its defences overnight."),
        ("Cyberangriff auf die Nordbank", "Die Angreifer durchbrachen in der Nacht die Verteidigungslinien der Bank."),
        ("Cyberattaque contre la Banque du Nord", "Les assaillants ont percé les défenses de la banque dans la nuit."),
        ("Кибератака на Северный банк", "Нападавшие прорвали оборону банка ночью."),
    ],
)
def test_a_cyberattack_headline_frames_the_entry(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = extractor.extract(read_text(title, body))
    assert result.claims == ()
    assert any(b["reason"].startswith("cyber") for b in result.blocked)


@pytest.mark.parametrize(
    "body",
    [
        "Russian forces broke through Ukrainian defences near Pokrovsk despite a cyberattack on army "
        "communications, the ministry said.",
        "Las tropas rusas rompieron las defensas ucranianas cerca de Pokrovsk, mientras un ciberataque afectaba "
        "a los servidores del ministerio.",
    ],
)
def test_a_cyberattack_beside_a_breakthrough_leaves_the_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("Front update", body)).claims
    assert (claim.side, claim.place) == ("russia", "Pokrovsk")
