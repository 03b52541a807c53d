"""The detection core: near-duplicates, stories, topics, claims and contests of entry events.

Pure: no I/O, no clock (``now`` is passed in), no framework imports.  The Faust
agent and ``newsmon replay`` call :meth:`Detector.analyse` once per entry event
and persist :meth:`Detector.memory_updates` in a table keyed by entry key, from
which :meth:`Detector.restore` rebuilds the in-memory indexes after a restart.
"""

from __future__ import annotations

import base64
import heapq
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsmon.detect.claims import ClaimExtractor, ClaimResult, contest_reason
from newsmon.detect.classify import CONTEXT_EVIDENCE, TopicClassifier
from newsmon.detect.events import Signature, entity_key, unmatched
from newsmon.detect.neardup import NearDupIndex
from newsmon.detect.parties import same_side, side_words
from newsmon.detect.places import default_gazetteer
from newsmon.detect.shingles import U64, jaccard, overlap, quote_shingles, text_shingles
from newsmon.detect.stories import StoryIndex, is_roundup, story_terms
from newsmon.detect.taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Claim, Classification, EntryEvent, EventKind, split_key
from newsmon.settings import Settings

BREAKTHROUGH_TOPIC = "breakthrough-claim"
SOURCE_CONTEXT_ENTRIES = 8  # a source's latest entries that decide whether it is a war source
SOURCE_PRIOR = 1.0  # the context evidence a war source lends its entries
PLACE_TERM = 0.5  # weight of a named place among an entry's story terms
PLACE_EVIDENCE = 0.5  # war-context evidence of naming a place of the gazetteer
SIDE_EVIDENCE = 1.0  # war-context evidence of naming a side of a war (sides.toml, any language)
RECORD_VERSION = 1


@dataclass(frozen=True)
class DetectionConfig:
    """Thresholds and window of detection (see :meth:`from_mapping` for the config keys)."""

    window_hours: float = 48.0  # entries older than this are forgotten
    shingle_size: int = 3  # words per shingle
    num_perm: int = 64  # MinHash permutations
    bands: int = 21  # LSH bands of num_perm // bands rows (21 x 3: ~94% recall at Jaccard 0.5)
    duplicate_jaccard: float = 0.5  # near-verbatim duplicate: estimated Jaccard of shingles
    reworded_jaccard: float = 0.12  # reworded duplicate: exact Jaccard at least this ...
    quote_coverage: float = 0.5  # ... and repeats this share of the earlier entry's quotations
    min_quote_shingles: int = 4  # ... of which the earlier entry has at least this many shingles
    story_threshold: float = 0.25  # cosine to join a story sharing a topic with the entry
    story_threshold_cross_topic: float = 0.4  # cosine to join a story sharing no topic with it
    story_threshold_anchored: float = 0.12  # cosine to join a story sharing a topic and its own place ...
    anchor_max_entries: int = 8  # ... a place named by at most this many entries of the window
    run_threshold: float = 0.1  # cosine to join the story of the source's previous entry, sharing a topic ...
    run_minutes: float = 30.0  # ... published at most this long before
    event_cosine: float = 0.4  # reworded re-report of an event: story cosine at least this ...
    event_window_hours: float = 12.0  # ... within this time of the earlier report ...
    event_novelty: float = 0.25  # ... naming no new figure and at most this IDF share of new names
    capacity_hint: int = 65536  # expected entries in the window (sizes the LSH tables)
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    # sources that interleave unrelated stories (RSS/Atom feeds): no source-run cue; from the
    # configured sources' kinds (see `detection_config`), not a [detection] key
    feed_sources: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        checks = {
            "window_hours": self.window_hours > 0,
            "shingle_size": 1 <= self.shingle_size <= 5,
            "num_perm": self.num_perm >= 2 and self.num_perm % 2 == 0,
            "bands": self.bands >= 1 and 1 <= self.num_perm // self.bands <= 8,
            "duplicate_jaccard": 0 < self.duplicate_jaccard <= 1,
            "reworded_jaccard": 0 < self.reworded_jaccard <= 1,
            "quote_coverage": 0 < self.quote_coverage <= 1,
            "min_quote_shingles": self.min_quote_shingles >= 1,
            "story_threshold": 0 < self.story_threshold <= 1,
            "story_threshold_cross_topic": 0 < self.story_threshold_cross_topic <= 1,
            "story_threshold_anchored": 0 < self.story_threshold_anchored <= 1,
            "anchor_max_entries": self.anchor_max_entries >= 1,
            "run_threshold": 0 < self.run_threshold <= 1,
            "run_minutes": self.run_minutes >= 0,
            "event_cosine": 0 < self.event_cosine <= 1,
            "event_window_hours": self.event_window_hours >= 0,
            "event_novelty": 0 <= self.event_novelty <= 1,
            "capacity_hint": self.capacity_hint >= 1,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"detection config: bad value for {', '.join(bad)}")

    @property
    def window_seconds(self) -> float:
        return self.window_hours * 3600.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DetectionConfig:
        """Build from a config section; ``taxonomy`` is a sub-table merged into the default taxonomy.

        Raises ``ValueError`` naming unknown keys and keys with bad values.
        """
        known = {f.name: f for f in fields(cls) if f.name != "feed_sources"}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(
                f"detection config: unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
            )
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key == "taxonomy":
                if not isinstance(value, Mapping):
                    raise ValueError("detection config: 'taxonomy' must be a table")
                kwargs[key] = load_taxonomy(value)
                continue
            default = getattr(cls, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"detection config: {key!r} must be a number, got {value!r}")
            if isinstance(default, int) and not isinstance(default, bool):
                if isinstance(value, float) and not value.is_integer():
                    raise ValueError(f"detection config: {key!r} must be an integer, got {value!r}")
                value = int(value)
            kwargs[key] = float(value) if isinstance(default, float) else value
        return cls(**kwargs)


