"""Grouping, inhibition and rate limits in a real worker (rules and deliver agents) on a real broker.

Analyses or alerts are produced straight to their topics with the wire encoders; the receivers are
real HTTP servers on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from support import Received, Receiver, Worker, consume_until, produce, run

from newsmon.model import Alert, AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.streams.records import encode_alert, encode_analysis
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration


def channel(name: str, url: str, kind: str = "webhook", **options: object) -> str:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in options.items())
    return f'\n[[channels]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n{extra}'


def alert(story: str, place: str, revision: int = 0) -> Alert:
    now = datetime.now(UTC)
    return Alert(f"id-{story}", "breakthrough-claim", "critical",
                 AlertKind.FIRED if revision == 0 else AlertKind.UPDATED, f"blog\x1f{story}", f"blog\x1f{story}",
                 "blog", f"Claimed breakthrough {story}", "The ministry said ...", f"https://blog.example/#{story}",
                 now, revision, ("breakthrough-claim",), Claim("breakthrough", "Russian defence ministry", place),
                 contested_by=("blog\x1fE10",) if revision else (), first_seen=now)


def send_alerts(kafka: str, worker: Worker, alerts: list[Alert]) -> None:
    run(produce(kafka, Topics.for_prefix(worker.prefix).alerts, [(a.story.encode(), encode_alert(a)) for a in alerts]))


def metric(worker: Worker, line: str) -> float:
    for row in httpx.get(f"{worker.web}/metrics", timeout=5).text.splitlines():
        if row.startswith(line + " "):
            return float(row.rsplit(" ", 1)[1])
    return 0.0


def sections(message: dict[str, Any]) -> list[str]:
    """The alert keys a Slack message carries: a grouped one ends each section with its key in
    backquotes; a single alert's context line ends with its key."""
    blocks = message["blocks"]
    if re.match(r"\d+ alerts?: ", blocks[0]["text"]["text"]):
        return [b["text"]["text"].rsplit("`", 2)[1] for b in blocks if b["type"] == "section"]
    return [blocks[-1]["elements"][0]["text"].rsplit(" · ", 1)[1]]


def test_grouping_by_place_sends_one_slack_message_per_group_and_interval(
    kafka: str, receiver: Receiver, start_worker: Callable[..., Worker]
) -> None:
    worker = start_worker(channel("slack", receiver.url, "slack", group_by=["place"], group_wait="4s",
                                  group_interval="8s"))
    # three stories in Luhansk (one updated within the batch) and one in Kherson
    first = [alert("L1", "Luhansk"), alert("L2", "Luhansk"), alert("K1", "Kherson"), alert("L1", "Luhansk", 1),
             alert("L3", "Luhansk")]
    send_alerts(kafka, worker, first)
    got = receiver.wait_for(lambda reqs: len(reqs) >= 2, timeout=60)
    by_group = {("luhansk" if "Luhansk" in r.json()["text"] else "kherson"): r.json() for r in got}
    assert sorted(sections(by_group["luhansk"])) == ["id-L1.1", "id-L2.0", "id-L3.0"]  # L1.0 superseded
    assert by_group["luhansk"]["blocks"][0]["text"]["text"] == "3 alerts: place=Luhansk"
    assert sections(by_group["kherson"]) == ["id-K1.0"]  # a group of one is an ordinary alert message
    # two more for Luhansk within the group interval: one message with both, not two
    send_alerts(kafka, worker, [alert("L4", "Luhansk"), alert("L5", "Luhansk")])
    got = receiver.wait_for(lambda reqs: len(reqs) >= 3, timeout=60)
    assert sorted(sections(got[2].json())) == ["id-L4.0", "id-L5.0"]
    time.sleep(2)
    assert len(receiver.requests) == 3
    assert metric(worker, 'newsmon_deliveries_total{channel="slack",outcome="delivered"}') == 6
    assert metric(worker, 'newsmon_deliveries_total{channel="slack",outcome="superseded"}') == 1


def _analysis(entry_id: str, topic: str, place: str = "", contests: str | None = None) -> Analysis:
    entry = Entry("blog", entry_id, f"{topic} {place}", "Officials said.", content_hash=content_hash(entry_id, place),
                  seen=datetime.now(UTC))
    claims = (Claim("breakthrough", "ministry", place),) if place else ()
    return Analysis(EntryEvent(EventKind.NEW, entry), contests or entry.key, classification=Classification((topic,)),
                    claims=claims, contests=contests)


