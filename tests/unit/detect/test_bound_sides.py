"""A claim's bare armed actor takes the side another sentence of the entry binds it to, a road
named after a town is no place, and an invocation names no claimant and no place.

* **Bound actors**: "the mujahideen of the Islamic Emirate launched operations ... the mujahideen
  took control" is the Taliban's claim; "Russian paratroopers landed ... the paratroopers broke
  through" Russia's. The binding holds only when one side binds the word: when the entry names the
  word with two sides, or only beside a supporter ("supported by the Russian air forces"), the
  side stays unknown.
* **Roads**: "on the Aqcha road", "along the Kabul-Kandahar highway" name where a road leads.
* **Invocations**: "By the grace of Allah the line was broken" has no claimant "By" and no place
  "Allah".
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    ("body", "side"),
    [
        ("Last night the mujahideen of the Islamic Emirate launched operations on the centre of Shibirghan. "
         "The defence line of the enemy was broken, and the mujahideen took control of the western gate.", "taliban"),
        ("Russian paratroopers landed north of the town on Monday. Overnight the paratroopers broke through "
         "the defensive line near Hostomel, the ministry said.", "russia"),
        ("Fighters of the Rapid Support Forces massed east of the city. At dawn the fighters broke through the "
         "army's defences near Bara, a commander said.", "sudan-rsf"),
    ],
)
def test_a_bare_actor_takes_the_side_the_entry_binds_it_to(extractor: ClaimExtractor, body: str, side: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side == side


@pytest.mark.parametrize(
    "body",
    [
        # the word bound to two sides
        ("Russian paratroopers and Ukrainian paratroopers fought for the airfield. Overnight the paratroopers "
         "broke through the defensive line near Hostomel, a witness said."),
        # bound only beside a supporter
        ("Army units advanced, supported by the Russian air forces. Overnight the forces broke through the "
         "defensive lines near Souran, a witness said."),
    ],
)
def test_no_side_when_the_entry_does_not_bind_one(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side == ""


@pytest.mark.parametrize(
    ("title", "body", "place"),
    [
        ("Heavy fighting in Sheberghan", "Taliban fighters broke through the defences and took the "
         "checkpoints on the Aqcha road.", "Sheberghan"),
        ("Fighting near Ghazni", "Insurgents broke through government lines on the Kabul-Kandahar highway.",
         "Ghazni"),
        ("Rebels close in on Kafr Nabl", "Rebels broke through army positions on the Idlib road, the group said.",
         "Kafr Nabl"),
    ],
)
def test_a_road_is_named_for_where_it_leads(extractor: ClaimExtractor, title: str, body: str, place: str) -> None:
    (claim,) = extractor.extract(read_text(title, body)).claims
    assert claim.place == place


def test_a_town_beside_a_road_noun_of_its_own_is_a_place(extractor: ClaimExtractor) -> None:
    body = "Rebels broke through army positions in Saraqib, the group said."
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.place == "Saraqib"


@pytest.mark.parametrize(
    "body",
    [
        "By the grace of Allah the mujahideen broke the defence line of the enemy near Kunduz.",
        "By the grace of God our fighters broke through the enemy lines near Kunduz.",
    ],
)
def test_an_invocation_names_no_claimant_and_no_place(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.place == "Kunduz"
    assert not claim.claimant.startswith(("By", "Allah", "God"))