@dataclass(slots=True)
class _State:
    """What detection remembers of one entry of the window."""

    key: str
    time: float
    story: str
    roundup: bool
    dup_of: str | None
    shingles: U64
    quotes: U64
    terms: dict[str, float]
    claims: tuple[Claim, ...]
    topics: tuple[str, ...]
    numbers: frozenset[float] = frozenset()
    entities: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    contests: bool = False  # it says attacks were repelled or denies something
    war: bool = False  # its own words show armed conflict (see TopicClassifier.evidence)
    handle: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "v": RECORD_VERSION,
            "time": self.time,
            "story": self.story,
            "roundup": self.roundup,
            "dup_of": self.dup_of,
            "shingles": _b64(self.shingles),
            "quotes": _b64(self.quotes),
            "terms": self.terms,
            "claims": [c.as_dict() for c in self.claims],
            "topics": list(self.topics),
            "numbers": sorted(self.numbers),
            "entities": sorted(self.entities),
            "places": sorted(self.places),
            "contests": self.contests,
            "war": self.war,
        }

    @classmethod
    def from_record(cls, key: str, rec: Mapping[str, Any]) -> _State:
        if rec.get("v") != RECORD_VERSION:
            raise ValueError(f"record of {key!r}: unsupported version {rec.get('v')!r}")
        return cls(
            key=key,
            time=float(rec["time"]),
            story=str(rec["story"]),
            roundup=bool(rec["roundup"]),
            dup_of=rec.get("dup_of"),
            shingles=_unb64(rec["shingles"]),
            quotes=_unb64(rec["quotes"]),
            terms={str(k): float(v) for k, v in rec["terms"].items()},
            claims=tuple(Claim(**c) for c in rec.get("claims", [])),
            topics=tuple(rec.get("topics", [])),
            numbers=frozenset(float(n) for n in rec.get("numbers", [])),
            entities=frozenset(str(e) for e in rec.get("entities", [])),
            places=frozenset(str(p) for p in rec.get("places", [])),
            contests=bool(rec.get("contests", False)),
            war=bool(rec.get("war", False)),
        )


