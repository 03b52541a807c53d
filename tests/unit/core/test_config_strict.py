"""Issue 14, points 10 and 11: unknown keys and bad values are one-line errors with file:line,
also in sources, [detection] and rules; environment overrides are checked like the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsmon.config import ConfigError, from_mapping, load

BASE = """\
[worker]
web_port = 6066

[[sources]]
id = "feed"
kind = "rss"
url = "https://example.org/feed"
{source}

[[rules]]
name = "bt"
topic = "breakthrough-claim"
{rule}

[detection]
{detection}
"""


def config(tmp_path: Path, *, source: str = "", rule: str = "", detection: str = "", top: str = "") -> Path:
    path = tmp_path / "n.toml"
    path.write_text(top + BASE.format(source=source, rule=rule, detection=detection), encoding="utf-8")
    return path


def error(path: Path, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load(path, env or {})
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('intervall = "2m"',
         r"n\.toml:8: sources\[0\]\.intervall: unknown key 'intervall' \(did you mean 'interval'\?\)"),
        ('host_spcing = "2s"', r"n\.toml:8: sources\[0\]\.host_spcing: .*did you mean 'host_spacing'"),
        ('host_spacing = "soon"', r"n\.toml:8: sources\[0\]\.host_spacing: expected a duration"),
        ("max_entries = 0", r"n\.toml:8: sources\[0\]\.max_entries: expected a whole number >= 1"),
        ('timeout = "0s"', r"n\.toml:8: sources\[0\]\.timeout: must be positive"),
        ("preset = 'br24'", r"n\.toml:8: sources\[0\]\.preset: unknown key 'preset'"),  # an html option on rss
    ],
)
def test_source_keys_and_values_are_checked(tmp_path: Path, source: str, expected: str) -> None:
    assert re.search(expected, error(config(tmp_path, source=source)))


def test_html_selector_keys_are_checked(tmp_path: Path) -> None:
    text = ('[[sources]]\nid = "p"\nkind = "html"\nurl = "https://example.org/"\n'
            '[sources.selectors]\nentry = "article"\ntitel = "h2"\n')
    path = tmp_path / "n.toml"
    path.write_text(text, encoding="utf-8")
    assert re.search(r"n\.toml:7: sources\[0\]\.selectors\.titel: .*did you mean 'title'", error(path))


def html_source(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / "n.toml"
    path.write_text('[[sources]]\nid = "p"\nkind = "html"\nurl = "https://example.org/"\n' + lines, encoding="utf-8")
    return path


def test_an_unknown_html_preset_is_a_config_error_listing_the_known_ones(tmp_path: Path) -> None:
    message = error(html_source(tmp_path, 'preset = "br-24"\n'))
    assert re.search(r"^\S*n\.toml:5: sources\[0\]\.preset: unknown preset 'br-24' \(did you mean 'br24'\?\); "
                     r"known presets: br24, sportowefakty$", message)
    message = error(html_source(tmp_path, 'preset = "guardian"\n'))
    assert re.search(r"n\.toml:5: sources\[0\]\.preset: unknown preset 'guardian' \(known: br24, sportowefakty\)$",
                     message)


def test_a_css_selector_that_does_not_parse_is_a_config_error_naming_its_key(tmp_path: Path) -> None:
    message = error(html_source(tmp_path, '[sources.selectors]\nentry = "article"\ntitle = "h2["\n'))
    assert re.search(r"n\.toml:7: sources\[0\]\.selectors\.title: bad CSS selector 'h2\[': Expected ident", message)


def test_an_unknown_time_zone_is_a_config_error(tmp_path: Path) -> None:
    message = error(html_source(tmp_path, '[sources.selectors]\nentry = "article"\ntz = "Europe/Berln"\n'))
    assert re.search(r"n\.toml:7: sources\[0\]\.selectors\.tz: unknown time zone 'Europe/Berln' "
                     r"\(did you mean 'Europe/Berlin'\?\)$", message)
    message = error(html_source(tmp_path, 'selectors = { entry = "article", tz = "+5h" }\n'))
    assert re.search(r"n\.toml:5: sources\[0\]\.selectors\.tz: unknown time zone '\+5h' \(give an IANA name "
                     r"such as 'Europe/Berlin', an offset such as '\+05:30' or an abbreviation such as 'BST'\)$",
                     message)


def test_html_values_that_are_good_pass(tmp_path: Path) -> None:
    """Zones of each form, CSS lists and pseudo-classes, and a known preset load."""
    for tz in ("Europe/Berlin", "+05:30", "UTC-3", "bst"):
        path = html_source(tmp_path, f'[sources.selectors]\nentry = "div.post, li > article"\n'
                                     f'title = "h2:first-child"\nid_attr = "data-id["\ntz = "{tz}"\n')
        assert load(path, {}).sources[0].options["selectors"]["tz"] == tz
    assert load(html_source(tmp_path, 'preset = "br24"\n'), {}).sources[0].options["preset"] == "br24"


def test_config_check_reports_a_bad_selector_in_one_line_with_status_2(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from newsmon.cli import main

    path = html_source(tmp_path, 'selectors = { entry = "div >" }\n')
    assert main(["--config", str(path), "config", "check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n.toml:5: sources[0].selectors.entry: bad CSS selector 'div >'" in err
    assert "Traceback" not in err


def test_unknown_top_level_key_has_a_line(tmp_path: Path) -> None:
    message = error(config(tmp_path, top="[[sourcse]]\nid = 'x'\n\n"))
    assert re.search(r"n\.toml:1: sourcse: unknown key 'sourcse' \(did you mean 'sources'\?\)", message)


def test_unknown_kafka_client_key(tmp_path: Path) -> None:
    message = error(config(tmp_path, top='[kafka.client]\nsasl_mechanizm = "PLAIN"\n\n'))
    assert re.search(r"n\.toml:2: kafka\.client\.sasl_mechanizm: .*did you mean 'sasl_mechanism'", message)


@pytest.mark.parametrize(
    ("detection", "expected"),
    [
        ("run_minutez = 10", r"n\.toml:16: detection\.run_minutez: unknown key .*did you mean 'run_minutes'"),
        ("run_threshold = 2", r"n\.toml:16: detection\.run_threshold: out of range: 2"),
        ('window_hours = "2d"', r"n\.toml:16: detection\.window_hours: 'window_hours' must be a number"),
        ("[detection.taxonomy.topics.energy]\nphrasez = {}",
         r"n\.toml:17: detection\.taxonomy\.topics\.energy\.phrasez: .*did you mean 'phrases'"),
    ],
)
def test_detection_keys_are_checked_with_their_line(tmp_path: Path, detection: str, expected: str) -> None:
    assert re.search(expected, error(config(tmp_path, detection=detection)))


def test_a_rules_unknown_topic_lists_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "n.toml"
    path.write_text('[[rules]]\nname = "bt"\ntopic = "breakthru-claim"\n', encoding="utf-8")
    message = error(path)
    assert re.search(r"n\.toml:3: rules\[0\]\.topic: unknown topic 'breakthru-claim' "
                     r"\(did you mean 'breakthrough-claim'\?\); known topics: .*casualties", message)


def test_a_rules_topic_may_come_from_the_taxonomy_additions(tmp_path: Path) -> None:
    path = tmp_path / "n.toml"
    path.write_text('[[rules]]\nname = "energy"\n\n[detection.taxonomy.topics.energy]\n'
                    'phrases = { "power plant" = 2.0 }\n', encoding="utf-8")
    assert load(path, {}).rules[0].name == "energy"


def test_a_rule_without_topic_needs_a_name_that_is_one(tmp_path: Path) -> None:
    path = tmp_path / "n.toml"
    path.write_text('[[rules]]\nname = "casualty-wave"\nkind = "first-seen"\n', encoding="utf-8")
    assert re.search(r"n\.toml:1: rules\[0\]: no 'topic' given, and the rule's name 'casualty-wave' is not a topic",
                     error(path))


def test_rules_check_says_which_topic_a_rule_without_topic_watches(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from newsmon.cli import main

    path = tmp_path / "n.toml"
    path.write_text('[[rules]]\nname = "casualties"\n', encoding="utf-8")
    assert main(["--config", str(path), "rules", "check"]) == 0
    assert "topic=casualties (no topic set: the rule's name)" in capsys.readouterr().out


def test_unknown_rule_option_suggests_the_key(tmp_path: Path) -> None:
    assert re.search(r"n\.toml:13: rules\[0\]\.severty: unknown key 'severty' \(did you mean 'severity'\?\)",
                     error(config(tmp_path, rule='severty = "info"')))


def test_shipped_configs_pass() -> None:
    root = Path(__file__).resolve().parents[3]
    for name in ("newsmon/default.toml", "deploy/compose.toml"):
        load(root / name, {"NEWSMON_WEBHOOK_URL": "http://x", "NEWSMON_WEBHOOK_SECRET": "s",
                           "NEWSMON_SLACK_WEBHOOK_URL": "https://hooks.slack.com/x"})


def test_the_core_lists_the_options_the_connectors_read() -> None:
    from dataclasses import fields

    from newsmon.config.sources import HTML_PRESETS, POLLER_OPTIONS, SELECTOR_KEYS
    from newsmon.connectors import poller
    from newsmon.connectors.html_selectors import PRESETS, Selectors

    assert set(POLLER_OPTIONS) == set(poller.POLLER_OPTIONS)
    assert {f.name for f in fields(Selectors)} == SELECTOR_KEYS
    assert set(PRESETS) == set(HTML_PRESETS)


# -- point 11: environment overrides ---------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"NEWSMON_WEB_PORT": "abc"}, r"^environment variable NEWSMON_WEB_PORT \(overrides worker\.web_port\): "
                                      r"expected a TCP port \(1-65535\), got 'abc'$"),
        ({"NEWSMON_BROKER_PORT": "99999"}, r"NEWSMON_BROKER_PORT .*expected a TCP port \(1-65535\), got 99999"),
        ({"NEWSMON_BROKER_CONTROLLER_PORT": "0"}, r"NEWSMON_BROKER_CONTROLLER_PORT .*got 0"),
        ({"NEWSMON_LOG_LEVEL": "loud"}, r"NEWSMON_LOG_LEVEL .*expected one of debug, info"),
        ({"NEWSMON_KAFKA_BOOTSTRAP": "kafka.example"}, r"NEWSMON_KAFKA_BOOTSTRAP .*host:port"),
    ],
)
def test_environment_overrides_are_checked_like_the_file(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        from_mapping({}, env)


def test_environment_overrides_apply_when_valid() -> None:
    settings = from_mapping({}, {"NEWSMON_WEB_PORT": "7070", "NEWSMON_BROKER_PORT": "29092",
                                 "NEWSMON_LOG_LEVEL": "DEBUG", "NEWSMON_KAFKA_BOOTSTRAP": "k1:9092,k2:9092"})
    assert (settings.worker.web_port, settings.broker.port, settings.broker.controller_port) == (7070, 29092, 29093)
    assert (settings.worker.log_level, settings.bootstrap) == ("debug", "k1:9092,k2:9092")


def test_a_bad_override_is_one_line_and_status_2(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from newsmon.cli import main

    monkeypatch.setenv("NEWSMON_WEB_PORT", "abc")
    assert main(["config", "check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NEWSMON_WEB_PORT" in err and "Traceback" not in err


# -- static group membership ------------------------------------------------------------


def test_a_worker_instance_id_makes_the_worker_a_static_group_member() -> None:
    from newsmon.streams.app import create_app

    from_file = from_mapping({"worker": {"instance_id": "desk-a"}}, {})
    from_env = from_mapping({"worker": {"instance_id": "desk-a"}}, {"NEWSMON_INSTANCE_ID": "desk-b"})
    dynamic = from_mapping({}, {})
    assert (from_file.worker.instance_id, from_env.worker.instance_id, dynamic.worker.instance_id) == \
        ("desk-a", "desk-b", "")
    assert create_app(from_env).conf.consumer_group_instance_id == "desk-b"
    assert create_app(dynamic).conf.consumer_group_instance_id is None


def test_a_worker_instance_id_must_be_text() -> None:
    with pytest.raises(ConfigError, match=r"worker\.instance_id"):
        from_mapping({"worker": {"instance_id": 7}}, {})
