"""A league or cup named inside a sentence frames a breakthrough as sport, in every language.

The sport list holds names ("Liga Mistrzów", "Ligue des champions", "Serie A", "Лига чемпионов"); a
name the list writes capitalised is one even inside a sentence, where other capitalised words
("імені князя Романа") are names of something else. A club whose nickname is military ("Wojskowi",
Legia Warsaw) breaking through a defence in a Champions League match is no claim.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Legia odpada. Koniec marzeń o Lidze Mistrzów",
            "Wojskowi długo prowadzili, ale w drugiej połowie Szachtar Donieck przełamał ich obronę i wygrał 2:1.",
        ),
        (
            "Wojskowi przegrywają",
            "W drugiej połowie Szachtar Donieck przełamał obronę Wojskowych i wygrał 2:1 w Lidze Mistrzów.",
        ),
        ("Le PSG s'impose", "Le PSG a percé la défense du Bayern en Ligue des champions mardi soir."),
        ("L'Inter vince", "L'Inter ha sfondato la difesa della Juventus in Serie A con due gol."),
        ("El Madrid gana", "El Real Madrid rompió la defensa del City en la Liga de Campeones."),
        ("ЦСКА вышел вперёд", "Армейцы прорвали оборону «Зенита» во втором тайме матча в Лиге чемпионов."),
    ],
)
def test_a_league_named_in_the_sentence_is_a_sport_frame(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = extractor.extract(read_text(title, body))
    assert not result.claims
    assert any(b["reason"].startswith("sport") for b in result.blocked)


@pytest.mark.parametrize(
    "body",
    [
        "Rosyjskie wojska przełamały obronę pod Pokrowskiem, podało ministerstwo obrony Rosji.",
        "Les troupes russes ont percé les défenses ukrainiennes près de Pokrovsk, selon Moscou.",
        "Le truppe russe hanno sfondato le difese ucraine vicino a Pokrovsk, secondo Mosca.",
    ],
)
def test_a_front_with_no_league_stays_a_claim(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims
