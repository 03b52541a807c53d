"""Place names the gazetteer half knows, and places it does not know at all.

* a region's adjectival name declines in every word: "Донецкой Народной Республики",
  "Луганской Народной Республике", "Запорізької області" are regions, not the city of Donetsk;
* a village named just before a region ("Русин Яр Донецкой Народной Республики") is the place;
* a place the gazetteer does not list is shown in Latin script, Ukrainian by the national system
  and Russian by the passport table ("Rusyn Yar", "Zheleznodorozhnoe"); Latin names stay as written.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claimplace import PLACE, REGION, candidates
from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.places import place_key
from newsmon.detect.romanise import latin_name
from newsmon.detect.tokens import read_text


def _candidates(extractor: ClaimExtractor, text: str) -> dict[str, int]:
    reading = read_text("", text)
    lang = extractor.language(reading.lexicon_language)
    return {c.name: c.rank for c in candidates(extractor.gazetteer, extractor.sides, lang, reading.sentences[0])}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Бои идут на территории Донецкой Народной Республики, сообщили военные.", "Donetsk oblast"),
        ("Обстрелы продолжаются в Луганской Народной Республике, заявили власти.", "Luhansk oblast"),
        ("Удары наносились по целям в Донецкой народной республике ночью.", "Donetsk oblast"),
        ("Бої тривають на півдні Запорізької області, повідомили військові.", "Zaporizhzhia oblast"),
    ],
)
def test_an_adjectival_region_name_declines_in_every_word(extractor: ClaimExtractor, text: str, region: str) -> None:
    found = _candidates(extractor, text)
    assert found.get(region) == REGION
    assert "Donetsk" not in found and "Luhansk" not in found


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Подразделения группировки войск «Южная» прорвали оборону ВСУ в районе населенного пункта Русин Яр "
         "Донецкой Народной Республики, сообщило Министерство обороны РФ.", "Rusin Yar"),
        ("Штурмовые отряды прорвали оборону ВСУ у населенного пункта Железнодорожное Запорожской области, "
         "заявил командующий.", "Zheleznodorozhnoe"),
        ("Українські штурмові підрозділи прорвали дві лінії російської оборони поблизу села Ягідне Харківської "
         "області, заявив командир бригади.", "Yahidne"),
    ],
)
def test_a_village_before_its_region_is_the_claims_place_in_latin(
    extractor: ClaimExtractor, text: str, place: str
) -> None:
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].place == place


def test_a_named_place_is_not_cut_at_the_gazetteers_match(extractor: ClaimExtractor) -> None:
    # the gazetteer's Robotyne inside "des Dorfes Robotyne": no "Dorfes"
    found = _candidates(extractor, "Russische Truppen sind nach eigenen Angaben bis an den Rand des Dorfes Robotyne "
                                   "durchgebrochen.")
    assert found == {"Robotyne": PLACE}


@pytest.mark.parametrize(
    ("name", "language", "latin"),
    [
        ("Русин Яр", "uk", "Rusyn Yar"),
        ("Залізничне", "ru", "Zaliznychne"),  # і: Ukrainian, whatever the entry's language
        ("Железнодорожное", "ru", "Zheleznodorozhnoe"),
        ("Дробышево", "uk", "Drobyshevo"),  # ы: Russian
        ("Новоолександрівка", "uk", "Novooleksandrivka"),
        ("Bakhmut", "en", "Bakhmut"),
        ("Kindraschiwka", "de", "Kindraschiwka"),
    ],
)
def test_unknown_places_are_shown_in_latin_script(name: str, language: str, latin: str) -> None:
    assert latin_name(name, language) == latin


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Ukrainische Truppen sind nach eigenen Angaben im russischen Grenzgebiet Kursk nahe der Ortschaft "
         "Tjotkino durchgebrochen.", "Tyotkino"),
        ("Les troupes ukrainiennes ont percé les lignes russes près de Tiotkino, dans la région Koursk.", "Tyotkino"),
    ],
)
def test_a_region_noun_before_a_citys_name_makes_it_the_region(
    extractor: ClaimExtractor, text: str, place: str
) -> None:
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].place == place


def test_a_city_without_a_region_noun_stays_the_place(extractor: ClaimExtractor) -> None:
    text = "Russische Truppen sind bei Kursk durchgebrochen, teilte das Ministerium mit."
    result = extractor.extract(read_text("", text))
    assert result.claims and result.claims[0].place == "Kursk"


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainische Truppen sind nach eigenen Angaben nahe der Ortschaft Tjotkino durchgebrochen.",
        "Russische Einheiten sind bei Pokrowsk in die ukrainischen Stellungen eingebrochen, sagte das Ministerium.",
        "Kiew: Ukrainische Einheiten an der Grenze bei Tjotkino durch russische Linien gestoßen",
    ],
)
def test_german_participles_of_breaking_through_are_claims(extractor: ClaimExtractor, text: str) -> None:
    assert extractor.extract(read_text("", text)).claims


@pytest.mark.parametrize(
    "text",
    [
        "Russischen Truppen ist es nicht gelungen, bei Pokrowsk durchzubrechen.",
        "Die Polizei ist in der Nacht in die Wohnung des Verdächtigen eingebrochen.",
        "Der Stürmer ist durch die Abwehr gestoßen und hat zum 2:1 getroffen.",
    ],
)
def test_german_participles_in_a_failure_a_burglary_or_a_match_are_none(extractor: ClaimExtractor, text: str) -> None:
    assert not extractor.extract(read_text("", text)).claims


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Малих Щербаків", "Mali Shcherbaky"),
        ("Малые Щербаки", "Mali Shcherbaky"),
        ("Великої Новосілки", "Velyka Novosilka"),
    ],
)
def test_a_plural_adjectives_case_keeps_one_place(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)
