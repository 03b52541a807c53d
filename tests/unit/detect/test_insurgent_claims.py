"""An insurgent offensive's claims: its words, its fighters and its towns' many spellings.

* "forced their way into" a city, and overrunning "security posts" or "checkpoints", are breakthrough
  actions; a "siege" broken through is a military object;
* the Taliban (a side of the table) and "mujahideen", "militants", "gunmen" are armed actors;
* a town spelled two ways by two desks is one place for the claims: written as one word or two
  ("Lashkar Gah", "Lashkargah"), with o or u ("Konduz", "Kunduz"; "Taloqan", "Taluqan");
* a wire's "FACTBOX" is a roundup.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.places import default_gazetteer
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "The Taliban claimed on Sunday that their fighters had forced their way into Zaranj, the provincial capital.",
        "Taliban fighters overran security checkpoints on the eastern edge of Zaranj, a spokesman said.",
        "The mujahideen broke through the enemy lines near Zaranj, the group said in a statement.",
        "Militants said they had overrun army posts outside Zaranj overnight.",
        "The defence ministry said commandos had broken through the Taliban's siege of an army base near Zaranj.",
    ],
)
def test_an_insurgent_offensive_s_wordings_are_claims(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.place == "Zaranj"


@pytest.mark.parametrize(
    "body",
    [
        "Protesters forced their way into the parliament building in Kabul, police said.",
        "Fans broke through security at the stadium in Kabul before the match.",
        "The Taliban said their fighters had not forced their way into Zaranj, denying earlier reports.",
    ],
)
def test_a_crowd_s_or_a_denied_forcing_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    assert not extractor.extract(read_text("", body)).claims


@pytest.mark.parametrize(
    ("a", "b"),
    [("Lashkar Gah", "Lashkargah"), ("Konduz", "Kunduz"), ("Taloqan", "Taluqan"), ("Pul-e-Khumri", "Pol-e Khomri")],
)
def test_one_town_in_two_romanisations_is_one_place(a: str, b: str) -> None:
    assert default_gazetteer().same_place(a, b)


@pytest.mark.parametrize(
    ("a", "b"), [("Homs", "Hama"), ("Mosul", "Masul"), ("Pokrovsk", "Toretsk"), ("Kunduz", "Khost")]
)
def test_other_towns_stay_apart(a: str, b: str) -> None:
    assert not default_gazetteer().same_place(a, b)


def test_a_re_report_under_another_spelling_alerts_no_second_time() -> None:
    d = Detector(DetectionConfig())
    first = make_entry(
        "a1", "Taliban say they broke through government lines in Lashkar Gah",
        "The Taliban said their fighters had broken through government lines in Lashkar Gah overnight.",
        source="wire",
    )
    again = make_entry(
        "a2", "Taliban claim breach of Lashkargah defence lines",
        "Taliban fighters have breached the defence lines of Lashkargah, the group's spokesman said. The claim "
        "could not be confirmed.",
        minutes=60, source="local",
    )
    a = d.analyse(new(first), first.published)
    b = d.analyse(new(again), again.published)
    assert a.claims and b.claims
    assert b.duplicate_of == first.key


def test_a_factbox_is_a_roundup() -> None:
    d = Detector(DetectionConfig())
    entry = make_entry(
        "f1", "FACTBOX-Where the offensive stands",
        "Following is a summary of the main fronts.\n- ZARANJ: Taliban say they forced their way into the city.\n"
        "- KUNDUZ: fighting at the outer checkpoints.\n- GHAZNI: the army says it repelled an assault.",
    )
    analysis = d.analyse(new(entry), entry.published)
    assert analysis.roundup
