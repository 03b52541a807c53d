"""`[[channels]]`: the channel table and its delivery options.

The option checks are pure (routing labels, durations, rates) and live here in
the core, so that loading a configuration imports no connector;
`newsmon.connectors.channels` builds the channels from what passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsmon.config.reader import Reader, did_you_mean
from newsmon.routing import MATCHER_LABELS, GroupPolicy, parse_rate
from newsmon.settings import CHANNEL_KINDS, ChannelSettings, parse_duration

KIND_OPTIONS: dict[str, set[str]] = {"console": set(), "webhook": set(), "slack": {"story_url"}}
DELIVERY_OPTIONS = {"lanes", "queue_size", "max_backoff", "rate_limit", "burst", "group_by", "group_wait",
                    "group_interval"}
_CORE = {"name", "kind", "url", "url_env", "secret", "secret_env", "timeout"}


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How the deliver agent feeds one channel."""

    lanes: int = 4  # concurrent senders; alerts of one story always use the same lane (order per story)
    queue_size: int = 10_000  # per channel; when full the agent waits (back-pressure)
    max_backoff: float = 60.0  # cap of the exponential backoff between retries (Retry-After may ask longer)
    rate: float = 0.0  # sends per second, 0 = unlimited
    burst: float = 10.0
    grouping: GroupPolicy = field(default_factory=GroupPolicy)


def _int(options: Mapping[str, Any], key: str, default: int, low: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{key}: expected an integer >= {low}, got {value!r}")
    return value


def _seconds(options: Mapping[str, Any], key: str, default: float) -> float:
    try:
        seconds = parse_duration(options.get(key, default))
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
    if seconds < 0:
        raise ValueError(f"{key}: must not be negative")
    return seconds


def delivery_options(channel: ChannelSettings) -> DeliveryOptions:
    """Validated options of one channel; raises ValueError starting with the offending key."""
    options = channel.options
    allowed = KIND_OPTIONS.get(channel.kind, set()) | DELIVERY_OPTIONS
    for key in options:
        if key not in allowed:
            raise ValueError(f"{key}: unknown key {key!r} for a {channel.kind} channel"
                             f"{did_you_mean(key, allowed | _CORE)}")
    group_by = options.get("group_by", ["story"])
    if isinstance(group_by, str):
        group_by = [group_by]
    if not isinstance(group_by, list) or not group_by or any(g not in MATCHER_LABELS for g in group_by):
        raise ValueError(f"group_by: expected a list of labels among {', '.join(MATCHER_LABELS)}, got {group_by!r}")
    rate = 0.0
    if "rate_limit" in options:
        try:
            rate = parse_rate(options["rate_limit"])
        except ValueError as exc:
            raise ValueError(f"rate_limit: {exc}") from None
    story_url = options.get("story_url", "")
    if not isinstance(story_url, str):
        raise ValueError(f"story_url: expected a string, got {story_url!r}")
    burst = options.get("burst", 10)
    if isinstance(burst, bool) or not isinstance(burst, int | float) or burst < 1:
        raise ValueError(f"burst: expected a number >= 1, got {burst!r}")
    return DeliveryOptions(
        lanes=_int(options, "lanes", 4, 1),
        queue_size=_int(options, "queue_size", 10_000, 1),
        max_backoff=_seconds(options, "max_backoff", 60) or 60.0,
        rate=rate,
        burst=float(burst),
        grouping=GroupPolicy(tuple(str(g) for g in group_by), _seconds(options, "group_wait", 0),
                             _seconds(options, "group_interval", 0)),
    )


def _secret(reader: Reader, where: str, table: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """A secret given inline or, better, by the name of an environment variable."""
    if "secret_env" in table:
        name = reader.typed(f"{where}.secret_env", table["secret_env"], str)
        if name not in env:
            raise reader.fail(f"{where}.secret_env", f"environment variable {name} is not set")
        return str(env[name])
    return str(reader.typed(f"{where}.secret", table.get("secret", ""), str))


def read_channel(reader: Reader, n: int, table: Mapping[str, Any], env: Mapping[str, str]) -> ChannelSettings:
    where = f"channels[{n}]"
    reader.typed(where, table, dict)
    for key in ("name", "kind"):
        if key not in table:
            raise reader.fail(where, f"missing required key '{key}'")
    kind = reader.typed(f"{where}.kind", table["kind"], str)
    if kind not in CHANNEL_KINDS:
        raise reader.fail(f"{where}.kind", f"unknown channel kind {kind!r}{did_you_mean(kind, CHANNEL_KINDS)}")
    url = table.get("url", "")
    if "url_env" in table:
        name = reader.typed(f"{where}.url_env", table["url_env"], str)
        if name not in env:
            raise reader.fail(f"{where}.url_env", f"environment variable {name} is not set")
        url = env[name]
    url = reader.typed(f"{where}.url", url, str)
    if kind != "console" and not url.startswith(("http://", "https://")):
        raise reader.fail(f"{where}.url", f"a {kind} channel needs an http(s) url")
    channel = ChannelSettings(
        name=reader.typed(f"{where}.name", table["name"], str),
        kind=kind,
        url=url,
        secret=_secret(reader, where, table, env),
        timeout=reader.duration(f"{where}.timeout", table.get("timeout", 10)),
        options={k: v for k, v in table.items() if k not in _CORE},
    )
    try:
        delivery_options(channel)
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        raise reader.fail(f"{where}.{key}", message) from None
    return channel