def test_an_inhibited_alert_and_its_update_are_recorded_but_not_delivered(
    kafka: str, receiver: Receiver, start_worker: Callable[..., Worker]
) -> None:
    rules = ('\n[[rules]]\nname = "major"\ntopic = "major-offensive"\nseverity = "critical"\n'
             '\n[[rules]]\nname = "advance"\ntopic = "advance"\nseverity = "warning"\n'
             # the operator's own topics, which the analyses below carry
             '\n[detection.taxonomy.topics.major-offensive]\ndescription = "a major offensive"\n'
             '\n[detection.taxonomy.topics.advance]\ndescription = "an advance"\n')
    worker = start_worker(rules + channel("hook", receiver.url))
    topics = Topics.for_prefix(worker.prefix)
    major = _analysis("M1", "major-offensive", "Luhansk")
    advance = _analysis("A1", "advance", "Luhansk")
    denial = _analysis("D1", "denial", contests=advance.story)  # names no place of its own
    run(produce(kafka, topics.analysed, [(b"global", encode_analysis(a)) for a in (major, advance, denial)]))
    records = run(consume_until(kafka, topics.alerts, lambda r: len(r) >= 3, 60))
    alerts = {(a["rule"], a["kind"]): a for a in (json.loads(r.value) for r in records)}  # topic order is per story
    assert {k: a["why"].get("routing", {}).get("suppressed") for k, a in alerts.items()} == {
        ("major", "fired"): None, ("advance", "fired"): "inhibited", ("advance", "updated"): "inhibited"}
    assert alerts["advance", "updated"]["claim"]["place"] == "Luhansk"  # the update carries the thread's labels
    receiver.wait_for(lambda reqs: len(reqs) >= 1, timeout=60)
    time.sleep(2)
    assert [r.json()["rule"] for r in receiver.requests] == ["major"]
    assert metric(worker, 'newsmon_alerts_suppressed_total{reason="inhibited"}') == 2


def test_rate_limit_makes_sends_wait_one_token_per_notification_and_drops_none(
    kafka: str, timed: Callable[[], TimedReceiver], start_worker: Callable[..., Worker]
) -> None:
    hook, slack = timed(), timed()
    worker = start_worker(channel("hook", hook.url, rate_limit="12/m", burst=1)
                          + channel("slack", slack.url, "slack", rate_limit="1/h", burst=1, group_by=["place"],
                                    group_wait="3s"))
    thread = [alert("R1", "Luhansk"), alert("R1", "Luhansk", 1)]  # a revision pays like the alert it revises
    send_alerts(kafka, worker, [*thread, alert("R2", "Luhansk")])
    got = hook.wait_for(lambda reqs: len(reqs) >= 3, timeout=90)
    keys = [r.headers["idempotency-key"] for r in got]
    assert sorted(keys) == ["id-R1.0", "id-R1.1", "id-R2.0"] and keys.index("id-R1.0") < keys.index("id-R1.1")
    stamps = sorted(hook.stamps)
    assert stamps[1] - stamps[0] >= 4.5 and stamps[2] - stamps[1] >= 4.5  # 12/m: one every 5 s
    assert metric(worker, 'newsmon_delivery_throttled_total{channel="hook"}') == 2
    # Slack: the group's three alerts (two revisions of R1 collapse into one) take one token together
    [message] = slack.wait_for(lambda reqs: len(reqs) >= 1, timeout=30)
    assert message.json()["blocks"][0]["text"]["text"] == "2 alerts: place=Luhansk"
    send_alerts(kafka, worker, [alert("R3", "Kherson")])  # over the limit: it waits, it is not dropped
    deadline = time.monotonic() + 30
    while metric(worker, 'newsmon_delivery_throttled_total{channel="slack"}') < 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert metric(worker, 'newsmon_delivery_throttled_total{channel="slack"}') == 1
    assert len(slack.requests) == 1
    assert metric(worker, 'newsmon_deliveries_total{channel="slack",outcome="failed"}') == 0
    # SIGTERM while R3 waits an hour for Slack's token: the worker stops after its bounded drain
    # (not killed), and R3, never acked, is delivered by the next worker -- to Slack only: the
    # hook acknowledged it already
    hook.wait_for(lambda reqs: len(reqs) >= 4, timeout=30)
    assert worker.stop(timeout=45) == 0
    restarted = start_worker(channel("hook", hook.url, rate_limit="12/m", burst=1)
                             + channel("slack", slack.url, "slack", rate_limit="1/h", burst=1, group_by=["place"],
                                       group_wait="3s"), prefix=worker.prefix)
    second = slack.wait_for(lambda reqs: len(reqs) >= 2, timeout=90)[1]
    assert b"R3" in second.body
    time.sleep(1)  # a repeat to the hook would have come before the Slack send (its group waits 3 s)
    assert [r.headers["idempotency-key"] for r in hook.requests].count("id-R3.0") == 1
    assert metric(restarted, 'newsmon_deliveries_total{channel="slack",outcome="delivered"}') == 1


# -- helpers ------------------------------------------------------------------


class TimedReceiver(Receiver):
    """A `support.Receiver` that also records when each request arrived (monotonic seconds)."""

    stamps: list[float]


@pytest.fixture
def timed() -> Iterator[Callable[[], TimedReceiver]]:
    servers: list[ThreadingHTTPServer] = []

    def make() -> TimedReceiver:
        state: dict[str, TimedReceiver] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                rec = state["r"]
                with rec.lock:
                    rec.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    rec.stamps.append(time.monotonic())
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        rec = TimedReceiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
        rec.stamps = []
        state["r"] = rec
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return rec

    try:
        yield make
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
