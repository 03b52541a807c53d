"""Where an event is, and which places only locate it.

* a place named after a bearing, right after another place ("in al-Abdiyah district, south of
  Marib", "у Новоселівки, на південь від Покровська", "bei Robotyne, südlich von Orichiw") is the
  reference point, not where things happen; a bearing alone ("breached west of Marib") is where;
* so a failed or threatened breakthrough located from the claimed place is elsewhere: its own
  story; one at the claimed place, or one the other side is named as making there ("Houthi fighters
  could breach Marib's lines"), is judged by that;
* a place that only locates the event anchors no story.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claimplace import PLACE, REFERENCE, candidates
from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Entry


def _ranks(extractor: ClaimExtractor, text: str) -> dict[str, int]:
    reading = read_text("", text)
    lang = extractor.language(reading.lexicon_language)
    found = candidates(extractor.gazetteer, extractor.sides, lang, reading.sentences[0])
    return {c.name: c.rank for c in found}


@pytest.mark.parametrize(
    ("text", "where", "reference"),
    [
        ("Fighting continued in the village of Robotyne, south of Orikhiv, on Sunday.", "Robotyne", "Orikhiv"),
        ("Бої тривали біля Роботиного, на південь від Оріхова, повідомили військові.", "Robotyne", "Orikhiv"),
        ("Die Kämpfe bei Robotyne, südlich von Orichiw, dauerten am Sonntag an.", "Robotyne", "Orikhiv"),
        ("Los combates continuaron en Robotyne, al sur de Orijiv, según el ejército.", "Robotyne", "Orikhiv"),
        ("Бои продолжались у Работино, к югу от Орехова, сообщили военные.", "Robotyne", "Orikhiv"),
    ],
)
def test_a_place_after_a_bearing_from_another_is_a_reference(
    extractor: ClaimExtractor, text: str, where: str, reference: str
) -> None:
    ranks = _ranks(extractor, text)
    assert ranks.get(where) == PLACE
    assert ranks.get(reference) == REFERENCE


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Russian forces broke through Ukrainian lines south of Orikhiv, the ministry said.", "Orikhiv"),
        ("Російські війська прорвали оборону на південь від Оріхова, заявили в міністерстві.", "Orikhiv"),
        ("Russische Truppen durchbrachen die Linien südlich von Orichiw, teilte das Ministerium mit.", "Orikhiv"),
    ],
)
def test_a_bearing_alone_is_where_it_happens(extractor: ClaimExtractor, text: str, where: str) -> None:
    assert _ranks(extractor, text).get(where) == PLACE
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].place == where


def _run(*entries: Entry) -> list[Analysis]:
    detector = Detector(DetectionConfig())
    return [detector.analyse(new(e), e.published) for e in entries]


CLAIM = make_entry(
    "m1", "Giants Brigades: Houthi lines breached west of Marib",
    "Houthi lines were breached west of Marib early on Saturday, the Giants Brigades said, in what would be the "
    "most significant shift on that front for months. The claim could not be independently verified.",
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Houthi attempt to break through at al-Abdiyah fails, army says",
         "Government troops thwarted a Houthi attempt to break through their defences in al-Abdiyah district, "
         "south of Marib, on Saturday, the army says."),
        ("Houthi fighters tried and failed to breach lines at Harib",
         "Houthi fighters failed to break through government positions at Harib, south of Marib, a military "
         "official said."),
    ],
)
def test_a_failed_attempt_located_from_the_claimed_place_is_its_own_story(title: str, body: str) -> None:
    first, other = _run(CLAIM, make_entry("m2", title, body, minutes=60))
    assert not other.claims and other.story != first.story


def test_a_failed_attempt_at_the_claimed_place_stays_in_its_story() -> None:
    concession = make_entry(
        "m3", "No breakthrough into Marib itself, Giants Brigades concede",
        "A Giants Brigades commander said his fighters had not broken through the last Houthi lines into Marib "
        "itself, though fighting west of Marib continued.",
        minutes=60,
    )
    first, same = _run(CLAIM, concession)
    assert same.story == first.story


@pytest.mark.parametrize(
    ("text", "where", "spoken"),
    [
        ("Our units broke through the enemy line near Robotyne, the spokesman told reporters in Zaporizhzhia.",
         "Robotyne", "Zaporizhzhia"),
        ("Ukrainian troops broke through Russian lines near Robotyne, the commander said in Kharkiv.", "Robotyne",
         "Kharkiv"),
        ("Ukrainische Truppen sind bei Robotyne durchgebrochen, sagte der Sprecher vor Journalisten in Charkiw.",
         "Robotyne", "Kharkiv"),
        ("Le porte-parole a affirmé lors d'une conférence de presse à Kharkiv que les troupes avaient percé les "
         "lignes près de Robotyne.", "Robotyne", "Kharkiv"),
    ],
)
def test_where_a_claim_is_announced_is_not_where_it_happened(
    extractor: ClaimExtractor, text: str, where: str, spoken: str
) -> None:
    ranks = _ranks(extractor, text)
    assert ranks.get(spoken) == REFERENCE
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].place == where


def test_a_place_after_a_say_verb_without_a_locative_is_where() -> None:
    extractor = ClaimExtractor(default_taxonomy())
    text = "Russia claims breakthrough near Huliaipole, in Zaporizhzhia region."
    assert _ranks(extractor, text).get("Huliaipole") == PLACE
