"""Fire, weather and water "break through" nothing a side holds.

* a fire's line or front, flames, smoke, an air mass, heat, a weather front, floodwater or snow after a
  breakthrough verb is a physical object, in every language ("abrir brecha en la línea de llamas",
  "прорыв тёплого воздуха", "die Feuerfront durchbrochen");
* a military noun inside such a name ("línea", "фронт", "front") does not make it the enemy's line,
  while one before a physical object still does ("the defensive wall");
* a physical object may start up to four words after the verb and run on past them.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "Tras una noche de trabajo, las brigadas forestales lograron abrir brecha en la línea de llamas con "
        "maquinaria pesada cerca de Tineo.",
        "Синоптики ожидают прорыв тёплого атлантического воздуха в центральные регионы России.",
        "Firefighters' brigades broke through the fire line near the village overnight, the county said.",
        "Die Einsatzkräfte haben die Feuerfront bei Treuenbrietzen am Morgen durchbrochen.",
        "Les brigades de pompiers ont percé la ligne de flammes près de Martigues dans la nuit.",
        "Le squadre hanno sfondato il fronte dell'incendio vicino a Bosa, ha detto la protezione civile.",
        "As brigadas romperam a frente do incêndio perto de Pedrógão durante a noite.",
        "Холодний атмосферний фронт прорве оборону тепла і принесе сніг до Львова.",
        "Zimny front przełamał linię ciepłego powietrza nad Polską, podali synoptycy.",
        "Floodwater broke through the line of sandbags and the defences of the old town overnight.",
    ],
)
def test_a_natural_force_is_no_enemy_line(extractor: ClaimExtractor, body: str) -> None:
    result = extractor.extract(read_text("", body))
    assert result.claims == (), body


@pytest.mark.parametrize(
    "body",
    [
        "Russian troops broke through Ukrainian defences near Bakhmut under heavy fire, the defence ministry said.",
        "Las tropas rusas abrieron brecha en la línea de defensa ucraniana cerca de Bajmut, según el Ministerio.",
        "Ukrainian troops broke through Russian lines despite smoke screens near Robotyne, the General Staff said.",
        "Die russischen Truppen haben die ukrainische Front bei Awdijiwka durchbrochen, teilte Moskau mit.",
        "Les forces russes ont percé le front près de Bakhmout, selon le ministère russe de la Défense.",
        "Le truppe russe hanno sfondato la linea del fronte ucraina vicino a Bakhmut, ha detto il ministero.",
        "Російські війська прорвали оборону ЗСУ біля Авдіївки, заявили в Міноборони РФ.",
        "Rebel fighters broke through the army's defensive wall east of Marib, the group said.",
    ],
)
def test_a_frontline_breakthrough_keeps_its_claim(extractor: ClaimExtractor, body: str) -> None:
    result = extractor.extract(read_text("", body))
    assert [c.kind for c in result.claims] == ["breakthrough"], body
