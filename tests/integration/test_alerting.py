"""Delivery semantics on a real broker, real workers and real HTTP receivers.

Alerts are produced straight to the alerts topic (or analyses to the analysed
topic) with the wire encoders, so these tests exercise rules -> deliver only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from support import Received, Receiver, Worker, consume_until, produce, run

from newsmon.model import Alert, AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.routing import Silence
from newsmon.silences import add as add_silence
from newsmon.streams.records import encode_alert, encode_analysis
from newsmon.streams.topics import Topics
from newsmon.text import content_hash

pytestmark = pytest.mark.integration

SECRET = "alerting-secret"


def channel(name: str, receiver: Receiver, kind: str = "webhook", **options: object) -> str:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in options.items())
    secret = f'secret = "{SECRET}"\n' if kind == "webhook" else ""
    return f'\n[[channels]]\nname = "{name}"\nkind = "{kind}"\nurl = "{receiver.url}"\n{secret}{extra}'


def alert(story: str, revision: int = 0, title: str = "Claimed breakthrough", place: str = "Luhansk") -> Alert:
    now = datetime.now(UTC)
    return Alert(f"id-{story}", "breakthrough-claim", "critical",
                 AlertKind.FIRED if revision == 0 else AlertKind.UPDATED, f"blog\x1f{story}", f"blog\x1f{story}",
                 "blog", title, "The ministry said ...", f"https://blog.example/#{story}", now, revision,
                 ("breakthrough-claim",), Claim("breakthrough", "Russian defence ministry", place, False),
                 contested_by=("blog\x1fE10",) if revision else (), first_seen=now)


def send_alerts(kafka: str, worker: Worker, alerts: list[Alert]) -> None:
    topic = Topics.for_prefix(worker.prefix).alerts
    run(produce(kafka, topic, [(a.story.encode(), encode_alert(a)) for a in alerts]))


def keys(requests: list[object]) -> list[str]:
    return [r.headers["idempotency-key"] for r in requests]  # type: ignore[attr-defined]


def metrics(worker: Worker) -> str:
    return httpx.get(f"{worker.web}/metrics", timeout=5).text


def test_retries_500_and_429_with_retry_after_and_dead_letters_a_404(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    hook = hooks(responses=[500, (429, {"Retry-After": "2"})])
    gone = hooks(default=404)
    worker = start_worker(channel("hook", hook, max_backoff="1s") + channel("gone", gone))
    a = alert("S1")
    send_alerts(kafka, worker, [a])
    got = hook.wait_for(lambda reqs: len(reqs) >= 3, timeout=30)
    assert keys(got) == [a.idempotency_key] * 3
    stamps = [r.at for r in got]  # type: ignore[attr-defined]
    assert stamps[2] - stamps[1] >= 1.9, "Retry-After: 2 was not honoured"
    for request in got:  # signature verifiable with only the documented algorithm
        parts = dict(p.split("=", 1) for p in request.headers["x-newsmon-signature"].split(","))
        expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + request.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(parts["v1"], expected)
    dead = run(consume_until(kafka, Topics.for_prefix(worker.prefix).deadletter, lambda r: len(r) >= 1, 30))
    letter = json.loads(dead[0].value)
    assert (letter["stage"], letter["channel"], letter["status"]) == ("deliver", "gone", 404)
    assert letter["response"] == "no such hook" and letter["alert"]["idempotency_key"] == a.idempotency_key
    assert gone.url not in dead[0].value.decode()
    time.sleep(1.5)
    assert len(gone.requests) == 1  # a refusal is not retried
    text = metrics(worker)
    assert 'newsmon_deliveries_total{channel="gone",outcome="failed"} 1.0' in text
    assert 'newsmon_deliveries_total{channel="gone",outcome="delivered"} 0.0' in text or \
        'newsmon_deliveries_total{channel="gone",outcome="delivered"}' not in text
    assert 'newsmon_deliveries_total{channel="hook",outcome="retry"} 2.0' in text
    assert 'newsmon_deliveries_total{channel="hook",outcome="delivered"} 1.0' in text


def test_one_channel_down_does_not_block_the_other_and_gets_its_backlog_in_order(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    up, down = hooks(), hooks(default=503)
    worker = start_worker(channel("up", up) + channel("down", down, max_backoff="0.5s"))
    thread = [alert("S1", r) for r in range(3)]
    others = [alert(f"S{n}") for n in range(2, 8)]
    send_alerts(kafka, worker, [thread[0], *others, thread[1], thread[2]])
    got = up.wait_for(lambda reqs: len(reqs) >= 9, timeout=30)
    assert sorted(keys(got)) == sorted(a.idempotency_key for a in [*thread, *others])
    assert [k for k in keys(got) if k.startswith("id-S1.")] == ["id-S1.0", "id-S1.1", "id-S1.2"]
    assert len(down.requests) >= 3  # it was being retried meanwhile
    down.default = 200  # the channel recovers: it receives its backlog, in order per story
    recovered = down.wait_for(lambda reqs: len({k for r in reqs if r.status == 200  # type: ignore[attr-defined]
                                                for k in keys([r])}) >= 9, timeout=30)
    accepted = [r for r in recovered if r.status == 200]  # type: ignore[attr-defined]
    assert [k for k in keys(accepted) if k.startswith("id-S1.")] == ["id-S1.0", "id-S1.1", "id-S1.2"]
    assert len(up.requests) == 9, "the healthy channel got something twice"


def test_slack_payload_has_blocks_and_fallback_text(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    receiver = hooks()
    worker = start_worker(channel("slack", receiver, kind="slack", story_url="https://desk.example/s/{story}"))
    send_alerts(kafka, worker, [alert("S1")])
    receiver.wait_for(lambda reqs: len(reqs) >= 1, timeout=60)
    send_alerts(kafka, worker, [alert("S1", 1)])  # the thread's update, later (a batch would merge them)
    got = receiver.wait_for(lambda reqs: len(reqs) >= 2, timeout=60)
    first, update = (r.json() for r in got)
    assert first["text"].startswith("[ALERT] CRITICAL breakthrough-claim: Claimed breakthrough")
    header, _summary, section, why, _context = first["blocks"]
    assert "place Luhansk; unverified" in why["elements"][0]["text"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Claimed breakthrough",
                                                 "emoji": False}}
    fields = [f["text"] for f in section["fields"]]
    assert fields[:3] == ["*Claimant*\nRussian defence ministry", "*Place*\nLuhansk",
                          "*Verification*\nnot independently verified"]
    assert "*Source*\n<https://blog.example/#S1|blog>" in fields
    assert "*Story*\n<https://desk.example/s/blog\x1fS1|blog:S1>" in fields
    assert update["blocks"][0]["text"]["text"] == "Update #1: Claimed breakthrough"
    assert any(f["text"] == "*Contested by*\nblog:E10" for f in update["blocks"][2]["fields"])
    assert receiver.url not in worker.output()


def _analysis(entry_id: str, place: str) -> Analysis:
    entry = Entry("blog", entry_id, f"Breakthrough claimed near {place}", "Officials said.",
                  content_hash=content_hash(entry_id, place), seen=datetime.now(UTC))
    return Analysis(EntryEvent(EventKind.NEW, entry), entry.key,
                    classification=Classification(("breakthrough-claim",)),
                    claims=(Claim("breakthrough", "ministry", place),))


def test_silenced_alert_is_recorded_with_the_reason_but_not_delivered(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    receiver = hooks()
    prefix = "silence" + str(int(time.time()))
    silences = tmp_path / f"worker-{prefix}" / "silences.json"
    add_silence(silences, Silence("s1", {"place": "bakh*"}, datetime(2100, 1, 1, tzinfo=UTC)), datetime.now(UTC))
    worker = start_worker(channel("hook", receiver), prefix=prefix)
    topics = Topics.for_prefix(worker.prefix)
    muted, loud = _analysis("E1", "Bakhmut"), _analysis("E2", "Kherson")
    run(produce(kafka, topics.analysed, [(b"global", encode_analysis(a)) for a in (muted, loud)]))
    got = receiver.wait_for(lambda reqs: len(reqs) >= 1, timeout=30)
    records = run(consume_until(kafka, topics.alerts, lambda r: len(r) >= 2, 30))
    why = {json.loads(r.value)["story"]: json.loads(r.value)["why"] for r in records}
    assert why[muted.story]["routing"]["suppressed"] == "silenced"
    assert why[muted.story]["routing"]["silence"] == "s1"
    time.sleep(1.5)
    assert [r.json()["story"] for r in receiver.requests] == [loud.story] == [got[0].json()["story"]]
    assert 'newsmon_alerts_suppressed_total{reason="silenced"} 1.0' in metrics(worker)


def test_a_backlog_read_in_one_burst_is_windowed_by_event_time_with_a_repeat_reminder(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    """Hours of analyses reach the worker within a second: the window counts by when they happened."""
    receiver = hooks()
    rule = ('\n[[rules]]\nname = "casualty-wave"\nkind = "count-in-window"\ntopic = "casualties"\n'
            'threshold = 3\nwindow = "3h"\nrepeat_interval = "2h"\n')
    worker = start_worker(rule + channel("hook", receiver))
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    hours = [0, 3.5, 7.5, 10, 10.02, 10.04, 11, 12.5]  # the spread three are never 3 within 3h
    analyses = []
    for i, h in enumerate(hours):
        entry = Entry("blog", f"C{i}", f"Casualty report {i}", "Officials said.",
                      content_hash=content_hash(str(i), "c"), seen=datetime.now(UTC))
        analyses.append(Analysis(EntryEvent(EventKind.NEW, entry), entry.key,
                                 classification=Classification(("casualties",)), at=t0 + timedelta(hours=h)))
    topics = Topics.for_prefix(worker.prefix)
    run(produce(kafka, topics.analysed, [(b"global", encode_analysis(a)) for a in analyses]))
    got = receiver.wait_for(lambda reqs: len(reqs) >= 2, timeout=30)
    time.sleep(1.5)  # nothing else may follow
    bodies = [r.json() for r in receiver.requests]
    assert [(b["kind"], b["revision"]) for b in bodies] == [("fired", 0), ("repeated", 1)]
    assert bodies[0]["why"]["stories"] == [a.story for a in analyses[2:5]]  # 7.5h, 10h, 10.02h
    assert bodies[1]["why"]["count"] == 5 and bodies[0]["alert_id"] == bodies[1]["alert_id"]
    assert got[0].headers["idempotency-key"] != got[1].headers["idempotency-key"]


def test_silence_added_while_a_channel_is_down_stops_its_backlog(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    hook = hooks(default=503)  # the receiver is down: the alert waits in the channel's backlog
    prefix = "late-silence" + str(int(time.time()))
    worker = start_worker(channel("hook", hook, max_backoff="0.3s"), prefix=prefix)
    send_alerts(kafka, worker, [alert("L1", place="Luhansk"), alert("K1", place="Kherson")])
    hook.wait_for(lambda reqs: {"id-L1.0", "id-K1.0"} <= set(keys(reqs)), timeout=60)
    silences = tmp_path / f"worker-{prefix}" / "silences.json"
    add_silence(silences, Silence("late", {"place": "luhansk"}, datetime(2100, 1, 1, tzinfo=UTC)), datetime.now(UTC))
    time.sleep(2)  # the worker sees the new silence within a second
    with hook.lock:
        hook.default = 200  # the receiver is back
        since = len(hook.requests)
    hook.wait_for(lambda reqs: any(r.status == 200 for r in reqs[since:]), timeout=60)  # type: ignore[attr-defined]
    time.sleep(2)
    accepted = [k for k, r in zip(keys(hook.requests), hook.requests, strict=True) if r.status == 200]  # type: ignore[attr-defined]
    assert accepted == ["id-K1.0"]  # the silenced alert was not delivered once the receiver came back
    assert 'newsmon_alerts_suppressed_total{reason="silenced"} 1.0' in metrics(worker)


def test_kill_9_mid_delivery_then_restart_delivers_every_alert(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    n = 40
    hook = hooks(default=500, responses=[200] * 8)  # some delivered, the rest failing when the worker dies
    worker = start_worker(channel("hook", hook, max_backoff="0.3s"))
    alerts = [alert(f"K{i}") for i in range(n)]
    expected = {a.idempotency_key for a in alerts}
    send_alerts(kafka, worker, alerts)
    hook.wait_for(lambda reqs: len(reqs) >= 30, timeout=30)
    worker.stop(signal.SIGKILL)
    with hook.lock:
        before = len(hook.requests)
        hook.default = 200  # the receiver is healthy again
    start_worker(channel("hook", hook, max_backoff="0.3s"), prefix=worker.prefix)

    def accepted(reqs: list[Received]) -> Counter[str]:
        return Counter(keys([r for r in reqs if r.status == 200]))  # type: ignore[attr-defined]

    # the new worker takes over once the broker has expired the killed one (session timeout, 10 s)
    got = hook.wait_for(lambda reqs: set(accepted(reqs)) >= expected, timeout=120)
    time.sleep(2)  # anything re-sent wrongly would arrive by now
    got = list(hook.requests)
    counts = accepted(got)
    assert set(counts) == expected  # a receiver that drops repeated keys shows each alert exactly once
    acknowledged_before = {k for r in got[:before] if r.status == 200 for k in keys([r])}  # type: ignore[attr-defined]
    resent = [k for k in keys(got[before:]) if k in acknowledged_before]
    # what was acknowledged before the crash is not sent again (the delivery-state table), except a write
    # lost in the last moment before kill -9 (then the receiver drops it by its Idempotency-Key)
    assert len(resent) <= 2, resent


def test_sigterm_lets_the_delivery_in_flight_finish(
    kafka: str, hooks: Callable[..., Hook], start_worker: Callable[..., Worker]
) -> None:
    hook = hooks()
    hook.delay = 2.0  # a slow receiver: the delivery is in flight when the worker is told to stop
    worker = start_worker(channel("hook", hook))
    send_alerts(kafka, worker, [alert("G1")])
    hook.wait_for(lambda reqs: len(reqs) >= 1, timeout=60)
    assert worker.stop(signal.SIGTERM) == 0
    hook.delay = 0.0
    # A restarted worker finds the alert acknowledged and its offset committed: nothing is re-sent.
    again = start_worker(channel("hook", hook), prefix=worker.prefix)
    send_alerts(kafka, again, [alert("G2")])
    got = hook.wait_for(lambda reqs: "id-G2.0" in keys(reqs), timeout=60)
    time.sleep(1)
    assert keys(list(hook.requests)) == ["id-G1.0", "id-G2.0"], keys(got)
    assert "still in flight" not in worker.output()


# -- helpers ------------------------------------------------------------------


class Hook(Receiver):
    """A `support.Receiver` whose requests also record the answer (`status`) and arrival time (`at`)."""

    default: int = 200
    delay: float = 0.0  # seconds the receiver takes before it answers
    server: ThreadingHTTPServer | None = None


@pytest.fixture
def hooks() -> Iterator[Callable[..., Hook]]:
    servers: list[ThreadingHTTPServer] = []

    def make(default: int = 200, responses: list[object] | None = None) -> Hook:
        state: dict[str, Hook] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                rec = state["r"]
                received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with rec.lock:
                    answer = rec.responses.pop(0) if rec.responses else rec.default
                    status, headers = answer if isinstance(answer, tuple) else (answer, {})
                    received.status = status  # type: ignore[attr-defined]
                    received.at = time.monotonic()  # type: ignore[attr-defined]
                    rec.requests.append(received)
                time.sleep(rec.delay)
                text = b"no such hook" if status == 404 else b"ok"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args: object) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        hook = Hook(url=f"http://127.0.0.1:{server.server_address[1]}/hook", responses=list(responses or []))
        hook.default = default
        state["r"] = hook
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return hook

    try:
        yield make
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
