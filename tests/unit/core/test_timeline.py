"""The timeline keeps recent stories with their entries, claims, contests and alerts, bounded, newest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsmon.model import Alert, AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.streams.records import decode_alert, decode_analysis, encode_alert, encode_analysis
from newsmon.timeline import Timeline

T0 = datetime(2023, 2, 15, 6, 0, tzinfo=UTC)
CLAIM = Claim("breakthrough", "Russian defence ministry", "Luhansk", False, "Russian troops have broken through")


def key(entry_id: str) -> str:
    return f"seed\x1f{entry_id}"


def analysis(entry_id: str, minutes: int, *, story: str | None = None, title: str = "", topics: tuple[str, ...] = (),
             claims: tuple[Claim, ...] = (), duplicate_of: str | None = None, contests: str | None = None,
             kind: EventKind = EventKind.NEW, url: str = "", language: str = "") -> Analysis:
    entry = Entry(source="seed", entry_id=entry_id, title=title or f"Title {entry_id}", body="b", url=url,
                  published=T0 + timedelta(minutes=minutes), content_hash=f"h-{entry_id}-{kind.value}")
    return Analysis(EntryEvent(kind, entry), story=story or entry.key, duplicate_of=duplicate_of,
                    classification=Classification(topics), claims=claims, contests=contests, language=language)


def alert(story: str, *, revision: int = 0, kind: AlertKind = AlertKind.FIRED, contested_by: tuple[str, ...] = (),
          title: str = "Russia says it has broken through", minutes: int = 0) -> Alert:
    return Alert(f"breakthrough-claim:{story}", "breakthrough-claim", "critical", kind, story, story, "seed", title,
                 "summary", "https://example.org/", T0 + timedelta(minutes=minutes), revision=revision,
                 claim=CLAIM, contested_by=contested_by)


def stories(timeline: Timeline) -> list[dict[str, Any]]:
    snapshot = timeline.snapshot(T0)
    json.dumps(snapshot)  # the page's payload is plain JSON
    result: list[dict[str, Any]] = snapshot["stories"]
    return result


def test_breakthrough_story_with_its_duplicate_contest_and_alerts() -> None:
    tl = Timeline()
    breakthrough = "Russia says it has broken through defences in Ukraine's Luhansk"
    tl.add_analysis(analysis("E24", 0, title=breakthrough, topics=("breakthrough-claim", "combat"), claims=(CLAIM,)))
    tl.add_alert(alert(key("E24")))
    tl.add_analysis(analysis("E11", 60, story=key("E24"), duplicate_of=key("E24"), claims=(CLAIM,),
                             topics=("breakthrough-claim", "combat")))
    tl.add_analysis(analysis("E10", 217, story=key("E24"), contests=key("E24"), topics=("combat",),
                             title="Ukraine says it has repelled Russian attacks in Luhansk region"))
    tl.add_alert(alert(key("E24"), revision=1, kind=AlertKind.UPDATED, contested_by=(key("E10"),), minutes=217))

    [story] = stories(tl)
    assert story["id"] == key("E24") and story["headline"] == breakthrough and story["complete"]
    assert story["time"] == T0.isoformat()
    assert story["topics"] == ["breakthrough-claim", "combat"]
    assert story["claims"] == [{"kind": "breakthrough", "claimant": "Russian defence ministry", "place": "Luhansk",
                                "verified": False, "verification": "unverified",
                                "entry": key("E24")}]  # the duplicate's same claim once
    assert [e["id"] for e in story["entries"]] == ["E24", "E11", "E10"]
    _, e11, e10 = story["entries"]
    assert e11["duplicate_of"] == key("E24") and e11["duplicate_of_title"] == breakthrough
    assert e10["contests"] == key("E24") and e10["contests_headline"] == breakthrough
    assert story["contested_by"] == [{"entry": key("E10"), "story": key("E24"),
                                      "title": "Ukraine says it has repelled Russian attacks in Luhansk region"}]
    assert [(a["kind"], a["revision"], a["severity"]) for a in story["alerts"]] == [("updated", 1, "critical")]
    assert story["alerts"][0]["contested_by"] == [key("E10")]


def test_newest_story_first_and_entries_in_time_order() -> None:
    tl = Timeline()
    tl.add_analysis(analysis("A", 10))
    tl.add_analysis(analysis("B", 30))
    tl.add_analysis(analysis("C", 20))
    tl.add_analysis(analysis("A2", 5, story=key("A")))  # read late, published earlier than the story's first entry
    assert [s["id"] for s in stories(tl)] == [key("B"), key("C"), key("A")]
    assert [e["id"] for e in stories(tl)[2]["entries"]] == ["A2", "A"]


def test_bounds_drop_the_least_recently_updated_story_and_the_oldest_entries() -> None:
    tl = Timeline(max_stories=2, max_entries=3)
    tl.add_analysis(analysis("A", 0))
    tl.add_analysis(analysis("B", 1))
    tl.add_analysis(analysis("A1", 2, story=key("A")))  # A is now the more recently updated
    tl.add_analysis(analysis("C", 3))
    assert {s["id"] for s in stories(tl)} == {key("A"), key("C")}
    for n in range(2, 7):
        tl.add_analysis(analysis(f"A{n}", 2 + n, story=key("A")))
    [_, a] = stories(tl)
    assert [e["id"] for e in a["entries"]] == ["A4", "A5", "A6"]
    assert a["entry_count"] == 7 and a["headline"] == "Title A"  # the first entry's headline stays
    assert len(tl) == 2


def test_an_edit_replaces_the_entry_and_an_older_alert_revision_does_not_win() -> None:
    tl = Timeline()
    tl.add_analysis(analysis("A", 0, title="First version"))
    tl.add_analysis(analysis("A", 0, title="Edited version", kind=EventKind.UPDATE))
    tl.add_alert(alert(key("A"), revision=2, kind=AlertKind.UPDATED))
    tl.add_alert(alert(key("A"), revision=1, kind=AlertKind.UPDATED))
    [story] = stories(tl)
    assert [(e["title"], e["updated"]) for e in story["entries"]] == [("Edited version", True)]
    assert story["entry_count"] == 1 and story["headline"] == "Edited version"
    assert [a["revision"] for a in story["alerts"]] == [2]


def test_an_edit_moving_an_entry_to_another_story() -> None:
    tl = Timeline()
    tl.add_analysis(analysis("A", 0))
    tl.add_analysis(analysis("X", 1, story=key("A")))
    tl.add_analysis(analysis("B", 2))
    tl.add_analysis(analysis("X", 3, story=key("B"), kind=EventKind.UPDATE))
    by_id = {s["id"]: s for s in stories(tl)}
    assert [e["id"] for e in by_id[key("A")]["entries"]] == ["A"] and by_id[key("A")]["entry_count"] == 1
    assert [e["id"] for e in by_id[key("B")]["entries"]] == ["B", "X"]


def test_alert_for_a_story_not_seen_here_makes_a_partial_card() -> None:
    tl = Timeline()
    tl.add_alert(alert(key("Z"), title="Alert title"))
    [story] = stories(tl)
    assert story["headline"] == "Alert title" and not story["complete"] and story["entries"] == []
    tl.add_analysis(analysis("Z", 0, title="The real headline"))
    [story] = stories(tl)
    assert story["headline"] == "The real headline" and story["complete"]


def test_contest_of_a_story_no_longer_held_is_not_resurrected() -> None:
    tl = Timeline()
    tl.add_analysis(analysis("B", 1, contests=key("gone")))
    [story] = stories(tl)
    assert story["entries"][0]["contests"] == key("gone") and story["entries"][0]["contests_headline"] is None
    assert story["contested_by"] == []


def test_publisher_text_is_data_and_only_http_links_pass() -> None:
    tl = Timeline()
    hostile = "<img src=x onerror=alert(1)>"
    tl.add_analysis(analysis("H", 0, title=hostile, url="javascript:alert(1)"))
    tl.add_analysis(analysis("L", 1, url="https://example.org/live#L"))
    by_id = {s["id"]: s for s in stories(tl)}
    assert by_id[key("H")]["headline"] == hostile  # unchanged: escaping is the renderer's job
    assert by_id[key("H")]["entries"][0]["url"] == ""
    assert by_id[key("L")]["entries"][0]["url"] == "https://example.org/live#L"


def test_records_decoded_from_the_wire_feed_it() -> None:
    tl = Timeline()
    tl.add_analysis(decode_analysis(encode_analysis(analysis("E24", 0, claims=(CLAIM,)))))
    tl.add_alert(decode_alert(encode_alert(alert(key("E24")))))
    [story] = stories(tl)
    assert story["claims"][0]["place"] == "Luhansk" and story["alerts"][0]["rule"] == "breakthrough-claim"


def test_bounds_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Timeline(max_stories=0)


def test_each_entry_shows_its_language_and_each_claim_its_verification_status() -> None:
    tl = Timeline()
    claim = Claim("breakthrough", "Russian defence ministry", "Pokrovsk", verification="unverified")
    disputed = Claim("breakthrough", "Russian defence ministry", "Pokrovsk", verification="disputed")
    tl.add_analysis(analysis("R1", 0, title="Минобороны заявило о прорыве под Покровском", claims=(claim,),
                             language="ru"))
    tl.add_analysis(analysis("U1", 30, story=key("R1"), title="Генштаб ЗСУ: прориву немає", claims=(disputed,),
                             language="uk"))
    tl.add_analysis(analysis("E1", 60, story=key("R1"), title="Russia claims Pokrovsk breakthrough", language="en"))
    [story] = stories(tl)
    assert [(e["id"], e["language"]) for e in story["entries"]] == [("R1", "ru"), ("U1", "uk"), ("E1", "en")]
    assert story["languages"] == ["ru", "uk", "en"]
    # the same claim disputed later is a second line, with its own status
    assert [(c["verification"], c["entry"]) for c in story["claims"]] == [("unverified", key("R1")),
                                                                        ("disputed", key("U1"))]
    assert story["entries"][1]["claims"][0]["verification"] == "disputed"
