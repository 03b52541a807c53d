"""Detection quality on the labelled sets: the seed blog (dev set) and the demo blog (held out).

    .venv/bin/python bench/quality.py            # seed from $NEWSMON_SHARED or ../shared, demo if present
    .venv/bin/python bench/quality.py -v         # also list the misses

The bar: duplicates F1 >= 0.95, story pairwise F1 >= 0.85, topic micro-F1 >= 0.90,
and the breakthrough checks (expected claim story opened once, forbidden ones not,
expected contests found).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsmon.detect.evaluate import evaluate_files  # noqa: E402


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSMON_SHARED", ROOT.parent / "shared"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="list false positives and negatives")
    args = parser.parse_args(argv)
    sets = [
        ("seed", shared_dir() / "data" / "seed-entries.jsonl", shared_dir() / "data" / "seed-labels.json"),
        ("demo", ROOT / "newsmon" / "demo" / "demo-liveblog.jsonl", ROOT / "newsmon" / "demo" / "demo-labels.json"),
    ]
    status = 0
    for name, entries, labels in sets:
        if not (entries.exists() and labels.exists()):
            print(f"== {name}: not present ({entries})")
            continue
        report = evaluate_files(entries, labels)
        verdict = "PASS" if report.passes() else "BELOW BAR"
        print(f"== {name} ({entries}): {verdict}")
        for line in report.lines():
            print("   " + line)
        if args.verbose:
            for key, value in report.details.items():
                print(f"   {key}: {value}")
        if not report.passes():
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
