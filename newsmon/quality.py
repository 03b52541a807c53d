"""Detection quality on labelled sets, measured through `newsmon replay`'s own decisions.

Every set is an entries file (JSON lines, or a publisher's page read with its
connector's parser) and a labels file in the format of shared/data/seed-labels.json,
with optional ``claims`` ({id: {"place", "verification", ...}}) and ``languages``
({id: code}).  The entries go through :func:`newsmon.replay.run` with the given
settings, exactly the worker's detection and rules, and are scored as
shared/tools/score_replay.py scores them (duplicates: a predicted duplicate counts
when its target is in the gold story of the labelled one; stories: pairwise F1
without roundups; topics: micro-F1; breakthrough alerts: fired threads of the
``breakthrough-claim`` rule), plus verification status, claim places, false
contests and language identification.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmon.model import Entry
from newsmon.replay import run
from newsmon.settings import Settings

RULE = "breakthrough-claim"


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class SetScore:
    name: str
    entries: int
    duplicates: float
    stories: float
    topics: float
    expected: int
    fired_expected: int
    forbidden_fired: list[str]
    repeated: list[str]
    unlabelled_fired: list[str]
    verification: tuple[int, int]  # right, labelled claims found
    claims_found: tuple[int, int]  # labelled claim entries with a claim, labelled claim entries
    places: tuple[int, int]  # right, labelled places of found claims
    contests: tuple[int, int]  # linked, expected
    false_contests: list[str]
    languages: tuple[int, int]  # right, labelled
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def alerts_exact(self) -> bool:
        return self.fired_expected == self.expected and not self.forbidden_fired and not self.repeated


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def score(name: str, entries: list[Entry], labels: Mapping[str, Any], settings: Settings) -> SetScore:
    """Replay ``entries`` and score the decisions against ``labels``."""
    steps = list(run(entries, settings))
    ids_of = {e.key: e.entry_id for e in entries}
    dec: dict[str, Any] = {}
    for step in steps:
        if step.analysis is None:
            continue
        a = step.analysis
        dec[step.entry.entry_id] = {
            "duplicate_of": ids_of.get(a.duplicate_of or "", a.duplicate_of),
            "story": a.story,
            "topics": list(a.classification.topics),
            "claims": list(a.claims),
            "contests": ids_of.get(a.contests or "", a.contests),
            "language": a.language,
            "alerts": [al for al in step.alerts if al.rule == RULE and al.kind.value == "fired"],
        }
    ids = list(labels["topics"])
    story_of = {i: n for n, s in enumerate(labels.get("stories", [])) for i in s}
    gold_dup = labels.get("duplicate_of", {})
    tp = fp = fn = 0
    dup_misses = []
    for i in ids:
        pred, gold = (dec.get(i) or {}).get("duplicate_of"), gold_dup.get(i)
        if pred and gold and story_of.get(pred) == story_of.get(gold):
            tp += 1
        elif pred:
            fp += 1
            fn += 1 if gold else 0
            dup_misses.append(f"{i}->{pred} (gold {gold})")
        elif gold:
            fn += 1
            dup_misses.append(f"{i} missed (gold {gold})")
    roundups = set(labels.get("roundups", []))
    gold_pairs = {
        p for s in labels.get("stories", []) for p in itertools.combinations(sorted(s), 2) if not set(p) & roundups
    }
    groups: dict[str, list[str]] = {}
    for i in ids:
        if i in dec and i not in roundups:
            groups.setdefault(dec[i]["story"], []).append(i)
    pred_pairs = {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}
    gt = {(i, t) for i in ids for t in labels["topics"][i]}
    pt = {(i, t) for i in ids for t in (dec.get(i) or {}).get("topics", [])}
    fired = [i for i in ids for _ in (dec.get(i) or {}).get("alerts", [])]
    expected = list(labels.get("breakthrough_alerts_expected", []))
    forbidden = set(labels.get("breakthrough_alerts_forbidden", []))
    right = found = place_right = place_n = 0
    claim_entries = labels.get("claims", {})
    for i, gold_claim in claim_entries.items():
        claims = (dec.get(i) or {}).get("claims", [])
        if not claims:
            continue
        found += 1
        right += claims[0].verification == gold_claim.get("verification", "unverified")
        if gold_claim.get("place"):
            place_n += 1
            place_right += _norm(claims[0].place) == _norm(gold_claim["place"])
    linked = 0
    shaped = normalise_labels(labels)
    pairs = shaped["contested_pairs"]
    for claim, denial in pairs:
        c = (dec.get(denial) or {}).get("contests")
        linked += bool(c and story_of.get(c, c) == story_of.get(claim, claim))
    denials = {d for _, d in pairs} | set(shaped["contests_acceptable"])
    languages = labels.get("languages", {})
    lang_right = sum((dec.get(i) or {}).get("language") == code for i, code in languages.items())
    details = {
        "duplicates": dup_misses,
        "stories_fp": sorted(pred_pairs - gold_pairs)[:20],
        "stories_fn": sorted(gold_pairs - pred_pairs)[:20],
        "topics_fp": sorted(pt - gt),
        "topics_fn": sorted(gt - pt),
        "verification": [
            f"{i}: {c[0].verification} (gold {g.get('verification')}; cue {c[0].verification_cue[:60]!r})"
            for i, g in claim_entries.items()
            if (c := (dec.get(i) or {}).get("claims")) and c[0].verification != g.get("verification", "unverified")
        ],
        "places": [
            f"{i}: {c[0].place!r} (gold {g.get('place')!r})"
            for i, g in claim_entries.items()
            if (c := (dec.get(i) or {}).get("claims")) and g.get("place") and _norm(c[0].place) != _norm(g["place"])
        ],
        "claims_missed": [i for i in claim_entries if not (dec.get(i) or {}).get("claims")],
        "alerts_missed": [i for i in expected if i not in fired],
        "languages": [f"{i}: {(dec.get(i) or {}).get('language')} (gold {c})" for i, c in languages.items()
                      if (dec.get(i) or {}).get("language") != c],
    }
    return SetScore(
        name=name,
        entries=len(ids),
        duplicates=f1(tp, fp, fn),
        stories=f1(len(gold_pairs & pred_pairs), len(pred_pairs - gold_pairs), len(gold_pairs - pred_pairs)),
        topics=f1(len(gt & pt), len(pt - gt), len(gt - pt)),
        expected=len(expected),
        fired_expected=sum(1 for i in expected if i in fired),
        forbidden_fired=sorted({i for i in fired if i in forbidden}),
        repeated=sorted({i for i in fired if fired.count(i) > 1}),
        unlabelled_fired=sorted({i for i in fired if i not in expected and i not in forbidden}),
        verification=(right, found),
        claims_found=(found, len(claim_entries)),
        places=(place_right, place_n),
        contests=(linked, len(pairs)),
        false_contests=sorted(i for i in ids if (dec.get(i) or {}).get("contests") and i not in denials),
        languages=(lang_right, len(languages)),
        details=details,
    )


HEADER = (
    f"{'set':<34} {'n':>4} {'dup':>5} {'story':>5} {'topic':>5} {'alerts':>7} {'forb':>4} {'verif':>7} "
    f"{'claims':>7} {'places':>7} {'contest':>7} {'f.cont':>6} {'lang':>7}"
)


def row(s: SetScore) -> str:
    def frac(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]}" if pair[1] else "-"

    return (
        f"{s.name:<34} {s.entries:>4} {s.duplicates:>5.2f} {s.stories:>5.2f} {s.topics:>5.2f} "
        f"{s.fired_expected:>3}/{s.expected:<3} {len(s.forbidden_fired):>4} {frac(s.verification):>7} "
        f"{frac(s.claims_found):>7} {frac(s.places):>7} {frac(s.contests):>7} {len(s.false_contests):>6} "
        f"{frac(s.languages):>7}"
    )


def load_labels(path: Path) -> dict[str, Any]:
    """A labels file; ``contested_expected`` may give a claim one denial (the seed's format) or a list of
    them, and ``contests_acceptable`` may be a list of ids or a table of claim -> ids."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return normalise_labels(data)


def normalise_labels(data: Mapping[str, Any]) -> dict[str, Any]:
    """Labels in one shape: ``contested_pairs`` the (claim, denial) pairs, ``contests_acceptable`` a list."""
    expected = data.get("contested_expected", {})
    pairs = [(claim, d) for claim, v in expected.items() for d in (v if isinstance(v, list) else [v])]
    acceptable = data.get("contests_acceptable", [])
    if isinstance(acceptable, dict):
        acceptable = [i for v in acceptable.values() for i in (v if isinstance(v, list) else [v])]
    return {**data, "contested_pairs": pairs, "contests_acceptable": list(acceptable)}


def entries_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    return {e.entry_id: e for e in entries}
