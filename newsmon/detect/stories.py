"""Story clustering: entries about one developing event share a story id.

Each entry becomes a bag of stemmed content words (title words count double,
capitalised words inside a sentence -- names -- count 1.5 times) weighted by a
TF-IDF whose document frequencies are those of the entries in the window, so
words every entry uses (the war's protagonists) fade by themselves.  A new
entry joins the story it is most similar to, where a story's similarity is the
larger of its best member's cosine and its centroid's cosine, when that reaches
the threshold; else it opens a story named by its own key.

Entries about one developing event often share few words ("Poland scrambles jets"
... "Poland stands down jets, says its airspace was not violated"; "Russia claims a
breakthrough near X" ... "Civilians evacuated from villages near X").  What they
share is the place.  So a story whose members name a place the new entry also
names (after a locative preposition: "near X", "in the X region"), and which holds
most of the window's entries naming that place -- the place is *its* place, not a
region every report mentions -- is joined at a lower threshold
(``anchored_threshold``) -- when the two share a topic; with no topic in common, two
such places are needed.  People and organisations are no anchor: one minister
speaks about many events.  Nor is a place named by more than ``anchor_limit`` (8)
entries of the window: in a busy stream many distinct events happen in one
embattled town, and a place anchor there made one story swallow every event of the
town (on the synthetic stream of ``bench/detector.py``, with planted events, story
pairwise precision fell to 0.08; with the limit it is about 0.5, the labelled blogs
deciding exactly as before).

A live blog posts runs of updates on one story ("Network stretches from one end of
Russia to the other", then "Prosecutors examine allegations of forced deportation of
children", minutes apart).  So the story of the source's previous entry, published
at most ``run_minutes`` (30) before and sharing a topic, is joined at ``run_threshold``
(0.1).  Only that one story, only from the same source, and not for RSS/Atom feeds
(``feed_sources``), which interleave unrelated stories: on the synthetic stream, whose
sources behave like wires, every such join had been wrong.  On the seed blog it lifts
story F1 from 0.71 to 0.90; the threshold sits just under the seed's weakest such link
(0.107), and at 0.12 the seed F1 is 0.80 -- so read that figure as fitted, not as
held-out evidence.

Roundups ("Key developments so far", bulleted summaries) never open a story and
are never joined: a summary of five stories is not an event.

The vectors, their two regimes (exact in small windows, rounded and kept in large
ones) and the centroids are those of :mod:`newsmon.detect.storywindow`; the story
terms and roundups are those of :mod:`newsmon.detect.terms`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from newsmon.detect.storywindow import (
    CENTROID_MEMBERS,
    DF_STEPS,
    LARGE_CANDIDATES,
    N_STEPS,
    QUANT_EXACT,
    StoryWindow,
    quantised,
)
from newsmon.detect.terms import STOPWORDS, is_roundup, story_terms
from newsmon.detect.terms import _stem as _stem
from newsmon.detect.vecdot import DotBatch, _dot_ordered
from newsmon.detect.vecdot import _dot as _dot  # re-exported, as the names below: they were defined here

__all__ = [
    "CENTROID_MEMBERS",
    "DF_STEPS",
    "LARGE_CANDIDATES",
    "N_STEPS",
    "QUANT_EXACT",
    "STOPWORDS",
    "StoryIndex",
    "StoryMatch",
    "is_roundup",
    "quantised",
    "story_terms",
]


@dataclass(frozen=True, slots=True)
class StoryMatch:
    story: str
    score: float
    via: str  # the most similar member
    member_score: float
    shared: tuple[str, ...]  # the terms that weigh most in the match
    shared_topics: tuple[str, ...] = ()
    threshold: float = 0.0  # the threshold that applied
    joins: bool = False  # score >= threshold
    anchors: tuple[str, ...] = ()  # the story's own places the entry names (lowered the threshold)
    continues: bool = False  # the source's previous entry is in this story (lowered the threshold)


def most_shared(hits: dict[str, int], limit: int) -> list[str]:
    """The keys of ``hits`` with the ``limit`` largest counts, ties to the smaller key: the keys of
    ``sorted(hits.items(), key=lambda x: (-x[1], x[0]))[:limit]``, in no particular order (speed:
    the counts are few small integers, so the cut is found by counting them, not by sorting keys)."""
    if len(hits) <= limit:
        return list(hits)
    levels = Counter(hits.values())
    room = limit
    cut = 0
    for count in sorted(levels, reverse=True):
        if levels[count] >= room:
            cut = count
            break
        room -= levels[count]
    above = [k for k, c in hits.items() if c > cut]
    return above + sorted([k for k, c in hits.items() if c == cut])[:room]


def most_shared_numbers(counts: npt.NDArray[np.intp], limit: int, key_of: list[str]) -> list[str]:
    """:func:`most_shared` of the keys ``key_of[i]`` whose count ``counts[i]`` is positive."""
    numbers = np.flatnonzero(counts)
    if len(numbers) <= limit:
        return [key_of[i] for i in numbers.tolist()]
    if limit <= 0:
        return []
    held = counts[numbers]
    cut = np.partition(held, len(held) - limit)[len(held) - limit]  # the limit-th largest count
    above = [key_of[i] for i in numbers[held > cut].tolist()]
    return above + sorted([key_of[i] for i in numbers[held == cut].tolist()])[: limit - len(above)]


class StoryIndex(StoryWindow):
    """Entries of the window with their stories; finds the best story for new text.

    The vectors and centroids are the window's (:class:`StoryWindow`, cached there);
    the last :meth:`similar` answer is cached until the index changes.
    """

    def __init__(self, threshold: float = 0.25, max_candidates: int = 200) -> None:
        super().__init__()
        self.threshold = threshold
        self.max_candidates = max_candidates
        # the last similar() answer: (version, terms, exclude, since), the answer
        self._similar_cache: tuple[tuple[int, dict[str, float], str | None, float], list[tuple[float, str]]] | None
        self._similar_cache = None
        self._batch = DotBatch()  # large windows: the candidates' vectors as arrays

    def anchors(
        self,
        story: str,
        places: Iterable[str],
        exclude: str | None = None,
        since: float = -math.inf,
        limit: int = 1 << 30,
    ) -> tuple[str, ...]:
        """The places of ``places`` that are ``story``'s own: named by its members and by
        more of the window's entries in it than outside it, and by at most ``limit``
        entries of the window (a place every other report names identifies no story)."""
        members = self._members.get(story, set())
        out = []
        for place in sorted(set(places)):
            if len(self._places.get(place, ())) > limit + 1:
                continue
            naming = [k for k in self._places.get(place, ()) if k != exclude and self._docs[k].time >= since]
            if len(naming) > limit:
                continue
            inside = sum(1 for k in naming if k in members)
            if inside and 2 * inside > len(naming):
                out.append(place)
        return tuple(out)

    def similar(
        self, terms: dict[str, float], exclude: str | None = None, since: float = -math.inf
    ) -> list[tuple[float, str]]:
        """(cosine, key) of joinable entries sharing terms with ``terms``, best first."""
        cached = self._similar_cache
        if cached is not None:
            (version, cterms, cexclude, csince), answer = cached
            if version == self._version and cexclude == exclude and csince == since and cterms == terms:
                return list(answer)
        out = self._similar(terms, exclude, since)
        self._similar_cache = ((self._version, dict(terms), exclude, since), out)
        return list(out)

    def _similar(self, terms: dict[str, float], exclude: str | None, since: float) -> list[tuple[float, str]]:
        n = len(self._docs) + (0 if exclude in self._docs else 1)
        query = self.vector(terms, n)
        # candidates: entries sharing one of the query's heaviest, not too common terms
        # (large windows: rarer terms and fewer candidates, see LARGE_CANDIDATES)
        common = max(20, int((0.05 if self._large else 0.2) * n))
        probe = [t for t, _ in sorted(query.items(), key=lambda x: (-x[1], x[0])) if self._df.get(t, 0) <= common][:24]
        postings = [self._postings.get(term, ()) for term in probe]
        # how many of the probe's terms each entry holds, counted per entry number
        hits = np.bincount(
            np.fromiter(chain.from_iterable(postings), dtype=np.intp, count=sum(map(len, postings))),
            minlength=len(self._key_of),
        )
        if exclude in self._number:
            hits[self._number[exclude]] = 0
        limit = min(self.max_candidates, LARGE_CANDIDATES) if self._large else self.max_candidates
        docs, key_of = self._docs, self._key_of
        self._idfs(n)  # (what _doc_vector does first: the kept vectors are then those of this window size)
        kept, vector = self._vec_cache, self._doc_vector
        candidates = [
            (key, kept.get(key) or vector(key, n))
            for key in most_shared_numbers(hits, limit, key_of)
            if docs[key].time >= since
        ]
        if self._large:  # many kept vectors: all the dot products at once (the same floats, see vecdot)
            self._batch.reset_if_above(4 * len(self._df) + 10_000)
            scores = self._batch.dots(query, candidates)
        else:  # both in term order (see StoryWindow._weigh)
            scores = [_dot_ordered(query, vec) for _, vec in candidates]
        out = [(score, key) for score, (key, _) in zip(scores, candidates, strict=True) if score > 0]
        out.sort(key=lambda x: (-x[0], docs[x[1]].time, x[1]))
        return out

    def remove(self, key: str) -> None:
        super().remove(key)
        self._batch.forget(key)

    def best(
        self,
        terms: dict[str, float],
        exclude: str | None = None,
        since: float = -math.inf,
        labels: frozenset[str] = frozenset(),
        threshold: float | None = None,
        cross_threshold: float | None = None,
        places: Iterable[str] = (),
        anchored_threshold: float | None = None,
        anchor_limit: int = 1 << 30,
        run_story: str | None = None,
        run_threshold: float | None = None,
        aspects: frozenset[str] = frozenset(),
    ) -> StoryMatch | None:
        """The story to join, or the closest one (``joins`` False), if any shares terms.

        A story's score is the larger of its best member's cosine and its centroid's
        cosine.  It must reach ``threshold`` when the story's members share a topic
        label with ``labels`` and ``cross_threshold`` when they share none (an event
        has one subject: a strong lexical match is needed to link across topics).
        A story sharing a topic one of whose own places (see :meth:`anchors`) is
        among ``places`` needs only ``anchored_threshold``; so does a story sharing
        no topic but two of its own places.  ``run_story`` (the story of the source's
        previous entry, just before) sharing a topic needs only ``run_threshold``.
        The joinable story with the best score wins; else the closest is returned.
        ``aspects`` are topics that many events share (casualties): sharing only them, a story needs
        ``threshold`` (the words of one event) and two of its own places for the anchored one.
        """
        threshold = self.threshold if threshold is None else threshold
        cross_threshold = threshold if cross_threshold is None else cross_threshold
        anchored_threshold = threshold if anchored_threshold is None else min(anchored_threshold, threshold)
        places = frozenset(places)
        ranked = self.similar(terms, exclude, since)
        if not ranked:
            return None
        n = len(self._docs) + (0 if exclude in self._docs else 1)
        query = self.vector(terms, n)
        keys = frozenset(query)
        best: StoryMatch | None = None
        seen: set[str] = set()
        for member_score, key in ranked[:20]:
            story = self._docs[key].story
            if story in seen:
                continue
            seen.add(story)
            centroid, norm, story_labels = self._centroid(story, n, exclude, since)
            centroid_score = _dot(query, centroid, keys) / norm
            score = max(member_score, centroid_score)
            shared_labels = story_labels & labels
            common = tuple(sorted(shared_labels - aspects))
            # an aspect in common is a topic in common for words alike, not for a place or a run
            limit = threshold if shared_labels or not (labels and story_labels) else cross_threshold
            anchors: tuple[str, ...] = ()
            if places and score < limit:
                anchors = self.anchors(story, places, exclude, since, anchor_limit)
                # one own place anchors a story sharing a topic; with no topic in common, two
                if len(anchors) >= (1 if common or not (labels and story_labels) else 2):
                    limit = anchored_threshold
            continues = story == run_story and bool(common) and run_threshold is not None and score < limit
            if continues:
                limit = min(limit, run_threshold or limit)
            joins = score >= limit
            if best is None or (joins, score) > (best.joins, best.score + 1e-12):
                via_vec = self._doc_vector(key, n)
                shared = sorted(((query[t] * via_vec[t], t) for t in query if t in via_vec), reverse=True)[:6]
                best = StoryMatch(
                    story,
                    round(score, 4),
                    key,
                    round(member_score, 4),
                    tuple(t for _, t in shared),
                    common,
                    limit,
                    joins,
                    anchors,
                    continues and joins,
                )
        return best
