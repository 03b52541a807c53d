from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from detect_fixtures import T0, make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.pins import PIN_PREFIX
from newsmon.model import Entry, EntryEvent, EventKind

CLAIM = make_entry(
    "c1",
    "Northland says its troops broke through defences near Velmora",
    "Northland troops have broken through the Southland defences near the town of Velmora, the Northland "
    "defence ministry claimed on Friday.\n\n"
    '"Our assault units advanced four kilometres and the enemy fled its second line," '
    "the ministry said in a statement.\n\n"
    "The claim could not be independently verified.",
    minutes=0,
)
REREPORT = make_entry(
    "c2",
    "Northland claims breakthrough at Velmora",
    "Northland has claimed a breakthrough on the Velmora front after a night of heavy fighting.\n\n"
    '"Our assault units advanced four kilometres and the enemy fled its second line," the ministry said.\n\n'
    "Reporters were not able to independently verify the report.",
    minutes=40,
)
CONTEST = make_entry(
    "c3",
    "Southland says it repelled Northland attacks near Velmora",
    "Southland's army said its forces had repelled several Northland attacks near Velmora overnight and that "
    "the situation remained difficult.",
    minutes=70,
)
UNRELATED = make_entry(
    "u1",
    "Museum opens photography exhibition",
    "A new exhibition of early street photographs opened at the city museum on Friday.",
    minutes=80,
)
NEGATED = make_entry(
    "n1",
    "Northland failing to punch through despite huge losses",
    "Northland has not been able to punch through Southland's defences, a foreign defence minister said.",
    minutes=90,
)
ROUNDUP = make_entry(
    "r1",
    "Key developments so far",
    "Here is the day so far.\n\n* Northland claims a breakthrough near Velmora.\n\n"
    "* Southland says it repelled attacks.\n\n"
    "* A museum opened a photography exhibition.",
    minutes=100,
)


def run(detector: Detector, *entries):  # type: ignore[no-untyped-def]
    return [detector.analyse(new(e), e.published) for e in entries]


def test_claim_rereport_contest_flow() -> None:
    d = Detector(DetectionConfig())
    claim, rereport, contest, unrelated, negated, roundup = run(
        d, CLAIM, REREPORT, CONTEST, UNRELATED, NEGATED, ROUNDUP
    )

    assert claim.story == CLAIM.key and claim.duplicate_of is None
    assert claim.claims and claim.claims[0].place == "Velmora" and claim.claims[0].verified is False
    assert claim.claims[0].claimant == "Northland defence ministry"
    assert claim.classification.topics[0] == "breakthrough-claim"

    assert rereport.duplicate_of == CLAIM.key and rereport.story == CLAIM.key
    assert 0 < rereport.similarity <= 1 and "duplicate" in rereport.why

    assert contest.claims == () and contest.contests == CLAIM.key
    assert contest.story == CLAIM.key
    assert "Velmora" in contest.why["contest"]["reason"]

    assert unrelated.story == UNRELATED.key and unrelated.duplicate_of is None and unrelated.contests is None
    assert negated.claims == () and "breakthrough-claim" not in negated.classification.topics
    assert any("negation" in b["reason"] for b in negated.why["blocked_claims"])
    assert roundup.roundup and roundup.story == ROUNDUP.key and roundup.claims == ()
    json.dumps([a.why for a in (claim, rereport, contest, unrelated, negated, roundup)])


def test_update_keeps_story_and_is_not_its_own_duplicate() -> None:
    d = Detector(DetectionConfig())
    run(d, CLAIM, REREPORT)
    edited = make_entry("c1", CLAIM.title, CLAIM.body + "\n\nMore details are expected later.", minutes=0)
    update = d.analyse(EntryEvent(EventKind.UPDATE, edited, previous_hash="x"), T0 + timedelta(minutes=50))
    assert update.story == CLAIM.key
    assert update.duplicate_of is None
    assert update.claims
    assert set(d.memory_updates()) == {CLAIM.key, PIN_PREFIX + CLAIM.key}  # the claim's text, now edited


