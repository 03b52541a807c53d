"""`newsmon replay` routes like the worker: silences from a file, inhibition, quiet periods, grouping;
every alert is marked sent or suppressed, and --summary counts them apart."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon import cli, silences
from newsmon.replay import load_entries, run
from newsmon.routing import Silence, parse_matchers
from newsmon.settings import ChannelSettings, RuleSettings, Settings

SEED = Path(os.environ.get("NEWSMON_SHARED", Path(__file__).parents[4] / "shared")) / "data" / "seed-entries.jsonl"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="seed data not found (set NEWSMON_SHARED)")
BREAKTHROUGH = RuleSettings("breakthrough-claim", "first-seen", "breakthrough-claim", "critical")


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "n.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


QUIET = '[[rules]]\nname = "combat"\ntopic = "combat"\nquiet = "6h"\n[[channels]]\nname = "c"\nkind = "console"\n'


def test_replay_summary_counts_quiet_period_alerts_apart_as_rules_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, QUIET)
    assert cli.main(["--config", path, "rules", "check", "--replay", str(SEED)]) == 0
    checked = capsys.readouterr().out.split("replay combat: ", 1)[1].splitlines()[0]
    counts = {kind: int(n) for n, kind in (part.split(" ") for part in checked.split(", "))}
    quiet = counts.pop("quiet-period")
    assert quiet > 0
    assert cli.main(["--config", path, "replay", str(SEED), "--summary"]) == 0
    sent = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    assert capsys.readouterr().out.rstrip().endswith(
        f"alerts: {sum(counts.values())} sent ({sent}), {quiet} suppressed ({quiet} quiet-period)")
    assert cli.main(["--config", path, "replay", str(SEED)]) == 0
    alerts = [a for line in capsys.readouterr().out.splitlines() for a in json.loads(line)["alerts"]]
    assert sorted({a["status"] for a in alerts}) == ["sent", "suppressed: quiet-period"]
    assert sum(1 for a in alerts if a["suppressed"]) == quiet  # score_replay.py: a truthy suppressed is not fired
    assert all({"rule", "kind", "severity", "story"} <= set(a) for a in alerts)


def test_replay_applies_the_silences_of_a_given_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "silences.json"
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)  # start and end do not matter to a backtest
    silences.add(file, Silence("s1", parse_matchers(["place=Luhansk*", "rule=breakthrough-claim"]),
                               long_ago + timedelta(hours=1), long_ago), long_ago)
    path = config(tmp_path, '[[rules]]\nname = "breakthrough-claim"\nseverity = "critical"\n')
    assert cli.main(["--config", path, "replay", str(SEED), "--silences", str(file)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    thread = [(r["id"], a["kind"], a["status"]) for r in rows for a in r["alerts"]]
    assert thread == [("E24", "fired", "suppressed: silenced"), ("E10", "updated", "suppressed: silenced"),
                      ("E05", "updated", "suppressed: silenced")]


def test_replay_inhibits_a_lower_severity_alert_for_the_same_place() -> None:
    settings = Settings(rules=[BREAKTHROUGH, RuleSettings("combat", "first-seen", "combat", "warning")])
    steps = run(load_entries(SEED), settings)
    e24 = next(s for s in steps if s.entry.entry_id == "E24")
    assert [(a.rule, a.suppressed) for a in e24.alerts] == [("breakthrough-claim", ""), ("combat", "inhibited")]


def test_replay_groups_on_event_time_and_marks_superseded_revisions() -> None:
    grouped = ChannelSettings("slack", "slack", "https://hooks.example/x", options={"group_wait": "1d"})
    steps = run(load_entries(SEED), Settings(rules=[BREAKTHROUGH], channels=[grouped]))
    # the claim at 06:00 and its contests at 09:37 and 12:57 fall in one day-long first batch:
    # only the newest revision is sent
    assert [(a.revision, a.suppressed) for s in steps for a in s.alerts] == [
        (0, "superseded"), (1, "superseded"), (2, "")]
    plain = ChannelSettings("console", "console")
    steps = run(load_entries(SEED), Settings(rules=[BREAKTHROUGH], channels=[grouped, plain]))
    assert [a.suppressed for s in steps for a in s.alerts] == ["", "", ""]  # the console sends them all


def test_replay_keeps_identities_a_repeat_is_dropped_an_edit_updates_ids_are_per_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "A1", "source": "blog", "published": "2023-02-15T10:00:00Z",
         "title": "Russia claims breakthrough near Bakhmut", "body": "Russian troops have broken through the "
         "Ukrainian defences near Bakhmut, the Russian defence ministry claimed."},
        {"id": "B1", "source": "blog", "published": "2023-02-15T10:05:00Z", "title": "Grain deal talks",
         "body": "Talks on the grain corridor continued in Istanbul."},
    ]
    repeat = dict(lines[0])
    edit = {**lines[0], "body": lines[0]["body"] + " Ukraine has not confirmed it."}
    other = {**lines[1], "source": "wire", "id": "A1"}  # the same id in another source: another entry
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [*lines, repeat, edit, other]) + "\n", encoding="utf-8")
    conf = config(tmp_path, '[[rules]]\nname = "breakthrough-claim"\nseverity = "critical"\n')
    assert cli.main(["--config", conf, "replay", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["source"], r["id"]) for r in rows] == [
        ("blog", "A1"), ("blog", "A1"), ("blog", "A1"), ("blog", "B1"), ("wire", "A1")]
    first, again, edited = rows[:3]
    assert [a["kind"] for a in first["alerts"]] == ["fired"]
    assert again["repeat"] == "exact" and again["alerts"] == [] and again["story"] == first["story"]
    assert edited.get("update") is True and edited["alerts"] == [] and edited["story"] == first["story"]
    assert not any("~" in r["id"] for r in rows)  # nothing renamed
    assert first["story"] == "blog:A1"  # an id two sources use is qualified by its source
    assert rows[4]["story"] == "B1"  # wire:A1 repeats B1's text: its own identity, not an edit of blog:A1
    assert cli.main(["--config", conf, "replay", str(path), "--summary"]) == 0
    assert "5 entries (1 exact repeats dropped, 1 edits)" in capsys.readouterr().out


def test_replay_reports_a_malformed_line_and_replays_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()[:5]
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join([*lines[:2], '{"id": "E99", "title": "cut off', *lines[2:]]) + "\n", encoding="utf-8")
    conf = config(tmp_path, '[[rules]]\nname = "breakthrough-claim"\n')
    assert cli.main(["--config", conf, "replay", str(path)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err.strip() == f"newsmon: replay: {path}:3: not JSON (Unterminated string starting at) (line skipped)"
    assert cli.main(["--config", conf, "replay", str(path), "--summary"]) == 0
    assert "1 malformed lines skipped" in capsys.readouterr().out
