"""`newsmon sources list` and `newsmon sources test URL`.

``sources list`` prints every configured source with its polling state.  The
state lives in the process that polls (a worker started with sources, or
`newsmon run`); it is read from that worker's ``/sources`` page
(`newsmon.agents.sources_view`) at ``http://{web_host}:{web_port}``, or the
address given with ``--worker``.  Without a worker answering, the
configuration is shown and every source is "never polled".

``sources test URL`` fetches a URL once, the way the poller would (same
User-Agent, size cap, time limit), guesses the kind with
`newsmon.connectors.detect_kind` unless ``--kind`` is given, and prints the
entries a first poll would emit.  When the server sent validators it also
checks that a conditional request is answered with 304.  URL may also be the
id of a configured source (its url, kind and options are used).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tomllib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from newsmon.model import Entry
from newsmon.settings import SOURCE_KINDS, Settings, SourceSettings

__all__ = ["COMMANDS", "add_arguments", "cmd_sources", "describe_sources"]

COMMANDS = ("sources",)

NEVER = "never polled"


def add_arguments(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``sources`` command (with ``list`` and ``test``) to the `newsmon` parser's subcommands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sources", help="list the sources and their polling state, or test a url",
        description="List configured sources with their polling state, or fetch a url once and show the entries "
                    "newsmon would emit.")
    sub = parser.add_subparsers(dest="sources_command", required=True)
    listing = sub.add_parser("list", help="each source: kind, url, state, last success, next poll, errors")
    listing.add_argument("--worker", metavar="URL",
                         help="web address of the worker that polls (default: http://{web_host}:{web_port} "
                              "from the config)")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    test = sub.add_parser("test", help="fetch a url once and print the entries that would be emitted")
    test.add_argument("url", help="an http(s) url, or the id of a configured source")
    test.add_argument("--kind", choices=[k for k in SOURCE_KINDS if k != "replay"],
                      help="parser to use (default: detected from the document)")
    test.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                      help="parser option, value in TOML syntax or a bare string (e.g. -o preset=br24); "
                           "repeatable")
    test.add_argument("--limit", type=int, default=50, help="print at most this many entries (default 50)")
    test.add_argument("--no-recheck", action="store_true",
                      help="skip the second, conditional request that checks for 304 support")
    test.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    return parser


def cmd_sources(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """Run ``sources list`` or ``sources test``; returns the exit status."""
    if args.sources_command == "list":
        return _list(settings, args, out)
    if args.sources_command == "test":
        return asyncio.run(_test(settings, args, out))
    raise ValueError(f"unknown sources command {args.sources_command!r}")


# -- list -----------------------------------------------------------------------------


def describe_sources(sources: Iterable[SourceSettings], states: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One JSON-ready row per source: its configuration merged with its live state, if any.

    `states` maps source id to a `SourceState` or to its `snapshot()` dict.
    Sources with a state but no configuration (another config) come last.
    """
    rows: list[dict[str, Any]] = []
    configured: set[str] = set()
    for source in sources:
        configured.add(source.id)
        row: dict[str, Any] = {
            "id": source.id,
            "kind": source.kind,
            "url": source.url or source.path,
            "status": "replay" if source.kind == "replay" else NEVER,
            "interval_seconds": source.interval,
            "last_success": None,
            "next_poll": None,
            "error_streak": 0,
            "last_error": "",
        }
        state = states.get(source.id)
        if state is not None:
            row.update(_snapshot(state))
        rows.append(row)
    for source_id in sorted(set(states) - configured):
        rows.append({**_snapshot(states[source_id]), "unconfigured": True})
    return rows


def _snapshot(state: Any) -> dict[str, Any]:
    if isinstance(state, Mapping):
        return dict(state)
    return dict(state.snapshot())


def _live(settings: Settings, worker: str | None) -> tuple[dict[str, Any] | None, str]:
    """The worker's /sources payload, or None and why not."""
    import httpx

    base = (worker or f"http://{settings.worker.web_host}:{settings.worker.web_port}").rstrip("/")
    url = f"{base}/sources"
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return None, f"no worker answering at {url} ({type(exc).__name__})"
    if response.status_code != 200:
        return None, f"{url} answered HTTP {response.status_code} (a worker without the sources page?)"
    try:
        payload = response.json()
    except ValueError:
        return None, f"{url} did not answer JSON"
    if not isinstance(payload, dict) or not isinstance(payload.get("sources"), list):
        return None, f"{url} answered something else than a sources list"
    return payload, url


