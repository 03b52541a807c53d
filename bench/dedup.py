"""Near-duplicate index benchmark: newsmon's NearDupIndex against datasketch.MinHashLSH and rensa.

A deterministic stream of synthetic news-like entries (Zipf-distributed vocabulary,
sentences of 12-25 words, 60-220 words per entry) with planted reworded duplicates
(words substituted, a sentence dropped, added or moved) of an entry seen at most
2,000 entries earlier.  Every engine runs in its own child process (clean RSS) and
indexes + queries each entry in turn (all entries stay inside the time window);
text generation is not timed.  All engines see the same word 3-shingles: newsmon's as
64-bit hashes straight from the text, datasketch and rensa (RMinHash + RMinHashLSH, in
Rust) as strings built from ``word_tokens``; the time spent building each engine's
input is reported apart (``tokenise_us``, included in entries/s).  ``rensa-bytes`` is
rensa fed by the fastest string tokeniser we found (bytes.split of the folded text).

Reported per engine: entries/s (tokenise + fingerprint + query + insert), recall of
planted duplicates whose true shingle Jaccard reaches the threshold (and of all
planted ones), mean results per query, and RSS (VmRSS at the end, VmHWM peak).

    .venv/bin/python bench/dedup.py --sizes 100000,1000000
    .venv/bin/python bench/dedup.py --sizes 20000 --engines ours
    .venv/bin/python bench/dedup.py --sizes 100000 --engines ours,datasketch,rensa --json rows.jsonl
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHUNK = 2000
RENSA_BANDS = 32  # 32 bands of 4 rows: recall at J >= 0.5 at least datasketch's 25 x 5


@dataclass
class Planted:
    index: int
    original: int
    jaccard: float


def _vocabulary(rng: np.random.Generator, size: int = 40000) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["ka", "tsu", "ry", "ov", "sk"]
    words: set[str] = set()
    while len(words) < size:
        n = int(rng.integers(1, 4))
        words.add("".join(syllables[int(i)] for i in rng.integers(0, len(syllables), n)))
    return sorted(words)


def _shingle_set(words: list[str]) -> set[tuple[str, str, str]]:
    return {(words[i], words[i + 1], words[i + 2]) for i in range(len(words) - 2)}


def stream(size: int, seed: int, dup_rate: float) -> Iterator[tuple[list[str], list[Planted]]]:
    """Chunks of (texts, planted duplicates) - deterministic for (size, seed, dup_rate)."""
    rng = np.random.default_rng(seed)
    vocab = np.array(_vocabulary(rng), dtype=object)
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    probs = 1.0 / ranks**1.05
    probs /= probs.sum()
    recent: list[tuple[int, list[list[str]]]] = []
    made = 0
    while made < size:
        texts: list[str] = []
        planted: list[Planted] = []
        n = min(CHUNK, size - made)
        pool = vocab[rng.choice(len(vocab), size=n * 260, p=probs)].tolist()
        cursor = [0]

        def sentence(length: int, pool: list[str] = pool, cursor: list[int] = cursor) -> list[str]:
            out = pool[cursor[0] : cursor[0] + length]
            cursor[0] += length
            if cursor[0] + 40 >= len(pool):
                cursor[0] = 0
            return out

        for i in range(made, made + n):
            if recent and rng.random() < dup_rate:
                j, original = recent[int(rng.integers(0, len(recent)))]
                sentences = [list(s) for s in original]
                q = float(rng.uniform(0.0, 0.22))
                for s in sentences:
                    for k in range(len(s)):
                        if rng.random() < q:
                            s[k] = str(vocab[int(rng.integers(0, 5000))])
                if len(sentences) > 3 and rng.random() < 0.5:
                    del sentences[int(rng.integers(1, len(sentences)))]
                if rng.random() < 0.5:
                    sentences.append(sentence(int(rng.integers(12, 26))))
                if len(sentences) > 3 and rng.random() < 0.3:
                    a, b = (int(x) for x in rng.integers(1, len(sentences), 2))
                    sentences[a], sentences[b] = sentences[b], sentences[a]
                ow = [w for s in original for w in s]
                dw = [w for s in sentences for w in s]
                so, sd = _shingle_set(ow), _shingle_set(dw)
                planted.append(Planted(i, j, len(so & sd) / len(so | sd)))
            else:
                sentences = [sentence(int(rng.integers(6, 13)))]
                total = int(rng.integers(60, 221))
                while sum(len(s) for s in sentences) < total:
                    sentences.append(sentence(int(rng.integers(12, 26))))
                recent.append((i, sentences))
                if len(recent) > 2000:
                    recent.pop(0)
            texts.append("\n\n".join(" ".join(s).capitalize() + "." for s in sentences))
        made += n
        yield texts, planted


def _rss() -> tuple[float, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value
    return float(fields["VmRSS"].split()[0]) / 1024, float(fields["VmHWM"].split()[0]) / 1024


def run_child(engine: str, size: int, threshold: float, seed: int, dup_rate: float) -> dict[str, float | str | int]:
    from newsmon.detect.shingles import _WORD_BYTE, folded_bytes, word_tokens

    _SPACE_OUT = bytes(c if _WORD_BYTE[c] else 0x20 for c in range(256))

    rss_start, _ = _rss()
    found_strict = total_strict = found_all = total_all = 0
    results = 0
    elapsed = 0.0
    tokenise = 0.0  # of elapsed: building the engine's input (shingle hashes or strings)
    if engine == "ours":
        from newsmon.detect.neardup import NearDupIndex
        from newsmon.detect.shingles import text_shingles

        index = NearDupIndex(threshold=threshold, capacity_hint=size, window_seconds=1e12)
        params = f"num_perm=64 bands=21x3 4-bit signatures, verify >= {threshold - index.verify_slack:.2f}"
        i = 0
        for texts, planted in stream(size, seed, dup_rate):
            want = {p.index: p for p in planted}
            start = time.perf_counter()
            hits: dict[int, set[str]] = {}
            for text in texts:
                t0 = time.perf_counter()
                shingle_hashes = text_shingles(text, 3)
                tokenise += time.perf_counter() - t0
                fp = index.fingerprint(shingle_hashes)
                found = index.query(fp, float(i))
                if i in want:
                    hits[i] = {d.key for d in found}
                results += len(found)
                index.add(str(i), fp, float(i))
                i += 1
            elapsed += time.perf_counter() - start
            for p in planted:
                ok = str(p.original) in hits.get(p.index, set())
                total_all += 1
                found_all += ok
                if p.jaccard >= threshold:
                    total_strict += 1
                    found_strict += ok
    else:
        lsh: Any
        if engine == "datasketch":
            from datasketch import MinHash, MinHashLSH

            lsh = MinHashLSH(threshold=threshold, num_perm=128)
            params = f"num_perm=128 bands={lsh.b}x{lsh.r} (datasketch's optimum), candidates unverified"
        elif engine in ("rensa", "rensa-bytes"):
            from rensa import RMinHash, RMinHashLSH

            lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=RENSA_BANDS)
            params = f"RMinHash num_perm=128 bands={RENSA_BANDS}x{128 // RENSA_BANDS}, candidates unverified"
        else:
            raise SystemExit(f"unknown engine {engine!r}")
        i = 0
        for texts, planted in stream(size, seed, dup_rate):
            want = {p.index: p for p in planted}
            start = time.perf_counter()
            hits = {}
            for text in texts:
                t0 = time.perf_counter()
                if engine == "rensa-bytes":
                    # the fastest Python tokeniser we found: folded UTF-8, non-word bytes to
                    # spaces, bytes.split (no possessive rule: the bench's text has none)
                    btoks = folded_bytes(text).translate(_SPACE_OUT).split()
                    triples = zip(btoks, btoks[1:], btoks[2:], strict=False)
                    shingles: Any = [b" ".join(w) for w in triples] or [b" ".join(btoks)]
                else:
                    toks = word_tokens(text)
                    if engine == "datasketch":
                        shingles = {" ".join(toks[k : k + 3]).encode() for k in range(max(1, len(toks) - 2))}
                    else:
                        shingles = [" ".join(toks[k : k + 3]) for k in range(max(1, len(toks) - 2))]
                tokenise += time.perf_counter() - t0
                if engine == "datasketch":
                    m = MinHash(num_perm=128)
                    m.update_batch(shingles)
                    found_keys = lsh.query(m)
                    lsh.insert(i, m, check_duplication=False)
                else:
                    r = RMinHash(num_perm=128, seed=42)
                    r.update(shingles)
                    found_keys = [k for k in lsh.query(r) if k != i]
                    lsh.insert(i, r)
                if i in want:
                    hits[i] = set(found_keys)
                results += len(found_keys)
                i += 1
            elapsed += time.perf_counter() - start
            for p in planted:
                ok = p.original in hits.get(p.index, set())
                total_all += 1
                found_all += ok
                if p.jaccard >= threshold:
                    total_strict += 1
                    found_strict += ok
    rss_end, peak = _rss()
    return {
        "engine": engine,
        "params": params,
        "size": size,
        "entries_per_s": round(size / elapsed, 1),
        "us_per_entry": round(elapsed / size * 1e6, 1),
        "tokenise_us": round(tokenise / size * 1e6, 1),
        "recall_at_threshold": round(found_strict / total_strict, 4) if total_strict else float("nan"),
        "planted_at_threshold": total_strict,
        "recall_all_planted": round(found_all / total_all, 4) if total_all else float("nan"),
        "planted": total_all,
        "results_per_query": round(results / size, 3),
        "rss_mb": round(rss_end, 1),
        "rss_growth_mb": round(rss_end - rss_start, 1),
        "peak_rss_mb": round(peak, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated entry counts")
    parser.add_argument("--engines", default="ours,datasketch,rensa", help="ours, datasketch, rensa, rensa-bytes")
    parser.add_argument("--json", help="append each result row as JSON to this file")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, size = args.child.split(":")
        print(json.dumps(run_child(engine, int(size), args.threshold, args.seed, args.dup_rate)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        for engine in args.engines.split(","):
            cmd = [sys.executable, __file__, "--child", f"{engine}:{size}", "--threshold", str(args.threshold)]
            cmd += ["--dup-rate", str(args.dup_rate), "--seed", str(args.seed)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if out.returncode:
                print(f"{engine} {size}: failed\n{out.stderr}", file=sys.stderr)
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{row['size']:>9} {row['engine']:<10} {row['entries_per_s']:>9.0f} entries/s "
                f"({row['us_per_entry']:.1f} us/entry, {row['tokenise_us']:.1f} of them tokenising)  "
                f"recall(J>={args.threshold}) {row['recall_at_threshold']:.3f} of {row['planted_at_threshold']}  "
                f"recall(all planted) {row['recall_all_planted']:.3f}  results/query {row['results_per_query']:.2f}  "
                f"RSS {row['rss_mb']:.0f} MB (+{row['rss_growth_mb']:.0f}, peak {row['peak_rss_mb']:.0f})  "
                f"[{row['params']}]",
                flush=True,
            )
        by = {r["engine"]: r for r in rows if r["size"] == size}
        for other in ("datasketch", "rensa", "rensa-bytes"):
            if "ours" in by and other in by:
                speed = by["ours"]["entries_per_s"] / by[other]["entries_per_s"]
                print(
                    f"{size:>9} ours/{other}: {by['ours']['entries_per_s']:.0f} / {by[other]['entries_per_s']:.0f}"
                    f" entries/s = {speed:.2f}x",
                    flush=True,
                )
        if args.json:
            with open(args.json, "a", encoding="utf-8") as out:
                for r in rows:
                    if r["size"] == size:
                        out.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
