"""A breakthrough dated before the entry's own year is a battle of the past, not a claim.

"Ukrainian troops breached the Surovikin line in August 2023" in a 2024 analysis, "four years after
insurgents overran the town in March 2021", "im Sommer 2023 durchbrachen": history, no claim, no
alert. A year that starts what still goes on ("lines held since 2014", "seit 2022", "since hostilities
resumed in 2020") or the entry's own year leaves a claim a claim.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from detect_fixtures import new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.tokens import read_text
from newsmon.model import Entry

PAST = [
    "Last August it was where Northland troops breached the first belt of the Velmora line, the deepest point "
    "of the 2023 counteroffensive.",
    "Four years after insurgents overran the town of Velmora in March 2021, residents are returning.",
    "Im Sommer 2023 durchbrachen ukrainische Truppen bei Robotyne die erste russische Verteidigungslinie.",
    "В 2022 году украинские войска прорвали оборону под Балаклеей, напомнил аналитик.",
]
CURRENT = [
    "Northland troops breached Southland lines near Velmora that had held since 2014, the army said on Tuesday.",
    "Polisario fighters broke through the Moroccan defensive wall near Mahbes, the first breach since "
    "hostilities resumed in 2020, the movement said.",
    "Russische Truppen haben die seit 2022 gehaltenen Stellungen bei Pokrowsk durchbrochen, so Moskau.",
    "Northland's army said its units broke through at Velmora on March 3, 2024, overnight.",
]


@pytest.mark.parametrize("text", PAST)
def test_a_breakthrough_of_an_earlier_year_is_history(extractor: ClaimExtractor, text: str) -> None:
    result = extractor.extract(read_text("", text), year=2024)
    assert not result.claims
    assert any(b["reason"].startswith("history") for b in result.blocked)


@pytest.mark.parametrize("text", CURRENT)
def test_a_year_that_starts_what_goes_on_or_the_entrys_own_is_no_history(extractor: ClaimExtractor, text: str) -> None:
    assert extractor.extract(read_text("", text), year=2024).claims


def test_without_a_date_only_years_before_2000_are_history(extractor: ClaimExtractor) -> None:
    assert extractor.extract(read_text("", PAST[0])).claims  # no year given: 2023 could be this year
    assert not extractor.extract(read_text("", "In 1943 Soviet troops broke through the German lines at Kursk.")).claims


def test_the_detector_reads_the_year_of_the_entry() -> None:
    def alerts_on(published: datetime) -> bool:
        entry = Entry(
            source="blog", entry_id="p1", title="Analysis: why Velmora matters", body=PAST[0], published=published
        )
        return bool(Detector(DetectionConfig()).analyse(new(entry), published).claims)

    assert not alerts_on(datetime(2024, 5, 15, tzinfo=UTC))
    assert alerts_on(datetime(2023, 9, 1, tzinfo=UTC))  # written that year: today's news then
