"""Romanisations of Щ and Ч, and German words with ß, are read as their language writes them.

* Щ is "shch" in English, "schtsch" in German, "szcz" in Polish, "chtch" in French; Ч is "ch",
  "tsch", "cz", "tch": a village in any of them is one place ("Schtscherbyniwka" = "Щербинівка"),
  while Ч and Ш stay apart (French "ch" for Ш, "Chevtchenko", is not folded: "ch" is Ч in English);
* simplemma is asked for a German word in lower case, not case-folded ("vorstoßes", not
  "vorstosses"), so "des Vorstoßes", "die Vorstöße" and "Straßen" have their lemmas.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.places import place_key
from newsmon.detect.tokens import lemma, tokenise


@pytest.mark.parametrize(
    "names",
    [
        ("Shcherbynivka", "Schtscherbyniwka", "Szczerbyniwka", "Chtcherbynivka", "Щербинівка", "Щербиновка"),
        ("Cherkasy", "Tscherkassy", "Czerkasy", "Tcherkassy", "Черкаси"),
        ("Chasiv Yar", "Tschassiw Jar", "Czasiw Jar", "Tchassiv Iar"),
        ("Shevchenko", "Schewtschenko", "Szewczenko", "Шевченко"),
    ],
)
def test_one_place_in_every_romanisation(names: tuple[str, ...]) -> None:
    assert len({place_key(n) for n in names}) == 1


@pytest.mark.parametrize(
    ("a", "b"), [("Czerkasy", "Szerkasy"), ("Chasiv Yar", "Shasiv Yar"), ("Tschornobaiwka", "Schornobaiwka")]
)
def test_ch_and_sh_stay_apart(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


@pytest.mark.parametrize(
    ("word", "base"),
    [("Vorstoßes", "Vorstoß"), ("Vorstöße", "Vorstoß"), ("Straßen", "Straße"), ("Großangriffs", "Großangriff")],
)
def test_german_words_with_sharp_s_have_their_lemma(word: str, base: str) -> None:
    assert lemma(word, "de") == lemma(base, "de") != word.casefold()
    (token,) = tokenise(word, "de")
    assert token.lemma == base.casefold()


CLAIM = make_entry(
    "k1",
    "Russische Truppen bei Welmowka durchgebrochen",
    "Russische Truppen haben nach Angaben des Verteidigungsministeriums in Moskau die ukrainischen Stellungen "
    "bei Welmowka durchbrochen und seien zwei Kilometer vorgerückt.",
)


def _follow_up(body: str) -> str | None:
    d = Detector(DetectionConfig())
    d.analyse(new(CLAIM), CLAIM.published)
    later = make_entry("k2", "Moskau: Truppen nach Durchbruch bei Welmowka weiter vorgerückt", body, minutes=240)
    return d.analyse(new(later), later.published).duplicate_of


def test_a_changed_depth_of_the_thrust_is_a_development() -> None:
    body = (
        "Russische Truppen sind nach Angaben des Verteidigungsministeriums nach ihrem Durchbruch bei Welmowka "
        "weiter vorgerückt. Die Tiefe des Vorstoßes gab das Ministerium nun mit 3,5 statt zuvor zwei Kilometern an."
    )
    assert _follow_up(body) is None


def test_the_same_depth_restated_is_a_re_report() -> None:
    body = (
        "Russische Truppen haben nach Angaben des Verteidigungsministeriums bei Welmowka die ukrainischen "
        "Stellungen durchbrochen. Die Tiefe des Vorstoßes gab das Ministerium mit zwei Kilometern an."
    )
    assert _follow_up(body) == CLAIM.key


@pytest.mark.parametrize(
    ("russian", "ukrainian", "same"),
    [
        # a Russian adjective's ending ("-ое", "-ая") where the Ukrainian name has "-е", "-а"
        ("Степовое", "Степове", True),
        ("Кременная", "Кремінна", True),
        ("Степовое", "Stepove", True),
        # "Камен-" is "Кам'ян-"
        ("Каменка", "Кам'янка", True),
        ("Каменское", "Kamianske", True),
        ("Kamenka", "Kamianka", True),
        # other villages stay apart
        ("Степовое", "Степанівка", False),
        ("Каменка", "Кам'янське", False),
        ("Кременная", "Кремінець", False),
    ],
)
def test_russian_and_ukrainian_adjective_names_are_one_place(russian: str, ukrainian: str, same: bool) -> None:
    assert (place_key(russian) == place_key(ukrainian)) is same
