"""`newsmon replay`: the backtest.

Reads entries from a JSON-lines file, processes them in `published` order
through exactly the code the agents use (in-process, no broker) -- exact dedup,
detection, rules, then routing: silences (from a given file), inhibition, quiet
periods and each channel's grouping -- with each entry's own publication time
as the clock, and writes one JSON line per entry (or a table with --summary).
Every alert is marked ``sent`` or ``suppressed: <reason>``.

Replay differs from the worker where time does: grouping batches run on event
time (the worker's on the wall clock, so a backlog read in one burst groups more
than its replay), and every silence of the given file applies whatever its start
and end (the question a backtest asks is what those silences would hold back).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from newsmon.dedup import exact
from newsmon.detect import Detector
from newsmon.detect.detector import detection_config
from newsmon.model import Alert, Analysis, Entry, in_published_order
from newsmon.routing import Batches, Grouper, GroupPolicy, Router, Silence, collapse, suppress
from newsmon.rules import Rule, Scoped, build_rules, evaluate, firing_for
from newsmon.settings import ChannelSettings, Settings, parse_duration


@dataclass(frozen=True, slots=True)
class Step:
    entry: Entry
    analysis: Analysis | None  # None: an exact repeat of an unchanged entry (same identity)
    alerts: tuple[Alert, ...]


def load_entries(path: Path, source: str = "replay") -> list[Entry]:
    """The entries of a replay file; malformed lines are logged and skipped (see `read_entries`)."""
    from newsmon.connectors.replay import parse

    return parse(path.read_bytes(), str(path), source=source, now=datetime.now(UTC))


def read_entries(path: Path, source: str = "replay") -> tuple[list[Entry], list[str]]:
    """(entries, problems): each malformed line is skipped and named (``file:line: reason``)."""
    from newsmon.connectors.replay import parse_lines

    return parse_lines(path.read_bytes(), str(path), source=source, now=datetime.now(UTC))


def grouping(channel: ChannelSettings) -> GroupPolicy:
    """A channel's grouping, from options already validated when the settings were loaded."""
    options = channel.options
    group_by = options.get("group_by", ["story"])
    return GroupPolicy(tuple([group_by] if isinstance(group_by, str) else group_by),
                       parse_duration(options.get("group_wait", 0)), parse_duration(options.get("group_interval", 0)))


def superseded(alerts: Sequence[tuple[float, Alert]], channels: Sequence[GroupPolicy]) -> set[int]:
    """Indexes of the alerts that grouping replaces by a newer revision in every channel that would
    send them, with batches on event time (`alerts`: (event time in seconds, alert), in order)."""
    if not channels or any(not c.active for c in channels):
        return set()  # a channel without grouping sends every revision
    def older(batch: list[int]) -> set[int]:
        _, old = collapse([alerts[i][1] for i in batch])
        return {i for i in batch if any(alerts[i][1] is a for a in old)}

    replaced: list[set[int]] = []
    for policy in channels:
        batches: Batches[int] = Batches(Grouper(policy))
        dropped: set[int] = set()
        for index, (at, alert) in enumerate(alerts):
            for _, batch in batches.pop_due(at):
                dropped |= older(batch)
            batches.add(policy.key(alert), index, at)
        for _, batch in batches.pop_due(math.inf):
            dropped |= older(batch)
        replaced.append(dropped)
    return set.intersection(*replaced)


def run(entries: Iterable[Entry], settings: Settings, rules: list[Rule] | None = None,
        silences: Sequence[Silence] = ()) -> list[Step]:
    """The pipeline of the agents, stage by stage, in one process: one detector and one rule-state
    view per detection scope, as the worker keeps them, and the routing of the rules and deliver
    agents."""
    config = detection_config(settings)
    rules = build_rules(settings.rules) if rules is None else rules
    scope_of = settings.scopes()
    detectors: dict[str, Detector] = {}
    hashes: dict[str, str] = {}
    rule_state: dict[str, dict[str, Any]] = {}
    router = Router(lambda: silences, {}, {r.name: firing_for(r) for r in settings.rules}, silence_times=False)
    steps: list[Step] = []
    for entry in in_published_order(entries):
        now = entry.published or entry.seen or datetime.now(UTC)
        event = exact(hashes.get(entry.key), entry)
        if event is None:
            steps.append(Step(entry, None, ()))
            continue
        hashes[entry.key] = entry.content_hash
        scope = scope_of(entry.source)
        if scope not in detectors:
            detectors[scope] = Detector(config)
        detector = detectors[scope]
        analysis = detector.analyse(event, now)
        detector.memory_updates()
        at = analysis.at or now
        alerts = [router.route(a, at, at) for a in evaluate(rules, analysis, Scoped(rule_state, scope), now)]
        steps.append(Step(entry, analysis, tuple(alerts)))
    return _group(steps, [grouping(c) for c in settings.channels])


