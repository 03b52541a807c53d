"""Build the configured alert channels."""

from __future__ import annotations

from collections.abc import Iterable

from newsmon.connectors.channel import Channel
from newsmon.connectors.console import ConsoleChannel
from newsmon.connectors.webhook import WebhookChannel
from newsmon.settings import ChannelSettings


def build_channels(settings: Iterable[ChannelSettings]) -> list[Channel]:
    channels: list[Channel] = []
    for channel in settings:
        if channel.kind == "console":
            channels.append(ConsoleChannel(channel.name))
        elif channel.kind == "webhook":
            channels.append(WebhookChannel(channel.name, channel.url, channel.secret, channel.timeout))
        else:
            raise ValueError(f"channels: {channel.name}: channel kind {channel.kind!r} is not available yet")
    return channels
