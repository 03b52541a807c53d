"""A time-windowed MinHash-LSH index for near-duplicate entries.

Layout (all numpy, no per-entry Python objects except the key string):

* a ring of slots holding, per entry, its sequence number, time, 4-bit packed
  signature (32 bytes for 64 permutations) and key;
* per LSH band, a table of chain heads (``bands x table_size`` uint32) and a
  ``next`` pointer per slot (``bands x capacity`` uint32).  Both store the low 32
  bits of sequence numbers, so a pointer to a slot that has since been reused is
  recognised (its sequence number differs) and ends the chain.

A query walks the ``bands`` chains of its buckets at once (vectorised), then
verifies the candidates against their packed signatures: bucket collisions and
band matches below the threshold are dropped.  Eviction advances the ring's
oldest slot while it is older than the window; the ring doubles when full.
Memory is about ``capacity * (4*bands + 8 + 8 + num_perm/2 + 9)`` bytes plus
``table_size * 4 * bands`` plus the key strings (~150 MB for 1M entries with the
defaults), independent of the text length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsmon.detect.minhash import _EQUAL_NIBBLES, U8, U32, MinHasher, band_keys, jaccard_from_equal, pack4
from newsmon.detect.shingles import U64

_LOW32 = 0xFFFFFFFF
_INTP_IS_64 = np.dtype(np.intp).itemsize == 8  # bucket numbers (< 2**63) then view uint64 as intp


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the index needs of one text: its signature, packed signature and bucket per band."""

    signature: U32
    packed: U8
    buckets: npt.NDArray[np.intp]
    size: int  # number of distinct shingles


@dataclass(frozen=True, slots=True)
class NearDup:
    """An earlier entry whose estimated Jaccard similarity reaches the threshold."""

    key: str
    similarity: float
    time: float
    handle: int


def _next_pow2(n: int) -> int:
    return 1 << max(0, (n - 1).bit_length())


