"""Slack Block Kit payload, channel delivery options and their validation in the config."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from newsmon.config import ConfigError, from_mapping
from newsmon.connectors.channel import Outcome
from newsmon.connectors.channels import build_channels, delivery_options
from newsmon.connectors.slack import SlackChannel, payload
from newsmon.model import Alert, AlertKind, Claim
from newsmon.settings import ChannelSettings

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)
ALERT = Alert("a1", "breakthrough-claim", "critical", AlertKind.UPDATED, "blog\x1f24", "blog\x1f24", "blog",
              "Russia claims <breakthrough>", "The ministry said ...", "https://x/#24", T, revision=1,
              claim=Claim("breakthrough", "Russian defence ministry", "Luhansk", False),
              contested_by=("blog\x1f30",))


def test_slack_payload_shape() -> None:
    body = payload(ALERT, "https://desk/s/{alert}")
    assert body["text"].startswith("[UPDATE #1] CRITICAL breakthrough-claim: Russia claims &lt;breakthrough&gt;")
    assert "contested by blog:30" in body["text"]
    header, summary, section, why, context = body["blocks"]
    assert why["elements"][0]["text"].startswith("why: breakthrough-claim (")
    assert header["type"] == "header" and header["text"]["text"] == "Update #1: Russia claims <breakthrough>"
    assert summary["text"]["type"] == "mrkdwn"
    assert [f["text"].split("\n")[0] for f in section["fields"]] == [
        "*Claimant*", "*Place*", "*Verification*", "*Source*", "*Contested by*", "*Story*"]
    assert section["fields"][3]["text"] == "*Source*\n<https://x/#24|blog>"
    assert section["fields"][5]["text"] == "*Story*\n<https://desk/s/a1|blog:24>"
    assert "a1.1" in context["elements"][0]["text"]
    plain = payload(Alert("a2", "r", "info", AlertKind.FIRED, "s", "s", "src", "x" * 400, "", "", T))
    assert len(plain["blocks"][0]["text"]["text"]) == 150
    assert [f["text"].split("\n")[0] for f in plain["blocks"][2]["fields"]] == ["*Source*", "*Story*"]


def test_a_reminder_says_the_story_is_still_developing() -> None:
    from dataclasses import replace

    from newsmon.connectors.console import render

    reminder = replace(ALERT, kind=AlertKind.REPEATED, revision=3, summary="Still developing: 2 new reports.")
    body = payload(reminder)
    assert body["text"].startswith("[STILL DEVELOPING #3] CRITICAL breakthrough-claim")
    assert body["blocks"][0]["text"]["text"].startswith("Still developing #3: Russia claims")
    assert render(reminder).splitlines()[0].startswith("[STILL DEVELOPING #3] CRITICAL")


async def test_slack_posts_json_and_never_shows_its_url() -> None:
    seen: list[httpx.Request] = []
    url = "https://hooks.slack.com/services/T000/B000/SECRET"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            raise httpx.ConnectError(f"cannot reach {url}", request=request)
        return httpx.Response(410, text="channel_is_archived")

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    channel = SlackChannel("slack", url, client=client)
    first, second = await channel.send(ALERT), await channel.send(ALERT)
    await client.aclose()
    assert first.outcome is Outcome.RETRY and "SECRET" not in first.detail
    assert second.outcome is Outcome.FAILED and second.detail == "channel_is_archived"
    assert json.loads(seen[1].content)["blocks"][0]["type"] == "header"
    assert "SECRET" not in repr(channel)


def test_delivery_options_and_channel_kinds() -> None:
    options = delivery_options(ChannelSettings("h", "webhook", "https://x", options={
        "lanes": 2, "rate_limit": "30/m", "burst": 5, "group_by": ["story", "rule"], "group_wait": "30s"}))
    assert (options.lanes, options.rate, options.burst) == (2, 0.5, 5.0)
    assert options.grouping.group_by == ("story", "rule") and options.grouping.group_wait == 30
    kinds = [type(c).__name__ for c in build_channels([ChannelSettings("c", "console"),
                                                        ChannelSettings("s", "slack", "https://hooks/x")])]
    assert kinds == ["ConsoleChannel", "SlackChannel"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('rate_limit = "fast"', r"n\.toml:6: channels\[0\]\.rate_limit: expected a rate like"),
        ("lanes = 0", r"n\.toml:6: channels\[0\]\.lanes: expected an integer >= 1"),
        ('group_by = ["url"]', r"channels\[0\]\.group_by: expected a list of labels"),
        ('story_url = "x"\nbogus = 1', r"channels\[0\]\.bogus: unknown key 'bogus' for a slack channel"),
    ],
)
def test_channel_options_are_validated_with_file_and_line(extra: str, message: str) -> None:
    import tomllib

    text = f'\n[[channels]]\nname = "s"\nkind = "slack"\nurl = "https://hooks/x"\n{extra}\n'
    with pytest.raises(ConfigError, match=message):
        from_mapping(tomllib.loads(text), {}, text=text, origin="n.toml")


def test_rule_options_are_validated_with_file_and_line() -> None:
    import tomllib

    text = '[[rules]]\nname = "cas"\nkind = "count-in-window"\ntopic = "casualties"\nthreshold = 3\nwindow = "soon"\n'
    with pytest.raises(ConfigError, match=r"n\.toml:6: rules\[0\]\.window: expected a duration"):
        from_mapping(tomllib.loads(text), {}, text=text, origin="n.toml")
    ok = from_mapping(tomllib.loads(text.replace('"soon"', '"6h"')), {}, text=text, origin="n.toml")
    assert ok.rules[0].options == {"threshold": 3, "window": "6h"}
