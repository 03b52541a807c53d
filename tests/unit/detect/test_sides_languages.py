"""The parties of other wars are named in every language newsmon reads, not only in English.

A Russian or French report of Baku's claim ("Баку заявил о прорыве", "Bakou dit avoir percé") has
Azerbaijan's side, so it re-reports the English claim (a duplicate, no second alert), while the
Karabakh army's counter-claim in French is the other side's news. Israel, Hamas and Hezbollah are
named in the languages' own words too ("армия обороны Израиля", "armée israélienne", "Hisbollah").
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.tokens import read_text

CLAIM = make_entry(
    "k1",
    "Azerbaijan says its troops broke through fortified line near Hadrut",
    "Azerbaijan's defence ministry said its troops had broken through a fortified Armenian line near Hadrut "
    "overnight. The claim could not be independently verified.",
    source="desk",
)


def _after(title: str, body: str) -> tuple[str | None, str]:
    d = Detector(DetectionConfig())
    d.analyse(new(CLAIM), CLAIM.published)
    later = make_entry("k2", title, body, minutes=55, source="wire")
    analysis = d.analyse(new(later), later.published)
    assert analysis.claims
    return analysis.duplicate_of, analysis.claims[0].side


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Баку заявил о прорыве укреплённой линии под Гадрутом",
         "Министерство обороны Азербайджана сообщило, что его войска ночью прорвали укреплённую линию обороны "
         "армянских сил под Гадрутом. Независимо проверить это заявление не удалось."),
        ("Haut-Karabakh : Bakou dit avoir percé une ligne fortifiée près de Hadrout",
         "Le ministère azerbaïdjanais de la Défense affirme que ses troupes ont percé dans la nuit une ligne "
         "fortifiée arménienne près de Hadrout. Ces affirmations n'ont pas pu être vérifiées."),
    ],
)
def test_baku_s_claim_in_another_language_is_a_re_report(title: str, body: str) -> None:
    duplicate, side = _after(title, body)
    assert side == "azerbaijan"
    assert duplicate == CLAIM.key


def test_the_karabakh_army_s_counter_claim_in_french_is_news() -> None:
    duplicate, side = _after(
        "Hadrout : l'armée du Karabakh dit avoir percé les lignes azerbaïdjanaises",
        "L'armée du Karabakh affirme avoir percé les lignes azerbaïdjanaises près d'Hadrout lors d'une "
        "contre-attaque, tuant plusieurs dizaines de soldats. Ces affirmations n'ont pas pu être vérifiées.",
    )
    assert side == "armenia"
    assert duplicate is None



@pytest.mark.parametrize(
    ("body", "side"),
    [
        ("L'armée israélienne affirme avoir percé les défenses du Hamas près de Rafah.", "israel"),
        ("Армия обороны Израиля прорвала оборону ХАМАС у Рафаха.", "israel"),
        ("Die Hisbollah erklärte, ihre Kämpfer hätten die israelischen Linien bei Metula durchbrochen.", "hezbollah"),
    ],
)
def test_other_wars_parties_in_their_languages(extractor: ClaimExtractor, body: str, side: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side == side
