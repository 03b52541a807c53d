"""A breakthrough that is the object of a denial, a claim in the German modal of report, and the
French romanisations of a place.

* **Denied breakthroughs are no claims** in any supported language, whatever the tense or word order:
  "a démenti toute percée", "hat einen Durchbruch dementiert", "negó cualquier avance". The same
  denial in its own clause beside a claim makes that claim disputed instead.
* **"Moskau will ... erzielt haben"** reports a claim ("claims to have"), as does "sollen ...
  durchgebrochen sein" (is said to have); "will ... durchbrechen" is an intent and stays none.
* **French "ch" and "dj"** are the English "sh" and "j": "Chouchi" is "Shushi", "Gadjar" "Gajar".
* **A function word is no topic phrase**: a lexicon phrase that shares its lemma with a function word
  ("avoir", meant as "avoirs") would score every sentence of its language, and is refused by name.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.places import default_gazetteer
from newsmon.detect.taxonomy import default_taxonomy, load_taxonomy
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "Le ministère arménien de la Défense a démenti samedi toute percée azerbaïdjanaise aux abords de Chouchi.",
        "L'état-major ukrainien a nié toute percée russe près de Pokrovsk.",
        "Das ukrainische Verteidigungsministerium hat einen russischen Durchbruch bei Pokrowsk dementiert.",
        "Der ukrainische Generalstab bestritt jeden Durchbruch der russischen Truppen bei Pokrowsk.",
        "El Estado Mayor ucraniano negó cualquier avance ruso y desmintió la ruptura de las líneas cerca de Pokrovsk.",
        "Lo Stato maggiore ucraino ha smentito qualsiasi sfondamento russo vicino a Pokrovsk.",
        "O Estado-Maior ucraniano negou qualquer avanço russo e desmentiu a rutura das linhas perto de Pokrovsk.",
        "Генштаб ЗСУ спростував прорив російських військ під Покровськом.",
        "The Ukrainian General Staff denied any Russian breakthrough near Pokrovsk.",
    ],
)
def test_a_denied_breakthrough_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    result = extractor.extract(read_text("", body))
    assert result.claims == ()
    assert any(c.kind == "deny" for c in result.contests)


@pytest.mark.parametrize(
    "body",
    [
        "Moscou affirme avoir percé les défenses ukrainiennes près de Pokrovsk ; Kiev a démenti.",
        "Les troupes russes ont percé les défenses ukrainiennes près de Pokrovsk, a affirmé Moscou, mais Kiev a nié.",
        "Die russische Armee hat die ukrainische Verteidigung bei Pokrowsk durchbrochen; Kiew hat das dementiert.",
        "Russische Truppen haben nach Angaben Moskaus die Front bei Pokrowsk durchbrochen. Kiew hat dies bestritten.",
    ],
)
def test_a_denial_beside_a_claim_disputes_it(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert (claim.side, claim.place, claim.verification) == ("russia", "Pokrovsk", "disputed")


@pytest.mark.parametrize(
    "body",
    [
        "Moskau will Durchbruch bei Pokrowsk erzielt haben.",
        "Russland will die ukrainische Verteidigung bei Pokrowsk durchbrochen haben, teilte das Ministerium mit.",
        "Russische Truppen sollen bei Pokrowsk durch die ukrainischen Linien durchgebrochen sein.",
    ],
)
def test_the_german_modal_of_report_is_a_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert (claim.side, claim.place) == ("russia", "Pokrovsk")


@pytest.mark.parametrize(
    "body",
    [
        "Moskau will die ukrainische Verteidigung bei Pokrowsk durchbrechen.",
        "Russland will bei Pokrowsk einen Durchbruch erzielen, um dann Kramatorsk anzugreifen.",
        "Die russischen Truppen wollen die Front bei Pokrowsk durchbrechen und haben dafür Reserven herangezogen.",
        "Russische Truppen sollten die Linien bei Pokrowsk durchbrechen, haben es aber nicht geschafft.",
    ],
)
def test_a_german_intent_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims == ()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Chouchi", "Shushi", True),
        ("Choucha", "Shusha", True),
        ("Gadjar", "Gajar", True),
        ("Djabraïl", "Jabrayil", True),
        ("Charkiw", "Kharkiv", True),
        ("Tchassiv Iar", "Chasiv Yar", True),
        ("Chouchi", "Hussi", False),
        ("Kherson", "Sherson", False),
        ("Gadjar", "Gadruta", False),
    ],
)
def test_french_romanisations_are_one_place(a: str, b: str, same: bool) -> None:
    assert default_gazetteer().same_place(a, b) is same


@pytest.mark.parametrize(("language", "phrase"), [("fr", "avoir"), ("de", "haben"), ("es", "haber"), ("it", "essere")])
def test_a_function_word_is_refused_as_a_topic_phrase(language: str, phrase: str) -> None:
    data = {"lexicons": {language: {"topics": {"sanctions": {phrase: 1.0}}}}}
    with pytest.raises(ValueError, match=f"lexicons.{language}.topics.sanctions.'{phrase}'"):
        load_taxonomy(data)
    data = {"lexicons": {language: {"topics": {"sanctions": {f"{phrase} sanktion": 1.0}}}}}
    assert load_taxonomy(data)  # in a phrase it is context


def test_the_french_verb_avoir_is_no_sanctions_cue() -> None:
    from newsmon.detect.classify import TopicClassifier

    classifier = TopicClassifier(default_taxonomy())
    reading = read_text("Bakou dit avoir percé une ligne", "Dans cette guerre, les forces disent avoir pris trois "
                        "villages et avoir repoussé une attaque, selon le ministère, qui dit avoir des preuves.")
    assert classifier.score(reading)[0].get("sanctions", 0.0) == 0.0
    frozen = read_text("Gel des avoirs", "En raison de la guerre en Ukraine, l'UE a décidé le gel des avoirs de la "
                       "banque centrale russe.")
    assert classifier.score(frozen)[0]["sanctions"] > 0
