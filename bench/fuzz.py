"""Fuzz benchmark: >= 1,000 malformed and hostile documents through every parser, kind detection,
`newsmon sources test` and one poll (not a test: prints figures; not in CI).

    .venv/bin/python bench/fuzz.py [--seed 1] [--docs 1000] [--timeout 60]
    .venv/bin/python bench/fuzz.py --seed 1 --doc 17 [--target guardian] [--dump DIR]   # reproduce one

The documents are seeded mutations (`bench/fuzz_docs.py`: truncated, flipped,
binary junk, wrong encodings, deep nesting, huge attributes, entity tricks,
feedparser's ill-formed classes, JSON type confusion, impossible dates, ...)
of the real documents in ``$NEWSMON_SHARED/realworld`` (read at run time) and
of synthetic ones (`bench/fuzz_bases.py`).  Document N of a seed is always the
same document.

Every document goes through every target:

* ``rss``, ``liveblog``, ``guardian``, ``replay``, ``html:br24``,
  ``html:sportowefakty``, ``html:selectors``: ``connectors.kinds.parser_for(kind)``
  with the document's Content-Type (``html`` with each preset and with a
  selectors table).  A `ParseError` is the documented answer to a bad
  document; any other exception is a **crash**.  Entries that break what the
  rest of the pipeline relies on (unique, stripped ids, UTC times, the content
  hash of title and body, text that encodes as UTF-8) are **bad output**.
* ``detect``: ``connectors.detect_kind.detect_kind``; any exception is a crash.
* ``sources-test``: ``newsmon sources test URL --no-recheck`` (in process,
  output captured) against a local HTTP server on 127.0.0.1 that serves the
  document with its Content-Type.  Exit 0, or 1 with its one-line verdict, is
  documented; an internal error, a traceback or any other status is a crash.
* ``poll``: one ``Poller.poll_once`` of a source of the detected kind (or of a
  kind in turn when none is detected) on the same server, with a fresh metrics
  registry: a document its parser refuses must fail the poll and be counted in
  ``newsmon_source_errors_total{class="unreadable"}``, a broken one that still
  parses in ``newsmon_source_document_warnings_total``; a poll whose outcome or
  counters disagree with the parser's verdict is **uncounted**.

The targets run in a child process, one document and target at a time; a
target that gives no answer within ``--timeout`` seconds is a **hang** (the
child is killed and restarted after it).  Per target: time (wall) and peak
memory (the process's peak RSS during the call above its RSS before it: the
kernel's high-water mark, reset before each call through
``/proc/self/clear_refs``, so lxml's and libxml2's allocations count too).
The server answers a bounded number of requests and stops by itself when idle.

Prints, per target: documents, outcomes, documented errors by type, p50 / p99 /
max time and peak memory; then each crash with its seed and a command that
reproduces it.  Exit status 1 when there was any crash, hang, bad output or
uncounted error.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(HERE.parent))

from fuzz_bases import SYNTHETIC  # noqa: E402
from fuzz_docs import FAMILIES, Doc, bases, document, real_count  # noqa: E402
from fuzz_targets import TARGETS, run_target  # noqa: E402


def quiet() -> None:
    import logging

    logging.disable(logging.CRITICAL)  # parsers and poller log what they refuse: counted here instead


def warmup_doc() -> Doc:
    data, content_type = SYNTHETIC["rss2"]
    return Doc("synthetic:rss2", data, content_type)


BAD = ("crash", "hang", "bad-output", "uncounted")


# --------------------------------------------------------------------------- server


class _Counting(HTTPServer):
    served = 0

    def finish_request(self, request: Any, client_address: Any) -> None:
        self.served += 1
        super().finish_request(request, client_address)


class Server:
    """Serves ``/doc/N`` (document N of `seed`) on 127.0.0.1 from a thread: at most `limit` requests,
    and it stops by itself after `idle` seconds without one (or when `stop` is called)."""

    def __init__(self, seed: int, limit: int, idle: float = 120.0) -> None:
        fetch = lru_cache(maxsize=4)(lambda index: warmup_doc() if index == "warmup" else document(seed, int(index)))

        class Handler(BaseHTTPRequestHandler):
            timeout = 30

            def do_GET(self) -> None:
                try:
                    doc = fetch(self.path.rsplit("/", 1)[-1])
                except ValueError:
                    self.send_error(404)
                    return
                self.send_response(200)
                if doc.content_type:
                    self.send_header("Content-Type", doc.content_type)
                self.send_header("Content-Length", str(len(doc.data)))
                self.end_headers()
                self.wfile.write(doc.data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _Counting(("127.0.0.1", 0), Handler)
        self.httpd.timeout = 0.5  # handle_request() returns after this when nobody asks
        self.port = self.httpd.server_address[1]
        self._stop = threading.Event()
        self._limit, self._idle = limit, idle
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        last = time.monotonic()
        while self.httpd.served < self._limit and not self._stop.is_set() and time.monotonic() - last < self._idle:
            before = self.httpd.served
            self.httpd.handle_request()
            if self.httpd.served > before:
                last = time.monotonic()
        self.httpd.server_close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------- child


def child(seed: int, docs: int, start: int, skip: int, port: int, targets: list[str]) -> None:
    """Run `targets` on documents start..docs-1 (skipping the first `skip` targets of the first), one JSON
    line per call: {"doc", "target", "begin"} before, the outcome after."""
    quiet()
    warm = warmup_doc()
    for target in targets:  # warm up: imports and first-call caches are not the documents' cost
        run_target(target, warm, -1, f"http://127.0.0.1:{port}/doc/warmup", {})
    for index in range(start, docs):
        doc = document(seed, index)
        verdicts: dict[str, dict[str, Any]] = {}
        for k, target in enumerate(targets):
            if index == start and k < skip:
                continue
            print(json.dumps({"doc": index, "target": target, "begin": True}), flush=True)
            result = run_target(target, doc, index, f"http://127.0.0.1:{port}/doc/{index}", verdicts)
            verdicts[target] = result
            print(json.dumps({"doc": index, "target": target, **result}), flush=True)


# --------------------------------------------------------------------------- parent


def _lines(proc: subprocess.Popen[bytes], timeout: float) -> Any:
    """The child's JSON lines; None when it says nothing for `timeout` s; stops when it exits."""
    assert proc.stdout is not None
    fd, buffer = proc.stdout.fileno(), b""
    while True:
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            yield None
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        buffer += chunk


