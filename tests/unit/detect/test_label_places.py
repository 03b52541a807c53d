"""A post labelled with a place ("Thread: Konduz - first geolocated footage", "1/ Pol-e Khomri
(Baghlan).") gives that place to a claim whose own sentences name none, when the gazetteer knows the
name or the entry names it again; a label that is a side ("Kremlin:"), or a name said once and
unknown ("Zelensky:"), gives none."""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    ("title", "body", "place"),
    [
        ("Thread: Konduz - first geolocated footage",
         "1/ Konduz: the Taliban claim that they have overrun the outer checkpoints and are inside the city.",
         "Konduz"),
        ("Thread: Pol-e Khomri",
         "1/ Pol-e Khomri (Baghlan). 2/ The western line was breached by Taliban fighters, who are inside the city.",
         "Pol-e Khomri"),
        ("Bakhmut: what we know",
         "Russian assault groups broke through the defensive line overnight, the ministry said.", "Bakhmut"),
    ],
)
def test_a_post_s_label_places_a_claim_that_names_none(
    extractor: ClaimExtractor, title: str, body: str, place: str
) -> None:
    (claim,) = extractor.extract(read_text(title, body)).claims
    assert claim.place == place


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Kremlin: the front is moving", "Russian assault groups broke through the defensive line overnight, the "
         "ministry said."),
        ("Zelensky: we need more shells", "Russian assault groups broke through the defensive line overnight, the "
         "ministry said."),
    ],
)
def test_a_side_or_a_passing_name_labels_no_place(extractor: ClaimExtractor, title: str, body: str) -> None:
    (claim,) = extractor.extract(read_text(title, body)).claims
    assert claim.place == ""
