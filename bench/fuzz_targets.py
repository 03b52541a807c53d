"""What `bench/fuzz.py` runs each document through, and how it judges and measures one call.

`run_target(target, doc, index, port, verdicts)` returns a JSON-ready dict:
``outcome`` (ok, warning, error, crash, bad-output, uncounted), ``type`` (the
documented error's class, the crash's exception, or what was read), ``s``
(seconds), ``mb`` (peak RSS above the RSS before the call, MB), ``n``
(entries) and ``detail`` (the end of a crash's traceback).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fuzz_bases import GENERIC_SELECTORS
from fuzz_docs import Doc

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
URL = "https://example.org/live/fuzz"

PARSERS: dict[str, tuple[str, dict[str, Any]]] = {
    "rss": ("rss", {}),
    "liveblog": ("liveblog", {}),
    "guardian": ("guardian", {}),
    "replay": ("replay", {}),
    "html:br24": ("html", {"preset": "br24"}),
    "html:sportowefakty": ("html", {"preset": "sportowefakty"}),
    "html:selectors": ("html", {"selectors": GENERIC_SELECTORS}),
}
TARGETS = [*PARSERS, "detect", "sources-test", "poll"]
_IN_TURN = ["rss", "liveblog", "guardian", "html:br24", "html:sportowefakty", "html:selectors"]


# --------------------------------------------------------------------------- measuring


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        match = re.search(rf"^{field}:\s+(\d+)", status.read(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets the peak RSS (VmHWM) to the current RSS
        return True
    except OSError:
        return False


def measured(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`call()`'s verdict with its time and peak memory; an exception escaping it is a crash."""
    import tracemalloc

    by_rss = _reset_peak()
    before = _status_kb("VmRSS")
    if not by_rss:  # no /proc/self/clear_refs: the Python heap only
        tracemalloc.start()
    started = time.perf_counter()
    try:
        verdict = call()
    except Exception as exc:
        verdict = crash(exc)
    took = time.perf_counter() - started
    if by_rss:
        peak = max(_status_kb("VmHWM") - before, 0) / 1024
    else:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return {"n": 0, "detail": "", **verdict, "s": took, "mb": peak}


def crash(exc: BaseException) -> dict[str, Any]:
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno}" for f in reversed(frames)
                  if "/connectors/" in f.filename or "/newsmon/" in f.filename), "?")
    tail = "".join(traceback.format_exception(exc)[-6:]).rstrip()
    return {"outcome": "crash", "type": f"{type(exc).__name__} at {where}: {str(exc)[:120]}", "detail": tail}


_URLISH = re.compile(r"^(?:https?://\S+?|[^\s:]+(?::\d+)?): ")
_CUT = re.compile(r" but | \(| in |: expected| got ")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def error_type(message: str) -> str:
    """The class of a documented error message: its reason without the url, the details or the numbers."""
    reason = _URLISH.sub("", message.strip().splitlines()[0] if message.strip() else "", count=1)
    reason = _URLISH.sub("", reason, count=1)  # replay's "file:line: "
    reason = _CUT.split(reason, maxsplit=1)[0]
    return _QUOTED.sub("…", reason)[:70]


# --------------------------------------------------------------------------- parsers


def _bad_output(entries: list[Any], *, unique: bool) -> str:
    """What is wrong with a parser's entries for the rest of the pipeline, or ''.  Replay files keep
    their ids as given (a repeated id is that entry again), so their ids need not be `unique`."""
    from newsmon.text import content_hash

    ids = [e.entry_id for e in entries]
    if unique and len(ids) != len(set(ids)):
        return "entry ids repeat within one document"
    for e in entries:
        if not e.entry_id or e.entry_id != e.entry_id.strip():
            return f"entry id {e.entry_id!r} is empty or not stripped"
        if "\n" in e.title:
            return "a newline in a title"
        for value in (e.published, e.modified):
            if value is not None and value.utcoffset() != timedelta(0):
                return f"time {value!r} is not UTC"
        for text in (e.entry_id, e.title, e.body, e.author, e.url, e.source):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return f"text that is not UTF-8-encodable (lone surrogate) in {text[:60]!r}"
        if e.content_hash != content_hash(e.title, e.body):
            return "content hash does not match title and body"
    return ""


def _parse(target: str, doc: Doc) -> dict[str, Any]:
    from newsmon.connectors.kinds import parser_for
    from newsmon.connectors.parsing import ParseError

    kind, options = PARSERS[target]
    notes: list[str] = []
    try:
        entries = parser_for(kind)(doc.data, URL, source="fuzz", now=NOW, content_type=doc.content_type,
                                   notes=notes, **options)
    except ParseError as error:
        return {"outcome": "error", "type": error_type(str(error))}
    wrong = _bad_output(entries, unique=kind != "replay")
    if wrong:
        return {"outcome": "bad-output", "type": wrong, "n": len(entries)}
    return {"outcome": "warning" if notes else "ok", "type": f"{len(entries)} entries" if not notes
            else error_type(notes[0]), "n": len(entries)}


