"""A wire's dateline, credits, month and time-zone abbreviations are no names of the event.

A second desk's wording of a report starts "JERUSALEM, Aug 21 (Agency) -" and ends "(Reporting by
…; Editing by …)": none of those words is a new fact, so the re-report stays a duplicate, while a
report naming a new person or place is still none.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.events import entities


@pytest.mark.parametrize(
    ("body", "furniture"),
    [
        ("JERUSALEM, Aug 21 (Crossline) - A drone fell near Nahariya.", {"jerusalem", "aug", "crossline"}),
        ("SARATOV, Russia, March 18 (wire-intl) - A drone fell near Nahariya.", {"saratov", "wire"}),
        ("KOSTI, Sudan — A drone fell near Nahariya.", {"kosti", "sudan"}),
        ("МОСКВА, 12 фев — Беспилотник упал под Нагарией.", {"москв", "москва"}),
        ("Київ. 14 жовтня. ІНТЕРФАКС-УКРАЇНА – Дрон упав біля Нагарії.", {"київ", "інтерфакс"}),
        ("Grenoble (AFP) - Un drone est tombé près de Nahariya.", {"grenobl", "grenoble", "afp"}),
        ("A drone fell near Nahariya at 0900 GMT on Wed.\n\n(Reporting by Nadia Saleh; Editing by Tom Varga)",
         {"nadia", "saleh", "varga", "gmt", "wed", "report", "edit"}),
        ("A drone fell near Nahariya.\n\nWriting by Claire Dunmore; editing by Tom Varga", {"claire", "dunmore"}),
    ],
)
def test_datelines_and_credits_give_no_names(body: str, furniture: set[str]) -> None:
    found = entities("Drone falls", body)
    assert not found & furniture
    assert any(k.startswith(("nahar", "нагар")) for k in found)  # the event's place stays


@pytest.mark.parametrize(
    "body",
    [
        "NATO said on Monday - after a meeting in Brussels - that Velmora was calm.",
        "Kyiv - Russian troops shelled Velmora overnight, Governor Oleh Marchenko said.",
        "The army said - in a statement - that Marchenko had visited Velmora.",
    ],
)
def test_a_sentence_with_a_dash_is_no_dateline(body: str) -> None:
    found = entities("", body)
    assert "velmora" in found
    assert found & {"nato", "kyiv", "marchenko", "brussel", "brussels", "russian"}


FIRST = make_entry(
    "w1",
    "Drone from the north falls near Nahariya, second intercepted",
    "NAHARIYA, Aug 21 (Crossline) - An explosive-laden drone fell in an open area near Nahariya on Wednesday, "
    "starting a small fire but causing no injuries, while a second was shot down, the military said. "
    "It was the 14th drone launched at the area this month.\n\n(Reporting by Nadia Saleh; Editing by Tom Varga)",
)
FILLER = [
    make_entry("f1", "Museum opens photography exhibition", "Old street photographs are shown.", minutes=10),
    make_entry("f2", "Ministers discuss grain exports", "Farm ministers met to discuss exports of grain.", minutes=20),
]


def _second(body: str) -> str | None:
    d = Detector(DetectionConfig())
    for e in (FIRST, *FILLER):
        d.analyse(new(e), e.published)
    second = make_entry("w2", "Drone falls near Nahariya, another shot down", body, minutes=45)
    return d.analyse(new(second), second.published).duplicate_of


@pytest.mark.parametrize(
    "body",
    [
        "JERUSALEM, Aug 21 (Levant Wire) - A drone carrying explosives came down in open ground near Nahariya "
        "on Wednesday and started a small fire, injuring no one, and a second drone was shot down, the military "
        "said. It was the 14th drone launched at the area this month.\n\n"
        "(Writing by Omar Haddad; Editing by Lena Fischer)",
        "TEL AVIV, Wed Aug 21 (Levant Wire) — A drone carrying explosives came down in open ground near Nahariya "
        "on Wednesday and started a small fire, injuring no one, and a second drone was shot down, the military "
        "said, the 14th drone launched at the area this month.",
    ],
)
def test_a_re_report_under_another_dateline_and_byline_is_a_duplicate(body: str) -> None:
    assert _second(body) == FIRST.key


def test_a_re_report_naming_a_new_person_is_no_duplicate() -> None:
    body = (
        "JERUSALEM, Aug 21 (Levant Wire) - A drone carrying explosives came down in open ground near Nahariya "
        "on Wednesday and started a small fire, injuring no one, and a second drone was shot down, the military "
        "said. Mayor Ronen Marciano of Nahariya and Defence Minister Avi Kedmi visited Shlomi and Metula."
        " It was the 14th drone launched at the area this month."
    )
    assert _second(body) is None