def _list(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    payload, where = _live(settings, args.worker)
    if payload is None:
        rows = describe_sources(settings.sources, {})
        note = f"{where}; showing the configuration only"
    else:
        live = {row["id"]: row for row in payload["sources"] if isinstance(row, dict) and "id" in row}
        polled = {k: v for k, v in live.items() if v.get("status") not in (NEVER, "replay")}
        rows = describe_sources(settings.sources, polled)
        note = f"state from {where}"
        if not payload.get("polling", True):
            note += " (this worker does not run the sources; they may run under `newsmon connect`)"
    if args.json:
        json.dump({"note": note, "sources": rows}, out, indent=2)
        out.write("\n")
        return 0
    now = datetime.now(UTC)
    out.write(f"# {note}\n")
    if not rows:
        out.write("no sources configured\n")
        return 0
    table = [("ID", "KIND", "STATE", "LAST SUCCESS", "NEXT POLL", "ERRORS", "URL")]
    for row in rows:
        table.append((
            str(row["id"]) + (" (not in config)" if row.get("unconfigured") else ""),
            str(row.get("kind", "")),
            str(row.get("status", "")),
            _when(row.get("last_success"), now),
            _when(row.get("next_poll"), now),
            str(row.get("error_streak", 0)),
            str(row.get("url", "")),
        ))
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.write("  ".join([*cells, line[-1]]).rstrip() + "\n")
    for row in rows:
        if row.get("error_streak") and row.get("last_error"):
            out.write(f"{row['id']}: last error: {row['last_error']}\n")
        if row.get("warning"):
            out.write(f"{row['id']}: warning: {row['warning']}\n")
        if row.get("held"):
            out.write(f"{row['id']}: {row['held']} new or edited entries held over to the next polls "
                      "(one document brought more than max_entries)\n")
    return 0


def _when(value: object, now: datetime) -> str:
    """'12:00:03Z (3m ago)' / '(in 45s)' from an ISO time, '-' for none."""
    if not isinstance(value, str) or not value:
        return "-"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - now).total_seconds()
    span = _span(abs(seconds))
    relative = f"in {span}" if seconds > 0 else f"{span} ago"
    stamp = when.astimezone(UTC).strftime("%H:%M:%SZ" if abs(seconds) < 86400 else "%Y-%m-%d %H:%MZ")
    return f"{stamp} ({relative})"


def _span(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f}m"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


# -- test -----------------------------------------------------------------------------


