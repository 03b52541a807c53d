"""Quality figures of detection against a labels file (the format of shared/data/seed-labels.json).

Entries are processed in order of ``published`` with ``now = published``, as a
replay would.  Figures: duplicate-pair precision/recall/F1, story pairwise
precision/recall/F1 (entries in no labelled story are singletons), topic
micro-F1, and the breakthrough checks: each expected entry opens a claim story
exactly once, no forbidden entry opens a claim story, and each expected
contest is found.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.model import Analysis, Entry, EntryEvent, EventKind, Flag


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def load_entries(path: str | Path, default_source: str = "blog") -> list[Entry]:
    """Entries of a JSON-lines file (keys: id/entry_id, title, body, published, source, url, author, flags)."""
    entries: list[Entry] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        flags = frozenset(Flag(f) for f in d.get("flags", []) if f in {x.value for x in Flag})
        entries.append(
            Entry(
                source=str(d.get("source") or default_source),
                entry_id=str(d.get("id") or d.get("entry_id")),
                title=str(d.get("title") or ""),
                body=str(d.get("body") or ""),
                url=str(d.get("url") or ""),
                author=str(d.get("author") or ""),
                published=_parse_time(d.get("published")),
                flags=flags,
            )
        )
    return entries


def replay(entries: Iterable[Entry], config: DetectionConfig | None = None) -> dict[str, Analysis]:
    """Analyses by entry id, processing entries in ``published`` order (stable for ties)."""
    detector = Detector(config or DetectionConfig())
    ordered = sorted(entries, key=lambda e: e.published or datetime.min.replace(tzinfo=UTC))
    out: dict[str, Analysis] = {}
    for entry in ordered:
        now = entry.published or datetime.now(UTC)
        out[entry.entry_id] = detector.analyse(EntryEvent(EventKind.NEW, entry), now)
    return out


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} (tp={self.tp} fp={self.fp} fn={self.fn})"


def prf(predicted: set[Any], gold: set[Any]) -> PRF:
    return PRF(len(predicted & gold), len(predicted - gold), len(gold - predicted))


@dataclass
class Report:
    duplicates: PRF
    stories: PRF
    topics: PRF
    alerts_expected: dict[str, bool]  # entry id -> opened a claim story, once
    alerts_forbidden: dict[str, bool]  # entry id -> (True = ok) did not open a claim story
    contests: dict[str, bool]  # "claim<-contester" -> found
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def breakthrough_ok(self) -> bool:
        return (
            all(self.alerts_expected.values()) and all(self.alerts_forbidden.values()) and all(self.contests.values())
        )

    def passes(self, duplicates: float = 0.95, stories: float = 0.85, topics: float = 0.90) -> bool:
        return (
            self.duplicates.f1 >= duplicates
            and self.stories.f1 >= stories
            and self.topics.f1 >= topics
            and self.breakthrough_ok
        )

    def lines(self) -> list[str]:
        out = [
            f"duplicates  {self.duplicates}",
            f"stories     {self.stories}  (pairwise)",
            f"topics      {self.topics}  (micro)",
        ]
        for k, ok in self.alerts_expected.items():
            out.append(f"alert expected   {k}: {'ok' if ok else 'MISSED'}")
        for k, ok in self.alerts_forbidden.items():
            out.append(f"alert forbidden  {k}: {'ok' if ok else 'WRONGLY OPENS A CLAIM STORY'}")
        for k, ok in self.contests.items():
            out.append(f"contest          {k}: {'ok' if ok else 'MISSED'}")
        return out


def _pairs(clusters: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for c in clusters for p in itertools.combinations(sorted(set(c)), 2)}


def evaluate(analyses: Mapping[str, Analysis], labels: Mapping[str, Any]) -> Report:
    """Compare analyses (by entry id) with a labels mapping."""
    key_to_id = {a.entry.key: i for i, a in analyses.items()}
    ids: Sequence[str] = list(analyses)

    gold_dups = {(k, v) for k, v in labels.get("duplicate_of", {}).items()}
    pred_dups = {(i, key_to_id.get(a.duplicate_of, a.duplicate_of)) for i, a in analyses.items() if a.duplicate_of}
    duplicates = prf(pred_dups, gold_dups)

    by_story: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_story[analyses[i].story].append(i)
    stories = prf(_pairs(by_story.values()), _pairs(labels.get("stories", [])))

    gold_topics = {(i, t) for i, ts in labels.get("topics", {}).items() for t in ts}
    pred_topics = {
        (i, t) for i, a in analyses.items() if i in labels.get("topics", {}) for t in a.classification.topics
    }
    topics = prf(pred_topics, gold_topics)

    # the entry that opens a claim story: the first (in processing order) with a claim in its story
    openers: dict[str, str] = {}
    claimers: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        a = analyses[i]
        if a.claims and not a.roundup:
            claimers[a.story].append(i)
            openers.setdefault(a.story, i)
    opening = set(openers.values())
    expected = {}
    for i in labels.get("breakthrough_alerts_expected", []):
        got = analyses.get(i)
        expected[i] = bool(got and i in opening and len([o for o in opening if analyses[o].story == got.story]) == 1)
    forbidden = {i: i not in opening for i in labels.get("breakthrough_alerts_forbidden", [])}
    contests = {}
    for claim_id, contester in labels.get("contested_expected", {}).items():
        claimed, contesting = analyses.get(claim_id), analyses.get(contester)
        contests[f"{claim_id}<-{contester}"] = bool(claimed and contesting and contesting.contests == claimed.story)

    details = {
        "duplicates_fp": sorted(pred_dups - gold_dups),
        "duplicates_fn": sorted(gold_dups - pred_dups),
        "stories_fp": sorted(tuple(sorted(p)) for p in _pairs(by_story.values()) - _pairs(labels.get("stories", []))),
        "stories_fn": sorted(tuple(sorted(p)) for p in _pairs(labels.get("stories", [])) - _pairs(by_story.values())),
        "topics_fp": sorted(pred_topics - gold_topics),
        "topics_fn": sorted(gold_topics - pred_topics),
        "claim_stories": {s: ks for s, ks in claimers.items()},
    }
    return Report(duplicates, stories, topics, expected, forbidden, contests, details)


def evaluate_files(entries_path: str | Path, labels_path: str | Path, config: DetectionConfig | None = None) -> Report:
    entries = load_entries(entries_path)
    labels = json.loads(Path(labels_path).read_text(encoding="utf-8"))
    return evaluate(replay(entries, config), labels)