def _same_claim(a: Claim, b: Claim) -> bool:
    """The same side claiming a breakthrough at the same place (or at a place and the region
    it lies in: "in Kursk region" re-reports "at Tyotkino")."""
    gazetteer = default_gazetteer()
    if not (a.place and (gazetteer.same_place(a.place, b.place) or gazetteer.within(a.place, b.place))):
        return False
    if a.side and b.side:
        return a.side == b.side
    return same_side(side_words(a.claimant), side_words(b.claimant))


def _b64(values: U64) -> str:
    return base64.b64encode(values.astype("<u8").tobytes()).decode("ascii")


def _unb64(text: str) -> U64:
    return np.frombuffer(base64.b64decode(text), dtype="<u8").astype(np.uint64)


def _timestamp(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def detection_config(settings: Settings) -> DetectionConfig:
    """The detection config of a worker or a replay: ``[detection]`` plus which sources are feeds."""
    return replace(DetectionConfig.from_mapping(settings.detection), feed_sources=settings.feed_sources())


class Detector:
    """Analyses entry events one at a time, remembering a time window of entries."""

    def __init__(self, config: DetectionConfig) -> None:
        self.config = config
        self._neardup = NearDupIndex(
            threshold=config.duplicate_jaccard,
            num_perm=config.num_perm,
            bands=config.bands,
            window_seconds=config.window_seconds,
            capacity_hint=config.capacity_hint,
        )
        self._stories = StoryIndex(config.story_threshold)
        self._classifier = TopicClassifier(config.taxonomy)
        self._claims = ClaimExtractor(config.taxonomy)
        self._entries: dict[str, _State] = {}
        self._by_time: list[tuple[float, str]] = []
        self._claim_stories: dict[str, list[str]] = {}  # story -> keys of entries with claims, oldest first
        self._last: dict[str, tuple[float, str]] = {}  # source -> (time, key) of its latest entry
        self._war_recent: dict[str, deque[bool]] = {}  # source -> whether its latest entries showed war
        self._updates: dict[str, dict[str, Any] | None] = {}
        self._pending: dict[str, dict[str, Any] | None] = {}

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
        classification = self._classifier.classify(reading, prior)
        result = self._claims.extract(reading)
        signature = Signature.of(entry.title, entry.body)
        places = frozenset(entity_key(p) for p in self._claims.places(reading))
        for place in places:  # the gazetteer's names are one in every language: stories meet across them
            terms[f"@{place}"] = terms.get(f"@{place}", 0.0) + PLACE_TERM
        since = now_ts - self.config.window_seconds

        # near-duplicates (never of itself; roundups are neither duplicates nor duplicated)
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
                places=places,
                anchored_threshold=self.config.story_threshold_anchored,
                anchor_limit=self.config.anchor_max_entries,
                run_story=self._run_story(entry.source, key, t),
                run_threshold=self.config.run_threshold,
            )
        if not roundup:
            duplicate = self._find_duplicate(
                key, t, now_ts, fingerprint, shingles, quotes, terms, why, result, signature
            ) or self._claim_rereport(key, t, result, signature, places, why)

        # story
        if previous is not None:
            story = previous.story
            why["story"] = {"reason": "update of a known entry keeps its story"}
        elif roundup:
            story = key
            why["story"] = {"reason": "roundup: not part of a story"}
        elif duplicate is not None:
            story = self._entries[duplicate[0]].story
            why["story"] = {"reason": f"duplicate of {duplicate[0]}"}
        elif (reported := self._reported_claim_story(result, t)) is not None:
            story = reported
            why["story"] = {"reason": f"reports on the claim of story {reported} (an assessment or a recap)"}
        elif "development_of" in why and not roundup:
            story = self._entries[why["development_of"]["claim_entry"]].story
            why["story"] = {"reason": f"develops the claim of {why['development_of']['claim_entry']}"}
        elif story_match is not None and story_match.joins and self._other_claim(story_match.story, result):
            story = key
            why["story"] = {"reason": "new story: a claim of another side or place than the similar story's",
                            "closest": {"story": story_match.story, "score": story_match.score}}
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
                why["story"]["anchored_by_places"] = list(story_match.anchors)
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
        if contests is not None:
            why["contest"] = contest_why
            moves = story != contests and contest_why.get("by_place") and duplicate is None and not claims
            if previous is None and not roundup and (story == key or moves):
                # a denial of a claim, naming its place, belongs to the claim's story whatever it resembles
                story = contests
                why["story"] = {"reason": "contests the claim of this story"}
        if claims:
            why["claims"] = [
                {
                    "claimant": c.claimant,
                    "side": c.side,
                    "place": c.place,
                    "action": c.action,
                    "verification": c.verification,
                    "verification_cue": c.verification_cue,
                    "verified": c.verified,
                    "evidence": c.evidence,
                }
                for c in claims
            ]
            earlier = [k for k in self._claim_stories.get(story, []) if k != key]
            if earlier:
                why["claims_story"] = f"story {story} already has a claim (first by {earlier[0]})"
        if result.blocked:
            why["blocked_claims"] = list(result.blocked)

        if not claims and not (roundup and result.claims):
            topics = tuple(t for t in topics if t != BREAKTHROUGH_TOPIC)
        classification = Classification(topics, classification.scores, classification.matched)
        why["topics"] = {
            name: {"score": classification.scores.get(name), "phrases": list(classification.matched.get(name, ()))}
            for name in classification.scores
        }

        state = _State(
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
            bool(result.contests),
            war=evidence >= CONTEXT_EVIDENCE,
        )
        self._index(state, fingerprint)
        self._updates[key] = state.record()
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
        states = [_State.from_record(k, r) for k, r in records if r is not None]
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
    def _index(self, state: _State, fingerprint: Any) -> None:
        if not state.roundup:
            state.handle = self._neardup.add(state.key, fingerprint, state.time)
        self._stories.add(
            state.key,
            state.terms,
            state.story,
            state.time,
            joinable=not state.roundup,
            labels=state.topics,
            places=state.places,
        )
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

    def _unindex(self, state: _State) -> None:
        if state.handle:
            self._neardup.remove(state.handle)
        self._stories.remove(state.key)
        keys = self._claim_stories.get(state.story)
        if keys and state.key in keys:
            keys.remove(state.key)
            if not keys:
                del self._claim_stories[state.story]
        self._entries.pop(state.key, None)

    def _source_prior(self, source: str) -> float:
        """Context evidence a source lends its entries: a source at least half of whose latest
        entries showed armed conflict by their own words is a war blog, and "thousands displaced
        by fighting" there is war news (a riot blog's "front line" is not)."""
        recent = self._war_recent.get(source)
        if not recent or len(recent) < 2 or 2 * sum(recent) < len(recent):
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

    def _find_duplicate(
        self,
        key: str,
        t: float,
        now_ts: float,
        fingerprint: Any,
        shingles: U64,
        quotes: U64,
        terms: dict[str, float],
        why: dict[str, Any],
        result: ClaimResult,
        signature: Signature,
    ) -> tuple[str, float, str] | None:
        cfg = self.config
        since = now_ts - cfg.window_seconds
        candidates: dict[str, str] = {}
        cosines: dict[str, float] = {}
        for hit in self._neardup.query(fingerprint, now_ts):
            if hit.key != key and hit.key in self._entries:
                candidates.setdefault(hit.key, "minhash")
        for score, other in self._stories.similar(terms, exclude=key, since=since)[:8]:
            if score >= 0.1:
                candidates.setdefault(other, "story")
                cosines[other] = score
        best: tuple[float, float, str, dict[str, Any]] | None = None
        for other, source in candidates.items():
            state = self._entries[other]
            if state.roundup or state.time > t:
                continue
            sim = jaccard(shingles, state.shingles)
            detail: dict[str, Any] = {"of": other, "jaccard": round(sim, 4), "candidate_from": source}
            event = self._same_event(t, cosines.get(other, 0.0), result, signature, state)
            if sim >= cfg.duplicate_jaccard:
                detail["rule"] = f"near-verbatim: shingle Jaccard {sim:.2f} >= {cfg.duplicate_jaccard}"
            elif sim >= cfg.reworded_jaccard and len(state.quotes) >= cfg.min_quote_shingles:
                coverage = overlap(quotes, state.quotes) / len(state.quotes)
                detail["quote_coverage"] = round(coverage, 4)
                if coverage < cfg.quote_coverage:
                    continue
                detail["rule"] = (
                    f"reworded: shingle Jaccard {sim:.2f} >= {cfg.reworded_jaccard} and repeats "
                    f"{coverage:.0%} of its quotations"
                )
            elif event:
                detail.update(event)
                sim = max(sim, float(event["cosine"]))
            else:
                continue
            rank = (sim, -state.time)
            if best is None or rank > (best[0], best[1]):
                best = (sim, -state.time, other, detail)
        if best is None:
            return None
        why["duplicate"] = best[3]
        return best[2], best[0], best[3]["rule"]

    def _reported_claim_story(self, result: ClaimResult, t: float) -> str | None:
        """The story of the claim an assessment or recap reports on (same side and place, within
        ``event_window_hours``), None when there is none."""
        reported = result.extra.get("reported_claims") or ()
        if result.claims or not reported:
            return None
        window = self.config.event_window_hours * 3600.0
        for place, side in reported:
            probe = Claim(kind="breakthrough", place=place, side=side)
            for story, keys in self._claim_stories.items():
                for k in keys:
                    state = self._entries.get(k)
                    if state and 0 <= t - state.time <= window and any(_same_claim(probe, c) for c in state.claims):
                        return story
        return None

    def _other_claim(self, story: str, result: ClaimResult) -> bool:
        """Whether an entry's claim is another event than the claims of ``story``: the other side
        claiming at another place (the same side at a place read differently may be a development)."""
        if not result.claims or not result.claims[0].place or not result.claims[0].side:
            return False
        claim = result.claims[0]
        claims = [c for k in self._claim_stories.get(story, ()) if k in self._entries for c in self._entries[k].claims]
        gazetteer = default_gazetteer()
        return bool(claims) and all(
            c.side and c.side != claim.side
            and not (gazetteer.same_place(c.place, claim.place) or gazetteer.within(c.place, claim.place))
            for c in claims
        )

    def _claim_rereport(
        self, key: str, t: float, result: ClaimResult, signature: Signature, places: frozenset[str], why: dict[str, Any]
    ) -> tuple[str, float, str] | None:
        """The earlier claim an entry re-reports, in any wording or language (None when it reports
        something new).

        Same claim: the same side claims a breakthrough at the same place within
        ``event_window_hours``; nothing new: no figure and no place that the claim's story
        has not reported (a second village taken, a changed figure, the breach widened to a
        named place are developments of the story, not re-reports).
        """
        if not result.claims:
            return None
        cfg = self.config
        claim = result.claims[0]
        if not claim.place:
            return None
        best: tuple[float, str] | None = None
        for story, keys in self._claim_stories.items():
            for other in keys:
                state = self._entries.get(other)
                if state is None or other == key or state.time > t or t - state.time > cfg.event_window_hours * 3600:
                    continue
                if not any(_same_claim(claim, c) for c in state.claims):
                    continue
                known_numbers: set[float] = set()
                known_places: set[str] = {entity_key(c.place) for c in state.claims}
                for k in keys:
                    if k in self._entries:
                        known_numbers |= self._entries[k].numbers
                        known_places |= self._entries[k].places
                new_numbers = signature.numbers - known_numbers
                gazetteer = default_gazetteer()
                new_places = {
                    entity_key(p)
                    for p in result.extra.get("claim_places", ())
                    if not gazetteer.within(p, claim.place) and not gazetteer.same_place(p, claim.place)
                } - known_places
                if new_numbers or new_places:
                    why.setdefault("development_of", {"claim_entry": other, "story": story,
                                                      "new_figures": sorted(new_numbers),
                                                      "new_places": sorted(new_places)})
                    continue
                if best is None or state.time < best[0]:
                    best = (state.time, other)
        if best is None:
            return None
        rule = f"re-report of the claim of {best[1]}: the same side claims the same place, nothing new"
        why["duplicate"] = {"of": best[1], "rule": rule, "place": claim.place, "side": claim.side or claim.claimant}
        return best[1], 1.0, rule

    def _same_event(
        self, t: float, cosine: float, result: ClaimResult, signature: Signature, earlier: _State
    ) -> dict[str, Any] | None:
        """Why an entry re-reports the event of ``earlier`` in other words (None when it does not).

        Same event: similar wording (story cosine), close in time, the same kind of
        report (a claim re-reported, not contested; a response is no re-report), an
        anchor in common (a shared figure, or a claim by the same side in the same
        place) and nothing new: no figure the earlier report lacks, and names it
        lacks weigh little (IDF share) among the names of the entry.
        """
        cfg = self.config
        if cosine < cfg.event_cosine or t - earlier.time > cfg.event_window_hours * 3600.0:
            return None
        if bool(result.claims) != bool(earlier.claims) or bool(result.contests) != earlier.contests:
            return None
        shared_numbers = signature.numbers & earlier.numbers
        same_claim = any(
            c.place.casefold() == e.place.casefold()
            and bool(c.place)
            and same_side(side_words(c.claimant), side_words(e.claimant))
            for c in result.claims
            for e in earlier.claims
        )
        if not (shared_numbers or same_claim):
            return None
        new_numbers = signature.numbers - earlier.numbers
        if new_numbers:
            return None
        new_names = unmatched(sorted(signature.entities), earlier.entities)
        total = sum(self._stories.idf(e) for e in signature.entities)
        novelty = sum(self._stories.idf(e) for e in new_names) / total if total else 0.0
        if novelty > cfg.event_novelty:
            return None
        anchor = f"figures {sorted(shared_numbers)}" if shared_numbers else "the same claim"
        return {
            "cosine": round(cosine, 4),
            "new_names": new_names,
            "novelty": round(novelty, 4),
            "rule": (
                f"same event: story cosine {cosine:.2f} >= {cfg.event_cosine}, shares {anchor}, "
                f"no new figure, new names weigh {novelty:.0%} <= {cfg.event_novelty:.0%}"
            ),
        }

    def _find_contest(
        self, key: str, story: str, result: ClaimResult, new_story: bool
    ) -> tuple[str | None, dict[str, Any]]:
        if not result.contests or not self._claim_stories:
            return None, {}
        # a denial naming the claim's place beats one that only shares its story; then the latest claim
        best: tuple[tuple[bool, float], str, dict[str, Any]] | None = None
        for claim_story, keys in self._claim_stories.items():
            for claim_key in keys:
                if claim_key == key:
                    continue
                state = self._entries[claim_key]
                for claim in state.claims:
                    if any(_same_claim(own, claim) for own in result.claims):
                        continue  # it reports that claim itself, with the denial: disputed, no contest
                    for signal in result.contests:
                        reason = contest_reason(signal, claim, same_story=claim_story == story)
                        rank = (" in the same story" not in reason, state.time)
                        if reason and (best is None or rank > best[0]):
                            best = (
                                rank,
                                claim_story,
                                {
                                    "story": claim_story,
                                    "claim_entry": claim_key,
                                    "reason": reason,
                                    "sentence": signal.sentence,
                                    "by_place": rank[0],
                                },
                            )
        if best is None:
            return None, {}
        return best[1], best[2]