def test_window_eviction_reports_none() -> None:
    d = Detector(DetectionConfig(window_hours=1.0, pin_days=0))  # no memory of pinned posts (test_pins.py)
    run(d, CLAIM)
    assert set(d.memory_updates()) == {CLAIM.key}
    later = make_entry("late", CLAIM.title, CLAIM.body, minutes=180)
    analysis = d.analyse(new(later), later.published)
    updates = d.memory_updates()
    assert updates[CLAIM.key] is None and updates[later.key] is not None
    assert analysis.duplicate_of is None and analysis.story == later.key  # the old one is forgotten


def _straight_and_restored(config: DetectionConfig, first: list) -> tuple[Detector, Detector]:  # type: ignore[type-arg]
    """A detector that analysed ``first``, and one restored from its memory records (through JSON)."""
    straight = Detector(config)
    table: dict[str, dict | None] = {}  # type: ignore[type-arg]
    for e in first:
        straight.analyse(new(e), e.published)
        table.update(json.loads(json.dumps(straight.memory_updates())))
    restored = Detector.restore(config, [(k, v) for k, v in table.items() if v is not None], first[-1].published)
    return straight, restored


def test_restore_answers_like_uninterrupted() -> None:
    config = DetectionConfig()
    first, rest = [CLAIM, REREPORT], [CONTEST, UNRELATED, NEGATED, ROUNDUP]
    straight, restored = _straight_and_restored(config, first)
    assert len(restored) == len(first)
    for e in rest:
        a, b = straight.analyse(new(e), e.published), restored.analyse(new(e), e.published)
        assert (a.story, a.duplicate_of, a.claims, a.contests, a.classification.topics, a.roundup) == (
            b.story,
            b.duplicate_of,
            b.claims,
            b.contests,
            b.classification.topics,
            b.roundup,
        )
        assert a.similarity == pytest.approx(b.similarity)


def test_restore_drops_records_outside_window() -> None:
    d = Detector(DetectionConfig(window_hours=1.0))
    run(d, CLAIM)
    records = list(d.memory_updates().items())
    restored = Detector.restore(DetectionConfig(window_hours=1.0), records, T0 + timedelta(hours=3))  # type: ignore[arg-type]
    assert len(restored) == 0
    restored.analyse(new(UNRELATED), T0 + timedelta(hours=3))
    assert restored.memory_updates()[CLAIM.key] is None


def test_config_from_mapping() -> None:
    config = DetectionConfig.from_mapping(
        {
            "window_hours": 12,
            "story_threshold": 0.3,
            "taxonomy": {"topics": {"energy": {"phrases": {"blackout*": 2.0}}}},
        }
    )
    assert config.window_hours == 12.0 and config.story_threshold == 0.3
    assert "energy" in config.taxonomy.names
    with pytest.raises(ValueError, match="window_hour"):
        DetectionConfig.from_mapping({"window_hour": 1})
    with pytest.raises(ValueError, match="num_perm"):
        DetectionConfig.from_mapping({"num_perm": "many"})
    with pytest.raises(ValueError, match="story_threshold"):
        DetectionConfig.from_mapping({"story_threshold": 2})
    with pytest.raises(ValueError, match="shingle_size"):
        DetectionConfig.from_mapping({"shingle_size": 2.5})


def test_now_without_timezone_is_utc() -> None:
    d = Detector(DetectionConfig())
    naive = datetime(2024, 3, 1, 8, 0)
    assert d.analyse(new(CLAIM), naive).story == CLAIM.key


