"""Event signatures, reworded re-reports, place-anchored stories, roundups and denials (hand-written examples)."""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import BREAKTHROUGH_TOPIC, DetectionConfig, Detector
from newsmon.detect.events import Signature, entities, numbers, same_name, unmatched
from newsmon.detect.stories import StoryIndex, story_terms
from newsmon.model import Analysis, Entry


def run(detector: Detector, *entries: Entry) -> list[Analysis]:
    return [detector.analyse(new(e), e.published) for e in entries]  # type: ignore[arg-type]


# -- signatures ------------------------------------------------------------------------


def test_numbers_normalises_words_and_digits() -> None:
    assert numbers("Three dead and seven injured after 1,200 shells; advance of 4.5 km") == {3, 7, 1200, 4.5}
    # model designations, clock times and years are not facts of the event
    assert numbers("F-16 jets landed at 07:30 local time, as in 2022") == frozenset()
    assert numbers("Troops fired 155mm rounds") == {155}


def test_entities_are_capitalised_names_not_sentence_starts() -> None:
    found = entities(
        "Northland says its troops reached Velmora",
        "Officials in Southland said Velmora was quiet. Residents said the Northland army left. "
        "Later the residents returned.",
    )
    assert {"northland", "velmora", "southland"} <= found
    assert "official" not in found and "resident" not in found and "later" not in found
    assert same_name("northland", "northlander") and not same_name("kharn", "kherr")
    assert unmatched(["velmora", "marsk"], ["velmora"]) == ["marsk"]


# -- reworded re-reports ----------------------------------------------------------------

SHELLING = make_entry(
    "s1",
    "Three civilians killed in shelling of Marenburg",
    "Three people were killed and seven wounded when artillery hit a market in Marenburg on Tuesday, "
    "the regional administration said. A bus driver was among the dead.",
    minutes=0,
)
SHELLING_REWORDED = make_entry(
    "s2",
    "Marenburg market shelling: three dead, seven wounded",
    "Shelling of a market in Marenburg on Tuesday killed three people and wounded seven, regional officials "
    "said. Among the dead was a bus driver.",
    minutes=150,
)
SHELLING_TOLL_RISES = make_entry(
    "s3",
    "Marenburg market shelling death toll rises to five",
    "Two of the seven people wounded when artillery hit the Marenburg market on Tuesday have died in hospital, "
    "raising the death toll to five, the regional administration said.",
    minutes=300,
)
FILLER = [
    make_entry("f1", "Museum opens photography exhibition", "Old street photographs are shown.", minutes=10),
    make_entry("f2", "Ministers discuss grain exports", "Farm ministers met to discuss exports of grain.", minutes=20),
    make_entry("f3", "Power restored in the capital", "Engineers restored electricity to the capital.", minutes=30),
]


def test_reworded_casualty_report_is_a_duplicate_and_new_figures_are_not() -> None:
    d = Detector(DetectionConfig())
    first, *_, reworded, update = run(d, SHELLING, *FILLER, SHELLING_REWORDED, SHELLING_TOLL_RISES)
    assert first.duplicate_of is None
    assert reworded.duplicate_of == SHELLING.key and reworded.story == SHELLING.key
    assert reworded.why["duplicate"]["rule"].startswith("same event")
    # a new figure (the toll rose to five) is a new fact: same story, not a duplicate
    assert update.duplicate_of is None and update.story == SHELLING.key


def test_reworded_claim_without_quotes_is_a_duplicate_but_not_after_the_event_window() -> None:
    claim = make_entry(
        "k1",
        "Northland says its troops broke through lines near Velmora",
        "The Northland defence ministry says its forces have broken through Southland defensive lines near the "
        "village of Velmora and advanced up to 4 km. The claim could not be independently verified.",
        minutes=0,
    )
    reworded = make_entry(
        "k2",
        "Northland claims breakthrough at Velmora",
        "Northland's defence ministry has claimed a breakthrough near Velmora, saying its assault units pushed "
        "4 km past Southland's lines. The report has not been verified.",
        minutes=200,
    )
    first, *_, again = run(Detector(DetectionConfig()), claim, *FILLER, reworded)
    assert first.claims and again.claims
    assert again.duplicate_of == claim.key and again.why["duplicate"]["rule"].startswith("same event")
    # the same words much later are a new report, not a re-report of this event
    assert run(Detector(DetectionConfig(event_window_hours=1.0)), claim, *FILLER, reworded)[-1].duplicate_of is None