def _options(pairs: Iterable[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"option {pair!r}: expected KEY=VALUE")
        try:
            options[key] = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            options[key] = raw
    return options


def _bad_url(url: str) -> str:
    """Why `url` cannot be fetched as given, or ''."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc)
    if not parts.hostname:
        return "no host"
    if any(c.isspace() for c in parts.netloc):
        return "a space in the host"
    return "" if port is None or port > 0 else "port 0"


async def _test(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from prometheus_client import CollectorRegistry

    from newsmon.connectors.detect_kind import Kind, detect_kind
    from newsmon.connectors.kinds import parser_for
    from newsmon.connectors.parsing import decode_bytes, describe_document
    from newsmon.connectors.poller import MAX_ENTRIES, FetchError, Poller
    from newsmon.metrics import Metrics

    report = _Report(out, as_json=args.json)
    configured = next((s for s in settings.sources if s.id == args.url and s.kind != "replay"), None)
    url = configured.url if configured else args.url
    if not url.startswith(("http://", "https://")):
        return report.fail(f"{args.url!r} is neither an http(s) url nor a configured source id", 2)
    problem = _bad_url(url)
    if problem:
        return report.fail(f"{url!r}: not a valid url ({problem})", 2)
    try:
        options = {**(dict(configured.options) if configured else {}), **_options(args.option)}
    except ValueError as exc:
        return report.fail(str(exc), 2)
    report.info["url"] = url
    poller = Poller(Metrics(CollectorRegistry()), lambda: datetime.now(UTC))
    try:
        try:
            fetched = await poller.fetch(url)
        except FetchError as exc:
            return report.fail(f"GET {url}: failed: {exc}")
        headers = fetched.headers
        content_type = fetched.content_type
        report.line(f"GET {url} -> {fetched.status}, {len(fetched.body)} bytes, {content_type or 'no Content-Type'}"
                    + (f", redirected to {fetched.url}" if fetched.url != url else ""),
                    status=fetched.status, bytes=len(fetched.body), content_type=content_type, final_url=fetched.url)
        validators = [name for name in ("ETag", "Last-Modified") if headers.get(name)]
        report.line(f"validators: {', '.join(validators) or 'none (every poll downloads and compares the body)'}; "
                    f"Cache-Control: {headers.get('cache-control') or '-'}",
                    validators=validators, cache_control=headers.get("cache-control"))
        if validators and not args.no_recheck:
            try:
                again = await poller.fetch(url, etag=headers.get("etag", ""),
                                           last_modified=headers.get("last-modified", ""))
                verdict = ("304 Not Modified: conditional GET works" if again.status == 304
                           else f"{again.status} again: the server ignores the validators")
                recheck: int | str = again.status
            except FetchError as exc:
                verdict = recheck = f"failed: {exc}"
            report.line(f"conditional re-check: {verdict}", conditional_status=recheck)
        detected = detect_kind(fetched.body, content_type)
        report.info["detected"] = detected.value
        kind = args.kind or (configured.kind if configured else None) or detected.source_kind
        if kind is None:
            text = decode_bytes(fetched.body, content_type)
            return report.fail(f"kind: cannot tell ({detected.value}: {describe_document(text)}); give --kind")
        how = "given" if args.kind or configured else f"detected: {detected.value}"
        report.line(f"kind: {kind} ({how})", kind=kind)
        if kind == "html" and not {"preset", "selectors"} & set(options) and detected is Kind.HTML:
            report.line("note: a plain HTML page needs a layout: -o preset=NAME (see connectors/html_selectors.py)")
        notes: list[str] = []
        try:
            entries = parser_for(kind)(fetched.body, fetched.url, source=configured.id if configured else "test",
                                       now=datetime.now(UTC), notes=notes,
                                       **{"content_type": content_type, **options})
        except Exception as exc:  # the parser's verdict is the answer here
            return report.fail(f"not readable as {kind}: {exc}")
        report.info["warnings"] = notes
        for note in notes:
            report.line(f"warning: {note}")
    finally:
        await poller.aclose()

    shown = entries[: max(args.limit, 0)]
    report.line(f"{len(entries)} entries would be emitted on a first poll"
                + (f" (showing {len(shown)})" if len(shown) < len(entries) else ""), count=len(entries))
    cap = options.get("max_entries", MAX_ENTRIES)
    if isinstance(cap, int) and 0 < cap < len(entries):
        report.line(f"note: more than max_entries={cap}: sent on over {-(-len(entries) // cap)} polls, "
                    f"{cap} at a time")
    for entry in shown:
        report.entry(entry)
    report.finish()
    return 0


class _Report:
    """Output of `sources test`: lines for people, or one JSON document."""

    def __init__(self, out: TextIO, *, as_json: bool) -> None:
        self.out = out
        self.as_json = as_json
        self.info: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []

    def line(self, text: str, **info: Any) -> None:
        self.info.update(info)
        if not self.as_json:
            self.out.write(text + "\n")

    def fail(self, message: str, status: int = 1) -> int:
        if self.as_json:
            self.info["error"] = message
            self.finish()
        else:
            self.out.write(message + "\n")
        return status

    def entry(self, entry: Entry) -> None:
        if self.as_json:
            self.entries.append({
                "id": entry.entry_id,
                "published": entry.published.isoformat() if entry.published else None,
                "published_from": entry.published_from.value,
                "modified": entry.modified.isoformat() if entry.modified else None,
                "title": entry.title,
                "flags": sorted(flag.value for flag in entry.flags),
                "url": entry.url,
                "content_hash": entry.content_hash,
            })
            return
        published = entry.published.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ") if entry.published else "-"
        flags = f" [{', '.join(sorted(f.value for f in entry.flags))}]" if entry.flags else ""
        title = entry.title or (entry.body[:80] + ("…" if len(entry.body) > 80 else ""))
        self.out.write(f"\n{published} ({entry.published_from.value}){flags}  {title}\n    id: {entry.entry_id}\n")

    def finish(self) -> None:
        if self.as_json:
            json.dump({**self.info, "entries": self.entries}, self.out, indent=2, ensure_ascii=False)
            self.out.write("\n")
