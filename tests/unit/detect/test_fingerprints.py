from __future__ import annotations

import numpy as np
import pytest

from newsmon.detect.minhash import MinHasher, band_keys, equal_nibbles, jaccard_estimate, jaccard_from_equal, pack4
from newsmon.detect.neardup import NearDupIndex
from newsmon.detect.shingles import jaccard, quotations, shingle_hashes, text_shingles, word_tokens

ORIGINAL = (
    "The harbour authority in Port Elwin said on Tuesday that the northern pier would stay closed for at least "
    "two weeks after a cargo ship struck it during a storm. Engineers found cracks in three of the main pillars "
    "and a crane had to be moved. Ferries to the islands will leave from the southern terminal instead, the "
    "authority said, and passengers should expect delays of up to an hour during the morning rush."
)
REWORDED = (
    "The harbour authority in Port Elwin said on Tuesday that its northern pier will stay shut for at least "
    "two weeks after a cargo ship struck it in a storm. Engineers found cracks in three of the main pillars "
    "and a crane had to be moved. Ferries to the islands will leave from the southern terminal instead, the "
    "authority said, and travellers should expect delays of up to an hour during the morning rush."
)
UNRELATED = (
    "A new exhibition of early photographs opened at the city museum, showing street life between the wars. "
    "The curator said most of the prints had never been shown in public and came from a private collection."
)


def test_fast_shingles_match_token_shingles_on_ascii() -> None:
    text = "The pier's crane, moved; ferries (to the islands) leave at 9.30!"
    assert word_tokens(text) == [
        "the",
        "pier",
        "crane",
        "moved",
        "ferries",
        "to",
        "the",
        "islands",
        "leave",
        "at",
        "9",
        "30",
    ]
    assert len(text_shingles(text)) == len(shingle_hashes(word_tokens(text)))
    assert np.array_equal(text_shingles(text), text_shingles(text.upper()))
    assert len(text_shingles("")) == 0
    assert len(text_shingles("one two")) == 1


def test_minhash_estimates_jaccard() -> None:
    hasher = MinHasher(num_perm=256)
    a, b, c = text_shingles(ORIGINAL), text_shingles(REWORDED), text_shingles(UNRELATED)
    exact = jaccard(a, b)
    assert 0.4 < exact < 0.9
    assert abs(jaccard_estimate(hasher.signature(a), hasher.signature(b)) - exact) < 0.12
    assert jaccard_estimate(hasher.signature(a), hasher.signature(c)) < 0.1
    packed = equal_nibbles(pack4(hasher.signature(a)), pack4(hasher.signature(b))[None, :])
    assert abs(jaccard_from_equal(float(packed[0]), 256) - exact) < 0.15


def test_signatures_are_deterministic_across_instances() -> None:
    a = text_shingles(ORIGINAL)
    assert np.array_equal(MinHasher(64, seed=3).signature(a), MinHasher(64, seed=3).signature(a))
    assert np.array_equal(band_keys(MinHasher(64).signature(a), 21), band_keys(MinHasher(64).signature(a), 21))


def test_quotations() -> None:
    text = 'He said: \u201cWe will rebuild the pier before the summer season starts.\u201d Then "ok".\n\u201cIt runs on'
    quotes = quotations(text)
    assert quotes == ["We will rebuild the pier before the summer season starts.", "It runs on"] or quotes[
        0
    ].startswith("We will")


def test_index_finds_rewording_not_unrelated() -> None:
    index = NearDupIndex(threshold=0.5)
    first = index.fingerprint(text_shingles(ORIGINAL))
    index.add("a", first, 0.0)
    index.add("u", index.fingerprint(text_shingles(UNRELATED)), 1.0)
    found = index.query(index.fingerprint(text_shingles(REWORDED)), 2.0)
    assert [d.key for d in found] == ["a"]
    assert found[0].similarity > 0.4
    assert (
        index.query(index.fingerprint(text_shingles("Completely different words about gardening and roses.")), 2.0)
        == []
    )


def test_index_window_eviction_remove_and_growth() -> None:
    index = NearDupIndex(threshold=0.5, window_seconds=100.0, capacity_hint=1)
    fps = [index.fingerprint(text_shingles(f"{ORIGINAL} variant number {i} {'x' * (i % 3)}")) for i in range(3000)]
    handles = [index.add(str(i), fp, float(i)) for i, fp in enumerate(fps)]
    assert index.capacity >= 3000  # grew from 1024
    # the window: an old entry is not returned even before eviction
    assert all(int(d.key) >= 3000 - 101 for d in index.query(fps[0], 3000.0))
    evicted = index.evict(3000.0 - 100.0)
    assert evicted[0] == "0" and len(evicted) == 2900
    assert len(index) == 100
    index.remove(handles[-1])
    assert "2999" not in {d.key for d in index.query(fps[-1], 3000.0)}
    assert "2998" in {d.key for d in index.query(fps[-1], 3000.0)}


@pytest.mark.parametrize("bad", [{"threshold": 0.0}, {"bands": 0}])
def test_index_rejects_bad_parameters(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        NearDupIndex(**bad)  # type: ignore[arg-type]