def test_a_denial_is_no_duplicate_of_the_claim() -> None:
    claim = make_entry(
        "k1",
        "Northland says its troops broke through lines near Velmora",
        "The Northland defence ministry says its forces broke through Southland lines near Velmora and advanced 4 km.",
    )
    denial = make_entry(
        "k3",
        "Southland denies losing ground near Velmora",
        "Southland's army rejected Northland's assertion that its troops broke through near Velmora and "
        "advanced 4 km, saying all attacks there were repelled.",
        minutes=60,
    )
    d = Detector(DetectionConfig())
    first, *_, answer = run(d, claim, *FILLER, denial)
    assert answer.duplicate_of is None
    assert answer.claims == () and BREAKTHROUGH_TOPIC not in answer.classification.topics
    assert "combat" in answer.classification.topics
    assert answer.contests == first.story


# -- roundups ---------------------------------------------------------------------------


def test_roundup_neither_claims_nor_contests() -> None:
    claim = make_entry(
        "k1",
        "Northland says its troops broke through lines near Velmora",
        "The Northland defence ministry says its forces broke through Southland lines near Velmora.",
    )
    roundup = make_entry(
        "r9",
        "Key developments so far",
        "Here is what happened today:\n\n"
        "* Northland's defence ministry claimed its troops broke through near Velmora; Southland says the "
        "attacks there were repelled.\n\n"
        "* Farm ministers met to discuss grain exports.\n\n"
        "* Engineers restored power in the capital.",
        minutes=90,
    )
    d = Detector(DetectionConfig())
    _, *_, summary = run(d, claim, *FILLER, roundup)
    assert summary.roundup and summary.claims == () and summary.contests is None
    assert summary.story == roundup.key and summary.duplicate_of is None
    assert "contest_ignored" in summary.why
    # it reports a claim, so it carries the topic -- the alert rules never open an alert for a roundup
    assert BREAKTHROUGH_TOPIC in summary.classification.topics


# -- stories anchored by a place ----------------------------------------------------------


def test_follow_up_sharing_the_story_place_joins_it() -> None:
    claim = make_entry(
        "k1",
        "Northland says its troops broke through lines near Velmora",
        "The Northland defence ministry says its forces broke through Southland lines near Velmora, "
        "west of Ostrava, in the Korrin region.",
    )
    follow_up = make_entry(
        "v2",
        "Families leave villages near Velmora as fighting continues",
        "Police in the Korrin region say they took 30 residents, among them six children, out of villages "
        "near Velmora as fighting nearby goes on.",
        minutes=120,
    )
    elsewhere = make_entry(
        "v3",
        "Shelters open in Dorsk after floods",
        "Police say 30 residents, among them six children, have moved to shelters in Dorsk after the river rose.",
        minutes=130,
    )
    d = Detector(DetectionConfig())
    first, *_, joined, other = run(d, claim, *FILLER, follow_up, elsewhere)
    assert joined.story == first.story and joined.duplicate_of is None
    assert "velmora" in joined.why["story"]["anchored_by_places"]
    assert other.story != first.story


def test_anchor_is_a_place_the_story_owns() -> None:
    index = StoryIndex()
    index.add("a", story_terms("Strike near Velmora", "Shelling near Velmora."), "a", 0.0, places={"velmora"})
    index.add("b", story_terms("Korrin governor speaks", "Korrin is calm."), "b", 1.0, places={"korrin"})
    index.add("c", story_terms("Korrin grain", "Korrin harvest."), "c", 2.0, places={"korrin"})
    assert index.anchors("a", {"velmora", "korrin"}) == ("velmora",)
    # "korrin" is named by two stories: it is the own place of neither
    assert index.anchors("b", {"korrin"}) == ()
    assert Signature.of("Two killed", "In Velmora.").numbers == {2}


# -- an attempt elsewhere is an event of its own -------------------------------------------

