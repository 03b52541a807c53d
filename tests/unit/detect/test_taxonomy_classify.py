from __future__ import annotations

import random
import re

import pytest

from newsmon.detect.classify import TopicClassifier
from newsmon.detect.detector import SOURCE_PRIOR
from newsmon.detect.stories import is_roundup
from newsmon.detect.taxonomy import (
    RoundupRules,
    compile_any,
    compile_phrase,
    default_taxonomy,
    load_taxonomy,
)
from newsmon.detect.tokens import read_text
from newsmon.model import Flag


def test_default_taxonomy_has_documented_topics() -> None:
    names = default_taxonomy().names
    for topic in (
        "breakthrough-claim",
        "combat",
        "military-aid",
        "sanctions",
        "diplomacy",
        "humanitarian",
        "casualties",
        "airspace",
        "russia-internal",
    ):
        assert topic in names
    assert default_taxonomy().topic("breakthrough-claim").derived == "claims"


def test_phrase_syntax() -> None:
    assert compile_phrase("sanction*").search("new sanctions today")
    assert compile_phrase("front line").search("on the front-line positions")
    assert not compile_phrase("arms").search("the farmstead")


def test_phrase_word_boundaries() -> None:
    arms = compile_phrase("arms")
    assert arms.search("arms were sent").span() == (0, 4)  # at the very start
    assert arms.search("(arms)") and arms.search("small-arms fire")
    assert not arms.search("x_arms") and not arms.search("4arms") and not arms.search("armsful")
    assert compile_phrase("ship*").search("shipments arrived").group(0) == "shipments"


def _reference(phrase: str) -> str:
    """The documented phrase syntax, written out plainly: word boundaries around the
    phrase, ``*`` the rest of a word, a space any run of spaces and hyphens."""
    text = phrase.strip().casefold().replace("\u2019", "'")
    body = re.sub(r"(?:\\[ \-])+", r"[\\s\\-]+", re.escape(text)).replace(r"\*", r"\w*")
    head = r"(?<!\w)" if text[0].isalnum() else ""
    tail = r"(?!\w)" if text[-1].isalnum() or text[-1] == "*" else ""
    return head + body + tail


def _lexicons() -> list[tuple[str, ...]]:
    taxonomy = default_taxonomy()
    return [taxonomy.roundups.title_phrases, *(t.requires for t in taxonomy.topics if t.requires)]


