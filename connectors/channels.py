"""Build the configured alert channels."""

from __future__ import annotations

from collections.abc import Iterable

from newsmon.config.channels import DELIVERY_OPTIONS, KIND_OPTIONS, DeliveryOptions, delivery_options
from newsmon.connectors.channel import Channel
from newsmon.connectors.console import ConsoleChannel
from newsmon.connectors.slack import SlackChannel
from newsmon.connectors.webhook import WebhookChannel
from newsmon.settings import ChannelSettings

__all__ = ["DELIVERY_OPTIONS", "KIND_OPTIONS", "DeliveryOptions", "build_channel", "build_channels",
           "delivery_options"]  # the options are checked in the core (newsmon.config.channels)


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
