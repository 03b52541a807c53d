"""MinHash signatures, 4-bit packed signatures and LSH band keys, in numpy.

A signature has ``num_perm`` 32-bit values: value *i* is the minimum over the
shingles of ``(a_i * h mod 2**64) >> 32`` (multiply-shift hashing, with random odd
``a_i``, of already well-mixed 64-bit shingle hashes).  The chance that two signatures agree
at one position estimates the Jaccard similarity of the two shingle sets.

For verification only the low 4 bits of each value are kept (b-bit minwise
hashing, Li & König 2010): two unrelated values still agree with probability
1/16, which :func:`jaccard_packed` corrects for.  That keeps 32 bytes per entry
for 64 permutations instead of 256.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from newsmon.detect.shingles import U64

U32 = npt.NDArray[np.uint32]
U8 = npt.NDArray[np.uint8]
F64 = npt.NDArray[np.float64]

_EMPTY = np.uint32(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_SHIFT31 = np.uint64(31)
_KEY_MIX = np.uint64(0xBF58476D1CE4E5B9)
_U8_4 = np.uint8(4)
_U8_15 = np.uint8(0x0F)
_BAND_MULT = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x2545F4914F6CDD1D,
        0x5851F42D4C957F2D,
    ],
    dtype=np.uint64,
)
# equal[i] = number of equal nibbles between two bytes whose XOR is i
_EQUAL_NIBBLES = np.array([(i & 0x0F == 0) + (i & 0xF0 == 0) for i in range(256)], dtype=np.uint8)


class MinHasher:
    """Computes MinHash signatures with ``num_perm`` permutations (deterministic for a seed)."""

    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        if num_perm < 2 or num_perm % 2:
            raise ValueError(f"num_perm must be an even number >= 2, got {num_perm}")
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.seed = seed
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)

    def signature(self, shingles: U64) -> U32:
        """The signature of a set of shingle hashes (all 0xFFFFFFFF for the empty set)."""
        signature: U32 = self.signature64(shingles).astype(np.uint32)
        return signature

    def signature64(self, shingles: U64) -> U64:
        """:meth:`signature` with its values widened to uint64 (what band keys are made of)."""
        if len(shingles) == 0:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint64)
        # multiply-shift hashing: the top 32 bits of a_i * h (mod 2**64); the minimum of
        # the full products has the minimum top bits, so shift only the minima.  One row
        # per permutation: the minimum runs along contiguous memory.
        low: U64 = np.minimum.reduce(np.multiply.outer(self._a, shingles), axis=1)
        low >>= _SHIFT32
        return low


def jaccard_estimate(a: U32, b: U32) -> float:
    """Jaccard similarity estimated from two full signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def pack4(signature: U32) -> U8:
    """The low 4 bits of every signature value, two per byte."""
    low = signature.astype("<u4", copy=False).view(np.uint8)[::4]  # the low byte of each value
    packed: U8 = low[1::2] << _U8_4
    packed |= low[0::2] & _U8_15
    return packed


def equal_nibbles(query: U8, rows: U8) -> npt.NDArray[np.int64]:
    """How many of the 4-bit values agree between ``query`` and each row of ``rows``."""
    equal: npt.NDArray[np.int64] = _EQUAL_NIBBLES[np.bitwise_xor(rows, query)].sum(axis=-1, dtype=np.int64)
    return equal


def jaccard_from_equal(equal: float, num_perm: int) -> float:
    """Jaccard estimate from the number of agreeing 4-bit values (1/16 agree by chance)."""
    return min(1.0, max(0.0, (equal / num_perm - 1.0 / 16.0) * (16.0 / 15.0)))


def jaccard_packed(query: U8, rows: U8) -> F64:
    """Jaccard estimates between one packed signature and each row of ``rows``.

    Corrects for the 1/16 chance that two unrelated 4-bit values agree.
    """
    agree = equal_nibbles(query, rows) / (2.0 * query.shape[-1])
    estimate: F64 = np.clip((agree - 1.0 / 16.0) * (16.0 / 15.0), 0.0, 1.0)
    return estimate


def band_keys(signature: U32 | U64, bands: int) -> U64:
    """One 64-bit key per LSH band (a hash of the band's ``rows = num_perm // bands`` values)."""
    rows = len(signature) // bands
    if rows < 1 or rows > len(_BAND_MULT):
        raise ValueError(f"{len(signature)} permutations cannot make {bands} bands of 1..{len(_BAND_MULT)} rows")
    values = signature[: bands * rows].astype(np.uint64, copy=False).reshape(bands, rows)
    keys: U64 = values @ _BAND_MULT[:rows]
    keys *= _KEY_MIX
    keys ^= keys >> _SHIFT31
    return keys
