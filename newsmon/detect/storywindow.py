"""The window of a story index: its entries' TF-IDF vectors and its stories' centroids.

Each entry's story terms (:func:`newsmon.detect.terms.story_terms`) are weighted by
a TF-IDF whose document frequencies are those of the entries in the window, so
words every entry uses (the war's protagonists) fade by themselves.

Two regimes (speed).  The IDF of a term is ``log((N + 1) / (DF + 0.5))``.

*Small windows* (at most ``QUANT_EXACT`` = 64 entries: one live blog's day) are exact:
``N`` (window size) and ``DF`` (document frequency) as they are now, every vector
and centroid recomputed when a count it depends on changes, a centroid over all of
a story's members.  The labelled live blogs are decided in this regime.

*Large windows* keep the cost of an entry independent of the window's size:

- ``N`` is rounded to the middle of its step on a geometric grid of ``N_STEPS`` (8)
  steps per doubling and ``DF`` (when > 0) to one of ``DF_STEPS`` (2) steps per
  doubling, so each IDF is off from the exact one by at most
  ``log(2) / (2 * 8) + log(2) / (2 * 2)`` ~= 0.22 (absolute; IDFs range from ~1.5 to ~9);
- an entry's unit vector is computed once, with the IDFs of the window when it is
  first needed, and kept while the entry is in the window (IDFs drift slowly in a
  large window; the new entry's query vector always uses the current ones);
- a story's centroid is the running sum of the vectors of its latest
  ``CENTROID_MEMBERS`` (32) members, updated as members come and go, instead of a
  sum over every member: a developing story is represented by where it is now.
- candidates are the ``LARGE_CANDIDATES`` (64) entries sharing most of the query's
  heaviest terms among those named by at most 5% of the window (20% and 200 in the
  small regime).

Entering or leaving the large regime drops every kept vector and centroid.  A
detector restored from its records re-adds the window's entries in time order; in
the large regime its vectors may then differ slightly from the uninterrupted
detector's (they were computed with the IDFs of another moment).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class _Sum:
    """Large-window centroid of a story: the running sum of its latest members' kept vectors."""

    members: deque[str]
    vector: dict[str, float]
    norm: float = math.nan  # nan: to be recomputed
    earliest: float = math.nan  # the earliest member's time (nan: to be recomputed)

    def add(self, key: str, vec: dict[str, float]) -> None:
        self.members.append(key)
        total = self.vector
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v
        self.norm = self.earliest = math.nan

    def subtract(self, key: str, vec: dict[str, float]) -> None:
        self.members.remove(key)
        total = self.vector
        for t, v in vec.items():
            left = total.get(t, 0.0) - v
            if left > 1e-9:
                total[t] = left
            else:
                total.pop(t, None)
        self.norm = self.earliest = math.nan

    def length(self) -> float:
        if math.isnan(self.norm):
            self.norm = math.sqrt(sum([v * v for v in self.vector.values()])) or 1.0
        return self.norm


@dataclass(slots=True)
class _Doc:
    terms: dict[str, float]
    story: str
    time: float
    joinable: bool
    labels: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    tf: _TF = ((), ())  # (terms, their tf factors) in term order: see _tf_factors


_TF = tuple[tuple[str, ...], tuple[float, ...]]
_FACTORS: dict[float, float] = {}  # weight -> its tf factor: one float object per weight (memory: weights recur)


def _tf_factor(w: float) -> float:
    factor = _FACTORS.get(w)
    if factor is None:
        factor = (1.0 + math.log(w)) if w >= 1.0 else w
        if len(_FACTORS) < 1 << 12:
            _FACTORS[w] = factor
    return factor


def _tf_factors(terms: dict[str, float]) -> _TF:
    """The terms in term order and the term-frequency factor of each (what :meth:`StoryIndex.vector`
    multiplies by IDF), as two tuples (memory: one tuple per entry, not one per term)."""
    ordered = sorted(terms)
    return tuple(ordered), tuple([_tf_factor(terms[t]) for t in ordered])


