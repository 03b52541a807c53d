"""A party's name is not the place of a claim (English communiqués).

* a name right before a word for armed men ("the lines of ISWAP terrorists on the Tumbun islands",
  "the defences of Boko Haram (JAS) fighters in the Sambisa forest") is the defenders' party: the
  place is the one named after it; a name before a comma, a colon or a new clause still is a place;
* a quoted body's name ("the 'Volcano of Rage' operation", the "Steel Fist" command) is no place;
* "stormed X", "retook X" and "recaptured X" name where the forces are;
* a terrain's noun between a Romance locative and the name ("sur l'île de X", "dans la forêt de X",
  "en la selva de X") is skipped; "sur le front", "sur Telegram" name no place.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


def _place(extractor: ClaimExtractor, body: str) -> str:
    result = extractor.extract(read_text("", body))
    assert result.claims, body
    return result.claims[0].place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Troops have broken through the fortified defensive lines of ISWAP terrorists on the Tumbun islands, "
         "the army said.", "Tumbun"),
        ("Soldiers broke through the defences of Boko Haram (JAS) terrorists in the Sambisa forest, the army said.",
         "Sambisa"),
        ("The army said its troops breached the positions of Shabaab militants near Jilib.", "Jilib"),
        ("Government forces punched through the lines of Ambazonia Defence fighters at Batibo, the ministry said.",
         "Batibo"),
    ],
)
def test_a_party_named_before_its_men_is_not_the_place(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert _place(extractor, body) == place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Rebels say they broke through the army's lines in Kamdesh, army units having fled.", "Kamdesh"),
        ("Breakthrough in Dalbandin: troops say they broke through the rebels' defences overnight.", "Dalbandin"),
        ("The rebels broke through army lines near Karamga (Lake Chad) overnight, fighters said.", "Karamga"),
    ],
)
def test_a_place_before_punctuation_and_armed_men_stays_the_place(
    extractor: ClaimExtractor, body: str, place: str
) -> None:
    assert _place(extractor, body) == place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Forces said they stormed Gheryan after breaching the enemy's lines around the town, according to the "
         "\"Volcano of Rage\" operation.", "Gheryan"),
        ("Troops retook Kamdesh after breaking through rebel lines, according to the 'Steel Fist' command.",
         "Kamdesh"),
        ("Fighters recaptured Sarakhs after they broke through the army's defences, the \u201cDawn\u201d operations "
         "room said.", "Sarakhs"),
    ],
)
def test_a_quoted_operation_is_not_the_place(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert _place(extractor, body) == place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("The LNA said its troops had punched through the front lines in the Ain Zara district.", "Ain Zara"),
        ("Rebels say they broke through army positions in the Salah Eddine district overnight.", "Salah Eddine"),
        ("Troops broke through the militants' defences in the Bab Tounes district, the army said.", "Bab Tounes"),
    ],
)
def test_a_district_named_in_two_words_keeps_both(extractor: ClaimExtractor, body: str, place: str) -> None:
    # (a Slavic adjective before "района" is the district's, not the village's: test_claim_events.py)
    assert _place(extractor, body) == place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Fighters loyal to the Government of National Accord said they had breached the enemy's defences around "
         "Aziziya.", "Aziziya"),
        ("Fighters of the Army of Islam said they broke through regime lines near Douma.", "Douma"),
        ("The Council of Elders said militia fighters had broken through army lines at Kamdesh.", "Kamdesh"),
        ("Troops broke through the rebels' defences in the village of Kamdesh, the army said.", "Kamdesh"),
    ],
)
def test_a_body_named_of_something_is_not_the_place(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert _place(extractor, body) == place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("L'armée nigériane a affirmé avoir percé les lignes de défense du groupe sur les îles Tumbun.", "Tumbun"),
        ("L'armée a revendiqué une percée dans la forêt de Sambisa, affirmant que ses troupes avaient enfoncé les "
         "défenses de la faction.", "Sambisa"),
        ("Les forces ont percé les lignes de défense des jihadistes sur l'île de Karamga, a annoncé le ministère.",
         "Karamga"),
        ("El ejército rompió las líneas de la guerrilla en la selva de Catatumbo, según el ministerio.", "Catatumbo"),
    ],
)
def test_a_terrain_noun_before_the_name_is_skipped(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert _place(extractor, body) == place


def test_sur_the_front_or_a_platform_names_no_place(extractor: ClaimExtractor) -> None:
    body = "L'armée affirme avoir percé les lignes rebelles sur le front nord, selon un communiqué publié sur Telegram."
    assert _place(extractor, body) == ""
