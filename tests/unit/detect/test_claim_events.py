"""Which breakthroughs are claims and which claims are new events.

* an ability is no deed: "are able to breach", "können durchbrechen" claim nothing, while
  "were able to break through" and "konnten durchbrechen" report one;
* a claim at another front, by the same side, in an entry that does not name the place of a
  similar story's claim, is a new event: its own story and its own alert (it had joined the
  first claim's story through a live blog's run of posts, and never alerted);
* a page's opening or closing post ("Welcome to ...", "Guten Morgen", "Bienvenue") overviews
  what the page follows: it opens no story that later events would join.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Entry


@pytest.mark.parametrize(
    "text",
    [
        "The rebel leader says his fighters are able to breach the last army lines around the city of Velmora.",
        "Our forces can break through the enemy defences near Velmora at any moment, the commander said.",
        "The fighters will be able to breach the defensive lines near Velmora, the leader said.",
        "Российские войска способны прорвать оборону ВСУ под Покровском в любой момент, заявил командир.",
        "Die russischen Truppen können die ukrainischen Linien bei Pokrowsk jederzeit durchbrechen, sagte er.",
        "Les forces russes sont en mesure de percer les lignes ukrainiennes près de Pokrovsk, selon le commandant.",
        "Siły rosyjskie są w stanie przełamać obronę pod Pokrowskiem, twierdzi dowódca.",
    ],
)
def test_an_ability_to_break_through_is_no_claim(extractor: ClaimExtractor, text: str) -> None:
    result = extractor.extract(read_text("", text))
    assert not result.claims
    assert any(b["reason"].startswith("negation") for b in result.blocked)


@pytest.mark.parametrize(
    "text",
    [
        "Northland troops were able to break through the Southland defences near Velmora, the ministry said.",
        "Russische Truppen konnten die ukrainischen Linien bei Pokrowsk durchbrechen, teilte das Ministerium mit.",
        "Российские войска прорвали оборону ВСУ под Покровском, сообщило Минобороны России.",
    ],
)
def test_a_breakthrough_achieved_stays_a_claim(extractor: ClaimExtractor, text: str) -> None:
    assert extractor.extract(read_text("", text)).claims


def _run(*entries: Entry) -> list[Analysis]:
    detector = Detector(DetectionConfig())
    return [detector.analyse(new(e), e.published) for e in entries]


FIRST = make_entry(
    "a1", "Northland brigade says Southland lines breached west of Velmora",
    "Southland lines were breached west of Velmora early on Saturday, the Northland 5th Brigade said. "
    "Its fighters were clearing pockets of resistance in the hills, the brigade said.",
    minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Korrin: army says troops forced their way through Southland defences",
         "Northland troops forced their way through Southland defences east of Korrin on Saturday afternoon "
         "and captured two hills overlooking the main road, according to the army's media centre."),
        ("Northland claims a second breakthrough, at Dravo",
         "The Northland army said its units had punched through Southland's defensive line at Dravo, "
         "far to the south, after a week of preparation."),
    ],
)
def test_a_claim_at_another_front_is_a_new_event(title: str, body: str) -> None:
    first, second = _run(FIRST, make_entry("a2", title, body, minutes=20))
    assert first.claims and second.claims
    assert second.story == second.event.entry.key != first.story
    assert second.duplicate_of is None


def test_a_development_naming_the_first_place_stays_in_its_story() -> None:
    development = make_entry(
        "a3", "Northland brigade says breach west of Velmora widened to Dravo",
        "The Northland 5th Brigade said its fighters, who breached Southland lines west of Velmora on Saturday, "
        "had widened the breach and punched through to the village of Dravo.",
        minutes=30,
    )
    first, later = _run(FIRST, development)
    assert later.story == first.story


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Welcome to our live coverage",
         "Good morning. We are following the fighting around Velmora and Korrin and the talks in Geneva."),
        ("Guten Morgen und willkommen",
         "Wir berichten heute über die Kämpfe bei Velmora und Korrin und über die Gespräche in Genf."),
        ("Bienvenue dans ce direct",
         "Nous suivons aujourd'hui les combats autour de Velmora et de Korrin et les pourparlers de Genève."),
    ],
)
def test_a_pages_opening_post_opens_no_story(title: str, body: str) -> None:
    later = make_entry(
        "b2", "Fighting flares near Velmora", "Fighting flared near Velmora overnight, the army said.", minutes=10
    )
    opening, event = _run(make_entry("b1", title, body), later)
    assert "roundup" in opening.why
    assert event.story == event.event.entry.key


@pytest.mark.parametrize(
    "text",
    [
        "As tropas russas sofreram pesadas perdas sem conseguir romper as defesas ucranianas perto de Siversk.",
        "Las tropas rusas sufrieron grandes pérdidas sin lograr romper las defensas ucranianas cerca de Siversk.",
        "Le truppe russe hanno subito pesanti perdite senza riuscire a sfondare le difese ucraine vicino a Siversk.",
        "Les troupes russes ont subi de lourdes pertes sans parvenir à percer les lignes ukrainiennes près de Siversk.",
        "Российские войска понесли потери, не сумев прорвать оборону ВСУ под Северском.",
    ],
)
def test_without_managing_to_break_through_is_no_claim(extractor: ClaimExtractor, text: str) -> None:
    assert not extractor.extract(read_text("", text)).claims


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Штурмовые группы прорвали оборонительный рубеж украинских войск у села Малиевка "
         "Синельниковского района Днепропетровской области, сообщило Минобороны России.", "Malievka"),
        ("Російські штурмові групи прорвали оборону біля села Малієвка Синельниківського району, "
         "заявили в Міноборони РФ.", "Maliievka"),
    ],
)
def test_a_districts_adjective_is_not_part_of_the_village(extractor: ClaimExtractor, text: str, place: str) -> None:
    (claim,) = extractor.extract(read_text("", text)).claims
    assert claim.place == place


@pytest.mark.parametrize(
    "text",
    [
        "The offensive was supposed to break through the Ukrainian defences north of Robotyne, but it stalled.",
        "L'offensiva avrebbe dovuto sfondare le difese ucraine a nord di Robotyne, ma le unità russe si sono fermate.",
        "L'offensive devait percer les défenses ukrainiennes au nord de Robotyne, mais elle a échoué.",
        "Наступление должно было прорвать оборону ВСУ севернее Работино, но захлебнулось.",
        "Die Offensive sollte die ukrainische Verteidigung nördlich von Robotyne durchbrechen, kam aber nicht voran.",
    ],
)
def test_what_was_to_break_through_is_no_claim(extractor: ClaimExtractor, text: str) -> None:
    assert not extractor.extract(read_text("", text)).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [  # the body's sentence alone would read as a claim: an armed group, its army, "breakthrough"
        ("Beijing hails 'important breakthrough' at Kunming talks",
         "China's foreign ministry says talks it hosted in Kunming between Myanmar's military government and the "
         "Myanmar National Democratic Alliance Army (MNDAA) have produced what a spokesperson called "
         "\"an important breakthrough\" on border trade."),
        ("Durchbruch bei den Gesprächen in Genf",
         "Die Delegationen der Armee und der Rebellen in Genf meldeten am Abend einen Durchbruch."),
    ],
)
def test_the_titles_civil_breakthrough_is_the_bodys_too(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = extractor.extract(read_text(title, body))
    assert not result.claims
    assert any("as in the title" in b["reason"] for b in result.blocked)


def test_a_military_breakthrough_in_the_body_of_a_talks_story_stays_a_claim(extractor: ClaimExtractor) -> None:
    result = extractor.extract(read_text(
        "Breakthrough at Kunming talks on border trade",
        "Meanwhile the rebel army said its fighters had broken through the junta's defensive lines near Lashio.",
    ))
    assert result.claims and result.claims[0].place == "Lashio"


def test_an_english_rereport_of_a_russian_claim_spelt_the_ukrainian_way_is_a_duplicate() -> None:
    first, again = _run(
        make_entry("r1", "Российские штурмовики прорвали рубеж ВСУ у села Малиевка — командир",
                   "Штурмовые группы прорвали оборонительный рубеж украинских войск у села Малиевка "
                   "Синельниковского района Днепропетровской области, рассказал командир батальона.", minutes=0),
        make_entry("r2", "Russian commander claims troops breached Ukrainian line at Maliivka",
                   "A Russian battalion commander told a state news agency that his assault groups broke through a "
                   "Ukrainian defensive line at the village of Maliivka in Dnipropetrovsk region. The claim has not "
                   "been confirmed.", minutes=90),
    )
    assert first.claims and again.claims
    assert again.duplicate_of == first.event.entry.key


HULIAIPOLE = make_entry(
    "h1", "Russia says its forces broke through Ukrainian defences near Huliaipole",
    "Russian troops broke through Ukrainian defences on a front up to five kilometres wide north-west of Huliaipole, "
    "the Russian defence ministry said.", minutes=0,
)


def _moscow_rereport(more: str) -> Entry:
    """HULIAIPOLE's claim reworded an hour later, with ``more`` after it."""
    return make_entry("h2", "Moscow claims breakthrough at Huliaipole",
                      "Russia's defence ministry said its units had pierced the Ukrainian lines north-west of "
                      f"Huliaipole along a five-kilometre stretch. {more}", minutes=60)


