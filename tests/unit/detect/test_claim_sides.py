"""Whose claim it is, and when the other side's claim is an event of its own.

* the other side's breakthrough claim at the claimed place (a counter-attack "overran Russian
  positions at Vovchansk" after Russia's "ruptured the defences at Vovchansk") is a new event: its
  own story and its own alert; it had joined the first claim's story by their shared place;
* that holds only when the side is named, by the claimant or beside its troops ("A Ukrainian
  National Guard brigade"): a side guessed from a word near the action stays in the story;
* an armed actor that names a place of the forces ("inside the Malian army base", "la base de
  l'armée malienne") is not who broke through.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Entry


def _run(*entries: Entry) -> list[Analysis]:
    detector = Detector(DetectionConfig())
    return [detector.analyse(new(e), e.published) for e in entries]


RUSSIAN_CLAIM = make_entry(
    "v1", "Russia says Vovchansk defences ruptured",
    "Russian forces have ruptured Ukraine's defensive line on the northern outskirts of Vovchansk, the border "
    "town in Kharkiv region, the defence ministry in Moscow said on Wednesday. The claim could not be verified.",
    minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("National Guard says it overran Russian positions at Vovchansk",
         "A Ukrainian National Guard brigade defending Vovchansk says its troops overran Russian positions around "
         "the town's aggregate plant on Wednesday afternoon, driving the attackers back towards the river."),
        ("Ukrainian forces break through near Vovchansk, General Staff says",
         "Ukraine's General Staff said its forces had broken through Russian lines north of Vovchansk in a "
         "counter-attack and recaptured two streets."),
        ("Ukraine: counter-attack at Vovchansk",
         "Ukrainian troops punched through the Russian positions on the edge of Vovchansk, the brigade's "
         "press officer said in a video statement."),
    ],
)
def test_the_other_sides_claim_at_the_same_place_is_its_own_event(title: str, body: str) -> None:
    first, second = _run(RUSSIAN_CLAIM, make_entry("v2", title, body, minutes=90))
    assert first.claims and second.claims
    assert first.claims[0].side == "russia" and second.claims[0].side == "ukraine"
    assert second.story == second.event.entry.key != first.story
    assert second.duplicate_of is None


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Moscow: Vovchansk breach widened to 3km",
         "Russia's defence ministry now says the breach its forces opened in the Ukrainian defences at Vovchansk "
         "has been widened to about three kilometres."),
        ("Kyiv says Vovchansk assault repelled",
         "Ukraine's General Staff said its troops had repelled the Russian assault on Vovchansk and that Ukrainian "
         "positions in the town were holding."),
    ],
)
def test_the_same_sides_development_or_the_other_sides_denial_stays_in_the_story(title: str, body: str) -> None:
    first, later = _run(RUSSIAN_CLAIM, make_entry("v3", title, body, minutes=90))
    assert later.story == first.story


BOULKESSI = make_entry(
    "b1", "JNIM claims it overran outer defences of Boulkessi army camp",
    "Al Qaeda's Sahel affiliate JNIM said its fighters had overrun the outer defences of the Malian army camp at "
    "Boulkessi in an attack that began at dawn, in a statement carried by its propaganda outlet.",
    minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("JNIM video shows fighters inside Boulkessi base",
         "Video released by JNIM on Tuesday shows its fighters moving freely inside the Malian army base at "
         "Boulkessi, in what the group says is proof that it breached the camp's defences."),
        ("Boulkessi: new JNIM video",
         "A new video from JNIM shows its fighters at the gate of the Malian military camp in Boulkessi, which "
         "the group says its men broke through at dawn."),
    ],
)
def test_an_army_base_is_no_actor_and_a_guessed_side_stays_in_the_story(title: str, body: str) -> None:
    first, later = _run(BOULKESSI, make_entry("b2", title, body, minutes=120))
    assert first.claims and first.claims[0].side == "jnim"
    assert later.story == first.story


@pytest.mark.parametrize(
    ("text", "owner", "name"),
    [
        ("Video shows its fighters inside the Malian army base at Boulkessi after they breached the defences.",
         "mali-government", "malian"),
        ("La vidéo montre ses combattants dans la base de l'armée malienne à Boulkessi, après avoir percé les "
         "défenses du camp.", "mali-government", "malian"),
        ("На видео её бойцы внутри базы российской армии под Курском, после того как они прорвали оборону.",
         "russia", "russia"),
    ],
)
def test_the_owner_of_a_base_is_not_the_side_that_broke_through(
    extractor: ClaimExtractor, text: str, owner: str, name: str
) -> None:
    result = extractor.extract(read_text("", text))
    assert result.claims
    assert result.claims[0].side != owner
    assert name not in result.claims[0].claimant.lower()


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("A Ukrainian National Guard brigade says its troops overran Russian positions near Vovchansk.", "ukraine"),
        ("The Russian 20th Guards Army broke through Ukrainian lines near Kupiansk, the ministry said.", "russia"),
        ("Russian troops broke through Ukrainian lines near Kupiansk, the ministry said.", "russia"),
    ],
)
def test_a_side_beside_its_units_name_is_named(extractor: ClaimExtractor, text: str, side: str) -> None:
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].side == side
    assert result.extra["side_named"]


# -- parties no side table knows ------------------------------------------------------------

TIFARITI = make_entry(
    "w1", "Morocco says its troops pierced Polisario lines near Tifariti",
    "Moroccan troops have pierced Polisario defensive positions east of the berm near Tifariti and pushed "
    "several kilometres beyond them, the Moroccan armed forces general staff said in a statement on state "
    "television.",
    minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Moroccan army says it advanced through Polisario defences near Tifariti",
         "The Moroccan army said its units had advanced through the Polisario's defences east of the berm near "
         "Tifariti and pushed several kilometres beyond them, in a statement broadcast on state television."),
        ("General staff: Polisario positions near Tifariti breached",
         "Polisario defensive positions east of the berm near Tifariti were breached and troops pushed several "
         "kilometres beyond them, the general staff said in its statement on state television."),
    ],
)
def test_a_reworded_claim_of_unknown_parties_is_a_duplicate(title: str, body: str) -> None:
    first, again = _run(TIFARITI, make_entry("w2", title, body, minutes=60))
    assert first.claims and again.claims and not first.claims[0].side
    assert again.story == first.story
    assert again.duplicate_of == first.event.entry.key


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Polisario says its fighters broke through Moroccan positions near Tifariti",
         "Polisario fighters broke through Moroccan positions east of the berm near Tifariti and pushed several "
         "kilometres beyond them, the Polisario said in a statement on its television."),
        ("Morocco says troops pierced Polisario lines near Tifariti and took 14 prisoners",
         "Moroccan troops pierced Polisario defensive positions east of the berm near Tifariti, pushed several "
         "kilometres beyond them and took 14 prisoners, the general staff said on state television."),
    ],
)
def test_the_other_partys_claim_or_a_new_fact_is_no_duplicate(title: str, body: str) -> None:
    _, later = _run(TIFARITI, make_entry("w3", title, body, minutes=60))
    assert later.claims and later.duplicate_of is None


@pytest.mark.parametrize(
    "text",
    [
        "'Nobody broke through anything', the LNA's media office said of the attack south of Gharyan.",
        "No one has broken through our lines near Gharyan, the spokesman said.",
        "None of the attacking units broke through the defences at Gharyan, the army said.",
    ],
)
def test_a_negative_subject_claims_no_breakthrough(extractor: ClaimExtractor, text: str) -> None:
    assert not extractor.extract(read_text("", text)).claims


def test_a_negative_subject_in_another_clause_leaves_the_claim(extractor: ClaimExtractor) -> None:
    text = "Nobody expected it, but the 155th Brigade broke through LNA positions south of Gharyan, the brigade said."
    assert extractor.extract(read_text("", text)).claims
