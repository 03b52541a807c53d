"""The worker's live story timeline: ``GET /timeline`` (page) and ``GET /timeline.json`` (data).

Two agents read the analysed and the alerts topics into a `newsmon.timeline.Timeline`.
They take nothing away from the real stages: within one Faust app every
agent iterates over its own clone of the topic, and the conductor hands each
message to every subscribed channel (`faust.transport.conductor`,
``ConductorHandler.on_message``), counting one reference per channel; the
offset becomes committable only when all of them acked (``Message.ack``), so
the deliver stage's manual acks keep their meaning.  A record that does not
decode is skipped here (the real stage already dead-letters it).

What a worker shows is what *this* process consumed since it started, i.e.
the stories of the partitions it owns: analyses are keyed by scope, alerts by
story, so with several workers a story's entries and its alerts may be on
different workers' pages (a card built from an alert alone has
``complete: false``).  The timeline is memory only: after a restart it fills
again with new records, and stories of partitions handed to another worker in
a rebalance stay until they age out.

The page is self-contained (inline CSS and JS, no external assets) and
refetches ``/timeline.json`` every 2 s.  All publisher text is put in the DOM
with ``textContent``; the Content-Security-Policy allows only this page's own
script and style (by hash), so even an injected element could not run code.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any

import faust

from newsmon.agents.context import Context
from newsmon.streams.records import decode_alert, decode_analysis
from newsmon.timeline import Timeline

log = logging.getLogger("newsmon.agents.timeline")

REFRESH_MS = 2000

STYLE = """
:root { color-scheme: light; --fg: #1d2330; --muted: #5d6675; --line: #dde2ea; --bg: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
header.top { position: sticky; top: 0; background: #1d2330; color: #fff; padding: 10px 18px;
             display: flex; gap: 16px; align-items: baseline; z-index: 1; }
header.top h1 { font-size: 17px; margin: 0; }
#status { color: #c5ccd8; font-size: 12px; }
#status.error { color: #ffb4a8; }
main { max-width: 1100px; margin: 0 auto; padding: 14px 18px 40px; }
.empty { color: var(--muted); padding: 30px 0; text-align: center; }
.story { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px;
         margin: 0 0 14px; }
.story.is-contested { border-left: 5px solid #c2410c; }
.story h2 { font-size: 17px; margin: 0 0 2px; }
.story.compact { padding: 6px 16px; margin-bottom: 6px; display: flex; flex-wrap: wrap; gap: 4px 10px;
                 align-items: baseline; }
.story.compact h2 { font-size: 14px; font-weight: 600; margin: 0; }
.story.compact .chip, .story.compact .entry-time, .story.compact .entry-id { margin: 0; }
.story.compact a { text-decoration: none; }
.meta { color: var(--muted); font-size: 12px; }
.meta > span + span::before { content: "\\00b7"; margin: 0 6px; }
.chips { margin: 6px 0; }
.chip { display: inline-block; background: #e8eefc; color: #1e3a8a; border-radius: 10px;
        padding: 1px 8px; margin: 0 4px 3px 0; font-size: 12px; }
.chip.small { font-size: 11px; padding: 0 6px; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; font-weight: 600;
         text-transform: uppercase; letter-spacing: .02em; margin-right: 6px; background: #e5e7eb; }
.badge.contested, .badge.contests { background: #ffedd5; color: #9a3412; }
.badge.duplicate { background: #f1f5f9; color: #475569; }
.badge.sev-critical { background: #fee2e2; color: #991b1b; }
.badge.sev-high, .badge.sev-warning { background: #fef3c7; color: #92400e; }
.badge.sev-info, .badge.sev-low { background: #e0f2fe; color: #075985; }
.badge.verified { background: #dcfce7; color: #166534; }
.badge.unverified { background: #fef9c3; color: #854d0e; }
.badge.disputed { background: #ffedd5; color: #9a3412; }
.lang { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px;
        font-size: 11px; color: var(--muted); margin-right: 6px; text-transform: uppercase; }
h3 { font-size: 12px; text-transform: uppercase; color: var(--muted); margin: 10px 0 4px; letter-spacing: .04em; }
ul, ol { margin: 0; padding-left: 18px; }
li { margin: 2px 0; }
ol.entries li { padding: 3px 0; border-top: 1px dashed var(--line); list-style: none; margin-left: -18px; }
ol.entries li:first-child { border-top: 0; }
.entry-time { color: var(--muted); font-size: 12px; margin-right: 6px; font-variant-numeric: tabular-nums; }
.entry-id { color: var(--muted); font-size: 11px; margin-left: 6px; }
.marker { font-size: 12px; color: #9a3412; margin-left: 4px; }
.marker.dup { color: #475569; }
.more { color: var(--muted); font-size: 12px; }
a { color: inherit; }
"""

SCRIPT = """
"use strict";
const REFRESH_MS = __REFRESH_MS__;

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function token(value) { return String(value || "").toLowerCase().replace(/[^a-z0-9-]/g, ""); }
function when(iso) {
  if (!iso) return "time unknown";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? String(iso) : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
function clock(iso) {
  const d = new Date(iso || "");
  return isNaN(d.getTime()) ? "--:--" : d.toISOString().slice(11, 16);
}
function keyText(key) { return String(key || "").split("\\u001f").join(" \\u00b7 "); }
function linked(url, text) {
  if (/^https?:\\/\\//i.test(String(url || ""))) {
    const a = el("a", null, text);
    a.href = url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }
  return el("span", null, text);
}
function chips(topics, small) {
  const box = el("div", "chips");
  for (const t of topics || []) box.appendChild(el("span", small ? "chip small" : "chip", t));
  return box;
}
function claimText(c) {
  const parts = [c.kind];
  if (c.claimant) parts.push("claimant: " + c.claimant);
  if (c.place) parts.push("place: " + c.place);
  return parts.join(" \\u2014 ");
}
function claimItem(c) {
  const li = el("li");
  const status = token(c.verification) || (c.verified ? "verified" : "unverified");
  li.appendChild(el("span", "badge " + status, status));
  li.appendChild(el("span", null, claimText(c)));
  return li;
}
function section(title, list) {
  const frag = document.createDocumentFragment();
  frag.appendChild(el("h3", null, title));
  frag.appendChild(list);
  return frag;
}

function renderEntry(e) {
  const li = el("li", "entry");
  li.dataset.key = e.key;
  li.appendChild(el("span", "entry-time", clock(e.time)));
  if (e.language) li.appendChild(el("span", "lang", e.language)).title = "language";
  li.appendChild(linked(e.url, e.title || "(untitled)"));
  li.appendChild(el("span", "entry-id", keyText(e.key)));
  if (e.duplicate_of) {
    const original = e.duplicate_of_title || keyText(e.duplicate_of);
    li.appendChild(el("span", "marker dup", " \\u21b3 duplicate of: " + original));
  }
  if (e.contests) {
    const m = el("span", "marker contests");
    m.appendChild(el("span", "badge contests", "contests"));
    m.appendChild(el("span", null, e.contests_headline || keyText(e.contests)));
    li.appendChild(m);
  }
  if (e.roundup) li.appendChild(el("span", "marker dup", " (roundup)"));
  if (e.updated) li.appendChild(el("span", "marker dup", " (edited)"));
  if ((e.topics || []).length) li.appendChild(chips(e.topics, true));
  if ((e.claims || []).length) {
    const ul = el("ul", "claims");
    for (const c of e.claims) ul.appendChild(claimItem(c));
    li.appendChild(ul);
  }
  return li;
}

function isPlain(s) {
  // one entry, the story's own, with nothing to flag: shown as a one-line row
  const entries = s.entries || [];
  return entries.length === 1 && entries[0].key === s.id && s.entry_count === 1 && s.complete &&
    !entries[0].contests && !entries[0].duplicate_of && !(s.alerts || []).length &&
    !(s.claims || []).length && !(s.contested_by || []).length;
}

function renderRow(s) {
  const row = el("article", "story compact");
  row.dataset.story = s.id;
  row.appendChild(el("span", "entry-time", when(s.time)));
  if (s.entries[0].language) row.appendChild(el("span", "lang", s.entries[0].language)).title = "language";
  const head = el("h2");
  head.appendChild(linked(s.entries[0].url, s.headline || "(untitled story)")).className = "headline";
  row.appendChild(head);
  for (const t of s.topics || []) row.appendChild(el("span", "chip small", t));
  row.appendChild(el("span", "entry-id", keyText(s.id)));
  return row;
}

function renderStory(s) {
  if (isPlain(s)) return renderRow(s);
  const contested = (s.contested_by || []).length > 0;
  const card = el("article", contested ? "story is-contested" : "story");
  card.dataset.story = s.id;
  const head = el("h2");
  if (contested) head.appendChild(el("span", "badge contested", "contested"));
  head.appendChild(el("span", "headline", s.headline || "(untitled story)"));
  card.appendChild(head);
  const meta = el("div", "meta");
  meta.appendChild(el("span", null, when(s.time)));
  meta.appendChild(el("span", null, "story " + keyText(s.id)));
  meta.appendChild(el("span", null, s.entry_count + (s.entry_count === 1 ? " entry" : " entries")));
  if ((s.languages || []).length) meta.appendChild(el("span", "languages", "language " + s.languages.join(", ")));
  if (!s.complete) meta.appendChild(el("span", null, "first entry not seen by this worker"));
  card.appendChild(meta);
  if ((s.topics || []).length) card.appendChild(chips(s.topics, false));

  if ((s.alerts || []).length) {
    const ul = el("ul", "alerts");
    for (const a of s.alerts) {
      const li = el("li");
      li.appendChild(el("span", "badge sev-" + token(a.severity), a.severity));
      let text = a.rule + " \\u00b7 " + a.kind + " \\u00b7 revision " + a.revision;
      if (a.suppressed) text += " \\u00b7 suppressed (" + a.suppressed + ")";
      li.appendChild(el("span", null, text));
      ul.appendChild(li);
    }
    card.appendChild(section("Alerts", ul));
  }
  if ((s.claims || []).length) {
    const ul = el("ul", "claims");
    for (const c of s.claims) ul.appendChild(claimItem(c));
    card.appendChild(section("Claims", ul));
  }
  if (contested) {
    const ul = el("ul", "contested-by");
    for (const c of s.contested_by) {
      const li = el("li");
      li.appendChild(el("span", "badge contested", "contested by"));
      li.appendChild(el("span", null, c.title || keyText(c.entry)));
      li.appendChild(el("span", "entry-id", keyText(c.entry)));
      ul.appendChild(li);
    }
    card.appendChild(section("Contested by", ul));
  }
  const ol = el("ol", "entries");
  for (const e of s.entries || []) ol.appendChild(renderEntry(e));
  card.appendChild(section("Entries", ol));
  const hidden = s.entry_count - (s.entries || []).length;
  if (hidden > 0) card.appendChild(el("div", "more", "+ " + hidden + " older entries not shown"));
  return card;
}

function render(data) {
  const stories = data.stories || [];
  const frag = document.createDocumentFragment();
  if (!stories.length) frag.appendChild(el("div", "empty", "No stories yet."));
  for (const s of stories) frag.appendChild(renderStory(s));
  document.getElementById("stories").replaceChildren(frag);
  const status = document.getElementById("status");
  status.className = "";
  status.textContent = stories.length + (stories.length === 1 ? " story" : " stories") +
    " \\u00b7 updated " + when(data.generated);
}

async function refresh() {
  try {
    const response = await fetch("/timeline.json", {cache: "no-store"});
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
  } catch (err) {
    const status = document.getElementById("status");
    status.className = "error";
    status.textContent = "refresh failed: " + err.message + " (retrying)";
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}
refresh();
""".replace("__REFRESH_MS__", str(REFRESH_MS))

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsmon \u00b7 story timeline</title>
<style>{STYLE}</style>
</head>
<body>
<header class="top"><h1>newsmon \u00b7 story timeline</h1><span id="status">loading\u2026</span></header>
<main id="stories"><div class="empty">Loading\u2026</div></main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (f"default-src 'none'; script-src {_sha256(SCRIPT)}; style-src {_sha256(STYLE)}; connect-src 'self'; "
       "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def attach(app: faust.App, ctx: Context) -> Timeline:
    timeline = Timeline()

    async def timeline_analysed(stream: Any) -> None:
        async for event in stream.events():
            try:
                timeline.add_analysis(decode_analysis(event.value))
            except Exception as exc:  # the rules stage dead-letters it; the page just goes on
                log.debug("timeline: skipped an analysis record: %s", exc)

    async def timeline_alerts(stream: Any) -> None:
        async for event in stream.events():
            try:
                timeline.add_alert(decode_alert(event.value))
            except Exception as exc:  # the deliver stage dead-letters it
                log.debug("timeline: skipped an alert record: %s", exc)

    app.agent(ctx.topics.analysed, name="newsmon.timeline-analysed")(timeline_analysed)
    app.agent(ctx.topics.alerts, name="newsmon.timeline-alerts")(timeline_alerts)

    @app.page("/timeline")
    async def page(view: Any, request: Any) -> Any:
        return view.html(PAGE, headers=dict(PAGE_HEADERS))

    @app.page("/timeline.json")
    async def data(view: Any, request: Any) -> Any:
        return view.json(timeline.snapshot(ctx.clock()), headers={"Cache-Control": "no-store",
                                                                  "X-Content-Type-Options": "nosniff"})

    return timeline
