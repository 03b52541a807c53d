"""Run every benchmark once with its default figures and print them (`make bench`).

Benchmarks measure; they never assert. Each script prints its own table:

    bench/quality.py   detection quality on the seed (dev) and demo (held-out) blogs
    bench/dedup.py     near-duplicate index vs datasketch.MinHashLSH: entries/s, recall, RSS
    bench/feeds.py     one poller against N local feeds (200/304 mix): feeds/minute, CPU per poll
    bench/detector.py  the detection core alone: entries/s, latency, RSS, planted-truth quality
    bench/latency.py   entry -> webhook latency through real Kafka and a real worker: p50/p99, max rate
    bench/restart.py   a worker restarted with a full detection window: time to ready and to work
    bench/framework.py one bare Faust agent: the framework's own ceiling in records/s
    bench/hostile.py   the parsers on hostile documents: seconds, peak memory, the error given
    bench/fuzz.py      1,000 seeded malformed documents through every parser, sources test and a poll
    bench/chaos.py     worker and broker SIGKILLs and a receiver outage: alerts lost, sent twice, recovery

`--quick` runs smaller sizes (a minute or two in all).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    runs = [
        ["quality.py"],
        ["dedup.py", "--sizes", "20000" if args.quick else "100000,1000000"],
        ["feeds.py", *(["--feeds", "500"] if args.quick else [])],
        ["detector.py", *(["--sizes", "2000", "--repeat", "3"] if args.quick else [])],
        ["latency.py", *(["--seconds", "3", "--burst", "2000"] if args.quick else [])],
        ["restart.py", *(["--entries", "2000"] if args.quick else [])],
        ["framework.py", *(["--records", "10000"] if args.quick else [])],
        ["hostile.py", *(["--kinds", "liveblog,guardian"] if args.quick else [])],
        ["fuzz.py"],  # 1,000 documents even with --quick: fewer would not be the volume
        ["chaos.py", *(["--entries", "300", "--rate", "10", "--kills", "2", "--outage", "15"] if args.quick else [])],
        ["chaos.py", "--control", *(["--entries", "300", "--rate", "10"] if args.quick else [])],
    ]
    failed = 0
    for run in runs:
        print(f"\n===== bench/{' '.join(run)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / run[0]), *run[1:]])
        if code:
            print(f"(bench/{run[0]} exited with {code})", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