QUANT_EXACT = 64  # windows of up to this many entries get the exact regime (see the module docstring)
CENTROID_MEMBERS = 32  # large windows: a story's centroid sums its latest this many members
LARGE_CANDIDATES = 64  # large windows: cosines computed per query (the entries sharing most rare terms)
N_STEPS = 8  # larger windows: the window size on a grid of 8 steps per doubling
DF_STEPS = 2  # ... and document frequencies on a grid of 2 steps per doubling
_GRIDS: dict[int, dict[int, float]] = {}  # steps -> count -> its value (cached: counts recur)


def quantised(count: int, steps: int = 0) -> float:
    """``count`` as the IDF sees it: exact for ``steps`` 0 (or a count of 0), else the middle
    of its step on a geometric grid of ``steps`` steps per doubling."""
    if steps == 0 or count <= 0:
        return float(count)
    grid = _GRIDS.get(steps)
    if grid is None:
        grid = _GRIDS[steps] = {}
    value = grid.get(count)
    if value is None:
        step = math.floor(math.log2(count) * steps)
        value = 2.0 ** ((step + 0.5) / steps)
        if len(grid) < 1 << 20:
            grid[count] = value
    return value


class StoryWindow:
    """Entries of the window with their stories, terms, places and topic labels, and their vectors.

    Vectors depend on the (rounded, see the module docstring) document frequencies
    and size of the window.  The IDF of every term, the vector of every entry and the
    centroid of every story are cached until the rounded window size or a rounded
    document frequency they depend on changes.  The cached values are the very floats
    the plain computation gives, so no decision depends on the caching.
    """

    def __init__(self) -> None:
        self._docs: dict[str, _Doc] = {}
        self._df: Counter[str] = Counter()
        self._postings: dict[str, set[int]] = defaultdict(set)  # term -> numbers of joinable entries holding it
        self._number: dict[str, int] = {}  # joinable entry -> its number (freed when it leaves)
        self._key_of: list[str] = []  # number -> its entry
        self._free: list[int] = []
        self._members: dict[str, set[str]] = defaultdict(set)
        self._labels: dict[str, Counter[str]] = defaultdict(Counter)  # story -> topic labels of its members
        self._places: dict[str, set[str]] = defaultdict(set)  # place key -> joinable entries naming it
        # caches valid while the window is unchanged (see the class docstring)
        self._version = 0  # bumped by every add and remove
        # the last query vector: (version, n), its terms, the vector (`best` asks for it twice)
        self._query_cache: tuple[tuple[int, int], dict[str, float], dict[str, float]] | None = None
        self._query_tf: _TF = ((), ())  # the tf factors of the last query's terms
        self._cache_n = -1.0  # the rounded window size of the cached IDFs, vectors and centroids
        self._df_steps = 0  # the grid of document frequencies for that window size (0: exact)
        self._idf_cache: dict[str, float] = {}
        self._vec_cache: dict[str, dict[str, float]] = {}
        # story -> (members, earliest member time, centroid, centroid norm)
        self._centroid_cache: dict[str, tuple[frozenset[str], float, dict[str, float], float]] = {}
        self._large = False  # the large-window regime (see the module docstring)
        self._sums: dict[str, _Sum] = {}  # large regime: story -> centroid of its latest members

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: str) -> bool:
        return key in self._docs

    def story_of(self, key: str) -> str | None:
        doc = self._docs.get(key)
        return doc.story if doc else None

    def add(
        self,
        key: str,
        terms: dict[str, float],
        story: str,
        time: float,
        joinable: bool = True,
        labels: Iterable[str] = (),
        places: Iterable[str] = (),
    ) -> None:
        if key in self._docs:
            self.remove(key)
        self._version += 1
        asked = self._query_cache  # an entry is usually added just after being asked about: its tf factors are known
        tf = self._query_tf if asked is not None and asked[1] == terms else _tf_factors(terms)
        doc = _Doc(terms, story, time, joinable, frozenset(labels), frozenset(places), tf)
        self._docs[key] = doc
        if joinable:
            number = self._free.pop() if self._free else len(self._key_of)
            self._key_of[number : number + 1] = [key]  # (a new number appends)
            self._number[key] = number
            for term in terms:
                self._postings[term].add(number)
            self._members[story].add(key)
            self._labels[story].update(doc.labels)
            self._centroid_cache.pop(story, None)
            for place in doc.places:
                self._places[place].add(key)
        df, steps = self._df, self._df_steps
        for term in terms:
            old = df.get(term, 0)
            df[term] = old + 1
            if not steps or quantised(old, steps) != quantised(old + 1, steps):  # (_df_changed's own test)
                self._df_changed(term, old, old + 1)
        self._idfs(len(self._docs) + 1)  # may switch regimes (and drop the running sums)
        total = self._sums.get(story) if joinable else None
        if total is not None:
            total.add(key, self._doc_vector(key, len(self._docs) + 1))
            if len(total.members) > CENTROID_MEMBERS:
                oldest = total.members[0]
                total.subtract(oldest, self._vec_cache[oldest])

    def remove(self, key: str) -> None:
        doc = self._docs.pop(key, None)
        if doc is None:
            return
        self._version += 1
        vec = self._vec_cache.pop(key, None)
        total = self._sums.get(doc.story)
        if total is not None and key in total.members:
            if vec is None:
                del self._sums[doc.story]
            else:
                total.subtract(key, vec)
        if doc.joinable:
            self._centroid_cache.pop(doc.story, None)
            labels = self._labels.get(doc.story)
            if labels is not None:
                for label in doc.labels:
                    labels[label] -= 1
                    if labels[label] <= 0:
                        del labels[label]
                if not labels:
                    del self._labels[doc.story]
            number = self._number.pop(key)
            self._free.append(number)
            for term in doc.terms:
                numbers = self._postings.get(term)
                if numbers is not None:
                    numbers.discard(number)
                    if not numbers:
                        del self._postings[term]
            members = self._members.get(doc.story)
            if members is not None:
                members.discard(key)
                if not members:
                    del self._members[doc.story]
            for place in doc.places:
                naming = self._places.get(place)
                if naming is not None:
                    naming.discard(key)
                    if not naming:
                        del self._places[place]
        df, steps = self._df, self._df_steps
        for term in doc.terms:
            old = df.get(term, 0)
            if old <= 1:
                df.pop(term, None)
            else:
                df[term] = old - 1
            if not steps or quantised(old, steps) != quantised(old - 1, steps):
                self._df_changed(term, old, old - 1)

    def _df_changed(self, term: str, old: int, new: int) -> None:
        """Drop the cached values that depend on ``term``'s rounded document frequency if it changed."""
        steps = self._df_steps
        if steps and quantised(old, steps) == quantised(new, steps):
            return
        self._idf_cache.pop(term, None)
        if self._large:
            return  # vectors are kept (see the module docstring)
        vectors, centroids, docs, key_of = self._vec_cache, self._centroid_cache, self._docs, self._key_of
        for number in self._postings.get(term, ()):
            key = key_of[number]
            if vectors.pop(key, None) is not None:
                centroids.pop(docs[key].story, None)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term among the entries of the index (plus one new)."""
        return self._idf(term, len(self._docs) + 1)

    def _idfs(self, n: int) -> dict[str, float]:
        """The IDF cache for window size ``n`` (emptied with all vectors when the rounded ``n`` changed)."""
        exact = n <= QUANT_EXACT
        at = quantised(n, 0 if exact else N_STEPS)
        if self._cache_n != at:
            self._cache_n = at
            self._df_steps = 0 if exact else DF_STEPS
            self._idf_cache = {}
            if not exact and self._large:
                return self._idf_cache  # large regime: vectors and centroids are kept
            self._large = not exact
            self._vec_cache = {}
            self._centroid_cache = {}
            self._sums = {}
        return self._idf_cache

    def _idf(self, term: str, n: int) -> float:
        cache = self._idfs(n)
        value = cache.get(term)
        if value is None:
            df = quantised(self._df.get(term, 0), self._df_steps)
            value = cache[term] = math.log((self._cache_n + 1.0) / (df + 0.5))
        return value

    def _weigh(self, tf: _TF, n: int) -> dict[str, float]:
        """The unit TF-IDF vector of the terms and tf factors ``tf`` (positive weights only)."""
        idf = self._idfs(n)
        terms, factors = tf
        try:
            values = [f * idf[t] for t, f in zip(terms, factors, strict=True)]
        except KeyError:
            df, log, big, steps = self._df, math.log, self._cache_n + 1.0, self._df_steps
            for t in terms:
                if t not in idf:
                    idf[t] = log(big / (quantised(df.get(t, 0), steps) + 0.5))
            values = [f * idf[t] for t, f in zip(terms, factors, strict=True)]
        norm = math.sqrt(sum([v * v for v in values])) or 1.0
        return {t: v / norm for t, v in zip(terms, values, strict=True) if v > 0}

    def vector(self, terms: dict[str, float], n: int | None = None) -> dict[str, float]:
        n = len(self._docs) + 1 if n is None else n
        cached = self._query_cache
        if cached is not None and cached[0] == (self._version, n) and cached[1] == terms:
            self._idfs(n)
            return dict(cached[2])
        tf = _tf_factors(terms)
        vec = self._weigh(tf, n)
        self._query_cache = ((self._version, n), dict(terms), dict(vec))
        self._query_tf = tf
        return vec

    def _doc_vector(self, key: str, n: int) -> dict[str, float]:
        """:meth:`vector` of an indexed entry's terms (cached while the index is unchanged)."""
        self._idfs(n)
        vec = self._vec_cache.get(key)
        if vec is None:
            vec = self._vec_cache[key] = self._weigh(self._docs[key].tf, n)
        return vec

    def _centroid(
        self, story: str, n: int, exclude: str | None, since: float
    ) -> tuple[dict[str, float], float, set[str]]:
        """The sum of the vectors of ``story``'s members (but ``exclude`` and those before
        ``since``), its norm and the members' topic labels; cached per story."""
        self._idfs(n)
        members = self._members.get(story, set())
        if self._large and exclude not in members:
            return self._running_sum(story, members, n, since)
        cached = None if self._large else self._centroid_cache.get(story)
        if cached is not None and cached[1] >= since and exclude not in cached[0]:
            return cached[2], cached[3], set(self._labels.get(story, ()))
        centroid: dict[str, float] = defaultdict(float)
        story_labels: set[str] = set()
        used: list[str] = []
        for member in sorted(members):
            if member == exclude or self._docs[member].time < since:
                continue
            used.append(member)
            story_labels |= self._docs[member].labels
            for t, v in self._doc_vector(member, n).items():
                centroid[t] += v
        norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        if len(used) == len(members) and used and not self._large:
            earliest = min(self._docs[m].time for m in used)
            self._centroid_cache[story] = (frozenset(used), earliest, dict(centroid), norm)
        return dict(centroid), norm, story_labels

    def _running_sum(
        self, story: str, members: set[str], n: int, since: float
    ) -> tuple[dict[str, float], float, set[str]]:
        """Large regime: the centroid of the story's latest members (built once, then kept up to date)."""
        docs = self._docs
        total = self._sums.get(story)
        if total is None:
            latest = sorted(members, key=lambda k: (docs[k].time, k))[-CENTROID_MEMBERS:]
            total = self._sums[story] = _Sum(deque(), {})
            for key in latest:
                total.add(key, self._doc_vector(key, n))
        earliest = total.earliest
        if math.isnan(earliest):  # (speed: members come and go far less often than stories are scored)
            earliest = total.earliest = min([docs[k].time for k in total.members], default=math.inf)
        if earliest < since:  # some not evicted yet: leave them out
            kept = [k for k in total.members if docs[k].time >= since]
            centroid: dict[str, float] = defaultdict(float)
            for key in kept:
                for t, v in self._vec_cache[key].items():
                    centroid[t] += v
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            return dict(centroid), norm, set(self._labels.get(story, ()))
        return total.vector, total.length(), set(self._labels.get(story, ()))
