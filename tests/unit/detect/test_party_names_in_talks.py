"""A party's name is no military context: a "breakthrough" at talks between armed groups is civil.

The claim reader calls a breakthrough word civil when a civil word (talks, negotiations, deal)
stands near it and no military word does. Armed groups are named with military words ("Tigray
Resistance Front", "Rapid Support Forces", "Arakan Army"), so the name of a party to the talks
used to count as a military word and the talks' breakthrough became a frontline claim. The last
words of a capitalised name no longer count; the same words of the scene ("broke through the
front", "its forces") still do.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Envoy hails 'breakthrough' on aid corridors",
            "Representatives of the government and the Tigray Resistance Front reached a \"breakthrough\" "
            "on humanitarian access at talks in Nairobi, the envoy said.",
        ),
        (
            "Jeddah talks",
            "Mediators said negotiators for the army and the Rapid Support Forces made a breakthrough in "
            "talks on a truce in Jeddah on Tuesday.",
        ),
        (
            "Ceasefire talks",
            "A breakthrough in talks between the junta and the Arakan Army was announced in Kunming, "
            "officials said.",
        ),
        (
            "Prisoner swap",
            "Qatari mediators said the Syrian Democratic Forces and Damascus had reached a breakthrough in "
            "negotiations on a prisoner exchange.",
        ),
    ],
)
def test_a_breakthrough_at_talks_between_armed_groups_is_no_claim(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    result = extractor.extract(read_text(title, body))
    assert not result.claims
    assert any(b["reason"].startswith("non-military") for b in result.blocked)


@pytest.mark.parametrize(
    "body",
    [
        # the same parties, fighting: the scene's own military words make it a claim
        "The Tigray Resistance Front said its forces broke through federal lines near Korem, days after talks stalled.",
        "The Rapid Support Forces said they had broken through the army's defences at El Obeid as talks resumed "
        "in Jeddah.",
        "The Arakan Army said its fighters broke through junta positions near Sittwe while negotiations continued.",
    ],
)
def test_the_same_parties_breaking_through_lines_still_claim(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Sudan", "Die Armee und die RSF erzielten bei den Verhandlungen in Dschidda einen Durchbruch, sagten "
         "Vermittler."),
        ("Soudan", "L'armée et les FSR ont réalisé une percée dans les négociations de Djeddah, selon les médiateurs."),
        ("Судан", "Армия и СБР добились прорыва на переговорах в Джидде, сообщили посредники."),
        ("Sudan", "Armia i RSF osiągnęły przełom w rozmowach w Dżuddzie, poinformowali mediatorzy."),
        ("Sudão", "O exército e as RSF alcançaram um avanço nas negociações de Jidá, disseram os mediadores."),
    ],
)
def test_a_breakthrough_in_talks_is_civil_in_every_language(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not extractor.extract(read_text(title, body)).claims


@pytest.mark.parametrize(
    "body",
    [
        # talks beside the fighting, not what the breakthrough is reached in
        "Russian troops broke through Ukrainian defences near Pokrovsk as talks resumed in Istanbul.",
        "Russian troops broke through Ukrainian lines near Pokrovsk despite the agreement reached in Istanbul.",
        "Les troupes russes ont percé les lignes ukrainiennes près de Pokrovsk avant les négociations d'Istanbul.",
        "Российские войска прорвали оборону ВСУ у Покровска, пока в Стамбуле шли переговоры.",
    ],
)
def test_fighting_beside_talks_still_claims(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Corridors agreed", "Both sides agreed to open two corridors, the envoy said, calling it a breakthrough for "
         "civilians who rely on aid."),
        ("Corredores", "Las partes acordaron abrir dos corredores, un avance para los civiles que dependen de la "
         "ayuda humanitaria, dijo el enviado."),
        ("Коридоры", "Стороны договорились открыть два коридора, назвав это прорывом для гуманитарной помощи жителям."),
    ],
)
def test_a_breakthrough_for_aid_is_civil(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not extractor.extract(read_text(title, body)).claims


def test_troops_breaking_through_to_let_aid_in_still_claim(extractor: ClaimExtractor) -> None:
    body = "Government troops broke through rebel lines near the town to let aid convoys reach it, the army said."
    assert extractor.extract(read_text("", body)).claims
