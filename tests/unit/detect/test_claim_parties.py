"""Who a claim belongs to and where it is, when the text names more than the actor and the place.

* **Supporters are not the actor**: a side named after "backed by", "при поддержке", "avec l'appui
  de" backs the breakthrough; the claim is not that side's ("army units, supported by Russian
  aircraft, broke through" is no Russian claim).
* **An organisation's name is no place**: "in the Dawn of Liberation operations room", "a General
  Staff spokesman", "of the Deterrence of Aggression command" name bodies, not towns.
* **One place with its Arabic article and without it**: "al-Atarib" and "Atareb", "Ad-Dana" and
  "Dana" are one place for the claims; a re-report under the other spelling alerts no second time.
* **The whole front**: "no breakthrough on any sector of the front" is about no place, so it is an
  event of its own beside a claim at a place its lead happens to name.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.places import default_gazetteer
from newsmon.detect.tokens import read_text


@pytest.mark.parametrize(
    "body",
    [
        "Army units, supported by Russian aircraft, broke through insurgent lines north of Hama, the ministry said.",
        "Government troops backed by Russian air power broke through rebel defences near Suran on Thursday.",
        "Подразделения армии при поддержке российской авиации прорвали оборону боевиков у Сурана.",
        "Les unités de l'armée, appuyées par l'aviation russe, ont percé les lignes rebelles près de Souran.",
    ],
)
def test_a_supporter_s_side_is_not_the_claim_s(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side != "russia"


@pytest.mark.parametrize(
    "body",
    [
        "Russian troops, backed by artillery, broke through Ukrainian defences near Pokrovsk.",
        "Российские войска при поддержке артиллерии прорвали оборону ВСУ у Покровска.",
        "Les troupes russes, appuyées par l'artillerie, ont percé les défenses ukrainiennes près de Pokrovsk.",
    ],
)
def test_the_actor_s_side_stays_beside_its_support(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.side == "russia"


@pytest.mark.parametrize(
    ("body", "body_name", "place"),
    [
        ("Factions of the Dawn of Liberation operations room said their fighters broke through army lines "
         "east of Atareb.", "Dawn", "Atareb"),
        ("Faylaq al-Shamal, one of the factions in the Dawn of Liberation operations room, said its fighters "
         "broke through the army's defensive lines near Saraqib.", "Liberation", "Saraqib"),
        ("Fighters of the Deterrence of Aggression command broke through government lines near Saraqib.",
         "Deterrence", "Saraqib"),
        ("Russian forces have not broken through near Toretsk, a spokesman of the General Staff said.",
         "General Staff", "Toretsk"),
    ],
)
def test_an_organisation_s_name_is_no_place(extractor: ClaimExtractor, body: str, body_name: str, place: str) -> None:
    places, _ = extractor.places(read_text("", body))
    assert body_name not in places
    assert place in places


@pytest.mark.parametrize(
    ("a", "b"), [("al-Atarib", "Atareb"), ("Ad-Dana", "Dana"), ("El Obeid", "Obeid"), ("as-Safira", "Safira")]
)
def test_a_place_with_and_without_its_arabic_article_is_one(a: str, b: str) -> None:
    assert default_gazetteer().same_place(a, b)


@pytest.mark.parametrize(("a", "b"), [("al-Atarib", "al-Bab"), ("al-Bab", "Bab el-Hawa"), ("Ad-Dana", "Darayya")])
def test_other_places_stay_apart(a: str, b: str) -> None:
    assert not default_gazetteer().same_place(a, b)


def test_a_re_report_under_the_spelling_without_the_article_alerts_no_second_time() -> None:
    d = Detector(DetectionConfig())
    first = make_entry(
        "s1",
        "Opposition factions say they have broken through army defences on al-Atarib front",
        "Syrian rebels said on Wednesday that their fighters had broken through the first line of Syrian army "
        "fortifications east of al-Atarib, in the western countryside of Aleppo.",
        source="wire",
    )
    again = make_entry(
        "s2",
        "Rebels claim breakthrough near Atareb",
        "Syrian rebels are claiming to have punched through the Syrian army's front line near the town of Atareb, "
        "west of Aleppo. We have not been able to verify this independently.",
        minutes=25,
        source="liveblog",
    )
    a = d.analyse(new(first), first.published)
    b = d.analyse(new(again), again.published)
    assert a.claims and b.claims
    assert b.duplicate_of == first.key or b.story == a.story


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("General Staff: 160 clashes in a day, 'no breakthrough on any sector'",
         "Ukraine's General Staff says there were 160 combat engagements over the past day, most of them in the "
         "Pokrovsk and Toretsk directions. \"The enemy has not achieved a breakthrough on any sector of the front,\" "
         "a General Staff spokesman said."),
        ("Генштаб ЗСУ: за добу 160 боєзіткнень",
         "За минулу добу відбулося 160 боєзіткнень, найбільше на Покровському та Торецькому напрямках. Прориву "
         "оборони на жодній ділянці фронту противник не досяг, заявили в Генштабі."),
    ],
)
def test_no_breakthrough_anywhere_is_its_own_event(title: str, body: str) -> None:
    d = Detector(DetectionConfig())
    claim = make_entry(
        "c1",
        "Russia says its troops broke through near Toretsk",
        "Russia's defence ministry said its troops had broken through Ukrainian defences near Toretsk and "
        "advanced two kilometres.",
        source="wire",
    )
    general = make_entry("g1", title, body, minutes=120, source="kyiv")
    first = d.analyse(new(claim), claim.published)
    later = d.analyse(new(general), general.published)
    assert first.claims and not later.claims
    assert later.story != first.story


@pytest.mark.parametrize(
    "body",
    [
        "Прориву оборони на жодній ділянці фронту противник не досяг, заявили в Генштабі.",
        "Прорыва обороны ни на одном участке фронта противник не добился, сообщили в Генштабе.",
        "Прорыва обороны у Покровска противник не достиг, заявили в Минобороны.",
    ],
)
def test_a_breakthrough_the_enemy_did_not_achieve_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    result = extractor.extract(read_text("", body))
    assert not result.claims
    assert any(b["reason"].startswith("negation") for b in result.blocked)


@pytest.mark.parametrize(
    "body",
    [
        "Российские войска прорвали оборону ВСУ у Покровска, заявили в Генштабе.",
        "Російські війська прорвали оборону під Покровськом, заявили в Генштабі.",
    ],
)
def test_the_general_staff_is_no_place_of_a_claim(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.place == "Pokrovsk"


def test_no_breakthrough_anywhere_in_a_named_region_answers_the_claim_there() -> None:
    d = Detector(DetectionConfig())
    claim = make_entry(
        "c1",
        "Russia says its troops broke through near Vovchansk",
        "Russia's defence ministry said its troops had broken through Ukrainian defences at Vovchansk in "
        "Kharkiv region and taken several streets.",
        source="wire",
    )
    answer = make_entry(
        "a1",
        "'No breakthrough anywhere' in Kharkiv region, Ukraine's commander says",
        "Ukraine's commander-in-chief says Russian forces have not broken through Ukraine's defences anywhere in "
        "Kharkiv region, including at Vovchansk.",
        minutes=180,
        source="kyiv",
    )
    first = d.analyse(new(claim), claim.published)
    later = d.analyse(new(answer), answer.published)
    assert first.claims and not later.claims
    assert later.story == first.story


@pytest.mark.parametrize(
    "body",
    [
        "Danab special forces have punched through al-Shabaab's trench line on the northern side of Mahaday, "
        "the commander of the army's Danab brigade said.",
        "Government troops broke through rebel lines north of Saraqib, the Syrian army command said.",
    ],
)
def test_a_place_before_a_comma_and_a_speaker_stays_a_place(extractor: ClaimExtractor, body: str) -> None:
    (claim,) = extractor.extract(read_text("", body)).claims
    assert claim.place in ("Mahaday", "Saraqib")
