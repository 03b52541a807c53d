"""`[[rules]]` and `[detection]`: checked with the code that runs them.

The rule kinds own their options (`newsmon.rules.build_rule`) and detection its
keys (`DetectionConfig.from_mapping`); both raise ValueError without a place,
which is attached here.  A rule's topic must be one the taxonomy knows (the
default taxonomy with the ``[detection.taxonomy]`` additions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from newsmon.config.reader import Reader, did_you_mean
from newsmon.detect.detector import DetectionConfig
from newsmon.rules import build_rule
from newsmon.settings import RuleSettings

SEVERITIES = ("info", "warning", "critical")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TAXONOMY_WHERE = re.compile(r"^((?:default_)?taxonomy(?:\.[^:]+)?): (.*)$", re.DOTALL)
_UNKNOWN = re.compile(r"^unknown key\(s\) '([^']+)'.*?; allowed: (.*)$")
DETECTION_KEYS = frozenset(f.name for f in fields(DetectionConfig) if f.name != "feed_sources")


def _detection_error(reader: Reader, exc: ValueError, fallback: str) -> Exception:
    message = str(exc).removeprefix("detection config: ")
    taxonomy = _TAXONOMY_WHERE.match(message)
    if taxonomy:
        where, message = f"detection.{taxonomy.group(1)}", taxonomy.group(2)
        unknown = _UNKNOWN.match(message)
        if unknown:
            key = unknown.group(1)
            allowed = [k.strip() for k in unknown.group(2).split(",")]
            return reader.fail(f"{where}.{key}", f"unknown key {key!r}{did_you_mean(key, allowed)}")
        return reader.fail(where, message)
    return reader.fail(fallback, message)


def read_detection(reader: Reader, table: Mapping[str, Any]) -> DetectionConfig:
    """The `[detection]` table as detection will read it, each problem with its line."""
    reader.known("detection", table, DETECTION_KEYS)
    for key, value in table.items():  # one key at a time: the error names the key it is about
        try:
            DetectionConfig.from_mapping({key: value})
        except ValueError as exc:
            if key != "taxonomy" and str(exc).startswith("detection config: bad value"):
                exc = ValueError(f"out of range: {value!r}")
            raise _detection_error(reader, exc, f"detection.{key}") from None
    try:
        return DetectionConfig.from_mapping(table)
    except ValueError as exc:  # keys that are only wrong together (num_perm and bands)
        raise _detection_error(reader, exc, "detection") from None


def read_rule(reader: Reader, n: int, table: Mapping[str, Any], topics: Iterable[str]) -> RuleSettings:
    where = f"rules[{n}]"
    reader.typed(where, table, dict)
    if "name" not in table:
        raise reader.fail(where, "missing required key 'name'")
    name = reader.typed(f"{where}.name", table["name"], str)
    if not _ID.match(name):
        raise reader.fail(f"{where}.name", f"use letters, digits, '.', '_' or '-' (got {name!r})")
    severity = reader.choice(f"{where}.severity", table.get("severity", "warning"), SEVERITIES)
    options = {k: v for k, v in table.items() if k not in {"name", "kind", "topic", "severity"}}
    rule = RuleSettings(
        name=name,
        kind=reader.typed(f"{where}.kind", table.get("kind", "first-seen"), str),
        topic=reader.typed(f"{where}.topic", table.get("topic", ""), str),
        severity=severity,
        options=options,
    )
    try:
        build_rule(rule)
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        unknown = re.match(r"unknown option for an? [\w-]+ rule \(known: (.*)\)$", message)
        if unknown:
            allowed = [k.strip() for k in unknown.group(1).split(",")] + ["name", "kind", "topic", "severity"]
            message = f"unknown key {key!r}{did_you_mean(key, allowed)}"
        raise reader.fail(f"{where}.{key}", message) from None
    known = set(topics)
    if rule.topic and rule.topic not in known:
        hint = did_you_mean(rule.topic, known)
        if "(known:" not in hint:
            hint += f"; known topics: {', '.join(sorted(known))}"
        raise reader.fail(f"{where}.topic", f"unknown topic {rule.topic!r}{hint}")
    if not rule.topic and name not in known:
        raise reader.fail(where, f"no 'topic' given, and the rule's name {name!r} is not a topic: set topic to "
                                 f"one of {', '.join(sorted(known))}")
    return rule