def run(seed: int, docs: int, timeout: float, targets: list[str]) -> list[dict[str, Any]]:
    server = Server(seed, limit=docs * 3 + 100)
    results: list[dict[str, Any]] = []
    start, skip = 0, 0
    try:
        while start < docs:
            command = [sys.executable, __file__, "--child", str(seed), str(docs), str(start), str(skip),
                       str(server.port), ",".join(targets)]
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            current: dict[str, Any] | None = None
            try:
                for line in _lines(proc, timeout):
                    if line is None:  # no answer within the time limit
                        break
                    if line.get("begin"):
                        current = line
                        continue
                    results.append(line)
                    current = None
                    if len(results) % (len(targets) * 100) == 0:
                        print(f"  ... {len(results) // len(targets)} documents", flush=True)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
            if current is None:
                if proc.returncode not in (0, -9):
                    print(f"  (child exited with {proc.returncode} between two calls)", flush=True)
                break
            outcome = "hang" if proc.returncode == -9 else "crash"
            results.append({"doc": current["doc"], "target": current["target"], "outcome": outcome, "s": timeout,
                            "mb": 0.0, "type": f"{outcome}: no answer within {timeout:g} s" if outcome == "hang"
                            else f"child process died ({proc.returncode})", "detail": ""})
            k = targets.index(current["target"]) + 1
            start, skip = (current["doc"], k) if k < len(targets) else (current["doc"] + 1, 0)
    finally:
        server.stop()
    return results


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(seed: int, docs: int, targets: list[str], results: list[dict[str, Any]], took: float) -> int:
    print(f"\nfuzz: seed {seed}, {docs} documents ({len(FAMILIES)} mutation families on {real_count()} real and "
          f"{len(bases()) - real_count()} synthetic bases), {len(targets)} targets, {took / 60:.1f} min")
    sizes = [len(document(seed, i).data) for i in range(0, docs, max(1, docs // 200))]
    print(f"document sizes (sample): p50 {_quantile(sizes, .5) / 1024:.0f} KB, max {max(sizes) / 1024:.0f} KB")
    by_target: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_target[result["target"]].append(result)
    head = (f"{'target':19} {'docs':>5} {'ok':>5} {'warn':>5} {'errors':>6} {'crash':>5} {'hang':>4} {'bad':>4} "
            f"{'uncnt':>5} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>8} {'p50 MB':>6} {'p99 MB':>6} {'max MB':>6}")
    print(head)
    for target in targets:
        rows = by_target[target]
        outcomes = Counter(r["outcome"] for r in rows)
        ms = [r["s"] * 1000 for r in rows]
        mb = [r["mb"] for r in rows]
        print(f"{target:19} {len(rows):5d} {outcomes['ok']:5d} {outcomes['warning']:5d} {outcomes['error']:6d} "
              f"{outcomes['crash']:5d} {outcomes['hang']:4d} {outcomes['bad-output']:4d} {outcomes['uncounted']:5d} "
              f"{_quantile(ms, .5):7.1f} {_quantile(ms, .99):7.1f} {max(ms, default=0):8.1f} "
              f"{_quantile(mb, .5):6.1f} {_quantile(mb, .99):6.1f} {max(mb, default=0):6.1f}")
    print("\ndocumented errors by type:")
    for target in targets:
        kinds = Counter(r["type"] for r in by_target[target] if r["outcome"] == "error")
        if kinds:
            print(f"  {target}: " + "; ".join(f"{name} {n}" for name, n in kinds.most_common()))
    slow = sorted(results, key=lambda r: -r["s"])[:5]
    print("\nslowest calls: " + "; ".join(
        f"doc {r['doc']} {r['target']} {r['s'] * 1000:.0f} ms ({document(seed, r['doc']).name})" for r in slow))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS of the process that ran the targets: {peak:.0f} MB")
    bad = [r for r in results if r["outcome"] in BAD]
    print(f"\n{len(bad)} crashes, hangs, bad outputs or uncounted errors" + (":" if bad else ""))
    for r in bad:
        name = document(seed, r["doc"]).name
        print(f"  doc {r['doc']} ({name}) {r['target']}: {r['outcome']}: {r['type']}")
        if r.get("detail"):
            print("    " + r["detail"].replace("\n", "\n    "))
        print(f"    reproduce: python bench/fuzz.py --seed {seed} --doc {r['doc']} --target {r['target']}")
    return 1 if bad else 0


def reproduce(seed: int, index: int, targets: list[str], dump: str | None) -> int:
    doc = document(seed, index)
    print(f"doc {index} of seed {seed}: {doc.name}, {len(doc.data)} bytes, Content-Type {doc.content_type!r}")
    if dump:
        path = Path(dump) / f"fuzz-{seed}-{index}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.data)
        print(f"written to {path}")
    quiet()
    server = Server(seed, limit=100, idle=3600)
    verdicts: dict[str, dict[str, Any]] = {}
    try:
        for target in targets:
            url = f"http://127.0.0.1:{server.port}/doc/{index}"
            verdicts[target] = result = run_target(target, doc, index, url, verdicts)
            took, peak = result["s"] * 1000, result["mb"]
            print(f"{target}: {result['outcome']}: {result['type']} ({took:.1f} ms, {peak:.1f} MB)")
            if result.get("detail"):
                print(result["detail"])
    finally:
        server.stop()
    return 1 if any(v["outcome"] in BAD for v in verdicts.values()) else 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        seed, docs, start, skip, port = (int(v) for v in sys.argv[2:7])
        child(seed, docs, start, skip, port, sys.argv[7].split(","))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one call may take before it is a hang")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated subset of {','.join(TARGETS)}")
    parser.add_argument("--doc", type=int, help="run document N of the seed alone, in this process (reproduce)")
    parser.add_argument("--target", help="with --doc: this target only")
    parser.add_argument("--dump", metavar="DIR", help="with --doc: write the document's bytes into DIR")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    if args.doc is not None:
        return reproduce(args.seed, args.doc, [args.target] if args.target else targets, args.dump)
    if real_count() == 0:
        print("note: no real documents found under $NEWSMON_SHARED/realworld; synthetic bases only")
    started = time.perf_counter()
    results = run(args.seed, args.docs, args.timeout, targets)
    return report(args.seed, args.docs, targets, results, time.perf_counter() - started)


if __name__ == "__main__":
    raise SystemExit(main())