CLAIM_AT_VELMORA = make_entry(
    "k1",
    "Northland says its troops broke through lines at Velmora",
    "The Northland defence ministry says its forces broke through Southland defensive lines at Velmora, "
    "west of Ostrava, and pushed on towards the river.",
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Northland attempt to break through at Dorsk fails, Southland army says",
         "Northland troops tried to break through Southland positions at Dorsk, west of Ostrava, overnight but "
         "failed, the Southland army said."),
        ("Northland commander says his troops could breach Southland lines at Dorsk 'whenever ordered'",
         "Northland's forces could break through Southland lines at Dorsk, west of Ostrava, at any time, a "
         "commander said."),
        ("Analysts: Northland likely to try to break through towards Dorsk",
         "Analysts say Northland forces west of Ostrava will likely try to break through Southland defences "
         "towards Dorsk in the coming days."),
    ],
)
def test_a_failed_or_threatened_breakthrough_elsewhere_is_a_story_of_its_own(title: str, body: str) -> None:
    attempt = make_entry("a1", title, body, minutes=120)
    first, *_, other = run(Detector(DetectionConfig()), CLAIM_AT_VELMORA, *FILLER, attempt)
    assert not other.claims and other.story != first.story


def test_a_concession_at_the_claimed_place_stays_in_its_story() -> None:
    concession = make_entry(
        "a2",
        "No breakthrough at Velmora itself, Northland commander concedes",
        "A Northland commander said his troops had not broken through Southland defences inside Velmora "
        "itself, west of Ostrava, though fighting on its edge continued.",
        minutes=120,
    )
    first, *_, same = run(Detector(DetectionConfig()), CLAIM_AT_VELMORA, *FILLER, concession)
    assert same.story == first.story


@pytest.mark.parametrize(
    ("language", "title", "body", "names", "not_names"),
    [
        ("fr", "Marseille : l'OM s'impose", "Selon le club, Greenwood est forfait. Après le match, Marseille fête.",
         {"marseille", "greenwood"}, {"selon", "apres"}),
        ("pt", "Cheias no Minho", "Segundo a Proteção Civil, o rio subiu. Um idoso foi resgatado em Viana.",
         {"minho", "viana"}, {"segundo", "um"}),
        ("es", "Lluvias en Valencia", "Según la Aemet, seguirá lloviendo. Tras la tormenta, Valencia limpia.",
         {"valencia", "aemet"}, {"segun", "tras"}),
        ("en", "Fifty hurt in Leeds crash", "Fifty people were hurt when a bus hit a tram in Leeds.",
         {"leeds"}, {"fifty"}),
    ],
)
def test_a_sentence_opened_by_a_function_or_number_word_names_nothing(
    language: str, title: str, body: str, names: set[str], not_names: set[str]
) -> None:
    found = entities(title, body, language)
    keys = {k.translate(str.maketrans("áéíóúãç", "aeiouac")) for k in found}
    assert all(any(k.startswith(n[:4]) for k in keys) for n in names)
    assert not any(k.startswith(n[:4]) for k in keys for n in not_names)


@pytest.mark.parametrize(
    ("text", "language", "figure"),
    [
        ("взято в полон шістьох російських військовослужбовців", "uk", 6),
        ("взяли в плен шестерых военнослужащих ВСУ", "ru", 6),
        ("троє поранених доставлені до лікарні", "uk", 3),
        ("двое мирных жителей погибли", "ru", 2),
        ("una ventina di chilometri a sud di Zaporizhzhia", "it", 20),
        ("une vingtaine de blindés détruits", "fr", 20),
        ("una veintena de kilómetros al sur", "es", 20),
        ("uma dezena de drones abatidos", "pt", 10),
    ],
)
def test_collective_and_round_number_words_are_their_figures(text: str, language: str, figure: int) -> None:
    assert figure in numbers(text, language)


def test_the_same_count_of_prisoners_in_two_languages_is_one_figure() -> None:
    uk = numbers("взято в полон шістьох російських військовослужбовців, просунулися на 1,5 км", "uk")
    it = numbers("catturati sei soldati russi, avanzando di 1,5 chilometri", "it")
    assert uk == it == {6, 1.5}
    assert numbers("catturati sette soldati russi", "it") != uk