def _group(steps: list[Step], channels: Sequence[GroupPolicy]) -> list[Step]:
    """The steps with the alerts grouping would supersede marked so."""
    sent = [(s, a) for s, step in enumerate(steps) for a, alert in enumerate(step.alerts) if not alert.suppressed]
    gone = superseded([(_at(steps[s]), steps[s].alerts[a]) for s, a in sent], channels)
    if not gone:
        return steps
    marked = {sent[i] for i in gone}
    return [replace(step, alerts=tuple(suppress(alert, "superseded") if (s, a) in marked else alert
                                       for a, alert in enumerate(step.alerts)))
            for s, step in enumerate(steps)]


def _at(step: Step) -> float:
    """A step's event time, in seconds."""
    at = step.analysis.at if step.analysis else None
    return (at or step.entry.published or step.entry.seen or datetime.now(UTC)).timestamp()


def status(alert: Alert) -> str:
    """``sent`` or ``suppressed: <reason>``."""
    return f"suppressed: {alert.suppressed}" if alert.suppressed else "sent"


def display_keys(entries: Iterable[Entry]) -> dict[str, str]:
    """How output names an entry: its id, or ``source:id`` where several sources use that id."""
    sources: dict[str, set[str]] = {}
    for e in entries:
        sources.setdefault(e.entry_id, set()).add(e.source)
    return {e.key: e.entry_id if len(sources[e.entry_id]) == 1 else f"{e.source}:{e.entry_id}" for e in entries}


def _display(keys: dict[str, str], key: str | None) -> str | None:
    if key is None:
        return None
    return keys.get(key, key.replace("\x1f", ":"))


def step_json(step: Step, keys: dict[str, str], last: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One output line.  `last` (entry key -> its previous line) lets an exact repeat say what its
    identity was decided to be; it is kept up to date."""
    a = step.analysis
    if a is None:  # an exact repeat of an identity: dropped, as the dedup agent drops it
        before = (last or {}).get(step.entry.key)
        base = before or {"duplicate_of": None, "story": None, "topics": [], "claims": [], "contests": None}
        return {**base, "id": step.entry.entry_id, "source": step.entry.source, "alerts": [],
                "why": {"exact_repeat": True}, "repeat": "exact"}
    row = {
        "id": step.entry.entry_id,
        "source": step.entry.source,
        "duplicate_of": _display(keys, a.duplicate_of),
        "story": _display(keys, a.story),
        "topics": list(a.classification.topics),
        "language": a.language,
        "claims": [{k: v for k, v in c.as_dict().items() if k != "evidence"} for c in a.claims],
        "contests": _display(keys, a.contests),
        "alerts": [{"rule": al.rule, "severity": al.severity, "story": _display(keys, al.story),
                    "kind": al.kind.value, "status": status(al), "suppressed": al.suppressed or None}
                   for al in step.alerts],
        "why": a.why,
        **({"update": True} if a.event.kind.value == "update" else {}),
    }
    if last is not None:
        last[step.entry.key] = row
    return row


def _counts(alerts: Iterable[Alert]) -> str:
    counted: dict[str, int] = {}
    for alert in alerts:
        what = alert.suppressed or alert.kind.value
        counted[what] = counted.get(what, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counted.items()))


def replay_file(settings: Settings, path: Path, out: TextIO, *, summary: bool = False,
                silences: Sequence[Silence] = (), err: TextIO | None = None) -> int:
    """Replay a file to `out`; malformed lines are reported on `err` (stderr) and skipped."""
    entries, problems = read_entries(path)
    for problem in problems:
        print(f"newsmon: replay: {problem} (line skipped)", file=err or sys.stderr)
    keys = display_keys(entries)
    steps = run(entries, settings, silences=silences)
    last: dict[str, dict[str, Any]] = {}
    if not summary:
        for step in steps:
            out.write(json.dumps(step_json(step, keys, last), ensure_ascii=False, default=str) + "\n")
        return 0
    out.write(f"{'id':<10} {'published':<17} {'dup of':<10} {'story':<10} {'alerts':<22} topics / title\n")
    for step in steps:
        row = step_json(step, keys, last)
        published = step.entry.published.strftime("%Y-%m-%d %H:%M") if step.entry.published else "-"
        shown = ",".join(a["rule"] + ("" if a["kind"] == "fired" else f"({a['kind'][:3]})")
                         + (f"[{a['suppressed']}]" if a["suppressed"] else "") for a in row["alerts"])
        topics = ",".join(row["topics"])
        out.write(f"{row['id']:<10} {published:<17} {row['duplicate_of'] or '':<10} {row['story'] or '':<10} "
                  f"{shown:<22} {topics} | {step.entry.title[:60]}\n")
    alerts = [a for s in steps for a in s.alerts]
    sent = [a for a in alerts if not a.suppressed]
    held = [a for a in alerts if a.suppressed]
    repeats = sum(1 for s in steps if s.analysis is None)
    edits = sum(1 for s in steps if s.analysis and s.analysis.event.kind.value == "update")
    near = sum(1 for s in steps if s.analysis and s.analysis.duplicate_of)
    skipped = f", {len(problems)} malformed lines skipped" if problems else ""
    out.write(f"\n{len(steps)} entries ({repeats} exact repeats dropped, {edits} edits{skipped}), "
              f"{near} near-duplicates; "
              f"alerts: {len(sent)} sent ({_counts(sent) or 'none'}), {len(held)} suppressed "
              f"({_counts(held) or 'none'})\n")
    return 0
