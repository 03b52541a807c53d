"""A name followed by an area noun is the area around the claim, not a new place of a re-report.

"in Cabo Delgado province", "on the Orikhiv front", "in Idlib governorate": a re-report that places
the same claim in its province or on its front tells nothing new (it is a duplicate, no alert); a
re-report naming a second village taken is a development (`[claims] areas` lists the nouns).
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector

CLAIM = make_entry(
    "c1",
    "Insurgents say they broke through army lines at Meluco",
    "Insurgents said on Tuesday they had broken through an army defensive line on the outskirts of Meluco and "
    "overrun a military post.",
    source="wire",
)


def _follow_up(body: str) -> tuple[str | None, bool]:
    d = Detector(DetectionConfig())
    first = d.analyse(new(CLAIM), CLAIM.published)
    later = make_entry("c2", "Insurgents claim breakthrough at Meluco", body, minutes=90, source="blog")
    analysis = d.analyse(new(later), later.published)
    return analysis.duplicate_of, analysis.story == first.story


@pytest.mark.parametrize(
    "body",
    [
        "Insurgents claimed to have broken through an army defensive line at Meluco, in Cabo Delgado province, "
        "and overrun a military post.",
        "Insurgents say they broke through army lines near Meluco on the Macomia front and overran a military post.",
        "On the Macomia axis, insurgents said they had broken through an army line at Meluco and overrun a post.",
    ],
)
def test_the_claim_placed_in_its_province_or_front_is_a_re_report(body: str) -> None:
    assert _follow_up(body)[0] == CLAIM.key


def test_a_second_village_taken_is_a_development() -> None:
    body = (
        "Insurgents said they had broken through an army defensive line at Meluco, overrun a military post and "
        "taken the village of Muaguide."
    )
    duplicate, same_story = _follow_up(body)
    assert duplicate is None and same_story
