"""Config validation: errors name file, line and key; environment overrides apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.config import ConfigError, load
from newsmon.settings import parse_duration


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsmon.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[kafka]
bootstrap = "embedded"

[[sources]]
id = "guardian"
kind = "rss"
url = "https://example.org/feed"
interval = "2m"

[[sources]]
id = "demo"
kind = "replay"
path = "blog.jsonl"
speedup = 60

[[rules]]
name = "breakthrough-claim"
topic = "breakthrough-claim"
severity = "critical"

[[channels]]
name = "hook"
kind = "webhook"
url = "https://hooks.example.org/x"
secret_env = "HOOK_SECRET"
"""


def test_valid_config_loads_with_defaults_and_env_secret(tmp_path: Path) -> None:
    settings = load(write(tmp_path, GOOD), env={"HOOK_SECRET": "s3cret"})
    assert settings.embedded and settings.bootstrap == "127.0.0.1:19092"
    assert settings.sources[0].interval == 120.0
    assert settings.sources[1].path == str(tmp_path / "blog.jsonl")  # relative to the config file
    assert settings.channels[0].secret == "s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.channels[0])


def test_environment_points_newsmon_at_an_existing_cluster(tmp_path: Path) -> None:
    env = {"HOOK_SECRET": "x", "NEWSMON_KAFKA_BOOTSTRAP": "kafka-1:9092,kafka-2:9092"}
    settings = load(write(tmp_path, GOOD), env=env)
    assert not settings.embedded
    assert settings.bootstrap == "kafka-1:9092,kafka-2:9092"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('interval = "2m"', 'interval = "soon"'), 'newsmon.toml:9: sources[0].interval: expected a duration'),
        (('kind = "rss"', 'kind = "gopher"'), "newsmon.toml:7: sources[0].kind: unknown source kind 'gopher'"),
        (('severity = "critical"', 'severity = "loud"'), "newsmon.toml:20: rules[0].severity"),
        (('speedup = 60', 'speedup = -1'), "newsmon.toml:15: sources[1].speedup: expected a positive number"),
        (('[kafka]', '[kafka]\nbootstrp = "x"'), "newsmon.toml:3: kafka.bootstrp: unknown key"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load(write(tmp_path, GOOD.replace(*change)), env={"HOOK_SECRET": "x"})
    assert message in str(err.value)


def test_missing_secret_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"channels\[0\].secret_env: environment variable HOOK_SECRET is not set"):
        load(write(tmp_path, GOOD), env={})


def test_duplicate_source_ids_are_rejected(tmp_path: Path) -> None:
    text = GOOD.replace('id = "demo"', 'id = "guardian"')
    with pytest.raises(ConfigError, match=r"sources\[1\]: duplicate name 'guardian'"):
        load(write(tmp_path, text), env={"HOOK_SECRET": "x"})


def test_invalid_toml_is_reported_with_position(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 2"):
        load(write(tmp_path, "[kafka]\nbootstrap = \n"), env={})


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("5m", 300), ("6h", 21600), ("250ms", 0.25), (45, 45)])
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_packaged_default_config_is_valid() -> None:
    from importlib import resources

    with resources.as_file(resources.files("newsmon").joinpath("default.toml")) as path:
        settings = load(path, env={})
    assert settings.embedded
    assert [s.kind for s in settings.sources] == ["replay"]
    assert [r.name for r in settings.rules] == ["breakthrough-claim"]


def test_html_source_needs_selectors_or_preset(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "rss"', 'kind = "html"')
    with pytest.raises(ConfigError, match=r"sources\[0\]: an html source needs a 'selectors' table"):
        load(write(tmp_path, text), env={"HOOK_SECRET": "x"})
    ok = text.replace('interval = "2m"', 'interval = "2m"\nselectors = { entry = "article.post", time = "time" }')
    settings = load(write(tmp_path, ok), env={"HOOK_SECRET": "x"})
    assert settings.sources[0].options["selectors"] == {"entry": "article.post", "time": "time"}


def test_worker_store_is_memory_or_rocksdb(tmp_path: Path) -> None:
    assert load(write(tmp_path, "[worker]\n")).worker.store == "memory"
    assert load(write(tmp_path, '[worker]\nstore = "rocksdb"\n')).worker.store == "rocksdb"
    with pytest.raises(ConfigError, match=r"worker\.store: expected one of memory, rocksdb, got 'redis'"):
        load(write(tmp_path, '[worker]\nstore = "redis"\n'))
