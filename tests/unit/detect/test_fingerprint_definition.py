"""Shingles, signatures and band keys equal a plain-Python statement of their definition.

The detector stores shingle hashes in its changelogged table and rebuilds its index from
them after a restart, so the numpy fast paths must keep producing exactly these values.
"""

from __future__ import annotations

import numpy as np
import pytest

from newsmon.detect.minhash import MinHasher, band_keys, pack4
from newsmon.detect.neardup import NearDupIndex
from newsmon.detect.shingles import fold, text_shingles

M64 = (1 << 64) - 1
BASE = 0x100000001B3
MULTIPLIERS = [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD]
BAND_MULT = [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9]

TEXTS = [
    "The harbour authority's `pier` (the pier`s crane) is CLOSED; ferries (to the islands) leave at 9.30!",
    "Ukraine's army said: \u201cWe hold the line.\u201d Kyiv\u2019s mayor \u2014 not the army \u2014 disagreed.",
    "\uff26\uff55\u006c\u006c width Stra\u00dfe \u0130stanbul \ufb01nance, \u00ab quoted \u00bb, "
    "\u041a\u0438\u0457\u0432's forces",
    "one two",
    "s 's x's it's",
    "",
    "!!! ... ???",
]


def _mix(v: int) -> int:
    v ^= v >> 30
    v = (v * 0xBF58476D1CE4E5B9) & M64
    v ^= v >> 27
    v = (v * 0x94D049BB133111EB) & M64
    return v ^ (v >> 31)


def reference_shingles(text: str, size: int = 3) -> list[int]:
    data = fold(text).encode("utf-8")
    word = [chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789" or b >= 0x80 for b in data]
    tokens: list[tuple[int, int]] = []
    i = 0
    while i < len(data):
        if word[i]:
            j = i
            while j < len(data) and word[j]:
                j += 1
            if not (j - i == 1 and data[i] == ord("s") and i > 0 and data[i - 1] == ord("'")):
                tokens.append((i, j))
            i = j
        else:
            i += 1
    hashes = [sum((data[k] + 1) * pow(BASE, k - s, 1 << 64) for k in range(s, e)) & M64 for s, e in tokens]
    if not hashes:
        return []
    width = min(size, len(hashes))
    return sorted(
        {_mix(sum(hashes[k + j] * MULTIPLIERS[j] for j in range(width)) & M64) for k in range(len(hashes) - width + 1)}
    )


@pytest.mark.parametrize("text", TEXTS)
def test_text_shingles_follow_the_definition(text: str) -> None:
    assert text_shingles(text).tolist() == reference_shingles(text)


@pytest.mark.parametrize("text", TEXTS[:3])
def test_ascii_fast_path_agrees_with_the_unicode_path(text: str) -> None:
    # a trailing no-break space (NFKC: a space) sends the same words down the unicodedata path
    assert np.array_equal(text_shingles(text + "\u00a0"), text_shingles(text))
    assert np.array_equal(text_shingles(text.upper()), text_shingles(text.upper() + "\u00a0"))


def test_signature_band_keys_and_packing_follow_the_definition() -> None:
    shingles = text_shingles(TEXTS[0] + " " + TEXTS[1])
    hasher = MinHasher(64, seed=1)
    a = [int(x) for x in hasher._a]
    expected = [min(((ai * int(h)) & M64) >> 32 for h in shingles) for ai in a]
    signature = hasher.signature(shingles)
    assert signature.dtype == np.uint32 and signature.tolist() == expected

    keys = []
    for band in range(21):
        v = sum(expected[band * 3 + r] * BAND_MULT[r] for r in range(3)) & M64
        v = (v * 0xBF58476D1CE4E5B9) & M64
        keys.append(v ^ (v >> 31))
    assert band_keys(signature, 21).tolist() == keys
    assert pack4(signature).tolist() == [(expected[2 * k] & 15) | ((expected[2 * k + 1] & 15) << 4) for k in range(32)]

    index = NearDupIndex(num_perm=64, bands=21, capacity_hint=65536)
    fp = index.fingerprint(shingles)
    assert fp.signature.tolist() == expected
    assert fp.buckets.dtype == np.intp and fp.buckets.tolist() == [k & 32767 for k in keys]
    assert fp.packed.tolist() == pack4(signature).tolist() and fp.size == len(shingles)
    same = index.fingerprint_of_signature(signature, len(shingles))
    assert same.buckets.tolist() == fp.buckets.tolist() and same.packed.tolist() == fp.packed.tolist()


def test_empty_text_has_the_empty_signature() -> None:
    fp = NearDupIndex().fingerprint(text_shingles(""))
    assert fp.size == 0 and fp.signature.tolist() == [0xFFFFFFFF] * 64