def _detect(doc: Doc) -> dict[str, Any]:
    from newsmon.connectors.detect_kind import detect_kind

    return {"outcome": "ok", "type": detect_kind(doc.data, doc.content_type).value}


# --------------------------------------------------------------------------- sources test, poll


def _sources_test(url: str) -> dict[str, Any]:
    from newsmon.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["sources", "test", url, "--no-recheck", "--limit", "0"])
    text = out.getvalue() + err.getvalue()
    last = text.strip().splitlines()[-1] if text.strip() else ""
    if "Traceback" in text or "internal error" in text or status not in (0, 1):
        return {"outcome": "crash", "type": f"exit {status}: {last[:150]}", "detail": text[-1500:]}
    try:
        text.encode("utf-8")  # what a terminal or a pipe would have to take
    except UnicodeEncodeError as exc:
        return {"outcome": "crash", "type": f"output a terminal cannot print: {exc}", "detail": ascii(text[-500:])}
    if status == 0:
        return {"outcome": "ok", "type": "exit 0"}
    verdict = last.split(": ", 1)
    if verdict[0].startswith("not readable as"):
        return {"outcome": "error", "type": f"{verdict[0]}: {error_type(verdict[1]) if len(verdict) > 1 else ''}"}
    return {"outcome": "error", "type": error_type(last)}


class _Polling:
    """One event loop and one `Poller` (no host spacing) for all polls of the child."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry

        from newsmon.connectors.poller import Poller
        from newsmon.metrics import Metrics

        self.loop = asyncio.new_event_loop()
        self.poller = Poller(Metrics(CollectorRegistry()), lambda: NOW, host_spacing=0.0)


_polling: _Polling | None = None


def _poll(doc: Doc, index: int, url: str, verdicts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    global _polling
    from prometheus_client import CollectorRegistry

    from newsmon.connectors.detect_kind import detect_kind
    from newsmon.metrics import Metrics
    from newsmon.settings import SourceSettings

    _polling = _polling or _Polling()
    detected = detect_kind(doc.data, doc.content_type)
    target = {"rss": "rss", "liveblog": "liveblog", "guardian": "guardian"}.get(detected.source_kind or "")
    target = target or _IN_TURN[index % len(_IN_TURN)]
    kind, options = PARSERS[target]
    source = SourceSettings(id=f"fuzz-{index}", kind=kind, url=url, options=options)

    async def sink(entry: Any) -> None:
        pass

    # a fresh registry per poll: the counters are this document's, and reading them does not get
    # slower with every source polled before
    _polling.poller.metrics = metrics = Metrics(CollectorRegistry())
    result = _polling.loop.run_until_complete(_polling.poller.poll_once(source, sink))
    registry = metrics.registry
    state = _polling.poller.states.pop(source.id)
    _polling.poller._configs.pop(source.id, None)
    errors = {cls: registry.get_sample_value("newsmon_source_errors_total", {"source": source.id, "class": cls})
              for cls in ("unreadable", "network", "timeout", "too-large", "http-4xx", "http-5xx", "sink")}
    counted = {cls: n for cls, n in errors.items() if n}
    warned = registry.get_sample_value("newsmon_source_document_warnings_total", {"source": source.id}) or 0
    direct = verdicts.get(target) or _parse(target, doc)
    what = f"{target}: {result.outcome}"
    if result.outcome == "error":
        if counted != {"unreadable": 1.0} and not (counted == {"too-large": 1.0} and len(doc.data) > 8 << 20):
            return {"outcome": "uncounted", "type": f"{what}, counted {counted}"}
        if direct["outcome"] not in ("error", "crash"):  # a crash is reported at its parser
            return {"outcome": "uncounted", "type": f"{what} though the parser said {direct['outcome']}"}
        return {"outcome": "error", "type": f"{target} unreadable"}
    if counted or direct["outcome"] in ("error", "crash"):
        return {"outcome": "uncounted", "type": f"{what} though the parser said {direct['outcome']}, {counted}"}
    if bool(state.warning) != (direct["outcome"] == "warning") or warned != (1 if state.warning else 0):
        return {"outcome": "uncounted", "type": f"{what}, warning {state.warning!r} counted {warned}"}
    return {"outcome": "warning" if state.warning else "ok", "type": what, "n": len(result.entries)}


def run_target(target: str, doc: Doc, index: int, url: str, verdicts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`target` on `doc`, document `index`, which the local server serves at `url`."""
    if target in PARSERS:
        return measured(lambda: _parse(target, doc))
    if target == "detect":
        return measured(lambda: _detect(doc))
    if target == "sources-test":
        return measured(lambda: _sources_test(url))
    if target == "poll":
        return measured(lambda: _poll(doc, index, url, verdicts))
    raise ValueError(f"unknown target {target!r}")