@pytest.mark.parametrize(
    ("first_title", "first_body", "title", "body"),
    [  # a claim first reported in Russian, re-reported with the village's Ukrainian name
        ("Минобороны: войска прорвали оборону ВСУ у Новоалександровки",
         "Подразделения группировки войск «Центр» прорвали оборону противника у населённого пункта "
         "Новоалександровка, сообщило Министерство обороны России.",
         "Russia says its troops breached Ukrainian lines at Novooleksandrivka",
         "Ukrainian defences near Novooleksandrivka have been breached, Russia's defence ministry said. The "
         "claim could not be independently verified."),
        ("Минобороны России: прорвана оборона ВСУ у Степногорска",
         "Российские войска прорвали эшелонированную оборону ВСУ у Степногорска, заявили в Минобороны России.",
         "Moskau meldet Durchbruch bei Stepnohirsk",
         "Russische Truppen haben nach Angaben des Verteidigungsministeriums in Moskau die ukrainische "
         "Verteidigung bei Stepnohirsk durchbrochen."),
        ("Минобороны: войска прорвали оборону ВСУ у Николаевки",
         "Российские войска прорвали оборону ВСУ в районе населённого пункта Николаевка, сообщило Минобороны РФ.",
         "Mosca rivendica lo sfondamento a Mykolaivka",
         "Il ministero della Difesa russo afferma che le sue truppe hanno sfondato le difese ucraine a "
         "Mykolaivka."),
    ],
)
def test_a_rereport_naming_the_village_in_ukrainian_is_a_duplicate(
    first_title: str, first_body: str, title: str, body: str
) -> None:
    first, again = _run(make_entry("v1", first_title, first_body, minutes=0), make_entry("v2", title, body, minutes=60))
    assert first.claims and again.claims
    assert again.duplicate_of == first.event.entry.key


