"""Alert rules: pure functions from an `Analysis` (plus rule state) to alerts.

Rule state lives in a mapping the caller owns (a Faust table in the worker, a
dict in `newsmon replay`), keyed by ``rule name + story``.  Values are small
JSON-serialisable dicts, so the state survives restarts through the table's
changelog.

Kinds: ``first-seen`` (once per story carrying a topic; a contesting entry
updates the thread), ``count-in-window`` (at least N distinct stories with a
topic within a sliding or tumbling window), ``spike`` (a topic's rate in the
current bucket well above its own recent baseline).  Every kind takes filters
on source / place / claimant, a severity and an optional quiet period (after a
rule fired, its next alerts within the period are held back: produced with
``why.routing.suppressed = "quiet-period"`` and never delivered).

``repeat_interval`` (first-seen and count-in-window): a thread that keeps
developing -- new, original entries join the story, or the window stays at or
above its threshold as new stories arrive -- gets one ``repeated`` reminder (a
new revision of the same thread, never a new alert) at most every
``repeat_interval``; a thread with nothing new stays quiet.  Unset, a thread is
announced once and updated only when contested.

Time.  Windows, buckets, quiet periods and repeat intervals run on the entry's
event time (``Analysis.at``, the detector's clock: publication time, never going
back, never ahead of the wall clock), so `newsmon replay` of an archive and the
worker reading the same entries from Kafka fire the same alerts.  ``now`` (the
wall clock) only stamps ``Alert.created``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from newsmon.model import Alert, AlertKind, Analysis
from newsmon.routing import suppress
from newsmon.rule_kinds import CountInWindowRule, FirstSeenRule, SpikeRule
from newsmon.rulebase import Filters, Rule, Scoped, State, alert_id, event_time, state_key
from newsmon.settings import RuleSettings, parse_duration

__all__ = ["CountInWindowRule", "Filters", "FirstSeenRule", "Rule", "Scoped", "SpikeRule", "State", "alert_id",
           "build_rule", "build_rules", "evaluate", "event_time", "firing_for", "state_key"]


RULE_KINDS = ("first-seen", "count-in-window", "spike")
RULE_OPTIONS: dict[str, set[str]] = {
    "first-seen": {"repeat_interval"},
    "count-in-window": {"threshold", "window", "mode", "repeat_interval"},
    "spike": {"bucket", "baseline", "k", "min_count", "by"},
}
COMMON_OPTIONS = {"sources", "places", "claimants", "quiet", "firing_for"}


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{what}: expected a string or a list of strings, got {value!r}")


def _positive_int(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key}: expected a positive integer, got {value!r}")
    return value


def _seconds(options: Mapping[str, Any], key: str, default: float, allow_zero: bool = False) -> float:
    try:
        seconds = parse_duration(options.get(key, default))
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError(f"{key}: must be positive")
    return seconds


def build_rule(rule: RuleSettings) -> Rule:
    """One rule object from its settings; raises ValueError naming the offending option."""
    if rule.kind not in RULE_KINDS:
        raise ValueError(f"kind: unsupported rule kind {rule.kind!r} (known: {', '.join(RULE_KINDS)})")
    options = rule.options
    unknown = set(options) - RULE_OPTIONS[rule.kind] - COMMON_OPTIONS
    if unknown:
        known = ", ".join(sorted(RULE_OPTIONS[rule.kind] | COMMON_OPTIONS))
        raise ValueError(f"{sorted(unknown)[0]}: unknown option for a {rule.kind} rule (known: {known})")
    filters = Filters(*(_strings(options.get(k, []), k) for k in ("sources", "places", "claimants")))
    quiet = _seconds(options, "quiet", 0, allow_zero=True)
    _seconds(options, "firing_for", 3600)
    topic = rule.topic or rule.name
    repeat = _seconds(options, "repeat_interval", 0, allow_zero=True)
    if rule.kind == "first-seen":
        return FirstSeenRule(rule.name, topic, rule.severity, filters, quiet, repeat)
    if rule.kind == "count-in-window":
        if "threshold" not in options or "window" not in options:
            raise ValueError("threshold: a count-in-window rule needs 'threshold' and 'window'")
        mode = options.get("mode", "sliding")
        if mode not in ("sliding", "tumbling"):
            raise ValueError(f"mode: expected sliding or tumbling, got {mode!r}")
        if repeat and mode == "tumbling":
            raise ValueError("repeat_interval: only for sliding windows (a tumbling window fires once per window)")
        return CountInWindowRule(rule.name, topic, _positive_int(options, "threshold", 1),
                                 _seconds(options, "window", 0), rule.severity, mode, filters, quiet, repeat)
    k = options.get("k", 3.0)
    if isinstance(k, bool) or not isinstance(k, int | float) or k < 0:
        raise ValueError(f"k: expected a non-negative number, got {k!r}")
    by = options.get("by", "all")
    if by not in ("all", "source"):
        raise ValueError(f"by: expected all or source, got {by!r}")
    return SpikeRule(rule.name, topic, _seconds(options, "bucket", 600), _positive_int(options, "baseline", 12),
                     float(k), _positive_int(options, "min_count", 5), rule.severity, filters, quiet,
                     per_source=by == "source")


def build_rules(settings: Iterable[RuleSettings]) -> list[Rule]:
    """Rule objects from validated settings."""
    rules: list[Rule] = []
    for rule in settings:
        try:
            rules.append(build_rule(rule))
        except ValueError as exc:
            raise ValueError(f"rules: {rule.name}: {exc}") from None
    return rules


def firing_for(rule: RuleSettings) -> float:
    """How long an alert of this rule counts as firing for inhibition (default 1h)."""
    return parse_duration(rule.options.get("firing_for", 3600))


def _quiet(rule: Rule, alert: Alert, state: State, now: datetime) -> Alert:
    """Hold back a rule's new alert within its quiet period after the last one it sent, and every
    later revision of a thread whose first alert was held back so (it revises an alert never sent)."""
    if not rule.quiet or alert.suppressed:
        return alert
    held = state_key(rule.name, f"\x1fheld\x1f{alert.alert_id}")
    if alert.kind is not AlertKind.FIRED:
        reason = state.get(held)
        return suppress(alert, "quiet-period", revises=alert.alert_id, **reason) if reason else alert
    key = state_key(rule.name, "\x1fquiet")
    last = (state.get(key) or {}).get("last")
    if last is not None and now.timestamp() - float(last) < rule.quiet:
        state[held] = {"quiet_s": rule.quiet, "last_fired": float(last)}
        return suppress(alert, "quiet-period", quiet_s=rule.quiet, last_fired=float(last))
    state[key] = {"last": now.timestamp()}
    return alert


def evaluate(rules: Iterable[Rule], analysis: Analysis, state: State, now: datetime) -> list[Alert]:
    """Every rule's alerts for one analysis; alerts held back by a quiet period carry the reason in ``why``.

    ``now`` is the wall clock (it stamps ``Alert.created``); windows and periods use
    the analysis's event time (see the module docstring).
    """
    at = event_time(analysis, now)
    return [_quiet(rule, alert, state, at) for rule in rules for alert in rule.evaluate(analysis, state, now)]
