"""Detection scopes: which entries are compared and counted together (replay runs what the worker runs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon.config import ConfigError, load
from newsmon.model import Entry
from newsmon.replay import run

T = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
TEXT = ("Heavy shelling hit the centre of Kherson overnight, killing four people and wounding eleven, "
        "the regional governor said on Telegram. Rescue teams were still searching the rubble of a "
        "five-storey apartment block on Friday morning.")


def config(tmp_path: Path, worker_scope: str, own: str = "") -> Path:
    path = tmp_path / "newsmon.toml"
    scope_line = f'scope = "{own}"\n' if own else ""
    path.write_text(f"""
[worker]
scope = "{worker_scope}"

[[sources]]
id = "wire"
kind = "replay"
path = "x.jsonl"
{scope_line}
[[rules]]
name = "shelling-wave"
kind = "count-in-window"
topic = "combat"
threshold = 2
window = "6h"
""", encoding="utf-8")
    return path


def entries() -> list[Entry]:
    """The same report from two sources, then one more combat story from the second."""
    return [
        Entry("wire", "w1", "Shelling kills four in Kherson", TEXT, published=T),
        Entry("blog", "b1", "Shelling kills four in Kherson", TEXT, published=T + timedelta(minutes=5)),
        Entry("blog", "b2", "Artillery duel near Bakhmut", "Russian and Ukrainian artillery exchanged fire "
              "near Bakhmut through the night, shelling positions on both banks.", published=T + timedelta(hours=1)),
    ]


def test_one_scope_compares_sources_with_each_other(tmp_path: Path) -> None:
    steps = list(run(entries(), load(config(tmp_path, "global"))))
    assert [s.analysis.duplicate_of if s.analysis else "?" for s in steps] == [None, "wire\x1fw1", None]
    assert [a.rule for s in steps for a in s.alerts] == ["shelling-wave"]  # w1 and b2: two stories


def test_per_source_scopes_keep_sources_apart(tmp_path: Path) -> None:
    steps = list(run(entries(), load(config(tmp_path, "source"))))
    assert [s.analysis.duplicate_of if s.analysis else "?" for s in steps] == [None, None, None]
    # "blog" counts its own two stories; "wire" has one
    assert [(s.entry.entry_id, a.rule) for s in steps for a in s.alerts] == [("b2", "shelling-wave")]


def test_rss_sources_are_feeds_for_detection(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[sources]]\nid = "wire"\nkind = "rss"\nurl = "https://example.org/feed"\n'
                    '[[sources]]\nid = "live"\nkind = "liveblog"\nurl = "https://example.org/live"\n',
                    encoding="utf-8")
    from newsmon.detect.detector import detection_config

    assert detection_config(load(path)).feed_sources == frozenset({"wire"})


def test_a_source_can_name_its_own_scope(tmp_path: Path) -> None:
    settings = load(config(tmp_path, "global", own="wires"))
    scope_of = settings.scopes()
    assert (scope_of("wire"), scope_of("blog")) == ("wires", "global")
    assert load(config(tmp_path, "source")).scopes()("blog") == "blog"
    bad = config(tmp_path, "global", own="no spaces")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.scope"):
        load(bad)