def test_phrase_matching_is_the_documented_syntax_ignoring_case() -> None:
    """The fast forms (lookbehind after the first letter; lower-case pre-check) find exactly
    the matches of the plain form, on texts built to hit their edges: phrases at the start,
    after word characters and hyphens, in mixed case, and next to the non-ASCII letters a
    case-insensitive regex equates with ASCII ones (long s, dotless i, Kelvin sign, dotted I)."""
    rng = random.Random(11)
    noise = ["", " ", "-", "_", "x", "9", ". ", "\u017f", "\u0131", "\u0130", "\u212a", "\u2019", "\u00e9", "ss"]
    for phrases in _lexicons():
        items = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
        reference = re.compile("|".join(f"(?:{_reference(p)})" for p in items), re.IGNORECASE)
        plain = re.compile(reference.pattern)
        exact = compile_any(phrases)
        for _ in range(300):
            parts = []
            for _ in range(rng.randint(1, 4)):
                word = rng.choice(items).replace("*", rng.choice(["", "s", "ing"]))
                word = "".join(c.upper() if rng.random() < 0.3 else c for c in word)
                word = word.replace("i", rng.choice(["i", "\u0131", "\u0130"]), 1)
                parts += [rng.choice(noise), word, rng.choice(noise)]
            text = "".join(parts)
            assert [m.span() for m in exact.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_operator_extension_merges() -> None:
    taxonomy = load_taxonomy(
        {
            "topics": {
                "energy": {"description": "power", "phrases": {"power plant*": 3.0, "blackout*": 2.0}},
                "combat": {"phrases": {"drone attack*": 2.0}},
            },
            "remove_topics": ["airspace"],
            "claims": {"repel": ["drove back"]},
            "scoring": {"min_score": 2.0},
        }
    )
    assert "energy" in taxonomy.names and "airspace" not in taxonomy.names
    assert any(p.text == "drone attack*" for p in taxonomy.topic("combat").phrases)
    assert any(p.text == "fighting" for p in taxonomy.topic("combat").phrases)  # default kept
    repel = taxonomy.lexicon("en").words("repel")
    assert "drove back" in repel and "repelled" in repel
    assert taxonomy.scoring.min_score == 2.0
    reading = read_text("Blackouts after strike on power plant", "The power plant was hit.")
    result = TopicClassifier(taxonomy).classify(reading)
    assert result.topics[0] == "energy"
    assert load_taxonomy({"replace": True, "topics": {"x": {"phrases": {"y": 1.0}}}}).names == ("x",)


@pytest.mark.parametrize(
    "bad, word",
    [
        ({"topic": {}}, "topic"),
        ({"topics": {"combat": {"phrase": {}}}}, "phrase"),
        ({"topics": {"combat": {"phrases": {"x": "high"}}}}, "x"),
        ({"scoring": {"minimum": 1}}, "minimum"),
        ({"remove_topics": ["nope"]}, "nope"),
        ({"claims": {"repel": "drove back"}}, "repel"),
        ({"topics": {"casualties": {"relative": 1.5}}}, "casualties.relative"),
        ({"topics": {"casualties": {"relative": "low"}}}, "casualties.relative"),
        ({"topics": {"casualties": {"aspect": "yes"}}}, "casualties.aspect"),
    ],
)
def test_bad_config_names_the_key(bad: dict[str, object], word: str) -> None:
    with pytest.raises(ValueError, match=word):
        load_taxonomy(bad)


@pytest.mark.parametrize(
    "title, body, expected",
    [
        (
            "Heavy shelling along the front line",
            "Artillery fire hit positions as fighting continued overnight.",
            {"combat"},
        ),
        (
            "Allies pledge more tanks and ammunition",
            "Ministers promised tanks, air defence systems and shells.",
            {"military-aid"},
        ),
        (
            "EU agrees new sanctions package",
            "The package adds export bans and an asset freeze on three banks.",
            {"sanctions"},
        ),
        (
            "Flights diverted after airspace closure",
            "The aviation authority closed the airspace after a balloon was spotted.",
            {"airspace"},
        ),
        (
            "Five civilians killed in strike on market",
            "Officials said five people were killed and twelve wounded.",
            {"casualties"},
        ),
        (
            "Foreign ministers meet for peace talks",
            "The two foreign ministers held talks on a ceasefire at the summit.",
            {"diplomacy"},
        ),
    ],
)
def test_classifier_examples(title: str, body: str, expected: set[str]) -> None:
    # short entries of a war live blog: the source lends them its war context
    result = TopicClassifier(default_taxonomy()).classify(read_text(title, body), prior=SOURCE_PRIOR)
    assert expected <= set(result.topics)
    assert "breakthrough-claim" not in result.topics
    assert all(result.matched[t] for t in result.topics)


def test_multi_label() -> None:
    result = TopicClassifier(default_taxonomy()).classify(read_text("Sanctions on airlines force long flight paths",
        "A ban on airlines from the country means flights take long detours around the closed airspace. "
        "The sanctions also froze the carriers' assets.",
    ), prior=SOURCE_PRIOR)
    assert {"sanctions", "airspace"} <= set(result.topics)


def test_roundup_detection() -> None:
    rules = default_taxonomy().roundups
    assert is_roundup("Key developments so far", "Short text.", (), rules)
    assert is_roundup("Anything", "Intro.\n\n* one\n\n* two\n\n* three", (), rules)
    assert is_roundup("Anything", "text", (Flag.SUMMARY,), rules)
    assert not is_roundup("Ships collide in harbour", "One paragraph.\n\nAnother paragraph.", (), rules)
    assert not is_roundup("x", "* one\n\n* two", (), RoundupRules(min_bullets=3))


@pytest.mark.parametrize(
    "title, body, expected, absent",
    [
        (
            "Air defences down 20 drones overnight",
            "The air force said air defences shot down 20 of 24 attack drones; a fighter jet also intercepted two.",
            {"airspace"},
            {"military-aid"},  # equipment in use is no aid: nothing supplied, produced or requested
        ),
        (
            "Allies to send more air defence systems",
            "Three countries pledged air defence systems and ammunition.",
            {"military-aid"},
            set(),
        ),
        (
            "Bank blacklisted",
            "The treasury added the bank to its blacklist and imposed an export ban.",
            {"sanctions"},
            set(),
        ),
        (
            "Thousands displaced by fighting",
            "Hundreds of families were evacuated and thousands displaced; many are without electricity.",
            {"humanitarian"},
            set(),
        ),
        (
            "Airports closed over drone threat",
            "Flights suspended at two airports after a drone threat; incoming flights were diverted.",
            {"airspace"},
            set(),
        ),
        (
            "Russia's central bank raises key rate as inflation climbs",
            "The Russian central bank said inflation and unemployment figures forced its hand.",
            {"russia-internal"},
            set(),
        ),
        (
            "Negotiators report breakthrough in grain talks",
            "Both delegations hailed a breakthrough after the meeting.",
            {"diplomacy"},
            {"combat"},  # a breakthrough in talks is no fighting
        ),
    ],
)
def test_general_war_news_vocabulary(title: str, body: str, expected: set[str], absent: set[str]) -> None:
    topics = set(TopicClassifier(default_taxonomy()).classify(read_text(title, body), prior=SOURCE_PRIOR).topics)
    assert expected <= topics and not (absent & topics), topics


@pytest.mark.parametrize(
    "title, body",
    [
        ("NHS front line 'under siege' as winter begins", "Hospital staff are fighting a battle on every front."),
        ("Rioters attack police lines", "Officers were pelted with bricks; a police van was attacked and set alight."),
        ("Striker's late attack sinks rivals", "The visitors' defence was shelled with shots in the second half."),
        ("Soldiers help with flood defences", "Troops filled sandbags as residents were evacuated from their homes."),
        ("Storm leaves three dead", "Three people were killed by falling trees and thousands are without electricity."),
        ("Club docked points for breaching rules", "The league imposed sanctions on the club over its finances."),
        ("Doctors' pay talks resume", "The union and ministers met for talks as a strike looms."),
    ],
)
def test_war_words_in_news_of_no_war_get_no_war_topic(title: str, body: str) -> None:
    """Riots, storms, sport, strikes and floods use war's words ("attack", "front line", "siege",
    "troops", "killed", "sanctions", "talks"); without a war context in the entry or its source
    they carry no topic of the war taxonomy."""
    topics = set(TopicClassifier(default_taxonomy()).classify(read_text(title, body)).topics)
    assert not topics, topics


@pytest.mark.parametrize(
    "title, body, expected",
    [
        ("Shelling hits Kherson market", "Russian artillery killed three people at a market.",
         {"combat", "casualties"}),
        ("Drones shot down over Odesa", "Ukraine's air force said air defences shot down 12 drones.", {"airspace"}),
        ("Foreign ministers discuss ceasefire", "The EU foreign ministers met their Ukrainian counterpart.",
         {"diplomacy"}),
    ],
)
def test_war_words_with_war_context_keep_their_topics(title: str, body: str, expected: set[str]) -> None:
    """The same kind of words with a war cue of their own (a side, shelling, a drone strike)."""
    topics = set(TopicClassifier(default_taxonomy()).classify(read_text(title, body)).topics)
    assert expected <= topics, topics
