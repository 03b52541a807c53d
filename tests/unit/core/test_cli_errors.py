"""Issue 14, point 12: a user error is one line naming what is wrong and exit status 2, never a
traceback; an internal error is one line too, and --debug shows its traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert "Traceback" not in text
    return code, text


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_replay_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "replay", str(tmp_path / "missing.jsonl"))
    assert code == 2
    assert one_line(text) == f"newsmon: {tmp_path / 'missing.jsonl'}: cannot read: No such file or directory"


def test_replay_of_a_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a1", "title": "x"\n', encoding="utf-8")
    code, text = run(capsys, "replay", str(path))
    assert code == 2
    assert one_line(text).startswith(f"newsmon: {path}:1: not JSON")


def test_rules_check_replay_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "rules", "check", "--replay", str(tmp_path / "nope.jsonl"))
    assert code == 2
    assert f"newsmon: {tmp_path / 'nope.jsonl'}: cannot read: No such file or directory" in text.splitlines()


@pytest.mark.parametrize(("url", "why"), [("http://[::1", "Invalid IPv6 URL"),
                                          ("http://example.org:99999/", "Port out of range"),
                                          ("http://", "no host")])
def test_sources_test_of_a_bad_url(url: str, why: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "sources", "test", url)
    assert code == 2
    assert why in one_line(text) and url in text


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "--config", str(tmp_path / "none.toml"), "config", "check")
    assert code == 2
    assert "none.toml: cannot read config file" in one_line(text)


@pytest.mark.parametrize("argv", [("sources", "test", "--limit", "x", "http://a"), ("replay",), ("nonsense",)])
def test_a_bad_option_is_one_line(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, *argv)
    assert code == 2
    assert "error:" in one_line(text) and "--help" in text


def test_an_internal_error_is_one_line_and_debug_shows_it(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from newsmon.cli import config

    def broken(*_args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(config, "check", broken)
    code, text = run(capsys, "config", "check")
    assert code == 1
    assert one_line(text) == "newsmon: internal error: RuntimeError: a bug (run with --debug for the traceback)"
    with pytest.raises(RuntimeError, match="a bug"):
        main(["--debug", "config", "check"])
