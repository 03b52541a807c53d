"""`newsmon replay`: the backtest.

Reads entries from a JSON-lines file, processes them in `published` order
through exactly the detection and rule code the agents use (in-process, no
broker), with each entry's own publication time as the clock, and writes one
JSON line per entry (or a table with --summary).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from newsmon.dedup import exact
from newsmon.detect import Detector
from newsmon.detect.detector import detection_config
from newsmon.model import Alert, Analysis, Entry, in_published_order
from newsmon.rules import Rule, Scoped, build_rules, evaluate
from newsmon.settings import Settings


@dataclass(frozen=True, slots=True)
class Step:
    entry: Entry
    analysis: Analysis | None  # None: an exact repeat of an unchanged entry (same identity)
    alerts: tuple[Alert, ...]


def load_entries(path: Path, source: str = "replay") -> list[Entry]:
    from newsmon.connectors.replay import parse

    return parse(path.read_bytes(), str(path), source=source, now=datetime.now(UTC))


def run(entries: Iterable[Entry], settings: Settings, rules: list[Rule] | None = None) -> Iterator[Step]:
    """The pipeline of the agents, stage by stage, in one process: one detector and
    one rule-state view per detection scope, as the worker keeps them."""
    config = detection_config(settings)
    rules = build_rules(settings.rules) if rules is None else rules
    scope_of = settings.scopes()
    detectors: dict[str, Detector] = {}
    hashes: dict[str, str] = {}
    rule_state: dict[str, dict[str, Any]] = {}
    for entry in in_published_order(entries):
        now = entry.published or entry.seen or datetime.now(UTC)
        event = exact(hashes.get(entry.key), entry)
        if event is None:
            yield Step(entry, None, ())
            continue
        hashes[entry.key] = entry.content_hash
        scope = scope_of(entry.source)
        if scope not in detectors:
            detectors[scope] = Detector(config)
        detector = detectors[scope]
        analysis = detector.analyse(event, now)
        detector.memory_updates()
        yield Step(entry, analysis, tuple(evaluate(rules, analysis, Scoped(rule_state, scope), now)))


def _display(keys: dict[str, str], key: str | None) -> str | None:
    if key is None:
        return None
    return keys.get(key, key.replace("\x1f", ":"))


def step_json(step: Step, keys: dict[str, str]) -> dict[str, Any]:
    a = step.analysis
    if a is None:
        return {"id": step.entry.entry_id, "duplicate_of": step.entry.entry_id, "story": None, "topics": [],
                "claims": [], "contests": None, "alerts": [], "why": {"exact_repeat": True}}
    return {
        "id": step.entry.entry_id,
        "duplicate_of": _display(keys, a.duplicate_of),
        "story": _display(keys, a.story),
        "topics": list(a.classification.topics),
        "language": a.language,
        "claims": [{k: v for k, v in c.as_dict().items() if k != "evidence"} for c in a.claims],
        "contests": _display(keys, a.contests),
        "alerts": [{"rule": al.rule, "severity": al.severity, "story": _display(keys, al.story),
                    "kind": al.kind.value} for al in step.alerts],
        "why": a.why,
    }


def replay_file(settings: Settings, path: Path, out: TextIO, *, summary: bool = False) -> int:
    entries = load_entries(path)
    keys = {e.key: e.entry_id for e in entries}
    steps = list(run(entries, settings))
    if not summary:
        for step in steps:
            out.write(json.dumps(step_json(step, keys), ensure_ascii=False, default=str) + "\n")
        return 0
    out.write(f"{'id':<10} {'published':<17} {'dup of':<10} {'story':<10} {'alerts':<22} topics / title\n")
    for step in steps:
        row = step_json(step, keys)
        published = step.entry.published.strftime("%Y-%m-%d %H:%M") if step.entry.published else "-"
        alerts = ",".join(a["rule"] if a["kind"] == "fired" else f"{a['rule']}(upd)" for a in row["alerts"])
        topics = ",".join(row["topics"])
        out.write(f"{row['id']:<10} {published:<17} {row['duplicate_of'] or '':<10} {row['story'] or '':<10} "
                  f"{alerts:<22} {topics} | {step.entry.title[:60]}\n")
    fired = sum(1 for s in steps for a in s.alerts if a.kind.value == "fired")
    out.write(f"\n{len(steps)} entries, {sum(1 for s in steps if s.analysis and s.analysis.duplicate_of)} "
              f"near-duplicates, {fired} alerts fired\n")
    return 0
