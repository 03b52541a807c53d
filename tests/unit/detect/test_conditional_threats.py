"""A breakthrough in the conditional is a warning, not a claim, in every language.

"Russian troops could break through" is a threat; so are "könnten … durchbrechen", "pourraient percer",
"podrían romper", "potrebbero sfondare", "poderiam romper", "mogłyby przełamać", "могли бы прорвать":
no claim, no alert. The same sentence in the indicative is a claim.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text

THREATS = [
    ("de", "Im Winter könnten russische Truppen bei Pokrowsk die Front durchbrechen, warnte der Minister."),
    ("de", "Russische Einheiten würden die Linien bei Pokrowsk binnen Wochen durchbrechen, sagte ein Offizier."),
    ("fr", "Cet hiver, les troupes russes pourraient percer le front près de Pokrovsk, a averti le ministre."),
    ("es", "Este invierno las tropas rusas podrían romper el frente cerca de Pokrovsk, advirtió el ministro."),
    ("it", "Quest'inverno le truppe russe potrebbero sfondare il fronte vicino a Pokrovsk, ha avvertito il ministro."),
    ("pt", "Neste inverno, as tropas russas poderiam romper a frente perto de Pokrovsk, alertou o ministro."),
    ("pl", "Zimą rosyjskie wojska mogłyby przełamać front pod Pokrowskiem, ostrzegł minister."),
    ("ru", "Зимой российские войска могли бы прорвать фронт под Покровском, предупредил министр."),
    ("uk", "Узимку російські війська могли б прорвати фронт під Покровськом, попередив міністр."),
]
CLAIMS = [
    (
        "de",
        "Russische Truppen haben die Front bei Pokrowsk durchbrochen, teilte das Ministerium in Moskau mit.",
    ),
    ("fr", "Les troupes russes ont percé le front près de Pokrovsk, a affirmé le ministère russe de la Défense."),
    ("es", "Las tropas rusas rompieron el frente cerca de Pokrovsk, afirmó el Ministerio de Defensa ruso."),
    ("it", "Le truppe russe hanno sfondato il fronte vicino a Pokrovsk, ha affermato il ministero della Difesa russo."),
    ("pt", "As tropas russas romperam a frente perto de Pokrovsk, afirmou o Ministério da Defesa russo."),
    ("pl", "Rosyjskie wojska przełamały front pod Pokrowskiem, podało rosyjskie ministerstwo obrony."),
    ("ru", "Российские войска прорвали фронт под Покровском, сообщило Минобороны России."),
    ("uk", "Російські війська прорвали фронт під Покровськом, повідомило Міноборони Росії."),
]



@pytest.mark.parametrize(("language", "text"), THREATS)
def test_a_conditional_breakthrough_is_no_claim(extractor: ClaimExtractor, language: str, text: str) -> None:
    reading = read_text("", text)
    assert reading.lexicon_language == language
    result = extractor.extract(reading)
    assert not result.claims
    assert any(b["reason"].startswith("negation") for b in result.blocked)


@pytest.mark.parametrize(("language", "text"), CLAIMS)
def test_the_indicative_is_a_claim(extractor: ClaimExtractor, language: str, text: str) -> None:
    reading = read_text("", text)
    assert reading.lexicon_language == language
    (claim,) = extractor.extract(reading).claims
    assert claim.place in ("Pokrovsk", "Pokrowsk")
