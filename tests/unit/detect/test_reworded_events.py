"""A re-report that quotes little of the earlier entry can still be the same event in other words.

An entry close to an earlier one in its exact wording (shingle Jaccard at least
``reworded_jaccard``) was judged only as a rewording: it had to repeat half of the earlier entry's
quotations, and when it did not, the same-event rule (story cosine, shared figures, no new figure,
few new names) was never asked. A wire's report that a second desk rewrites, keeping a few words of
a long quotation, is now a duplicate when it adds nothing; a new figure still makes it news.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector

EARLIER = make_entry(
    "a1",
    "UN adds two Haitian gang leaders to sanctions list",
    "A UN Security Council committee on Tuesday added two Haitian gang leaders to its sanctions list, subjecting "
    "them to an asset freeze and a travel ban. \"These men have armed children and terrorised entire "
    "neighbourhoods, and the council will not look away while they do it,\" the committee chair said. The list "
    "now names 11 people.",
    source="wire",
)


def _later(title: str, body: str) -> str | None:
    d = Detector(DetectionConfig())
    d.analyse(new(EARLIER), EARLIER.published)
    later = make_entry("b1", title, body, minutes=300, source="blog")
    return d.analyse(new(later), later.published).duplicate_of


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("UN committee adds two Haitian gang leaders to sanctions list",
         "Two Haitian gang leaders were added to the UN sanctions list on Tuesday, a Security Council committee "
         "said, with an asset freeze and a travel ban. The committee chair said the men had \"armed children\". "
         "The list now names 11 people."),
        ("Two Haitian gang leaders added to UN sanctions list",
         "A Security Council committee put two Haitian gang leaders on the UN sanctions list on Tuesday: an asset "
         "freeze and a travel ban, because they \"terrorised entire neighbourhoods\", its chair said. The list now "
         "names 11 people."),
    ],
)
def test_a_rewording_quoting_little_is_a_duplicate(title: str, body: str) -> None:
    assert _later(title, body) == EARLIER.key


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("UN committee adds two Haitian gang leaders to sanctions list",
         "Two Haitian gang leaders were added to the UN sanctions list on Tuesday, a Security Council committee "
         "said, with an asset freeze and a travel ban. The committee chair said the men had \"armed children\". "
         "The list now names 13 people."),
        ("Two Haitian gang leaders added to UN sanctions list",
         "A Security Council committee put two Haitian gang leaders on the UN sanctions list on Tuesday, its chair "
         "said. Washington said it would propose 4 more names next week; the list now names 11 people."),
    ],
)
def test_a_rewording_with_a_new_figure_is_news(title: str, body: str) -> None:
    assert _later(title, body) is None
