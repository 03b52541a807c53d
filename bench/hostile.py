"""Parse time and peak memory of the pure parsers on hostile documents (not a test: prints figures).

Each (parser, document) runs in its own child process with a time limit, so a
parser that hangs or balloons is reported instead of stopping the run.  The
documents are made here: entity expansion ("billion laughs"), an external
entity, JSON nested 200,000 deep, HTML nested 200,000 deep, a 100,000-item feed,
one update with a 1 MB body, NUL bytes, an empty document.

    .venv/bin/python bench/hostile.py [--kinds rss,liveblog,guardian] [--timeout 120]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

DEPTH = 200_000


def documents() -> dict[str, bytes]:
    entities = b"".join(
        b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1) if i > 1 else b"lol") * 10) for i in range(1, 10)
    )
    item = b"<item><title>&l9;</title><description>d</description><guid>1</guid></item>"
    blog = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "liveBlogUpdate": [
        {"@type": "BlogPosting", "headline": "h", "articleBody": "word " * 200_000,
         "datePublished": "2023-02-15T10:00:00Z"}]}

    def page(script: bytes) -> bytes:
        return b'<html><head><script type="application/ld+json">' + script + b"</script></head><body></body></html>"

    return {
        "laughs": b'<?xml version="1.0"?><!DOCTYPE r [' + entities + b']><rss version="2.0"><channel>'
                  + item + b"</channel></rss>",
        "external-entity": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                           b'<rss version="2.0"><channel><item><title>&x;</title><guid>1</guid></item></channel></rss>',
        "deep-json": page(b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
        "deep-html": b"<html><body>" + b"<div>" * DEPTH + b"x" + b"</div>" * DEPTH + b"</body></html>",
        "100k-items": b'<rss version="2.0"><channel>' + b"".join(
            b"<item><title>t%d</title><guid>%d</guid><description>text</description></item>" % (i, i)
            for i in range(100_000)) + b"</channel></rss>",
        "1mb-body": page(json.dumps(blog).encode()),
        "nul-bytes": b"\x00" * 1000 + b"\xff\xfe" * 1000,
        "empty": b"",
    }


def child(kind: str, name: str) -> None:
    from newsmon.connectors.kinds import parser_for

    data = documents()[name]
    started = time.perf_counter()
    try:
        entries = parser_for(kind)(data, "https://example.org/x", source="bench", now=datetime.now(UTC))
        result = f"{len(entries)} entries"
    except Exception as exc:  # the point: which error, and how fast
        result = f"{type(exc).__name__}: {str(exc)[:90]}"
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"s": took, "mb": peak, "result": result}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default="rss,liveblog,guardian")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    print(f"{'parser':9} {'document':16} {'seconds':>8} {'peak MB':>8}  result")
    for kind in args.kinds.split(","):
        for name in documents():
            try:
                run = subprocess.run([sys.executable, __file__, "--child", kind, name], capture_output=True,
                                     text=True, timeout=args.timeout)
                out = json.loads(run.stdout.strip().splitlines()[-1]) if run.stdout.strip() else None
            except subprocess.TimeoutExpired:
                out = None
            if out is None:
                print(f"{kind:9} {name:16} {'-':>8} {'-':>8}  no answer within {args.timeout:.0f} s")
            else:
                print(f"{kind:9} {name:16} {out['s']:8.2f} {out['mb']:8d}  {out['result']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
