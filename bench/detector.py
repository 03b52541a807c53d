"""Detection-core benchmark: `Detector.analyse` throughput, per-entry latency and RSS.

Data sets:

* ``seed`` and ``demo``: the two labelled live blogs (60 and 40 entries), analysed in
  `published` order like `newsmon replay` does, repeated ``--repeat`` times with a
  fresh detector each time (they are too short to time once);
* ``synthetic N``: a deterministic stream of N news-like entries (fixed seed), one
  every ``--interval`` seconds so that the default 48 h window fills up (8,640
  entries at the default 20 s): a Zipf vocabulary of made-up words mixed with war
  reporting words (topics, claims, contests), developing events reported several
  times around a few recurring places, planted reworded duplicates of recent entries
  (words substituted, a sentence dropped or moved, quotation kept), roundups.

Each data set runs in its own child process (clean RSS).  Timed: ``analyse`` plus
``memory_updates`` per entry, as the agent calls them; text generation is not.
Reported: entries/s, latency p50/p99/max (ms), the mean latency of the last tenth of
the stream (growth with the window), RSS (VmRSS at the end, VmHWM peak) and a
digest of every decision (story, duplicate, similarity, roundup, topics and scores,
claims, contests and the ``why``) -- equal digests mean identical decisions.

    .venv/bin/python bench/detector.py                    # seed, demo, synthetic 5000 and 20000
    .venv/bin/python bench/detector.py --sizes 5000 --no-blogs
    .venv/bin/python bench/detector.py --sizes 2000 --dump /tmp/decisions.jsonl
    .venv/bin/python bench/detector.py --compare          # 01d1dbc against this checkout, 10,000 entries
    .venv/bin/python bench/detector.py --compare --rounds 4   # the same four times, alternating, median ratio

``--compare [REV]`` checks REV out into a temporary directory (``git worktree add --detach``)
and runs the synthetic stream (``--compare-size``, 10,000 by default) through that code and
through this checkout's, one child process each (PYTHONPATH), in the same run: entries/s of
both and their ratio, p50/p99/max per entry, RSS per entry of the window at the end (growth of
VmRSS over the run, after a throw-away detector has read the first ``--warmup`` entries, divided
by the entries the window holds) and each side's decision digest.  ``--rounds K`` repeats the
pair K times, alternating which side runs first, and also prints the median ratio: on a shared
machine the load drifts between the two children of one round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# --code DIR (child mode of --compare): the newsmon to time is another checkout's
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv[:-1] else ROOT
sys.path.insert(0, str(CODE))

from newsmon.model import Analysis, Entry  # noqa: E402

SEED_FILE = Path("/work/shared/data/seed-entries.jsonl")
DEMO_FILE = ROOT / "newsmon" / "demo" / "demo-liveblog.jsonl"
T0 = datetime(2024, 3, 1, 0, 0, tzinfo=UTC)

# -- synthetic stream ---------------------------------------------------------------------
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vor",
    "zel",
    "pin",
    "dru",
    "hos",
    "yan",
    "qui",
    "bex",
    "nor",
    "fal",
    "gri",
    "tem",
    "sul",
    "bra",
    "dov",
]
SIDES = ["Northland", "Southland"]
NEWS_WORDS = [
    "shelling",
    "drone",
    "drones",
    "missile",
    "missiles",
    "strike",
    "strikes",
    "attack",
    "attacks",
    "troops",
    "soldiers",
    "artillery",
    "tank",
    "tanks",
    "offensive",
    "frontline",
    "front",
    "defences",
    "brigade",
    "battalion",
    "civilians",
    "killed",
    "wounded",
    "injured",
    "casualties",
    "losses",
    "evacuation",
    "refugees",
    "humanitarian",
    "aid",
    "convoy",
    "ceasefire",
    "talks",
    "negotiations",
    "minister",
    "ministry",
    "president",
    "sanctions",
    "energy",
    "grid",
    "power",
    "blackout",
    "airspace",
    "jets",
    "aircraft",
    "airport",
    "border",
    "governor",
    "officials",
    "residents",
    "village",
    "town",
    "city",
    "region",
    "province",
    "bridge",
    "railway",
    "port",
    "grain",
    "ship",
    "navy",
    "fleet",
    "prisoners",
    "exchange",
    "election",
    "parliament",
    "economy",
    "prices",
    "fuel",
    "supplies",
    "ammunition",
    "weapons",
    "shells",
    "counteroffensive",
    "positions",
    "advance",
    "retreat",
    "encircled",
    "mayor",
    "hospital",
    "school",
    "shelter",
    "damage",
    "explosions",
    "sirens",
    "warning",
]
VERBS = ["said", "reported", "confirmed", "announced", "warned", "stated", "told reporters"]


class Synth:
    """A deterministic generator of news-like entries (see the module docstring)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # planted truth, by entry id: the event an entry reports (None for a roundup) and,
        # for a reworded copy, the entry it copies
        self.truth: dict[str, tuple[int | None, str | None]] = {}
        self.claim_events: set[int] = set()  # planted events that are breakthrough claims
        rng = self.rng
        words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
        self.vocab = sorted(words)
        rng.shuffle(self.vocab)
        # Zipf weights: a few filler words are very common, most are rare
        self.weights = [1.0 / (r + 1) ** 1.05 for r in range(len(self.vocab))]
        self.cum = list(_accumulate(self.weights))
        names = sorted({w.capitalize() for w in self.vocab[1000:1400]})
        self.places = names[:300]
        self.hot = self.places[:10]  # recurring places: many events happen there
        self.people = [f"{a} {b}" for a, b in zip(names[300:340], names[340:380], strict=False)]

    def filler(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=n)

    def sentence(self, extra: list[str], length: int) -> str:
        rng = self.rng
        words = self.filler(length)
        for w in extra:
            words.insert(rng.randrange(len(words) + 1), w)
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(NEWS_WORDS))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def new_event(self) -> dict[str, Any]:
        rng = self.rng
        place = rng.choice(self.hot) if rng.random() < 0.35 else rng.choice(self.places)
        return {
            "place": place,
            "side": rng.choice(SIDES),
            "number": rng.choice([3, 4, 7, 12, 15, 25, 40, 120, 1080]),
            "topic": rng.sample(NEWS_WORDS, 3),
            "rare": self.filler(0) + rng.sample(self.vocab[2000:], 4),
            "person": rng.choice(self.people),
            "quote": " ".join(self.filler(9)),
            "kind": rng.choices(["plain", "claim", "contest"], [0.86, 0.08, 0.06])[0],
            "reports": 0,
        }

    def report(self, ev: dict[str, Any]) -> tuple[str, str]:
        rng = self.rng
        place, side, other = ev["place"], ev["side"], SIDES[1 - SIDES.index(ev["side"])]
        t1, t2, t3 = ev["topic"]
        ev["reports"] += 1
        if ev["kind"] == "claim":
            title = f"{side} says its troops broke through defences near {place}"
            lead = (
                f"{side} troops have broken through the {other} defences near {place}, the {side} defence "
                f"ministry claimed, adding that {ev['number']} {t1} were involved."
            )
        elif ev["kind"] == "contest":
            title = f"{other} says it repelled {side} attacks near {place}"
            lead = (
                f"{other}'s army said its forces had repelled {side} attacks near {place} overnight, "
                f"with {ev['number']} {t1} reported."
            )
        else:
            title = f"{t1.capitalize()} {t2} near {place} as {side} {t3} continue"
            lead = f"Officials in {place} {rng.choice(VERBS)} {ev['number']} {t1} after {t2} in the area."
        sentences = [lead]
        rare = ev["rare"]
        for _ in range(rng.randint(2, 6)):
            sentences.append(self.sentence([*rng.sample(rare, 2), rng.choice(ev["topic"])], rng.randint(10, 22)))
        if rng.random() < 0.5:
            sentences.append(f'"{ev["quote"]}," {ev["person"]} {rng.choice(VERBS)}.')
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        return title, "\n\n".join(paragraphs)

    def reword(self, title: str, body: str) -> tuple[str, str]:
        rng = self.rng
        paragraphs = body.split("\n\n")
        if len(paragraphs) > 2 and rng.random() < 0.5:
            paragraphs.pop(rng.randrange(1, len(paragraphs)))
        if len(paragraphs) > 2 and rng.random() < 0.5:
            paragraphs.insert(1, paragraphs.pop())

        def sub(p: str) -> str:
            if p.startswith('"'):
                return p  # the quotation is kept verbatim
            words = p.split(" ")
            for _ in range(max(1, len(words) // 8)):
                i = rng.randrange(len(words))
                if words[i][:1].islower():
                    words[i] = self.filler(1)[0]
            return " ".join(words)

        return title, "\n\n".join(sub(p) for p in paragraphs)

    def roundup(self, recent: list[tuple[str, str]]) -> tuple[str, str]:
        items = [f"* {title}." for title, _ in self.rng.sample(recent, min(4, len(recent)))]
        return "Key developments so far", "Here is the latest.\n\n" + "\n\n".join(items)

    def stream(self, n: int, interval: float) -> Iterator[Entry]:
        rng = self.rng
        live: list[dict[str, Any]] = []
        recent: list[tuple[str, str]] = []
        origin: list[tuple[int | None, str]] = []  # parallel to recent: (event, entry id)
        events = 0
        for i in range(n):
            r = rng.random()
            if r < 0.08 and len(recent) > 10:
                pick = rng.choice(range(max(0, len(recent) - 2000), len(recent)))
                title, body = self.reword(*recent[pick])
                self.truth[f"s{i}"] = (origin[pick][0], origin[pick][1])
            elif r < 0.1 and len(recent) > 10:
                title, body = self.roundup(recent[-50:])
                self.truth[f"s{i}"] = (None, None)
            else:
                if not live or rng.random() < 0.45:
                    live.append(self.new_event())
                    live[-1]["id"] = events = events + 1
                    if live[-1]["kind"] == "claim":
                        self.claim_events.add(events)
                    live = live[-40:]  # events stay "developing" for a while
                ev = rng.choice(live)
                title, body = self.report(ev)
                self.truth[f"s{i}"] = (ev["id"], None)
            recent.append((title, body))
            origin.append((self.truth[f"s{i}"][0], f"s{i}"))
            published = T0 + timedelta(seconds=i * interval + rng.uniform(0, interval / 2))
            yield Entry(source=f"src{i % 7}", entry_id=f"s{i}", title=title, body=body, published=published)


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


# -- running ------------------------------------------------------------------------------
def blog_entries(path: Path) -> list[Entry]:
    from newsmon.model import in_published_order
    from newsmon.replay import load_entries

    return in_published_order(load_entries(path))


def decision(a: Analysis) -> dict[str, Any]:
    c = a.classification
    return {
        "key": a.event.entry.key,
        "story": a.story,
        "duplicate_of": a.duplicate_of,
        "similarity": a.similarity,
        "roundup": a.roundup,
        "topics": list(c.topics),
        "scores": c.scores,
        "claims": [[x.kind, x.claimant, x.place, x.verified, x.evidence] for x in a.claims],
        "contests": a.contests,
        "why": a.why,
    }


def planted_quality(
    truth: dict[str, tuple[int | None, str | None]],
    got: dict[str, tuple[str, str | None]],
    claim_events: set[int] | None = None,
    claimed: list[tuple[str, str]] | None = None,
) -> dict[str, float]:
    """Decisions against the synthetic stream's planted truth.

    Stories: pairwise precision / recall / F1 of the detector's stories against the
    planted events (roundups left out).  Duplicates: recall of the planted reworded
    copies (the detector names the copied entry or another copy of the same
    original) and the share of duplicate flags whose target reports the same event.
    """

    def root(entry: str) -> str:
        while truth[entry][1] is not None:
            entry = str(truth[entry][1])
        return entry

    pairs: Counter[tuple[int, str]] = Counter()
    events: Counter[int] = Counter()
    stories: Counter[str] = Counter()
    for entry, (event, _) in truth.items():
        if event is None or entry not in got:
            continue
        story = got[entry][0]
        pairs[event, story] += 1
        events[event] += 1
        stories[story] += 1

    def c2(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    tp, true_pairs, predicted = c2(pairs), c2(events), c2(stories)
    precision = tp / predicted if predicted else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    planted = [e for e, (ev, src) in truth.items() if src is not None and ev is not None and e in got]
    found = sum(1 for e in planted if got[e][1] is not None and root(str(got[e][1]).split(":")[-1]) == root(e))
    # what first-seen alerts would do: the first claim of each story alerts (entries in stream order)
    announced: set[int] = set()
    alerts = 0
    stories_with_claims: set[str] = set()
    for entry, story in claimed or []:
        if story in stories_with_claims:
            continue
        stories_with_claims.add(story)
        alerts += 1
        event = truth[entry][0]
        if event is not None:
            announced.add(event)
    # claim events that were reported at all (the generator opens some events it never reports)
    reported = {ev for ev, _ in truth.values() if ev is not None} & (claim_events or set())
    flagged = [(e, str(d)) for e, (_, d) in got.items() if d is not None]
    same_event = sum(1 for e, d in flagged if truth.get(d, (None, None))[0] == truth[e][0] is not None)
    return {
        "story_p": precision,
        "story_r": recall,
        "story_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "dup_recall": found / len(planted) if planted else 1.0,
        "dup_same_event": same_event / len(flagged) if flagged else 1.0,
        "claims_announced": len(announced & reported) / len(reported) if reported else 1.0,
        "claim_alerts": float(alerts),
        "claim_events": float(len(reported)),
    }


def rss_kb() -> tuple[int, int]:
    status = Path("/proc/self/status").read_text()
    got = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith("Vm")}
    return got.get("VmRSS", 0), got.get("VmHWM", 0)


def run_one(name: str, size: int, repeat: int, interval: float, seed: int, dump: str | None) -> dict[str, Any]:
    from newsmon.dedup import exact
    from newsmon.detect import DetectionConfig, Detector

    synth: Synth | None = None
    if name == "synthetic":
        synth = Synth(seed)
        entries = list(synth.stream(size, interval))
        repeat = 1
    else:
        entries = blog_entries(SEED_FILE if name == "seed" else DEMO_FILE)
    digest = hashlib.sha256()
    out = open(dump, "w") if dump else None  # noqa: SIM115
    latencies: list[float] = []
    total = 0.0
    tail: list[float] = []
    decided: dict[str, tuple[str, str | None]] = {}  # entry id -> (story id, duplicate's entry id)
    claimed: list[tuple[str, str]] = []  # (entry id, story id) of entries carrying a claim, in order
    for r in range(repeat):
        config = DetectionConfig(**json.loads(os.environ.get("NEWSMON_BENCH_DETECTION", "{}")))
        if synth:  # the synthetic sources behave like wires: feeds, not live pages
            config = replace(config, feed_sources=frozenset(e.source for e in entries))
        detector = Detector(config)
        hashes: dict[str, str] = {}
        clock = time.perf_counter
        for i, entry in enumerate(entries):
            event = exact(hashes.get(entry.key), entry)
            if event is None:
                continue
            hashes[entry.key] = entry.content_hash
            now = entry.published or T0
            start = clock()
            analysis = detector.analyse(event, now)
            detector.memory_updates()
            took = clock() - start
            latencies.append(took)
            total += took
            if i >= len(entries) * 9 // 10:
                tail.append(took)
            if r == 0:
                decided[entry.entry_id] = (
                    analysis.story.split("\x1f")[-1],
                    analysis.duplicate_of.split("\x1f")[-1] if analysis.duplicate_of else None,
                )
                if analysis.claims and not analysis.duplicate_of:
                    claimed.append((entry.entry_id, decided[entry.entry_id][0]))
                line = json.dumps(decision(analysis), sort_keys=True, ensure_ascii=False, default=str)
                digest.update(line.encode())
                if out:
                    out.write(line + "\n")
    if out:
        out.close()
    rss, hwm = rss_kb()
    latencies.sort()
    return {
        "set": name if name != "synthetic" else f"synthetic {size}",
        "entries": len(entries),
        "analysed": len(latencies),
        "per_s": len(latencies) / total if total else 0.0,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max_ms": 1000 * latencies[-1],
        "tail_ms": 1000 * statistics.fmean(tail) if tail else 0.0,
        "rss_mb": rss / 1024,
        "hwm_mb": hwm / 1024,
        "digest": digest.hexdigest()[:16],
        **(planted_quality(synth.truth, decided, synth.claim_events, claimed) if synth else {}),
    }


def run_compare(size: int, interval: float, seed: int, warmup: int) -> dict[str, Any]:
    """Child of ``--compare``: the synthetic stream through the code on ``sys.path`` (``--code``),
    after a throw-away detector has read its first ``warmup`` entries (lexicons, lemma
    dictionaries and the language model loaded: what a running worker has done long before).
    Timed as in `run_one`; also the RSS the window costs per entry it holds."""
    import newsmon
    from newsmon.dedup import exact
    from newsmon.detect import DetectionConfig, Detector

    synth = Synth(seed)
    entries = list(synth.stream(size, interval))
    config = replace(DetectionConfig(), feed_sources=frozenset(e.source for e in entries))
    scratch = Detector(config)
    for entry in entries[:warmup]:
        event = exact(None, entry)
        if event is not None:
            scratch.analyse(event, entry.published or T0)
    del scratch
    rss0, _ = rss_kb()
    detector = Detector(config)
    hashes: dict[str, str] = {}
    digest = hashlib.sha256()
    latencies: list[float] = []
    clock = time.perf_counter
    for entry in entries:
        event = exact(hashes.get(entry.key), entry)
        if event is None:
            continue
        hashes[entry.key] = entry.content_hash
        start = clock()
        analysis = detector.analyse(event, entry.published or T0)
        detector.memory_updates()
        latencies.append(clock() - start)
        digest.update(json.dumps(decision(analysis), sort_keys=True, ensure_ascii=False, default=str).encode())
    rss, _ = rss_kb()
    latencies.sort()
    window = len(detector)
    return {
        "code": str(Path(newsmon.__file__).resolve().parent.parent),
        "analysed": len(latencies),
        "per_s": len(latencies) / sum(latencies),
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max_ms": 1000 * latencies[-1],
        "window": window,
        "rss_mb": rss / 1024,
        "kb_per_entry": (rss - rss0) / window if window else 0.0,
        "digest": digest.hexdigest()[:16],
    }


def compare(rev: str, size: int, args: argparse.Namespace) -> int:
    """Time the code at ``rev`` (a temporary detached worktree) and this checkout's code on the same
    synthetic stream, one child process each, in one run, and print both sides and their ratio."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        old = Path(tmp) / "old"
        made = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), rev],
            capture_output=True, text=True, check=False,
        )
        if made.returncode:
            print(f"cannot check out {rev}: {made.stderr.strip()}", file=sys.stderr)
            return 2
        try:
            rounds: list[list[dict[str, Any]]] = []
            for r in range(args.rounds):  # rounds alternate which side runs first (a shared machine's load drifts)
                both = [(rev, old), ("current", ROOT)]
                sides: list[dict[str, Any]] = []
                for label, code in both if r % 2 == 0 else both[::-1]:
                    cmd = [
                        sys.executable, __file__, "--compare-one", str(size), "--code", str(code),
                        "--interval", str(args.interval), "--seed", str(args.seed), "--warmup", str(args.warmup),
                    ]
                    env = {**os.environ, "PYTHONPATH": str(code)}
                    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=str(code))
                    if proc.returncode:
                        print(f"{label}: failed\n{proc.stderr}", file=sys.stderr)
                        return 1
                    sides.append({"label": label, **json.loads(proc.stdout.strip().splitlines()[-1])})
                rounds.append(sorted(sides, key=lambda x: x["label"] != rev))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           capture_output=True, check=False)
    print(f"synthetic {size} entries, seed {args.seed}, one entry every {args.interval:g} s, window 48 h; "
          f"warm-up {args.warmup} entries")
    header = (f"{'code':<10} {'analysed':>8} {'entries/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
              f"{'window':>6} {'RSS MB':>7} {'KB/window entry':>15}  decisions")
    ratios = []
    for n, sides in enumerate(rounds):
        if len(rounds) > 1:
            print(f"round {n + 1} ({'current' if n % 2 else rev} first)")
        print(header)
        print("-" * len(header))
        for r in sides:
            print(f"{r['label']:<10} {r['analysed']:>8} {r['per_s']:>10.0f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} "
                  f"{r['max_ms']:>7.1f} {r['window']:>6} {r['rss_mb']:>7.0f} {r['kb_per_entry']:>15.2f}  {r['digest']}")
        ratios.append(sides[1]["per_s"] / sides[0]["per_s"])
        print(f"speed-up (entries/s, current / {rev}): {ratios[-1]:.2f}x")
    if len(rounds) > 1:
        print(f"median speed-up over {len(rounds)} rounds: {statistics.median(ratios):.2f}x "
              f"(range {min(ratios):.2f}-{max(ratios):.2f}x)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5000,20000", help="synthetic stream sizes, comma-separated ('' for none)")
    parser.add_argument("--interval", type=float, default=20.0, help="seconds between synthetic entries")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the seed and demo blogs")
    parser.add_argument("--no-blogs", action="store_true", help="skip the seed and demo blogs")
    parser.add_argument("--dump", help="write the decisions of the (single) synthetic size to this JSONL file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child mode: name:size
    parser.add_argument("--compare", metavar="REV", nargs="?", const="01d1dbc",
                        help="time the code at REV (default 01d1dbc) against this checkout on one synthetic "
                             "stream (--compare-size), side by side in one run")
    parser.add_argument("--compare-size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=1,
                        help="--compare: run both sides this many times, alternating which goes first, "
                             "and report the median ratio")
    parser.add_argument("--warmup", type=int, default=50, help="--compare: entries a throw-away detector reads first")
    parser.add_argument("--compare-one", type=int, help=argparse.SUPPRESS)  # child mode of --compare
    parser.add_argument("--code", help=argparse.SUPPRESS)  # the checkout a --compare child times
    args = parser.parse_args()

    if args.compare_one:
        print(json.dumps(run_compare(args.compare_one, args.interval, args.seed, args.warmup)))
        return 0
    if args.compare:
        return compare(args.compare, args.compare_size, args)

    if args.one:
        name, size = args.one.split(":")
        print(json.dumps(run_one(name, int(size), args.repeat, args.interval, args.seed, args.dump)))
        return 0

    jobs = [] if args.no_blogs else [("seed", 0), ("demo", 0)]
    jobs += [("synthetic", int(s)) for s in args.sizes.split(",") if s.strip()]
    header = (
        f"{'data set':<17} {'analysed':>8} {'entries/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'last10% ms':>10} {'RSS MB':>7} {'peak MB':>7}  decisions"
    )
    print(f"window 48 h, synthetic: one entry every {args.interval:g} s, seed {args.seed}")
    print(header)
    print("-" * len(header))
    for name, size in jobs:
        cmd = [
            sys.executable,
            __file__,
            "--one",
            f"{name}:{size}",
            "--repeat",
            str(args.repeat),
            "--interval",
            str(args.interval),
            "--seed",
            str(args.seed),
        ]
        if args.dump and name == "synthetic":
            cmd += ["--dump", args.dump]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            print(f"{name} {size}: failed\n{proc.stderr}", flush=True)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{r['set']:<17} {r['analysed']:>8} {r['per_s']:>10.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['max_ms']:>8.1f} {r['tail_ms']:>10.2f} {r['rss_mb']:>7.0f} {r['hwm_mb']:>7.0f}  {r['digest']}",
            flush=True,
        )
        if "story_f1" in r:
            print(
                f"{'':<17} planted truth: story pairwise P {r['story_p']:.3f} R {r['story_r']:.3f} "
                f"F1 {r['story_f1']:.3f}; reworded copies found {r['dup_recall']:.3f}; "
                f"duplicate flags naming the same event {r['dup_same_event']:.3f}",
                flush=True,
            )
            print(
                f"{'':<17} breakthrough-claim events announced (first claim of a story) "
                f"{r['claims_announced']:.3f} of {r['claim_events']:.0f}; first-claim alerts {r['claim_alerts']:.0f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
