"""Detection quality on every labelled set, in one table, through `newsmon replay`'s decisions.

    .venv/bin/python bench/quality.py              # dev sets: seed, demo, eval/sets/*, eval/realworld/*
    .venv/bin/python bench/quality.py -v           # also list the misses of each set
    .venv/bin/python bench/quality.py --heldout    # also the held-out sets (eval/heldout/*), in a table of their own
    .venv/bin/python bench/quality.py --set sudan  # only sets whose name contains "sudan"

Sets: the seed blog (../shared/data, or $NEWSMON_SHARED), the demo blog, the blind-written
evaluation blogs in eval/sets/ and eval/heldout/ (entries.jsonl + labels.json), and labels of
real publishers' pages in eval/realworld/<stem>.labels.json, whose entries are read at run time
from ../shared/realworld/ with newsmon's own connector for the page's kind.

Columns: dup / story / topic F1 (as shared/tools/score_replay.py counts them); alerts: expected
breakthrough alerts fired / expected; forb: forbidden entries that fired; verif: claims whose
verification status is right / labelled claims found; claims: labelled claim entries carrying a
claim; places: claim places right; contest: expected contests linked; f.cont: false contests;
lang: language identified right / labelled.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsmon.config.load import load  # noqa: E402
from newsmon.connectors.kinds import parser_for  # noqa: E402
from newsmon.model import Entry  # noqa: E402
from newsmon.quality import HEADER, SetScore, load_labels, row, score  # noqa: E402
from newsmon.replay import load_entries  # noqa: E402
from newsmon.settings import Settings  # noqa: E402

KINDS = {"liveblogposting": "liveblog", "feeds": "rss", "guardian-blocks": "guardian"}


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSMON_SHARED", ROOT.parent / "shared"))


def realworld_entries(stem: str) -> list[Entry] | None:
    for path in sorted((shared_dir() / "realworld").rglob(f"{stem}.*")):
        kind = KINDS.get(path.parent.name)
        if kind:
            now = datetime(2026, 1, 1, tzinfo=UTC)
            entries: list[Entry] = parser_for(kind)(path.read_bytes(), path.as_uri(), source=stem[:40], now=now)
            return entries
    return None


def sets(heldout: bool) -> list[tuple[str, list[Entry] | None, Path]]:
    out: list[tuple[str, list[Entry] | None, Path]] = []
    seed = shared_dir() / "data"
    out.append(("seed", _jsonl(seed / "seed-entries.jsonl"), seed / "seed-labels.json"))
    demo = ROOT / "newsmon" / "demo"
    out.append(("demo", _jsonl(demo / "demo-liveblog.jsonl"), demo / "demo-labels.json"))
    folders = ["heldout"] if heldout else ["sets"]
    for folder in folders:
        for d in sorted((ROOT / "eval" / folder).glob("*/")):
            out.append((f"{folder}/{d.name}", _jsonl(d / "entries.jsonl"), d / "labels.json"))
    if not heldout:
        for labels in sorted((ROOT / "eval" / "realworld").glob("*.labels.json")):
            stem = labels.name.removesuffix(".labels.json")
            out.append((f"realworld/{stem[:24]}", realworld_entries(stem), labels))
    return out


def _jsonl(path: Path) -> list[Entry] | None:
    return load_entries(path) if path.exists() else None


def default_settings() -> Settings:
    with resources.as_file(resources.files("newsmon").joinpath("default.toml")) as packaged:
        return load(packaged, env={})


def table(title: str, items: list[tuple[str, list[Entry] | None, Path]], name: str, verbose: bool) -> list[SetScore]:
    settings = default_settings()
    print(f"== {title}")
    print(HEADER)
    scores = []
    for set_name, entries, labels in items:
        if name and name not in set_name:
            continue
        if entries is None or not labels.exists():
            print(f"{set_name:<34} not present")
            continue
        s = score(set_name, entries, load_labels(labels), settings)
        scores.append(s)
        print(row(s))
        if verbose:
            for key, value in s.details.items():
                if value:
                    print(f"    {key}: {value}")
            for key in ("forbidden_fired", "repeated", "unlabelled_fired", "false_contests"):
                if getattr(s, key):
                    print(f"    {key}: {getattr(s, key)}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses of each set")
    parser.add_argument("--heldout", action="store_true", help="also score the held-out sets (eval/heldout)")
    parser.add_argument("--set", default="", help="only sets whose name contains this")
    args = parser.parse_args(argv)
    table("development sets (used in tuning)", sets(False), args.set, args.verbose)
    if args.heldout:
        print()
        table("HELD-OUT sets (never used in tuning)", sets(True)[2:], args.set, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
