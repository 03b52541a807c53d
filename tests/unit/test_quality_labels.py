"""bench/quality.py reads labels in the seed's shape and in the list shape evaluation writers use."""

from __future__ import annotations

from newsmon.quality import normalise_labels


def test_a_claim_with_one_denial_or_several() -> None:
    seed = normalise_labels({"contested_expected": {"E24": "E10"}, "contests_acceptable": ["E05"]})
    assert seed["contested_pairs"] == [("E24", "E10")] and seed["contests_acceptable"] == ["E05"]
    listed = normalise_labels({"contested_expected": {"A1": ["A3", "A7"]}, "contests_acceptable": {"A1": ["A9"]}})
    assert listed["contested_pairs"] == [("A1", "A3"), ("A1", "A7")]
    assert listed["contests_acceptable"] == ["A9"]


def test_labels_without_contests() -> None:
    empty = normalise_labels({})
    assert empty["contested_pairs"] == [] and empty["contests_acceptable"] == []
