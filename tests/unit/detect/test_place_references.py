"""Which named place a claim is about, when the entry also names a city to locate it.

* a distance converted in brackets still measures from the city ("a town about 15 km (9 miles)
  east of Mosul": the town is the place, Mosul the reference);
* when the claim's own sentences name no place, the body's first sentences are read before the
  title: a headline locates the event from the city ("retook village east of X"), the body names
  the village;
* a city's quarter named through its possessive ("Kharkiv's northern Saltivka district") is the
  quarter; "inside X" and "entered X" name where the forces are;
* infiltration between positions is no breakthrough, in any language (the defenders report it as
  contained); breaking through still is;
* the parties of the war against Islamic State in Iraq are sides, and the verb "is" is not one.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.parties import _name_after
from newsmon.detect.tokens import read_text, tokenise


def _place(extractor: ClaimExtractor, title: str, body: str) -> str:
    result = extractor.extract(read_text(title, body))
    assert result.claims, (title, body)
    return result.claims[0].place


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Army commandos broke through the defences and entered Varnitsa, a town about 15 km (9 miles) east of "
         "Dolbrin, the command said.", "Varnitsa"),
        ("Troops overran militant positions around Kestrova, some 20 km (12 miles) southeast of Dolbrin, the "
         "army said on Thursday.", "Kestrova"),
        ("The brigade broke through enemy lines at Ostrel, 30 kilometres (19 miles) north of Dolbrin, its "
         "commander said.", "Ostrel"),
    ],
)
def test_a_distance_converted_in_brackets_still_measures_from_the_city(
    extractor: ClaimExtractor, body: str, place: str
) -> None:
    assert _place(extractor, "", body) == place


def test_a_bearing_alone_is_still_where_it_happens(extractor: ClaimExtractor) -> None:
    body = "Government troops broke through rebel lines west of Dolbrin on Saturday, the army said."
    assert _place(extractor, "", body) == "Dolbrin"


@pytest.mark.parametrize(
    ("title", "body", "place"),
    [
        ("Militants say they retook village east of Dolbrin",
         "The group said on Friday its fighters had recaptured the village of Tarvesh east of Dolbrin. "
         "In a statement, the group said its fighters had overrun the positions of the army and killed 20.",
         "Tarvesh"),
        ("Rebels claim gains north of Dolbrin",
         "Rebel fighters seized the hamlet of Okarna north of Dolbrin overnight. The rebel command said its "
         "units had broken through the army's trench line after a night assault.",
         "Okarna"),
    ],
)
def test_the_body_names_the_village_the_title_locates_from_the_city(
    extractor: ClaimExtractor, title: str, body: str, place: str
) -> None:
    assert _place(extractor, title, body) == place


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("special forces break into Mosul's eastern Gogjali district", "Gogjali"),
        ("fighting moved into Kharkiv's northern Saltivka district", "Saltivka"),
        ("troops pushed into Aleppo's old Jdeideh quarter", "Jdeideh"),
    ],
)
def test_a_city_quarter_named_through_its_possessive_is_the_quarter(text: str, name: str) -> None:
    assert _name_after(text, text.index("into") + 5)[0] == name


def test_a_possessive_before_a_common_noun_is_still_the_city() -> None:
    text = "heavy shelling of Kharkiv's northern districts"
    assert _name_after(text, text.index("of ") + 3)[0] == "Kharkiv"


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Army units breached a trench and earth berm on the city's eastern edge and are now fighting inside "
         "Varnitsa, the command said.", "Varnitsa"),
        ("Commandos broke through the militants' defences and entered Kestrova before dawn, the ministry "
         "said.", "Kestrova"),
    ],
)
def test_inside_and_entered_name_where_the_forces_are(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert _place(extractor, "", body) == place


@pytest.mark.parametrize(
    "body",
    [
        "Кілька російських піхотинців, які просочилися між позиціями, заблоковані, тривають пошукові дії.",
        "Інфільтрація російських штурмових груп між позиціями біля Іллінівки зупинена, заявили в Генштабі ЗСУ.",
        "Plusieurs fantassins russes qui se sont infiltrés entre les positions ont été bloqués, a indiqué le "
        "porte-parole ukrainien.",
        "Varios soldados rusos que lograron infiltrarse entre las posiciones ucranianas fueron bloqueados, "
        "según el portavoz.",
        "Alcuni soldati russi infiltratisi tra le posizioni ucraine sono stati bloccati, ha detto il portavoce.",
    ],
)
def test_infiltration_between_positions_is_no_breakthrough(extractor: ClaimExtractor, body: str) -> None:
    assert not extractor.extract(read_text("", body)).claims


@pytest.mark.parametrize(
    "body",
    [
        "Російські війська прорвали оборону ЗСУ біля Іллінівки, заявили в Міноборони РФ.",
        "Les forces russes ont percé les défenses ukrainiennes près d'Ilinivka, selon le ministère russe de la "
        "Défense.",
    ],
)
def test_breaking_through_is_still_a_breakthrough(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims


@pytest.mark.parametrize(
    ("body", "side"),
    [
        ("Kurdish Peshmerga forces have punched through Islamic State's front line and taken nine villages, "
         "the Peshmerga General Command says.", "peshmerga"),
        ("Iraqi Counter-Terrorism Service troops breached IS defences on the eastern edge of the city, the "
         "Joint Operations Command said.", "iraq-government"),
        ("In a statement on its Amaq news agency, Islamic State said its fighters had overrun the positions of "
         "the Peshmerga near the village.", "islamic-state"),
    ],
)
def test_the_parties_of_the_war_against_islamic_state_are_sides(
    extractor: ClaimExtractor, body: str, side: str
) -> None:
    result = extractor.extract(read_text("", body))
    assert result.claims and result.claims[0].side == side


def test_the_verb_is_names_no_side(extractor: ClaimExtractor) -> None:
    tokens = tokenise("The village is held by the army and the road is open; the lines is quiet.", "en")
    assert "islamic-state" not in extractor.sides.sides_in(tokens)
