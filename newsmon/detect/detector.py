"""The detection core: near-duplicates, stories, topics, claims and contests of entry events.

Pure: no I/O, no clock (``now`` is passed in), no framework imports.  The Faust
agent and ``newsmon replay`` call :meth:`Detector.analyse` once per entry event
and persist :meth:`Detector.memory_updates` in a table keyed by entry key, from
which :meth:`Detector.restore` rebuilds the in-memory indexes after a restart.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.classify import CONTEXT_EVIDENCE, TopicClassifier
from newsmon.detect.config import DetectionConfig
from newsmon.detect.crosslang import FIGURES_MIN
from newsmon.detect.events import Signature, entity_key
from newsmon.detect.links import EntryLinks
from newsmon.detect.memory import RECORD_VERSION, EntryState
from newsmon.detect.neardup import NearDupIndex
from newsmon.detect.pins import PinMemory, Pinned, is_pin_record, pinned_repeat, text_fingerprint
from newsmon.detect.places import place_key
from newsmon.detect.roundup_topics import with_item_topics
from newsmon.detect.shingles import quote_shingles, text_shingles
from newsmon.detect.stories import StoryIndex, is_roundup, story_terms
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Classification, EntryEvent, EventKind, split_key
from newsmon.settings import Settings

# DetectionConfig and RECORD_VERSION are re-exported: they were defined here
__all__ = [
    "BREAKTHROUGH_TOPIC", "PLACE_EVIDENCE", "PLACE_TERM", "RECORD_VERSION", "SIDE_EVIDENCE", "SOURCE_CONTEXT_ENTRIES",
    "SOURCE_PRIOR", "DetectionConfig", "Detector", "detection_config",
]

BREAKTHROUGH_TOPIC = "breakthrough-claim"
FRAMED_OUT = "combat"  # the topic an exercise, history, disaster or sport frame in the title rules out
SOURCE_CONTEXT_ENTRIES = 8  # a source's latest entries that decide whether it is a war source
SOURCE_PRIOR = 1.0  # the context evidence a war source lends its entries
PLACE_TERM = 0.5  # weight of a named place among an entry's story terms
PLACE_EVIDENCE = 0.5  # war-context evidence of naming a place of the gazetteer
SIDE_EVIDENCE = 0.5  # war-context evidence of naming a side of a war (sides.toml, any language)


def _timestamp(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def detection_config(settings: Settings) -> DetectionConfig:
    """The detection config of a worker or a replay: ``[detection]`` plus which sources are feeds."""
    return replace(DetectionConfig.from_mapping(settings.detection), feed_sources=settings.feed_sources())


class Detector(EntryLinks):
    """Analyses entry events one at a time, remembering a time window of entries."""

    def __init__(self, config: DetectionConfig) -> None:
        self.config = config
        self._neardup = NearDupIndex(threshold=config.duplicate_jaccard, num_perm=config.num_perm, bands=config.bands,
                                     window_seconds=config.window_seconds, capacity_hint=config.capacity_hint)
        self._stories = StoryIndex(config.story_threshold)
        self._classifier = TopicClassifier(config.taxonomy)
        self._claims = ClaimExtractor(config.taxonomy)
        self._entries: dict[str, EntryState] = {}
        self._by_time: list[tuple[float, str]] = []
        # topics many events share (casualties): sharing only them is no evidence of one story
        self._aspects = frozenset(t.name for t in config.taxonomy.topics if t.aspect)
        self._claim_stories: dict[str, list[str]] = {}  # story -> keys of entries with claims, oldest first
        self._by_figure: dict[float, set[str]] = {}  # figure -> keys of claimless entries reporting it
        self._by_name: dict[str, set[str]] = {}  # name across scripts -> keys of the window's entries naming it
        self._last: dict[str, tuple[float, str]] = {}  # source -> (time, key) of its latest entry
        self._war_recent: dict[str, deque[bool]] = {}  # source -> whether its latest entries showed war
        self._updates: dict[str, dict[str, Any] | None] = {}
        self._pending: dict[str, dict[str, Any] | None] = {}
        self._pins = PinMemory(config.pin_days * 86400.0)  # texts of claims and roundups, for their repeats

    # -- public API ---------------------------------------------------------------------
    def analyse(self, event: EntryEvent, now: datetime) -> Analysis:
        entry = event.entry
        key = entry.key
        now_ts = _timestamp(now)
        when = entry.published or entry.seen
        t = _timestamp(when) if when is not None else now_ts
        self._updates = dict(self._pending)
        self._pending = {}
        self._evict(now_ts - self.config.window_seconds)
        self._updates.update(dict.fromkeys(self._pins.evict(now_ts)))

        previous = self._entries.get(key)
        if previous is not None:
            self._unindex(previous)
            self._updates.pop(key, None)
        why: dict[str, Any] = {}
        if event.kind is EventKind.UPDATE:
            why["update"] = {"previous_hash": event.previous_hash, "known": previous is not None}

        reading = read_text(entry.title, entry.body, lexicons=self.config.taxonomy.lexicons)
        why["language"] = {"code": reading.language, "confidence": reading.language_confidence}
        if reading.lexicon_language != reading.language:
            why["language"]["read_with"] = reading.lexicon_language
        text = entry.text
        shingles = text_shingles(text, self.config.shingle_size)
        quotes = quote_shingles(text, self.config.shingle_size)
        fingerprint = self._neardup.fingerprint(shingles)
        terms = story_terms(entry.title, entry.body, reading.lexicon_language)
        roundup_reason = is_roundup(entry.title, entry.body, entry.flags, self.config.taxonomy.roundups)
        roundup = bool(roundup_reason)
        if roundup:
            why["roundup"] = roundup_reason
        evidence = self._classifier.evidence(reading)
        prior = self._source_prior(entry.source)
        war_places = self._claims.gazetteer_places(reading)
        sides = sorted({side for s in reading.sentences for side in self._claims.sides.sides_in(s.tokens)})
        # a place of the war's gazetteer, or a side of a war named in any language, is a cue of war
        cues = (PLACE_EVIDENCE if war_places else 0.0) + (SIDE_EVIDENCE if sides else 0.0)
        evidence += cues
        if prior or cues:
            why["context"] = {"source_prior": prior, "evidence": round(evidence, 3), "war_places": war_places[:5],
                              "sides": sides}
        prior += cues
        result = self._claims.extract(reading, entry.published.year if entry.published else None)
        classification = self._classifier.classify(reading, prior, result.civil)
        if roundup:  # it carries the topics of its items
            classification = with_item_topics(classification, entry.body, reading, self._classifier, prior, why)
        if result.frame and FRAMED_OUT in classification.topics:
            # a drill, a battle of the past or a flood (the title's frame) is no news of today's fighting
            why["topics_framed_out"] = {"topic": FRAMED_OUT, "frame": result.frame}
            classification = replace(classification, topics=tuple(t for t in classification.topics if t != FRAMED_OUT))
        signature = Signature.of(entry.title, entry.body, reading.language)
        named, located = self._claims.places(reading)
        places = frozenset(entity_key(p) for p in named)
        anchor_names = {place_key(k): k for k in map(entity_key, located)}  # stories meet across scripts
        anchors = frozenset(anchor_names)
        for place in anchors:  # one key in every script and case: "Дробышево" is "Drobysheve"
            terms[f"@{place}"] = terms.get(f"@{place}", 0.0) + PLACE_TERM
        since = now_ts - self.config.window_seconds

        # near-duplicates (never of itself; a roundup only of a roundup it repeats)
        duplicate: tuple[str, float, str] | None = None
        topics = tuple(t for t in classification.topics if t != BREAKTHROUGH_TOPIC)
        if result.claims and BREAKTHROUGH_TOPIC in self.config.taxonomy.names:
            # a roundup reporting a claim carries the topic (it never carries the claim itself)
            topics = (BREAKTHROUGH_TOPIC, *topics)
        story_match = None
        if not roundup:
            story_match = self._stories.best(
                terms,
                exclude=key,
                since=since,
                labels=frozenset(topics),
                threshold=self.config.story_threshold,
                cross_threshold=self.config.story_threshold_cross_topic,
                places=anchors,
                anchored_threshold=self.config.story_threshold_anchored,
                anchor_limit=self.config.anchor_max_entries,
                run_story=self._run_story(entry.source, key, t),
                run_threshold=self.config.run_threshold,
                aspects=self._aspects,
            )
        if not roundup:
            joined = story_match.story if story_match is not None and story_match.joins else None
            duplicate = (
                self._find_duplicate(key, t, now_ts, fingerprint, shingles, quotes, terms, why, result, signature)
                or self._claim_rereport(key, t, result, signature, places, why, joined)
                or self._figures_rereport(key, t, result, signature, places, topics, reading.language, why)
            )
        else:
            duplicate = self._roundup_repeat(key, t, now_ts, fingerprint, shingles, why)
        text_print = text_fingerprint(entry.title, entry.body)
        pinned = None if duplicate or previous else pinned_repeat(self._pins, self._entries, key, t, text_print, why)
        if pinned is not None:
            duplicate = (pinned.key, 1.0, why["duplicate"]["rule"])

        # story
        if previous is not None:
            story = previous.story
            why["story"] = {"reason": "update of a known entry keeps its story"}
        elif roundup:
            story = key
            why["story"] = {"reason": "roundup: not part of a story"}
        elif duplicate is not None:
            story = pinned.story if pinned is not None else self._entries[duplicate[0]].story
            why["story"] = {"reason": f"duplicate of {duplicate[0]}"}
        elif (reported := self._reported_claim_story(result, t)) is not None:
            story = reported
            why["story"] = {"reason": f"reports on the claim of story {reported} (an assessment or a recap)"}
        elif "development_of" in why and not roundup:
            story = self._entries[why["development_of"]["claim_entry"]].story
            why["story"] = {"reason": f"develops the claim of {why['development_of']['claim_entry']}"}
        elif story_match is not None and story_match.joins and (
            other := self._other_event(story_match.story, result, places)
        ):
            story = key
            why["story"] = {"reason": f"new story: {other}", "closest": {"story": story_match.story,
                                                                        "score": story_match.score}}
        elif story_match is not None and story_match.joins:
            story = story_match.story
            why["story"] = {
                "reason": "similar to a story" + ("" if story_match.shared_topics else " (no topic in common)"),
                "via": story_match.via,
                "score": story_match.score,
                "threshold": story_match.threshold,
                "shared_terms": list(story_match.shared),
                "shared_topics": list(story_match.shared_topics),
            }
            if story_match.anchors:
                why["story"]["anchored_by_places"] = [anchor_names.get(a, a) for a in story_match.anchors]
            if story_match.continues:
                why["story"]["continues_source_run"] = True
        else:
            story = key
            why["story"] = {"reason": "new story"}
            if story_match is not None:
                why["story"]["closest"] = {"story": story_match.story, "score": story_match.score}

        # claims and contests
        claims = result.claims
        if roundup and claims:
            why["claims_ignored"] = "roundup: a summary does not make new claims"
            claims = ()
        # a roundup restates both sides of earlier stories: it neither claims nor contests
        contests: str | None = None
        contest_why: dict[str, Any] = {}
        if roundup:
            if result.contests:
                why["contest_ignored"] = "roundup: a summary does not contest a claim"
        else:
            contests, contest_why = self._find_contest(key, story, result, previous is None and story == key)
        if contests is not None and duplicate is not None and self._older_than_claim(duplicate[0], contest_why):
            why["contest_ignored"] = f"re-reports {duplicate[0]}, published before the claim it would contest"
            contests = None
        if contests is not None:
            why["contest"] = contest_why
            moves = story != contests and contest_why.get("by_place") and duplicate is None and not claims
            if previous is None and not roundup and (story == key or moves):
                # a denial of a claim, naming its place, belongs to the claim's story whatever it resembles
                story = contests
                why["story"] = {"reason": "contests the claim of this story"}
        if claims:
            why["claims"] = [{k: v for k, v in c.as_dict().items() if k != "kind"} for c in claims]
            earlier = [k for k in self._claim_stories.get(story, []) if k != key]
            if earlier:
                why["claims_story"] = f"story {story} already has a claim (first by {earlier[0]})"
        if result.blocked:
            why["blocked_claims"] = list(result.blocked)

        if not claims and not (roundup and result.claims):
            topics = tuple(t for t in topics if t != BREAKTHROUGH_TOPIC)
        topics = self.config.taxonomy.with_implied(topics)  # a breakthrough claim is combat
        classification = Classification(topics, classification.scores, classification.matched)
        why["topics"] = {
            name: {"score": classification.scores.get(name), "phrases": list(classification.matched.get(name, ()))}
            for name in classification.scores
        }

        state = EntryState(
            key,
            t,
            story,
            roundup,
            duplicate[0] if duplicate else None,
            shingles,
            quotes,
            terms,
            claims,
            topics,
            signature.numbers,
            signature.entities,
            places,
            anchors,
            bool(result.contests),
            war=evidence >= CONTEXT_EVIDENCE,
            language=reading.language,
        )
        self._index(state, fingerprint)
        self._updates[key] = state.record()
        if claims or roundup:
            self._updates.update(self._pins.remember(Pinned(key, story, t, text_print)))
        return Analysis(
            event=event,
            story=story,
            duplicate_of=duplicate[0] if duplicate else None,
            similarity=round(duplicate[1], 4) if duplicate else 0.0,
            roundup=roundup,
            classification=classification,
            claims=claims,
            contests=contests,
            why=why,
            at=now,
            language=reading.language,
        )

    def memory_updates(self) -> dict[str, dict[str, Any] | None]:
        """Per-entry state changed by the last :meth:`analyse` (None: evicted), JSON-serialisable."""
        return dict(self._updates)

    @classmethod
    def restore(cls, config: DetectionConfig, records: Iterable[tuple[str, dict[str, Any]]], now: datetime) -> Detector:
        """A detector with the indexes rebuilt from :meth:`memory_updates` records."""
        detector = cls(config)
        cutoff = _timestamp(now) - config.window_seconds
        records = [(k, r) for k, r in records if r is not None]
        for k, r in records:
            if is_pin_record(k):
                detector._pins.restore(Pinned.from_record(k, r))
        detector._pending.update(dict.fromkeys(detector._pins.evict(_timestamp(now))))
        states = [EntryState.from_record(k, r) for k, r in records if not is_pin_record(k)]
        states.sort(key=lambda s: (s.time, s.key))
        for state in states:
            if state.time < cutoff:
                detector._pending[state.key] = None
                continue
            detector._index(state, detector._neardup.fingerprint(state.shingles))
        return detector

    def __len__(self) -> int:
        return len(self._entries)

    # -- internals ----------------------------------------------------------------------
    def _index(self, state: EntryState, fingerprint: Any) -> None:
        state.handle = self._neardup.add(state.key, fingerprint, state.time)  # (a roundup: for its repeats)
        self._stories.add(
            state.key,
            state.terms,
            state.story,
            state.time,
            joinable=not state.roundup,
            labels=state.topics,
            places=state.anchors if state.anchors is not None else frozenset(map(place_key, state.places)),
        )
        self._index_names(state)
        if not state.claims and not state.roundup and len(state.numbers) >= FIGURES_MIN:
            for n in state.numbers:
                self._by_figure.setdefault(n, set()).add(state.key)
        if state.claims:
            keys = self._claim_stories.setdefault(state.story, [])
            keys.append(state.key)
            keys.sort(key=lambda k: (self._entries[k].time if k in self._entries else state.time, k))
        self._entries[state.key] = state
        heapq.heappush(self._by_time, (state.time, state.key))
        source = split_key(state.key)[0]
        if not state.roundup and state.time >= self._last.get(source, (-1e300, ""))[0]:
            self._last[source] = (state.time, state.key)
        recent = self._war_recent.setdefault(source, deque(maxlen=SOURCE_CONTEXT_ENTRIES))
        recent.append(state.war)

    def _unindex(self, state: EntryState) -> None:
        if state.handle:
            self._neardup.remove(state.handle)
        self._stories.remove(state.key)
        self._unindex_names(state)
        for n in state.numbers:
            holders = self._by_figure.get(n)
            if holders is not None:
                holders.discard(state.key)
                if not holders:
                    del self._by_figure[n]
        keys = self._claim_stories.get(state.story)
        if keys and state.key in keys:
            keys.remove(state.key)
            if not keys:
                del self._claim_stories[state.story]
        self._entries.pop(state.key, None)

    def _source_prior(self, source: str) -> float:
        """Context evidence a source lends its entries: a source more than half of whose latest
        entries showed armed conflict by their own words is a war blog, and "thousands displaced
        by fighting" there is war news (a riot blog's "front line" is not)."""
        recent = self._war_recent.get(source)
        # more than half: a general news wire where war is half the news is no war source (its
        # storm and its fine get no war topics)
        if not recent or len(recent) < 2 or 2 * sum(recent) <= len(recent):
            return 0.0
        return SOURCE_PRIOR

    def _run_story(self, source: str, key: str, t: float) -> str | None:
        """The story of the source's previous (non-roundup) entry, if published at most
        ``run_minutes`` before ``t``: a live blog posts runs of updates on one story."""
        last = self._last.get(source)
        if last is None or source in self.config.feed_sources or last[1] == key:
            return None
        if not 0 <= t - last[0] <= self.config.run_minutes * 60.0:
            return None
        state = self._entries.get(last[1])
        return state.story if state is not None else None

    def _evict(self, cutoff: float) -> None:
        while self._by_time and self._by_time[0][0] < cutoff:
            t, key = heapq.heappop(self._by_time)
            state = self._entries.get(key)
            if state is not None and state.time == t:
                self._unindex(state)
                self._updates[key] = None
