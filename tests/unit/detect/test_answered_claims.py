"""A claim restated as what another party answers is reported, not made.

"The Taliban responded to the defence ministry's claim that commandos broke through" makes no new
claim of the commandos: it reports the ministry's, so the entry joins that claim's story and opens
no alert (`[claims] recap`). The same holds in every supported language ("réagi à l'affirmation",
"reagierte auf die Angaben", "Отвечая на заявление"). An answer to an *attack* is no restated claim:
"In response to the attack, Russian troops broke through" is a claim.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "The Taliban have now responded to the defence ministry's claim that commandos broke through to the "
        "besieged base outside Taloqan.",
        "Reacting to Moscow's claims that its troops broke through near Pokrovsk, Kyiv said the line held.",
        "Les talibans ont réagi à l'affirmation du ministère selon laquelle les commandos avaient percé le siège "
        "près de Taloqan.",
        "Kiew reagierte auf die Angaben Moskaus, russische Truppen hätten die Front bei Pokrowsk durchbrochen.",
        "Kiev respondió a la afirmación de Moscú de que sus tropas habían roto el frente cerca de Pokrovsk.",
        "Kiev ha risposto alle affermazioni di Mosca secondo cui le truppe avrebbero sfondato il fronte vicino a "
        "Pokrovsk.",
        "Kijów, w odpowiedzi na doniesienia Moskwy, że wojska przełamały front pod Pokrowskiem, podał, że linia "
        "się trzyma.",
        "Отвечая на заявление Минобороны России о прорыве под Покровском, Генштаб ВСУ сообщил, что линия держится.",
        "Відповідаючи на заяву Міноборони Росії про прорив під Покровськом, Генштаб повідомив, що лінія тримається.",
    ],
)
def test_an_answered_claim_is_reported_not_made(extractor: ClaimExtractor, body: str) -> None:
    result = extractor.extract(read_text("", body))
    assert result.claims == ()
    assert any(b["reason"].startswith(("recap", "negation")) for b in result.blocked)


@pytest.mark.parametrize(
    "body",
    [
        "In response to the attack, Russian troops broke through Ukrainian defences near Pokrovsk, the ministry said.",
        "Reacting quickly, Russian troops broke through Ukrainian defences near Pokrovsk, the ministry said.",
        "En réponse à l'attaque, les troupes russes ont percé les défenses ukrainiennes près de Pokrovsk.",
        "В ответ на удар российские войска прорвали оборону ВСУ под Покровском.",
    ],
)
def test_an_answer_to_an_attack_is_still_a_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert (claim.side, claim.place) == ("russia", "Pokrovsk")
