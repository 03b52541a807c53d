"""A rescue is no frontline breakthrough, even with soldiers in it and "Breakthrough" in the headline.

* a disaster in the action's sentence frames it ("broken through to Ulmek, the village cut off
  since the quake"; quakes, aftershocks, avalanches and blizzards are disasters in every language);
* a headline's "Breakthrough in Ulmek" is the body's rescue when the body frames every reading as a
  disaster, a sport or an exercise;
* an armed word inside the action is no actor ("an aid convoy forces its way through the pass");
* a language's sport words do not swallow its verbs of advancing ("ter rompido ... e avançado").
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Breakthrough in Ulmek: army says soldiers have reached cut-off village",
         "Soldiers have broken through to Ulmek, the village at the top of the Ostal valley that had been cut off "
         "since the quake, the defence ministry has said."),
        ("Aid convoy forces its way through Zarkan pass",
         "The first aid convoy forced its way through the landslide-blocked Zarkan pass on Tuesday after army "
         "bulldozers opened a single lane, the Red Crescent said."),
        ("Rescue teams break through to hamlet after avalanche",
         "Army rescue teams broke through to the hamlet of Vallor on Sunday, two days after an avalanche cut the "
         "only road, the regional governor said."),
        ("Durchbruch in Ulmek",
         "Soldaten sind nach dem Erdbeben zu dem abgeschnittenen Dorf Ulmek durchgebrochen, teilte das "
         "Verteidigungsministerium mit."),
    ],
)
def test_a_rescue_in_a_disaster_is_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not extractor.extract(read_text(title, body)).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Breakthrough near Robotyne, Kyiv says",
         "Ukrainian forces broke through the first Russian defensive line near Robotyne, the General Staff said."),
        ("Forças ucranianas rompem linha russa perto de Robotyne",
         "As forças ucranianas afirmaram hoje ter rompido a primeira linha de defesa russa perto da localidade de "
         "Robotyne, na região de Zaporijia, e avançado cerca de 1,5 quilómetros."),
        ("Russian forces force their way through Ukrainian lines near Robotyne",
         "Russian assault units forced their way through Ukrainian defences near Robotyne, the ministry said."),
    ],
)
def test_a_frontline_breakthrough_stays_a_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert extractor.extract(read_text(title, body)).claims
