"""Where a claim happens, when the sentence also names a region or a reference point, and whose it is
when a party's name is inflected.

* a region's noun before a city's name, with or without "of"/"de"/"di" ("the region of Kharkiv",
  "la región de Járkov"), makes the city the region: the village the sentence names is the place;
* "in this sector, west of X" locates a place named earlier in the entry: X is no place of the claim,
  while a bearing alone ("broke through west of X") still names where things happen;
* a town's parts ("in the streets of X", "dans les rues de X", "en el centro de X") lead to its name;
* a side's or claimant's name in Cyrillic matches its inflections ("Підрозділи Сил оборони" is
  Ukraine's "Сили оборони").
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.places import default_sides
from newsmon.detect.tokens import normalise, read_text, tokenise


def _claim(extractor: ClaimExtractor, body: str) -> tuple[str, str]:
    result = extractor.extract(read_text("", body))
    assert result.claims, body
    return result.claims[0].place, result.claims[0].side


@pytest.mark.parametrize(
    "body",
    [
        "Ukrainian troops broke through Russian lines in the region of Kharkiv and retook the village of "
        "Shevchenkove, the General Staff said.",
        "El Estado Mayor ucraniano afirmó que sus tropas han roto las defensas rusas en la región de Járkov y han "
        "recuperado la localidad de Shevchenkove.",
        "Ukrainian troops broke through Russian lines in the Kharkiv region and retook the village of Shevchenkove.",
        "As tropas ucranianas romperam as linhas russas na região de Kharkiv e retomaram a localidade de "
        "Shevchenkove.",
    ],
)
def test_a_region_of_a_city_yields_to_the_village(extractor: ClaimExtractor, body: str) -> None:
    assert _claim(extractor, body)[0] == "Shevchenkove"


@pytest.mark.parametrize(
    "body",
    [
        "Ukrainian troops broke through Russian lines near Kharkiv, the General Staff said.",
        "Las tropas ucranianas rompieron las líneas rusas cerca de Járkov, según el Estado Mayor.",
    ],
)
def test_a_city_without_a_region_noun_is_the_place(extractor: ClaimExtractor, body: str) -> None:
    assert _claim(extractor, body)[0] == "Kharkiv"


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Satellite images show Ukrainian armour in the streets of Shevchenkove. They back Kyiv's claim that its "
         "forces broke through Russian lines in this sector, west of Kupiansk.", "Shevchenkove"),
        ("Des images satellites montrent des blindés ukrainiens dans les rues de Chevtchenkove. Elles accréditent "
         "l'annonce par Kiev d'une percée des lignes russes dans ce secteur, à l'ouest de Koupiansk.",
         "Chevtchenkove"),
        ("Las imágenes muestran blindados ucranianos en Shevchenkove. Confirman que las tropas ucranianas "
         "rompieron las líneas rusas en ese sector, al oeste de Kupiansk.", "Shevchenkove"),
    ],
)
def test_this_sector_west_of_a_town_locates_the_place_named_before(
    extractor: ClaimExtractor, body: str, place: str
) -> None:
    assert _claim(extractor, body)[0] == place


@pytest.mark.parametrize(
    "body",
    [
        "Ukrainian forces broke through Russian lines west of Kupiansk, the General Staff said.",
        "Ukrainian forces broke through Russian lines in this sector, the General Staff said, near Kupiansk.",
        "Les forces ukrainiennes ont percé les lignes russes à l'ouest de Koupiansk, selon l'état-major.",
    ],
)
def test_a_bearing_alone_names_the_place(extractor: ClaimExtractor, body: str) -> None:
    assert _claim(extractor, body)[0] == "Kupiansk"


@pytest.mark.parametrize(
    "body",
    [
        "Las tropas rusas rompieron las defensas ucranianas en el centro de Kalynivske, según el ministerio ruso.",
        "Les troupes russes ont percé les défenses dans les rues de Kalynivske, selon Moscou.",
        "Le truppe russe hanno sfondato le difese nella periferia di Kalynivske, secondo Mosca.",
        "Russian troops broke through the defences in the streets of Kalynivske, Moscow said.",
    ],
)
def test_a_towns_part_leads_to_its_name(extractor: ClaimExtractor, body: str) -> None:
    # a village no gazetteer knows: the name after the locative and the town's part is the place
    assert _claim(extractor, body)[0] == "Kalynivske"


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        ("Підрозділи Сил оборони прорвали оборону", "uk", "ukraine"),
        ("бійці Збройних сил України", "uk", "ukraine"),
        ("подразделения Вооружённых сил России", "ru", "russia"),
        ("Сили оборони прорвали оборону", "uk", "ukraine"),
        ("сила удару", "uk", ""),
        ("оборона міста", "uk", ""),
    ],
)
def test_an_inflected_cyrillic_name_names_its_side(text: str, language: str, side: str) -> None:
    assert default_sides().side_of(tokenise(normalise(text), language)) == side
