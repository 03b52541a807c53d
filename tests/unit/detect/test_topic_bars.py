"""The dead of a strike do not outweigh the strike (`outweighed_by_none_of` in the taxonomy).

A topic is chosen when its score reaches ``min_score`` and a share (``relative``) of the best
topic's score. An entry on a strike that killed people spends most of its words on the dead, so
`casualties` used to outweigh `combat` and the strike's entry lost its combat topic. `combat` is
now measured against the topics other than `casualties` and `humanitarian`; it still needs its own
evidence (``min_score``) and the war context, so a road crash or a storm with many dead gets none.
"""

from __future__ import annotations

import pytest

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.taxonomy import load_taxonomy
from newsmon.model import Analysis
from tests.unit.detect.detect_fixtures import make_entry, new


def _topics(title: str, body: str, config: DetectionConfig | None = None) -> tuple[str, ...]:
    entry = make_entry("x1", title, body)
    analysis: Analysis = Detector(config or DetectionConfig()).analyse(new(entry), entry.published)
    return analysis.classification.topics


STRIKES = [
    ("Kharkiv strike: death toll rises to three",
     "The number of people killed when Russian drones struck an apartment block in Kharkiv overnight has risen to "
     "three, the regional governor said. The third victim, a 52-year-old rescuer, died in hospital. Eleven people "
     "were wounded, among them a 14-year-old girl; two of the wounded remain in a serious condition, and the dead "
     "will be buried on Friday."),
    ("Israeli military names two soldiers killed in northern Gaza",
     "The Israeli military named two soldiers killed in fighting in northern Gaza, raising the army's death toll in "
     "the ground offensive. Three other soldiers were seriously wounded, it said; the families of the dead were "
     "informed overnight."),
    ("Orikhiv: sale a un morto il bilancio dell'attacco russo",
     "È salito a un morto e quattro feriti il bilancio dell'attacco russo con una bomba aerea che all'alba ha colpito "
     "l'ospedale di Orikhiv, vicino alla linea del fronte. Le vittime sono state ricoverate; tra i feriti due medici."),
]


@pytest.mark.parametrize(("title", "body"), STRIKES)
def test_a_strike_that_killed_people_is_combat_and_casualties(title: str, body: str) -> None:
    topics = _topics(title, body)
    assert "casualties" in topics and "combat" in topics


def test_one_weak_cue_beside_the_dead_is_still_no_combat() -> None:
    # "attack" once, below combat's own minimum: the rule waives the relative bar, not the evidence
    title, body = "Kharkiv: death toll rises to three", STRIKES[0][1]
    body = body.replace("when Russian drones struck an apartment block in Kharkiv", "in the Russian attack on Kharkiv")
    assert _topics(title, body) == ("casualties",)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Motorway pile-up: death toll rises to seven",
         "Seven people have died and 23 were injured in a pile-up of 40 vehicles on the M6 in fog, police said. "
         "Four of the injured are in a critical condition; the dead include two children."),
        ("Storm Eowyn: two dead as gusts hit 100mph",
         "Two people were killed by falling trees and hundreds were injured as Storm Eowyn swept the country "
         "overnight, "
         "emergency services said."),
    ],
)
def test_dead_outside_a_war_bring_no_combat(title: str, body: str) -> None:
    assert "combat" not in _topics(title, body)


@pytest.mark.parametrize(
    ("bad", "word"),
    [
        ({"topics": {"combat": {"outweighed_by_none_of": ["nope"]}}}, "combat.outweighed_by_none_of"),
        ({"topics": {"combat": {"outweighed_by_none_of": ["combat"]}}}, "combat.outweighed_by_none_of"),
        ({"topics": {"combat": {"outweighed_by_none_of": "casualties"}}}, "combat.outweighed_by_none_of"),
    ],
)
def test_a_bad_topic_in_the_list_is_named(bad: dict[str, object], word: str) -> None:
    with pytest.raises(ValueError, match=word):
        load_taxonomy(bad)


def test_removing_a_listed_topic_leaves_the_rule_valid() -> None:
    taxonomy = load_taxonomy({"remove_topics": ["humanitarian"]})
    assert taxonomy.topic("combat").outweighed_by_none_of == ("casualties",)