def test_a_claim_at_a_village_with_another_name_is_another_story() -> None:
    first, other = _run(
        make_entry("v1", "Минобороны: войска прорвали оборону ВСУ у Новоалександровки",
                   "Подразделения группировки войск «Центр» прорвали оборону противника у населённого пункта "
                   "Новоалександровка, сообщило Министерство обороны России.", minutes=0),
        make_entry("v3", "Russia says its troops breached Ukrainian lines at Novomykolaivka",
                   "Ukrainian defences near Novomykolaivka have been breached, Russia's defence ministry said.",
                   minutes=60),
    )
    assert other.claims and other.duplicate_of is None and other.story != first.story


@pytest.mark.parametrize(
    "background",
    [
        "Huljajpole liegt rund 100 Kilometer östlich der Gebietshauptstadt Saporischschja.",
        "Huliaipole had a pre-war population of about 13,000.",
        "The town is some 80 km from the regional capital.",
        # a town's size in a clause of a sentence about the fighting: still no fact of the event
        "Huliaipole, which had a pre-war population of about 13,000, has been under Russian attack for months.",
        "Huliaipole, home to 13,000 people before the war, has been shelled by Russian forces for months.",
        "Huliaipole, che prima della guerra contava circa 13 mila abitanti, è da mesi sotto il fuoco russo.",
        "Huljajpole, das vor dem Krieg rund 13.000 Einwohner hatte, steht seit Monaten unter russischem Beschuss.",
    ],
)
def test_a_rereport_with_background_figures_is_a_duplicate(background: str) -> None:
    first, again = _run(
        HULIAIPOLE,
        _moscow_rereport(f"{background} The claim could not be verified."),
    )
    assert again.duplicate_of == first.event.entry.key


