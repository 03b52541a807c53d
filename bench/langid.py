"""Language identification: py3langid against lingua-language-detector, on headlines and on full entries.

    .venv/bin/python bench/langid.py            # every method, tables of accuracy and speed
    .venv/bin/python bench/langid.py -v         # also list every miss
    .venv/bin/python bench/langid.py --methods newsmon,lingua-9

Test data (read at run time, never copied):
- eval/sets/multilingual-a: titles and bodies, labels.json "languages";
- the real publishers' pages in ../shared/realworld/ (or $NEWSMON_SHARED), read with newsmon's own
  parsers (`newsmon.connectors.kinds.parser_for`); every entry of a page is labelled with the page's
  language (Italian, German, Polish, Portuguese, Urdu, English). The Guardian Content API examples
  ("hi") have no language to tell and are left out;
- tests/unit/detect/language_headlines.json, written for the unit test (not blind: the same author
  wrote them and measured on them): ten headlines per supported language (own-headlines), two-to-five
  word live-ticker lines (own-short), the same news in Ukrainian / Russian and Portuguese / Spanish
  (own-pairs), and headlines in languages without a lexicon (own-other: nl, cs, be, bg, ca, ro, tr, ur).
eval/heldout/ is never read.

A *headline* is the entry's title; an entry without one (the Polish speedway commentary, the IPL
blog) gives the first sentence of its body, cut at 120 characters. A *full entry* is title + body,
as detection reads it. A label outside the supported languages (Urdu) counts as right when the
answer is not a supported language either (detection reads it with the English lexicon and
counts it as "other"). Columns: accuracy per language; `supp.`: over every supported-language
entry; `s.ext`: the same without the own-* sets (only the blind-written blog and the real pages);
`all`: every entry. The own-* sets have no body: their "full entry" is the headline.

Every method runs in a child process of its own, so that its load time and memory are its own:
`load s` is the import, the model load and a first call; `RSS MB` is what that added to the
process; speed is entries per second over all headlines / all full entries, after the first call.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUPPORTED = ("en", "uk", "ru", "de", "fr", "es", "it", "pl", "pt")  # = newsmon.detect.tokens.SUPPORTED
KINDS = {"liveblogposting": "liveblog", "feeds": "rss", "html": "html"}
PRESETS = {"br-2024-08-27-nahost-news-ticker": "br24", "sportowefakty-2020-09-28-zuzel-relacja-live": "sportowefakty"}
PAGE_LANGUAGE = {
    "repubblica": "it", "br-2024": "de", "heise": "de", "sportowefakty": "pl", "uol-": "pt", "bbc-urdu": "ur",
}
_FIRST_SENTENCE = re.compile(r"^(.{20,}?[.!?…])(\s|$)", re.S)

Sample = dict[str, str]  # set, id, language, headline, full


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSMON_SHARED", ROOT.parent / "shared"))


def headline_of(title: str, body: str) -> str:
    if title.strip():
        return title.strip()
    text = " ".join(body.split())
    m = _FIRST_SENTENCE.match(text)
    first = m.group(1) if m else text
    return first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0]


def load_samples() -> list[Sample]:
    from newsmon.connectors.kinds import parser_for

    out: list[Sample] = []
    ma = ROOT / "eval" / "sets" / "multilingual-a"
    languages = json.loads((ma / "labels.json").read_text(encoding="utf-8"))["languages"]
    for line in (ma / "entries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            if e["id"] in languages:
                out.append({"set": "multilingual-a", "id": e["id"], "language": languages[e["id"]],
                            "headline": headline_of(e.get("title", ""), e.get("body", "")),
                            "full": f"{e.get('title', '')}\n{e.get('body', '')}"})
    now = datetime(2026, 1, 1, tzinfo=UTC)
    if not (shared_dir() / "realworld").is_dir():
        sys.exit(f"langid.py: no realworld pages at {shared_dir() / 'realworld'} (set NEWSMON_SHARED)")
    for path in sorted((shared_dir() / "realworld").rglob("*")):
        kind = KINDS.get(path.parent.name)
        if kind is None or not path.is_file():
            continue
        options = {"preset": PRESETS[path.stem]} if kind == "html" else {}
        language = next((code for prefix, code in PAGE_LANGUAGE.items() if path.name.startswith(prefix)), "en")
        for entry in parser_for(kind)(path.read_bytes(), path.as_uri(), source="bench", now=now, **options):
            out.append({"set": f"realworld/{path.stem[:28]}", "id": entry.entry_id, "language": language,
                        "headline": headline_of(entry.title, entry.body), "full": f"{entry.title}\n{entry.body}"})
    own = json.loads((ROOT / "tests" / "unit" / "detect" / "language_headlines.json").read_text(encoding="utf-8"))
    pairs: dict[str, list[str]] = defaultdict(list)
    for a, text_a, b, text_b in own["pairs"]:
        pairs[a].append(text_a)
        pairs[b].append(text_b)
    groups = {"own-headlines": {c: own[c] for c in SUPPORTED}, "own-short": own["short"], "own-pairs": pairs,
              "own-other": own["other"]}
    for name, group in groups.items():
        for language, headlines in group.items():
            for i, h in enumerate(headlines):
                out.append({"set": name, "id": f"{language}{i}", "language": language, "headline": h, "full": h})
    return out


# -- the methods (built in the child process) ----------------------------------------------------

def _py3langid(languages: tuple[str, ...] | None) -> Callable[[str], str]:
    import py3langid

    ident = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
    if languages:
        ident.set_languages(list(languages))
    return lambda text: str(ident.classify(text[:2000])[0])


def _py3langid_fallback(threshold: float) -> Callable[[str], str]:
    """The full model; an answer outside the supported languages below `threshold` is replaced by
    the best supported language."""
    import numpy as np
    import py3langid

    ident = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
    labels = list(ident.nb_classes)
    supported = np.array([labels.index(code) for code in SUPPORTED])

    def classify(text: str) -> str:
        ranked = ident.rank(text[:2000])
        best, p = ranked[0]
        if best in SUPPORTED or p >= threshold:
            return str(best)
        probs = dict(ranked)
        return max((labels[i] for i in supported), key=lambda code: probs.get(code, 0.0))

    return classify


def _lingua(languages: tuple[str, ...] | None, low: bool) -> Callable[[str], str]:
    import lingua

    builder = (lingua.LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(lingua.IsoCode639_1, code.upper()) for code in languages))
        if languages else lingua.LanguageDetectorBuilder.from_all_languages())
    if low:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()  # load time counts here, not in the first calls

    def classify(text: str) -> str:
        found = detector.detect_language_of(text[:2000])
        return found.iso_code_639_1.name.lower() if found is not None else "und"

    return classify


def _newsmon() -> Callable[[str], str]:
    from newsmon.detect.tokens import identify_language

    return lambda text: identify_language(text)[0]


METHODS: dict[str, tuple[str, Callable[[], Callable[[str], str]]]] = {
    "newsmon": ("identify_language in newsmon/detect/tokens.py, as it is on this branch", _newsmon),
    "py3langid-all": ("py3langid, all 97 languages (identify_language before this change)",
                      lambda: _py3langid(None)),
    "py3langid-9": ("py3langid set_languages(the 9 supported)", lambda: _py3langid(SUPPORTED)),
    "py3langid-9+fb": ("py3langid all; an unsupported answer under p 0.5 falls back to the best supported",
                       lambda: _py3langid_fallback(0.5)),
    "lingua-9": ("lingua, the 9 supported, high accuracy", lambda: _lingua(SUPPORTED, low=False)),
    "lingua-9-low": ("lingua, the 9 supported, low-accuracy mode", lambda: _lingua(SUPPORTED, low=True)),
    "lingua-all": ("lingua, all 75 languages, high accuracy", lambda: _lingua(None, low=False)),
    "lingua-all-low": ("lingua, all 75 languages, low-accuracy mode", lambda: _lingua(None, low=True)),
}


def _rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def child(method: str, data_path: str) -> None:
    samples = json.loads(Path(data_path).read_text(encoding="utf-8"))
    before = _rss_mb()
    start = time.perf_counter()
    classify = METHODS[method][1]()
    classify("warm-up: the first call loads what is loaded lazily")
    load = time.perf_counter() - start
    rss = _rss_mb() - before
    result: dict[str, Any] = {"load_s": load, "rss_mb": rss}
    for field in ("headline", "full"):
        texts = [s[field] for s in samples]
        start = time.perf_counter()
        predictions = [classify(t) for t in texts]
        result[f"{field}_s"] = time.perf_counter() - start
        result[field] = predictions
    print(json.dumps(result))


# -- the report ------------------------------------------------------------------------------------

def right(label: str, predicted: str) -> bool:
    return predicted == label or (label not in SUPPORTED and predicted not in SUPPORTED)


def report(samples: list[Sample], results: dict[str, dict[str, Any]], verbose: bool) -> None:
    languages = [*SUPPORTED, *sorted({s["language"] for s in samples} - set(SUPPORTED))]
    for field, title in (("headline", "HEADLINES"), ("full", "FULL ENTRIES")):
        counts = Counter(s["language"] for s in samples)
        print(f"\n== {title}: accuracy per language (n = entries), overall, speed")
        head = f"{'method':<15}" + "".join(f"{code:>6}" for code in languages)
        print(head + f"{'supp.':>7}{'s.ext':>7}{'all':>7}{'ent/s':>9}{'load s':>8}{'RSS MB':>8}")
        external = [s["language"] in SUPPORTED and not s["set"].startswith("own") for s in samples]
        print(f"{'n':<15}" + "".join(f"{counts[code]:>6}" for code in languages)
              + f"{sum(counts[c] for c in SUPPORTED):>7}{sum(external):>7}{len(samples):>7}")
        for method, r in results.items():
            ok: dict[str, list[bool]] = defaultdict(list)
            for s, p in zip(samples, r[field], strict=True):
                ok[s["language"]].append(right(s["language"], p))
            cells = "".join(f"{sum(ok[c]) / len(ok[c]):>6.2f}" if ok[c] else f"{'-':>6}" for c in languages)
            supp = [x for c in SUPPORTED for x in ok[c]]
            ext = [right(s["language"], p) for s, p, e in zip(samples, r[field], external, strict=True) if e]
            every = [x for c in languages for x in ok[c]]
            speed = len(samples) / r[f"{field}_s"]
            print(f"{method:<15}{cells}{sum(supp) / len(supp):>7.3f}{sum(ext) / len(ext):>7.3f}"
                  f"{sum(every) / len(every):>7.3f}{speed:>9,.0f}{r['load_s']:>8.2f}{r['rss_mb']:>8.0f}")
        by_set: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
        for method, r in results.items():
            for s, p in zip(samples, r[field], strict=True):
                by_set[s["set"]][method].append(right(s["language"], p))
        print(f"\n   {title.lower()} by set: right / n")
        print(f"   {'set':<40}" + "".join(f"{m[:14]:>15}" for m in results))
        for name, per in by_set.items():
            print(f"   {name:<40}" + "".join(f"{f'{sum(v)}/{len(v)}':>15}" for v in per.values()))
        if verbose:
            for method, r in results.items():
                misses = [(s, p) for s, p in zip(samples, r[field], strict=True) if not right(s["language"], p)]
                print(f"\n   misses of {method} ({field}): {len(misses)}")
                for s, p in misses:
                    print(f"     {s['set']}:{s['id'][:20]} {s['language']}->{p}: {s[field][:90]!r}")
    print("\nmethods:")
    for method in results:
        print(f"  {method:<15} {METHODS[method][0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated, of: " + ", ".join(METHODS))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.exit(2, f"langid.py: unknown method(s) {', '.join(unknown)}; known: {', '.join(METHODS)}\n")
    samples = load_samples()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "samples.json"
        data.write_text(json.dumps(samples), encoding="utf-8")
        for method in methods:
            run = subprocess.run([sys.executable, __file__, "--child", method, str(data)], capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            if run.returncode != 0:
                print(f"{method}: failed: {run.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                continue
            results[method] = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"{len(samples)} entries: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(
        s["language"] for s in samples).items())))
    report(samples, results, args.verbose)


if __name__ == "__main__":
    main()