def _stream(count: int) -> list:  # type: ignore[type-arg]
    """A deterministic stream of short reports about a few recurring places, with reworded repeats."""
    import random

    rng = random.Random(3)
    places = ["Velmora", "Korrin", "Dastovo", "Pelinsk", "Ormavy"]
    words = [
        "shelling",
        "drones",
        "troops",
        "artillery",
        "convoy",
        "grain",
        "talks",
        "ceasefire",
        "blackout",
        "airspace",
        "jets",
        "aid",
    ]
    filler = [f"w{i}" for i in range(60)]
    out = []
    for i in range(count):
        if i > 5 and rng.random() < 0.15:
            earlier = out[rng.randrange(max(0, i - 20), i)]
            title, body = earlier.title, earlier.body.replace(rng.choice(filler), rng.choice(filler))
        else:
            place, topic = rng.choice(places), rng.sample(words, 2)
            title = f"{topic[0].capitalize()} near {place}"
            body = (
                f"Officials in {place} reported {rng.randint(2, 40)} {topic[1]} after {topic[0]} in the area. "
                + " ".join(rng.choices(filler, k=25))
                + f'.\n\n"{" ".join(rng.choices(filler, k=8))}," a spokesman said.'
            )
        out.append(make_entry(f"s{i}", title, body, minutes=7 * i))
    return out


def test_restore_answers_like_uninterrupted_on_a_long_stream() -> None:
    """The restored indexes (postings, document frequencies, cached vectors) answer exactly alike."""
    config = DetectionConfig(window_hours=6.0)  # entries are evicted during the stream
    stream = _stream(160)
    first, rest = stream[:90], stream[90:]
    straight, restored = _straight_and_restored(config, first)
    assert len(restored) == len(straight)
    joined = duplicates = 0
    for e in rest:
        a, b = straight.analyse(new(e), e.published), restored.analyse(new(e), e.published)
        assert (a.story, a.duplicate_of, a.similarity, a.claims, a.contests, a.classification, a.roundup) == (
            b.story,
            b.duplicate_of,
            b.similarity,
            b.claims,
            b.contests,
            b.classification,
            b.roundup,
        )
        assert json.dumps(a.why, sort_keys=True) == json.dumps(b.why, sort_keys=True)
        joined += a.story != e.key
        duplicates += a.duplicate_of is not None
    assert joined > 10 and duplicates > 3  # the stream exercises story matching and duplicates


def test_a_source_run_continues_its_story_only_from_the_same_source_and_soon_after() -> None:
    """A live blog posts runs of updates on one story: a follow-up sharing a topic and some words
    (cosine between run_threshold and story_threshold) joins the story of the source's previous
    entry -- not another source's, and not hours later."""
    t0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def entry(source: str, entry_id: str, title: str, body: str, minutes: float) -> Entry:
        return Entry(source, entry_id, title, body, published=t0 + timedelta(minutes=minutes))

    earlier = entry("blog", "0", "Parliament approves new budget",
                    "Lawmakers approved the annual budget after a long debate about defence spending for the war.",
                    -60)  # a war blog: its entries show war (its source lends war context to the follow-up)
    flood = entry("blog", "1", "Flood forces evacuation of riverside villages",
                  "Rising water from the Dnipro after shelling hit a dam forced the evacuation of six riverside "
                  "villages overnight, "
                  "emergency services said, with 1,200 residents moved to shelters in schools and sports halls.", 0)
    follow = ("Volunteers bring food to flood evacuees", "Volunteers delivered food and blankets to residents in "
              "school shelters after the flood, as the shelling went on, emergency services said.")
    outcomes = {}
    runs = [("blog", 10, DetectionConfig()), ("other-site", 10, DetectionConfig()), ("blog", 120, DetectionConfig()),
            ("blog", 11, DetectionConfig(feed_sources=frozenset({"blog"})))]  # a feed interleaves stories
    for source, minutes, config in runs:
        detector = Detector(config)
        for e in (earlier, flood):
            detector.analyse(EntryEvent(EventKind.NEW, e), e.published or t0)
        f = entry(source, "2", *follow, minutes)
        analysis = detector.analyse(EntryEvent(EventKind.NEW, f), f.published or t0)
        outcomes[source, minutes] = (analysis.story == flood.key, analysis.why["story"].get("continues_source_run"))
        score = analysis.why["story"].get("score") or analysis.why["story"]["closest"]["score"]
        assert DetectionConfig().run_threshold <= score < DetectionConfig().story_threshold  # the case under test
    assert outcomes == {("blog", 10): (True, True), ("other-site", 10): (False, None), ("blog", 120): (False, None),
                        ("blog", 11): (False, None)}