@pytest.mark.parametrize(
    ("title", "body"),
    [  # the same in the languages of the war: the town's size is no new fact of the claim
        ("Минобороны России: оборона ВСУ у Гуляйполя прорвана",
         "Российские войска прорвали оборону ВСУ на участке шириной до пяти километров северо-западнее Гуляйполя, "
         "сообщило Минобороны России. Гуляйполе, где до войны проживало около 13 тысяч человек, находится под "
         "ударами российских войск."),
        ("Міноборони РФ заявило про прорив під Гуляйполем",
         "Міноборони Росії заявило, що російські війська прорвали оборону ЗСУ на ділянці до п'яти кілометрів "
         "північно-західніше Гуляйполя. Гуляйполе, у якому до війни мешкало близько 13 тисяч людей, перебуває "
         "під обстрілами російських військ."),
        ("Moskau meldet Durchbruch bei Huljajpole",
         "Russische Truppen haben nach Angaben des russischen Verteidigungsministeriums die ukrainische "
         "Verteidigung nordwestlich von Huljajpole auf fünf Kilometern Breite durchbrochen. Huljajpole, das vor "
         "dem Krieg rund 13.000 Einwohner hatte, steht seit Monaten unter russischem Beschuss."),
    ],
)
def test_a_rereport_in_another_language_naming_the_towns_population_is_a_duplicate(title: str, body: str) -> None:
    first, again = _run(
        HULIAIPOLE,
        make_entry("h2", title, body, minutes=60),
    )
    assert again.claims
    assert again.duplicate_of == first.event.entry.key


@pytest.mark.parametrize(
    "news",
    [  # a figure of the fighting in the same sentence as the town's size is news
        "Huliaipole, which had a pre-war population of about 13,000, is now flanked by 300 Russian troops.",
        "Huliaipole, home to 13,000 people before the war, saw 40 Ukrainian soldiers captured, Moscow said.",
        "Huliaipole (population 13,000 before the war) - 300 Ukrainian soldiers are encircled there, Moscow said.",
    ],
)
def test_a_figure_of_the_fighting_beside_the_towns_population_is_a_development(news: str) -> None:
    first, again = _run(
        HULIAIPOLE,
        _moscow_rereport(news),
    )
    assert again.duplicate_of is None and again.story == first.story


def test_a_new_figure_about_the_fighting_is_a_development() -> None:
    first, again = _run(
        HULIAIPOLE,
        make_entry("h3", "Moscow says Huliaipole breach widened",
                   "Russia's defence ministry said its units had widened the breach in the Ukrainian lines "
                   "north-west of Huliaipole to 12 kilometres.", minutes=60),
    )
    assert again.duplicate_of is None and again.story == first.story


POKROVSK = make_entry(
    "n1", "Russia says its forces broke through Ukrainian defences near Pokrovsk",
    "Russian forces broke through Ukrainian defences near Pokrovsk, the commander of the Vostok group said.",
    minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Pokrovsk: 'difficult, but no collapse', says Ukrainian brigade",
         "\"To call this a breakthrough is an exaggeration - the defence line near Pokrovsk is holding,\" the "
         "spokesman of the Ukrainian brigade said."),
        ("Бригада ЗСУ: під Покровськом оборона тримається",
         "Говорити про прорив під Покровськом — перебільшення, оборона тримається, заявив речник бригади ЗСУ."),
        ("Ukrainische Brigade: Linie bei Pokrowsk hält",
         "Berichte über einen Durchbruch bei Pokrowsk seien übertrieben, die Linie hält, sagte der Sprecher "
         "der ukrainischen Brigade."),
    ],
)
def test_the_line_holds_contests_the_claim(title: str, body: str) -> None:
    claim, denial = _run(POKROVSK, make_entry("n2", title, body, minutes=90))
    assert claim.claims and not denial.claims
    assert denial.contests == claim.story