class NearDupIndex:
    """MinHash-LSH over a sliding time window (times are POSIX seconds, passed in)."""

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 64,
        bands: int = 21,
        window_seconds: float = 48 * 3600.0,
        capacity_hint: int = 65536,
        seed: int = 1,
        verify_slack: float = 0.1,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if bands < 1 or num_perm // bands < 1:
            raise ValueError(f"bands ({bands}) must be 1..num_perm ({num_perm})")
        self.threshold = threshold
        self.verify_slack = verify_slack
        self.window_seconds = window_seconds
        self.hasher = MinHasher(num_perm, seed)
        self.bands = bands
        self._band_index = np.arange(bands, dtype=np.intp)
        table = _next_pow2(max(1024, capacity_hint // 2))
        self._table_mask = table - 1
        self._bucket_mask = np.uint64(table - 1)
        self._heads = np.zeros((bands, table), dtype=np.uint32)
        # band b's bucket k is at b * table + k of the flattened heads
        self._heads_flat = self._heads.reshape(-1)
        self._band_offsets = self._band_index * table
        self._allocate(_next_pow2(max(1024, capacity_hint)))
        self._next_seq = 1
        self._oldest = 1
        self._need_for: tuple[float, float] | None = None  # (threshold, verify_slack) of _need
        self._need = 0  # agreeing 4-bit values a candidate needs

    def _allocate(self, capacity: int) -> None:
        self._capacity = capacity
        self._cap_mask = capacity - 1
        self._next = np.zeros((self.bands, capacity), dtype=np.uint32)
        self._seq = np.zeros(capacity, dtype=np.int64)
        self._time = np.zeros(capacity, dtype=np.float64)
        self._sig = np.zeros((capacity, self.hasher.num_perm // 2), dtype=np.uint8)
        self._alive = np.zeros(capacity, dtype=np.bool_)
        self._keys: list[str | None] = [None] * capacity
        # memoryviews give Python ints ~3x faster than numpy scalar indexing in the chain walk
        self._next_view = self._next.reshape(-1).data
        self._seq_view = self._seq.data

    # -- fingerprints -------------------------------------------------------------
    def fingerprint(self, shingles: U64) -> Fingerprint:
        wide = self.hasher.signature64(shingles)
        signature: U32 = wide.astype(np.uint32)
        keys = band_keys(wide, self.bands)
        keys &= self._bucket_mask
        buckets = keys.view(np.intp) if _INTP_IS_64 else keys.astype(np.intp)
        return Fingerprint(signature, pack4(signature), buckets, len(shingles))

    def fingerprint_of_signature(self, signature: U32, size: int) -> Fingerprint:
        buckets = (band_keys(signature, self.bands) & np.uint64(self._table_mask)).astype(np.intp)
        return Fingerprint(signature, pack4(signature), buckets, size)

    # -- queries --------------------------------------------------------------------
    def candidates(self, fp: Fingerprint) -> npt.NDArray[np.intp]:
        """Slots of live entries sharing a bucket with ``fp`` in at least one band."""
        heads = self._heads_flat.take(fp.buckets + self._band_offsets).tolist()
        nxt, seqs = self._next_view, self._seq_view
        mask, capacity, oldest = self._cap_mask, self._capacity, self._oldest
        found: set[int] = set()
        add = found.add
        base = 0  # band * capacity: where the band's row of next pointers starts
        for cur in heads:
            while cur:
                slot = cur & mask
                full = seqs[slot]
                if full & _LOW32 != cur or full < oldest:
                    break  # slot reused by a later entry, or evicted: the rest is older
                add(slot)
                cur = nxt[base + slot]
            base += capacity
        return np.fromiter(found, dtype=np.intp, count=len(found))

    def query(self, fp: Fingerprint, now: float, exclude: int | None = None) -> list[NearDup]:
        """Live entries within the window whose estimated similarity reaches the threshold, best first.

        The estimate from 4-bit signatures has a standard error of about 0.06 at 64
        permutations, so candidates down to ``threshold - verify_slack`` are kept:
        callers holding the shingle sets (the detector) confirm with the exact value.
        """
        slots = self.candidates(fp)
        if not len(slots):
            return []
        num_perm = self.hasher.num_perm
        if self._need_for != (self.threshold, self.verify_slack):
            self._need_for = (self.threshold, self.verify_slack)
            self._need = math.ceil(num_perm * ((self.threshold - self.verify_slack) * 15.0 / 16.0 + 1.0 / 16.0) - 1e-9)
        # equal_nibbles(fp.packed, rows), inlined
        equal = np.add.reduce(
            _EQUAL_NIBBLES[np.bitwise_xor(self._sig.take(slots, axis=0), fp.packed)], axis=-1, dtype=np.int64
        )
        hits = (equal >= self._need).nonzero()[0]
        if not len(hits):
            return []
        since = now - self.window_seconds
        out = []
        for h in hits.tolist():
            s = int(slots[h])
            if not self._alive[s] or self._time[s] < since or self._seq[s] == exclude:
                continue
            sim = jaccard_from_equal(float(equal[h]), num_perm)
            out.append(NearDup(self._keys[s] or "", sim, float(self._time[s]), int(self._seq[s])))
        out.sort(key=lambda d: (-d.similarity, d.time, d.handle))
        return out

    # -- updates --------------------------------------------------------------------
    def add(self, key: str, fp: Fingerprint, time: float) -> int:
        """Index an entry; returns its handle (for :meth:`remove`)."""
        if self._next_seq - self._oldest >= self._capacity:
            self._grow()
        seq = self._next_seq
        if seq & _LOW32 == 0:  # 0 marks an empty chain; skip it once every 2**32 entries
            seq += 1
        self._next_seq = seq + 1
        slot = seq & self._cap_mask
        flat = fp.buckets + self._band_offsets
        self._next[:, slot] = self._heads_flat.take(flat)
        self._heads_flat[flat] = seq & _LOW32
        self._seq[slot] = seq
        self._time[slot] = time
        self._sig[slot] = fp.packed
        self._alive[slot] = True
        self._keys[slot] = key
        return seq

    def remove(self, handle: int) -> None:
        """Forget an entry (e.g. before re-adding an edited version)."""
        slot = handle & self._cap_mask
        if self._seq[slot] == handle and self._alive[slot]:
            self._alive[slot] = False
            self._keys[slot] = None
        self._advance()

    def evict(self, cutoff: float) -> list[str]:
        """Drop entries older than ``cutoff`` from the oldest end; returns their keys."""
        evicted: list[str] = []
        while self._oldest < self._next_seq:
            slot = self._oldest & self._cap_mask
            if self._seq[slot] != self._oldest:  # a skipped sequence number
                self._oldest += 1
                continue
            if self._alive[slot]:
                if self._time[slot] >= cutoff:
                    break
                evicted.append(self._keys[slot] or "")
                self._alive[slot] = False
                self._keys[slot] = None
            self._oldest += 1
        return evicted

    def _advance(self) -> None:
        while self._oldest < self._next_seq:
            slot = self._oldest & self._cap_mask
            if self._seq[slot] == self._oldest and self._alive[slot]:
                break
            self._oldest += 1

    def _grow(self) -> None:
        old = (self._next, self._seq, self._time, self._sig, self._alive, self._keys, self._cap_mask)
        seqs = np.arange(self._oldest, self._next_seq, dtype=np.int64)
        old_slots = (seqs & old[6]).astype(np.intp)
        self._allocate(self._capacity * 2)
        new_slots = (seqs & self._cap_mask).astype(np.intp)
        self._next[:, new_slots] = old[0][:, old_slots]
        self._seq[new_slots] = old[1][old_slots]
        self._time[new_slots] = old[2][old_slots]
        self._sig[new_slots] = old[3][old_slots]
        self._alive[new_slots] = old[4][old_slots]
        keys = old[5]
        for o, n in zip(old_slots.tolist(), new_slots.tolist(), strict=True):
            self._keys[n] = keys[o]

    def __len__(self) -> int:
        return int(np.count_nonzero(self._alive))

    @property
    def capacity(self) -> int:
        return self._capacity

    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (key strings not included)."""
        arrays = (self._heads, self._next, self._seq, self._time, self._sig, self._alive)
        return sum(a.nbytes for a in arrays) + 8 * self._capacity
