"""The similarity of one query vector to many entries' vectors at once, to the last bit (speed).

The story index scores a new entry against its candidates one dot product at a time: each a
sum, in term order, of the products of the terms both vectors hold.  :class:`DotBatch` does the
same for all candidates in a few numpy operations: each entry's vector is kept as an array of
term numbers and one of values (in term order), the candidates' values of the query's terms are
multiplied by the query's weights and summed per entry with ``bincount`` -- a sequential sum, in
array order, so the very additions of the plain sum in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import mul

import numpy as np
import numpy.typing as npt


def _dot(query: dict[str, float], other: dict[str, float], keys: frozenset[str] | None = None) -> float:
    """``sum(w * other.get(t, 0.0) for t, w in query.items())`` for a ``query`` in term order
    with positive weights, in C: each product as the plain sum makes it, added in query order;
    a term ``other`` lacks adds ``w * 0.0``, which leaves the (non-negative) sum as it is.
    ``keys`` (the query's terms) is no longer needed."""
    return sum(map(mul, query.values(), map(other.get, query, repeat(0.0))), 0.0)


def _dot_ordered(query: dict[str, float], other: dict[str, float]) -> float:
    """:func:`_dot` of two vectors both in term order (the entries' vectors, not centroids): the
    common terms visited in the smaller one's order, which is term order -- the same products
    (``a * b == b * a``) added in the same order, without a set or a sort."""
    if len(other) < len(query):
        return sum([v * query[t] for t, v in other.items() if t in query], 0.0)
    return sum([w * other[t] for t, w in query.items() if t in other], 0.0)


_Arrays = tuple[dict[str, float], npt.NDArray[np.float64]]


class DotBatch:
    """Term numbers and per-entry arrays for :meth:`dots` (entries named by key)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # term -> its column number (never reused until a reset)
        # key -> (the vector it was made of, its term numbers and values as the two rows of one array)
        self._arrays: dict[str, _Arrays] = {}
        self._weights = np.zeros(1024, dtype=np.float64)  # term number -> its weight in the current query

    def forget(self, key: str) -> None:
        self._arrays.pop(key, None)

    def reset_if_above(self, terms: int) -> None:
        """Start the numbering again when it holds more than ``terms`` terms (it only grows)."""
        if len(self._ids) > terms:
            self._ids.clear()
            self._arrays.clear()

    def _of(self, key: str, vec: dict[str, float]) -> _Arrays:
        kept = self._arrays.get(key)
        if kept is not None and kept[0] is vec:
            return kept
        ids = self._ids
        numbers = [ids.setdefault(t, len(ids)) for t in vec]  # (exact as floats: far below 2**53)
        made = (vec, np.array([numbers, list(vec.values())], dtype=np.float64).reshape(2, len(vec)))
        self._arrays[key] = made
        return made

    def dots(self, query: dict[str, float], entries: Sequence[tuple[str, dict[str, float]]]) -> list[float]:
        """``sum(w * vec.get(t, 0.0) for t, w in query.items())`` for every (key, vec) of ``entries``,
        ``query`` in term order with positive weights, the vectors with positive values."""
        if not entries:
            return []
        kept = self._arrays
        arrays = [
            got if (got := kept.get(key)) is not None and got[0] is vec else self._of(key, vec) for key, vec in entries
        ]  # numbers every term of the entries
        ids = self._ids
        if len(self._weights) < len(ids):
            self._weights = np.zeros(2 * len(ids), dtype=np.float64)
        numbers = np.fromiter(map(ids.get, query, repeat(-1)), dtype=np.int64, count=len(query))
        known = numbers >= 0  # a term no entry has adds nothing
        numbers = numbers[known]
        weights = self._weights
        weights[numbers] = np.fromiter(query.values(), dtype=np.float64, count=len(query))[known]
        try:
            packed = np.concatenate([a[1] for a in arrays], axis=1)
            rows = np.repeat(np.arange(len(arrays)), [a[1].shape[1] for a in arrays])
            # each product as the plain sum makes it (a * b == b * a), a term the query lacks giving 0.0,
            # which leaves a (non-negative) sum as it is; an entry's terms are in term order as the
            # query's, and bincount adds each row's products one after the other in that order
            products = packed[1] * weights[packed[0].astype(np.intp)]
            sums: list[float] = np.bincount(rows, weights=products, minlength=len(arrays)).tolist()
        finally:
            weights[numbers] = 0.0
        return sums