RADKIVKA = make_entry(
    "u1", "Ukrainian battalion says it broke through Russian lines near Radkivka",
    "Ukrainian assault groups broke through Russian defences near the village of Radkivka, north of Kupiansk, the "
    "battalion commander said.", minutes=0,
)


@pytest.mark.parametrize(
    ("title", "body"),
    [  # the other side's report, in its language and spelling of the village, contests the claim
        ("ВСУ пытались прорвать оборону у Радьковки, атаки отражены — Минобороны",
         "Подразделения группировки войск «Запад» отразили попытки штурмовых групп ВСУ прорвать оборону "
         "российских войск у Радьковки, сообщили в Минобороны России. Все атаки отбиты."),
        ("Атаки ВСУ у Радьковки отбиты",
         "Все атаки украинских штурмовых групп в районе Радьковки отбиты, заявили в Минобороны России."),
    ],
)
def test_the_other_sides_report_of_the_attack_repelled_contests_the_claim(title: str, body: str) -> None:
    claim, denial = _run(RADKIVKA, make_entry("u2", title, body, minutes=60))
    assert claim.claims
    assert denial.contests == claim.story


def test_a_later_report_of_a_known_denial_contests_nothing_new() -> None:
    claim, denial, update = _run(
        RADKIVKA,
        make_entry("u2", "Moscow: attacks near Radkivka repelled",
                   "Russia's defence ministry said all Ukrainian attacks near Radkivka had been repelled.", minutes=60),
        make_entry("u3", "Ukrainian troops 3km past Radkivka, commander says",
                   "Ukrainian troops who broke through Russian defences near Radkivka are now 3km beyond the village, "
                   "the battalion commander said. Moscow has said the attack was repelled.", minutes=120),
    )
    assert denial.contests == claim.story
    assert update.claims and update.story == claim.story
    assert update.contests is None


def test_a_rereport_of_a_claim_already_reported_as_denied_contests_nothing() -> None:
    first, again = _run(
        make_entry("d1", "Russia says it broke through near Pokrovsk; Kyiv denies it",
                   "Russian forces broke through Ukrainian defences near Pokrovsk, the commander of the Vostok group "
                   "said. A Ukrainian military spokesman denied the report.", minutes=0),
        make_entry("d2", "Rusia asegura haber roto las líneas ucranianas cerca de Pokrovsk; Kiev lo niega",
                   "El Ejército ruso aseguró haber roto las líneas defensivas ucranianas cerca de Pokrovsk. Un "
                   "portavoz militar ucraniano desmintió la información.", minutes=60),
    )
    assert first.claims and again.claims
    assert again.contests is None


def test_a_line_holding_elsewhere_contests_nothing() -> None:
    _, other = _run(POKROVSK, make_entry(
        "n3", "Toretsk: Ukrainian brigade says its line is holding",
        "The Ukrainian brigade defending Toretsk said its line is holding after a week of assaults.", minutes=90))
    assert other.contests is None


@pytest.mark.parametrize(
    "text",
    [
        "Прорвать украинскую оборону на подступах к Константиновке армии так и не удалось.",
        "Прорвати російську оборону на підступах до Тьоткіно штурмовим групам так і не вдалося.",
        "Die ukrainische Verteidigung vor Kostjantyniwka zu durchbrechen, ist der Armee bis heute nicht gelungen.",
    ],
)
def test_a_failure_at_the_end_of_a_long_clause_is_no_claim(extractor: ClaimExtractor, text: str) -> None:
    assert not extractor.extract(read_text("", text)).claims


def test_a_breakthrough_followed_by_a_failure_in_another_clause_stays_a_claim(extractor: ClaimExtractor) -> None:
    result = extractor.extract(read_text("", (
        "Russian troops broke through Ukrainian defences near Kostiantynivka, the ministry said; "
        "a second assault, near Toretsk, failed.")))
    assert result.claims
