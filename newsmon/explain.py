"""The one-line why of an alert, as the console and Slack show it.

Built from the alert's structured ``why`` (the rule's reasons plus detection's
``why`` of the entry) and its claim: which rule, the matched actor / action /
place, the claim's verification, and how many near-duplicates detection folded
into the story (suppressed, not alerted).  Fields detection may or may not give
(``language``, a claim's ``action``) are read with defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsmon.model import KEY_SEPARATOR, Alert, verification


def _entry(key: str) -> str:
    return key.replace(KEY_SEPARATOR, ":")


def _claim_part(alert: Alert) -> list[str]:
    claim = alert.claim
    if claim is None:
        return []
    detection = alert.why.get("detection")
    claims = detection.get("claims") if isinstance(detection, Mapping) else None
    first: Mapping[str, Any] = claims[0] if isinstance(claims, list) and claims and isinstance(
        claims[0], Mapping) else {}
    parts = [f"actor {claim.claimant or 'unattributed'}", f"action {claim.kind}"]
    trigger = claim.action or first.get("trigger")
    if isinstance(trigger, str) and trigger:
        parts[-1] += f" ({trigger!r})"
    parts.append(f"place {claim.place or 'unknown'}")
    return ["; ".join((", ".join(parts), verification(claim)))]


def _rule_part(alert: Alert) -> str:
    why = alert.why
    kind = str(why.get("rule") or "")
    topic = str(why.get("topic") or "")
    if kind == "count-in-window":
        return (f"{alert.rule} (count-in-window): {why.get('count')} {topic} stories within "
                f"{why.get('window_s')}s (threshold {why.get('threshold')})")
    if kind == "spike":
        return (f"{alert.rule} (spike): {why.get('count')} {topic} entries in a bucket, baseline "
                f"{why.get('mean')} ± {why.get('sigma')} (limit {why.get('limit')})")
    return f"{alert.rule} ({kind or 'rule'}{' on ' + topic if topic else ''})"


def why_line(alert: Alert) -> str:
    """E.g. ``breakthrough-claim (first-seen on breakthrough-claim) · actor Russian defence ministry,
    action breakthrough, place Luhansk; unverified · 2 duplicates suppressed``."""
    why = alert.why
    parts = [_rule_part(alert), *_claim_part(alert)]
    contested = why.get("contested_by")
    detection = why.get("detection") if isinstance(why.get("detection"), Mapping) else {}
    if isinstance(contested, str) and contested:
        contest = detection.get("contest") if isinstance(detection, Mapping) else None
        reason = contest.get("reason") if isinstance(contest, Mapping) else None
        parts.append(f"contested by {_entry(contested)}{': ' + str(reason) if reason else ''}")
    developments = why.get("developments")
    if isinstance(developments, list) and developments:
        parts.append(f"{len(developments)} new report{'s' if len(developments) != 1 else ''}")
    language = why.get("language") or (detection.get("language") if isinstance(detection, Mapping) else None)
    if isinstance(language, str) and language:
        parts.append(f"language {language}")
    if "duplicates_count" in why:
        n = int(why.get("duplicates_count") or 0)
        parts.append(f"{n} duplicate{'s' if n != 1 else ''} suppressed")
    routing = why.get("routing")
    if isinstance(routing, Mapping) and routing.get("baseline"):
        parts.append(str(routing["baseline"]))
    return " · ".join(parts)
