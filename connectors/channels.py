"""Build the configured alert channels and their delivery options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsmon.connectors.channel import Channel
from newsmon.connectors.console import ConsoleChannel
from newsmon.connectors.slack import SlackChannel
from newsmon.connectors.webhook import WebhookChannel
from newsmon.routing import MATCHER_LABELS, GroupPolicy, parse_rate
from newsmon.settings import ChannelSettings, parse_duration

KIND_OPTIONS: dict[str, set[str]] = {"console": set(), "webhook": set(), "slack": {"story_url"}}
DELIVERY_OPTIONS = {"lanes", "queue_size", "max_backoff", "rate_limit", "burst", "group_by", "group_wait",
                    "group_interval"}


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
            known = ", ".join(sorted(allowed))
            raise ValueError(f"{key}: unknown option for a {channel.kind} channel (known: {known})")
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


def build_channel(channel: ChannelSettings) -> Channel:
    if channel.kind == "console":
        return ConsoleChannel(channel.name)
    if channel.kind == "webhook":
        return WebhookChannel(channel.name, channel.url, channel.secret, channel.timeout)
    if channel.kind == "slack":
        return SlackChannel(channel.name, channel.url, str(channel.options.get("story_url", "")), channel.timeout)
    raise ValueError(f"channels: {channel.name}: unknown channel kind {channel.kind!r}")


def build_channels(settings: Iterable[ChannelSettings]) -> list[Channel]:
    return [build_channel(channel) for channel in settings]
