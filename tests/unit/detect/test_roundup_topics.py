"""A roundup carries the topics of its items: each bullet or paragraph is classified alone.

Scored as one text, a roundup's longest story crowds out the topics of its short items (a topic
needs a share of the best score), and an analyst filtering on sanctions misses the roundup that
reports new sanctions in one line. An item about the weather or a football match adds no topic.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.model import Analysis, Entry


def _analyse(entry: Entry) -> Analysis:
    return Detector(DetectionConfig()).analyse(new(entry), entry.published)


ENGLISH = (
    "Key developments so far",
    "Here is where things stand:\n\n"
    "* Russian forces kept up heavy shelling of Pokrovsk and its outskirts overnight, with fierce fighting "
    "reported on the eastern edge of the city and repeated assaults on Ukrainian positions. Ukraine's "
    "general staff said its troops repelled 42 attacks along the front, artillery duels continued near "
    "Kostiantynivka and Russian troops advanced under heavy fire towards the railway station.\n\n"
    "* The EU adopted a new package of sanctions, freezing the assets of 20 Russian companies.\n\n"
    "* Germany pledged two more Patriot air defence systems and ammunition for Ukraine's army.",
    {"combat", "sanctions", "military-aid"},
)
GERMAN = (
    "Das Wichtigste in Kürze",
    "- Russische Truppen haben die Stadt Pokrowsk erneut schwer beschossen; an der Front wird heftig gekämpft, "
    "Angriffe auf ukrainische Stellungen dauern an. Der ukrainische Generalstab meldete 42 abgewehrte "
    "Angriffe, Artilleriegefechte bei Kostjantyniwka und einen Vorstoß russischer Truppen unter schwerem "
    "Beschuss in Richtung Bahnhof.\n"
    "- Die EU hat neue Sanktionen gegen Russland beschlossen und Vermögen von 20 Unternehmen eingefroren.\n"
    "- Deutschland sagt der Ukraine zwei weitere Patriot-Flugabwehrsysteme und Munition zu.",
    {"combat", "sanctions", "military-aid"},
)


@pytest.mark.parametrize(("title", "body", "expected"), [ENGLISH, GERMAN])
def test_a_roundup_carries_each_items_topic(title: str, body: str, expected: set[str]) -> None:
    analysis = _analyse(make_entry("r1", title, body))
    assert "roundup" in analysis.why
    assert expected <= set(analysis.classification.topics)


def test_an_item_about_the_weather_or_sport_adds_no_topic() -> None:
    body = (
        "Here is where things stand:\n\n"
        "* Heavy rain is expected across the north of England tomorrow, with flood warnings in place.\n\n"
        "* Manchester City beat Arsenal 2-1 in a tense match at the Etihad on Saturday evening.\n\n"
        "* Train fares will rise by 4.6% in March, the transport secretary confirmed."
    )
    analysis = _analyse(make_entry("r2", "Key developments so far", body))
    assert "roundup" in analysis.why
    assert analysis.classification.topics == ()


def test_an_entry_that_is_no_roundup_is_scored_as_one_text() -> None:
    body = (
        "Russian forces kept up heavy shelling of Pokrovsk overnight, with fierce fighting on the eastern edge "
        "of the city, the regional governor said. He added that the EU's new sanctions package, adopted on "
        "Friday, would not change the situation on the ground."
    )
    analysis = _analyse(make_entry("n1", "Heavy shelling in Pokrovsk", body))
    assert "roundup" not in analysis.why and "roundup_topics" not in analysis.why
    assert "combat" in analysis.classification.topics
