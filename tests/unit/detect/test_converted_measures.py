"""A measure converted in brackets is one figure, not two.

Wires write "10 km (6 miles)" and "$5m (£4m)"; a live blog writing the same claim "about 10km" said
nothing new. The conversion used to count as a new figure, so a wire's re-report of a claim was taken
for a development of it and raised a second alert. A bracketed figure that is no conversion ("20
people (12 of them civilians)") is still a fact.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.events import numbers


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("across a stretch of about 10 km (6 miles), the command said", {10.0}),
        ("a town about 15 km (9 miles) east of the city", {15.0}),
        ("the 10km (6mi) front", {10.0}),
        ("an advance of 3 kilometres (about 2 miles) in a day", {3.0}),
        ("aid worth $5m (£4m) arrived", {5.0}),
    ],
)
def test_a_conversion_in_brackets_is_no_second_figure(text: str, figures: set[float]) -> None:
    assert set(numbers(text)) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("killed 20 people (12 of them civilians)", {20.0, 12.0}),
        ("took 3 villages (and 2 hamlets) along the road", {3.0, 2.0}),
        ("a front of 10 km, then (on Friday) 6 miles more", {10.0, 6.0}),
    ],
)
def test_a_bracketed_figure_that_is_no_conversion_is_a_fact(text: str, figures: set[float]) -> None:
    assert set(numbers(text)) == figures


CLAIM = make_entry(
    "c1",
    "Militia says it has broken through army lines east of Dolbrin",
    "Fighters of the Free Valley Militia have punched through the army's front line east of Dolbrin and taken "
    "nine villages along a front of roughly 10km, the militia's command says. There has been no independent "
    "confirmation.",
    source="blog",
)


def _later(body: str) -> str | None:
    d = Detector(DetectionConfig())
    d.analyse(new(CLAIM), CLAIM.published)
    later = make_entry("c2", "Militia breaches army defences east of Dolbrin", body, minutes=40, source="wire")
    return d.analyse(new(later), later.published).duplicate_of


def test_a_wire_converting_the_front_s_width_re_reports_the_claim() -> None:
    body = (
        "Free Valley Militia fighters broke through army lines east of Dolbrin on Thursday and seized 9 villages "
        "across a stretch of about 10 km (6 miles), the militia's command said. The report could not be "
        "independently verified."
    )
    assert (_later(body) or "").endswith("c1")


def test_a_wire_with_a_new_figure_is_a_development() -> None:
    body = (
        "Free Valley Militia fighters broke through army lines east of Dolbrin on Thursday and seized 14 villages "
        "across a stretch of about 10 km (6 miles), the militia's command said. The report could not be "
        "independently verified."
    )
    assert _later(body) is None
