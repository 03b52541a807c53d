"""Classes of place, side and figure readings, several wordings and languages each, both polarities.

Written for the generalisation of claim places (particles, villages beside regions, reference
points, case endings), of the actor's side (the breached defences name the defender) and of
figures written as words; none of these sentences is from a labelled set.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.events import numbers
from newsmon.detect.parties import Attribution
from newsmon.detect.places import default_gazetteer, place_key
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text
from newsmon.model import Claim


def claim(extractor: ClaimExtractor, title: str, body: str = "") -> Claim:
    (found,) = extractor.extract(read_text(title, body, lexicons=default_taxonomy().lexicons)).claims
    return found


# -- figures written as words -------------------------------------------------------------------
@pytest.mark.parametrize(
    "language, words, digits",
    [
        ("en", "three villages and two tanks", "3 villages and 2 tanks"),
        ("ru", "три села и два танка", "3 села и 2 танка"),
        ("ru", "продвинулись до трёх километров, уничтожив пять танков", "до 3 километров, 5 танков"),
        ("uk", "три села, два опорні пункти, п'ять танків", "3 села, 2 опорні пункти, 5 танків"),
        ("uk", "на відстань до півтора кілометра", "на відстань до 1,5 кілометра"),
        ("de", "drei Dörfer und zwei Panzer, anderthalb Kilometer", "3 Dörfer und 2 Panzer, 1,5 Kilometer"),
        ("fr", "trois villages et deux chars", "3 villages et 2 chars"),
        ("es", "tres aldeas y dos tanques", "3 aldeas y 2 tanques"),
        ("it", "tre villaggi e due carri armati", "3 villaggi e 2 carri armati"),
        ("pl", "trzy wsie i dwa czołgi, dwóch żołnierzy", "3 wsie i 2 czołgi, 2 żołnierzy"),
        ("pt", "três aldeias e duas viaturas", "3 aldeias e 2 viaturas"),
    ],
)
def test_figures_written_as_words_are_figures_in_every_language(language: str, words: str, digits: str) -> None:
    assert numbers(words, language) >= numbers(digits, language)
    assert numbers(words, language)


def test_dozens_are_one_figure_across_languages() -> None:
    assert numbers("dozens of civilians", "en") == numbers("десятки мирных жителей", "ru") == numbers(
        "des dizaines de civils", "fr"
    )


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("pt", "a maioria dos soldados", set()),  # Portuguese "dos" is "of the", Spanish "dos" is two
        ("es", "dos soldados", {2.0}),
        ("en", "one of the brigades", set()),  # "one" is no figure: a pronoun, an article elsewhere
        ("fr", "un soldat", set()),
        ("en", "1,500 people and 2.5 km", {1500.0, 2.5}),
        ("de", "rund 2,5 Kilometer", {2.5}),  # a decimal comma
        ("en", "said on Oct. 16", set()),  # a date with an abbreviated month
    ],
)
def test_what_is_not_a_figure_and_decimal_commas(language: str, text: str, expected: set[float]) -> None:
    assert numbers(text, language) == expected


# -- the English place reader ------------------------------------------------------------------
ATTRIBUTION = Attribution(("said",), ("in", "near", "at", "of", "around", "outside"))


@pytest.mark.parametrize(
    "text, place",
    [
        ("troops broke through at the border village of Maroun al-Ras before dawn", "Maroun al-Ras"),
        ("heavy fighting near Bir el Abd on Monday", "Bir el Abd"),
        ("shelling in Ras al Ain overnight", "Ras al Ain"),
        ("an attack in al-Bireh overnight", "al-Bireh"),
        ("fighters entered Tin-Essako at dawn", ""),  # no locative before it
        ("fighters in Tin-Essako at dawn", "Tin-Essako"),
        ("a raid outside Boulogne-sur-Mer", "Boulogne-sur-Mer"),
        ("the army's forward line at Um Al-Qura, a town", "Um Al-Qura"),
    ],
)
def test_place_names_keep_their_lower_case_particles(text: str, place: str) -> None:
    assert ATTRIBUTION.place(text) == place


@pytest.mark.parametrize(
    "text, place",
    [
        ("defences south of Khiam, IDF says", "Khiam"),  # a comma ends a name
        ("strikes in Kyiv and Lviv", "Kyiv"),  # "and" is no particle
        ("the front near Bakhmut in the east", "Bakhmut"),
    ],
)
def test_place_names_stop_at_punctuation_and_conjunctions(text: str, place: str) -> None:
    assert ATTRIBUTION.place(text) == place


# -- claim places ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, body, place",
    [
        ("", "Russian troops broke through Ukrainian defences near Yunakivka in the Sumy region, Moscow said.",
         "Yunakivka"),
        ("", "Russian troops broke through Ukrainian defences in the Sumy region near Yunakivka, Moscow said.",
         "Yunakivka"),
        ("Moscovo diz ter rompido defesas ucranianas na região de Sumy",
         "As forças russas romperam as linhas ucranianas perto de Yunakivka, na região de Sumy.", "Yunakivka"),
        ("", "Im Gebiet Charkiw haben russische Truppen die ukrainischen Stellungen bei Lipzy durchbrochen.",
         "Lyptsi"),  # the German spelling of a place the gazetteer knows
        ("Российские военные заявили о прорыве обороны ВСУ под Купянском",
         "Российские штурмовые подразделения прорвали оборону ВСУ в районе села Синьковка к северо-востоку от "
         "Купянска.", "Synkivka"),
        ("", "Las tropas rusas rompieron la primera línea defensiva ucraniana en las inmediaciones de Tiótkino, en "
             "la región de Kursk.", "Tyotkino"),  # an accent, and "de" after the locative noun
        ("", "Russische Truppen haben die ukrainischen Stellungen nahe des Dorfes Robotyne durchbrochen.",
         "Robotyne"),  # a German noun is capitalised: the gazetteer's reading wins
        ("", "Le truppe russe hanno sfondato le linee ucraine nei pressi di Velmora.", "Velmora"),
        ("", "Israeli soldiers have advanced through Hezbollah's defences on the southern approach to Velmora.",
         "Velmora"),
    ],
)
def test_the_village_is_the_place_not_the_region_or_the_headline_city(
    extractor: ClaimExtractor, title: str, body: str, place: str
) -> None:
    assert claim(extractor, title, body).place == place


@pytest.mark.parametrize(
    "body, place",
    [
        ("RSF fighters have overrun army defensive lines at Velmora, a town about 30km west of El Obeid.", "Velmora"),
        ("Hezbollah's defences north of Naqoura were breached by Israeli troops who moved on towards Tyre.",
         "Naqoura"),
        ("Українські підрозділи прорвали оборону противника біля Роботиного і просуваються в напрямку "
         "Вербового.", "Robotyne"),
        ("Ukrainian marines broke through Russian defences on the left bank of the Dnipro near Krynky.", "Krynky"),
        ("Oddziały ukraińskie przełamały rosyjską obronę na lewym brzegu Dniepru w rejonie Krynek.", "Krynky"),
    ],
)
def test_a_reference_point_or_a_heading_is_not_the_place(extractor: ClaimExtractor, body: str, place: str) -> None:
    assert claim(extractor, "", body).place == place


def test_a_capital_named_as_a_side_is_not_the_place(extractor: ClaimExtractor) -> None:
    found = claim(extractor, "", "Les forces russes ont percé les lignes ukrainiennes, Moscou et Kiev se contredisent.")
    assert found.place == ""


@pytest.mark.parametrize(
    "a, b",
    [("Липцов", "Lyptsi"), ("Lipzy", "Lyptsi"), ("Липців", "Lipzy"), ("Korsunki", "Korsunka"),
     ("Koupiansk", "Kupiansk"), ("Харкова", "Kharkiv"), ("Роботиного", "Robotyne"),
     # Russian г romanised as g, Ukrainian г as h
     ("Stepnogirsk", "Stepnohirsk"), ("Stepnogirsk", "Степногірськ"), ("Gulyaipole", "Huliaipole")],
)
def test_one_place_key_across_scripts_spellings_and_case_endings(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)
    assert default_gazetteer().same_place(a, b)


@pytest.mark.parametrize(
    "a, b",
    [  # a village's Russian name and its Ukrainian one, where they differ in the regular ways
        ("Новоалександровка", "Новоолександрівка"), ("Новоалександровку", "Nowooleksandriwka"),
        ("Novoaleksandrovka", "Novooleksandrivka"), ("Александровка", "Oleksandrivka"),
        ("Николаевка", "Mykolaivka"), ("Nikolaevka", "Миколаївки"), ("Петровки", "Petrivka"),
        ("Степногорска", "Stepnohirsk"), ("Углегорск", "Vuhlehirsk"), ("Угледара", "Vuhledar"),
        ("Ugledar", "Wuhledar"), ("Малиновка", "Malynivka"),
    ],
)
def test_russian_and_ukrainian_names_of_one_place_share_a_key(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


@pytest.mark.parametrize(
    "a, b",
    [  # ... and places whose names differ otherwise stay apart
        ("Новоалександровка", "Новомиколаївка"), ("Petrivka", "Pokrovsk"), ("Oleksandrivka", "Oleksiivka"),
        ("Mykolaivka", "Mykolaiv"), ("Stepnohirsk", "Svitlohirsk"), ("Vuhledar", "Uhlyanka"),
    ],
)
def test_places_with_other_names_keep_other_keys(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


@pytest.mark.parametrize("a, b", [("Lyptsi", "Lyman"), ("Kupiansk", "Kurakhove"), ("Bakhmut", "Avdiivka")])
def test_other_places_keep_other_keys(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)
    assert not default_gazetteer().same_place(a, b)


@pytest.mark.parametrize(
    "form, place",
    [("Tiótkino", "Tyotkino"), ("Járkov", "Kharkiv"), ("Липцов", "Lyptsi"), ("Липцами", "Lyptsi"),
     ("Lipcy", "Lyptsi"), ("Липа", ""), ("Lipowa", "")],
)
def test_the_gazetteer_reads_case_endings_that_replace_a_last_vowel(form: str, place: str) -> None:
    assert default_gazetteer().canonical(form) == place


# -- sides ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, body, side",
    [
        ("", "Sudanese army troops punched through RSF positions in Bahri, the military said.", "sudan-saf"),
        ("", "RSF positions east of Bahri were pierced on Thursday by army units, the military said.", "sudan-saf"),
        ("", "The army says it has ruptured RSF defences in Velmora.", "sudan-saf"),
        ("", "Бойцы спецназа прорвали первую линию обороны ВСУ в районе Липцов.", "russia"),
        ("", "Подразделения Сил оборони України прорвали першу лінію оборони російських окупантів біля "
             "Роботиного.", "ukraine"),
        ("Ukraine : l'armée russe affirme avoir percé près de Vouhledar", "", "russia"),
        ("Moskau: Ukrainische Verteidigung bei Torezk durchbrochen", "", "russia"),
        ("", "Burundian troops forced their way through M23 positions around Velmora.", "drc-fardc"),
        ("", "Troops punched through Rapid Support Forces positions in the Salha district, pushing the RSF back "
             "towards the Nile.", "sudan-saf"),  # the side pushed back after the action is no actor
    ],
)
def test_the_owner_of_the_breached_defences_is_not_the_claimant_side(
    extractor: ClaimExtractor, title: str, body: str, side: str
) -> None:
    assert claim(extractor, title, body).side == side


@pytest.mark.parametrize(
    "body, side",
    [
        ("Russian troops broke through Ukrainian defences near Bakhmut.", "russia"),
        ("Ukrainian troops have broken through the first line of Russian defences near Robotyne.", "ukraine"),
        ("Les forces ukrainiennes ont percé les lignes russes près de Robotyne.", "ukraine"),
    ],
)
def test_the_actor_named_beside_its_forces_keeps_its_side(extractor: ClaimExtractor, body: str, side: str) -> None:
    assert claim(extractor, "", body).side == side


@pytest.mark.parametrize(
    "body, claimant",
    [
        ("Turning to Velmora, where the army says it has ruptured RSF defences in the city.", "Army"),
        ("In Velmora, where Sudan's army says its troops have ruptured RSF defences, fighting goes on.",
         "Sudanese Armed Forces"),  # normalised by the sides table
    ],
)
def test_a_relative_clause_does_not_lead_the_claimant(extractor: ClaimExtractor, body: str, claimant: str) -> None:
    assert claim(extractor, "", body).claimant == claimant


@pytest.mark.parametrize(
    "follow_up",
    [  # a say word used as a noun ("made the claim", "in a statement") names nobody before it
        "The group made the claim in a statement carried by its news agency.",
        "Its fighters published the statement overnight.",
        "The militants repeated their claim on Telegram.",
        "The group posted a statement with three photographs.",
    ],
)
def test_a_say_word_used_as_a_noun_is_no_attribution(extractor: ClaimExtractor, follow_up: str) -> None:
    found = claim(extractor, "", f"Islamic State fighters broke through army defensive lines at Meluco. {follow_up}")
    words = found.claimant.casefold().split()
    assert "made" not in words and "published" not in words and "posted" not in words and "repeated" not in words
    assert found.place == "Meluco"


def test_a_say_verb_still_names_its_speaker(extractor: ClaimExtractor) -> None:
    body = "Fighters broke through army defensive lines at Meluco, the Islamic State group claimed."
    found = claim(extractor, "", body)
    assert "islamic" in found.claimant.casefold()



@pytest.mark.parametrize(
    ("a", "b"),
    [("Малиевка", "Maliivka"), ("Малієвка", "Maliyivka"), ("Малиевка", "Малієвка"), ("Ivanivka", "Іванівка")],
)
def test_russian_and_ukrainian_front_vowels_are_one_place(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


@pytest.mark.parametrize(("a", "b"), [("Novoselivka", "Novosilka"), ("Maliivka", "Malynivka"), ("Lyman", "Limanka")])
def test_other_villages_stay_apart(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The commander of the Russian Vostok Group of Forces claimed that his troops overran Ukrainian "
         "strongpoints near Novopil.", "Novopil"),
        ("Fighters of the Azov brigade said they had pushed back assault units at Toretsk.", "Toretsk"),
        ("Soldiers of the 47th Brigade in Avdiivka say Russian units attacked Ukrainian positions.", "Avdiivka"),
    ],
)
def test_units_and_side_adjectives_are_not_places(text: str, place: str) -> None:
    extractor = ClaimExtractor(default_taxonomy())
    places = extractor.places(read_text("", text))[0]
    assert places == [place]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("UPDATE 1-Russia says troops break through Ukrainian line near Toretsk", set()),
        ("WRAPUP 2-Shelling kills 3 in Kherson", {3.0}),
        ("REFILE-Ukraine says it downed 40 drones", {40.0}),
        ("Update: 5 killed in Kharkiv strike", {5.0}),
    ],
)
def test_a_wire_version_mark_is_no_figure(text: str, figures: set[float]) -> None:
    assert numbers(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Die ukrainische Armee habe binnen 24 Stunden bis zu 140 Soldaten verloren.", {140.0}),
        ("За 48 часов уничтожено до 200 военнослужащих противника.", {200.0}),
        ("Troops advanced 3 km in two days.", {3.0}),
        ("Rebels held 4 hostages for 3 days.", {4.0}),
    ],
)
def test_a_span_of_time_is_no_figure(text: str, figures: set[float]) -> None:
    language = "ru" if text.startswith("За") else "en"
    assert numbers(text, language) == figures


@pytest.mark.parametrize(
    ("text", "place"),
    [("біля Залізного", "Zalizne"), ("near Zaliznoho", "Zalizne"), ("в Авдіївці", "Avdiivka"),
     ("pod Pokrowskiem", "Pokrovsk")],
)
def test_a_stem_name_takes_case_endings(text: str, place: str) -> None:
    from newsmon.detect.tokens import tokenise

    assert [p for p, _ in default_gazetteer().find(tokenise(text, "en"))] == [place]


@pytest.mark.parametrize("text", ["near the village of Zaliznychne", "alla periferia di Zaliznychne"])
def test_a_stem_name_is_no_longer_village_that_starts_like_it(text: str) -> None:
    from newsmon.detect.tokens import tokenise

    assert "Zalizne" not in [p for p, _ in default_gazetteer().find(tokenise(text, "en"))]


@pytest.mark.parametrize(
    "body, side",
    [
        # the Houthis fight Yemen's government and Israel: the owner of the lines names no claimant side
        ("Houthi lines west of Velmora were breached overnight, commanders said.", ""),
        ("Commanders say their units broke through Houthi positions near Velmora.", ""),
        # a side named beside its forces keeps it
        ("Giants Brigades fighters broke through Houthi lines west of Velmora, the brigades said.", "yemen-government"),
        ("Houthi fighters have broken through government lines near Velmora, Ansar Allah said.", "houthis"),
    ],
)
def test_the_owner_of_the_defences_names_the_claimant_side_only_when_it_fights_one_side(
    extractor: ClaimExtractor, body: str, side: str
) -> None:
    assert claim(extractor, "", body).side == side


@pytest.mark.parametrize(
    "a, b",
    [("Білицьким", "Белицкое"), ("Bilytskym", "Bilytske"), ("Покровським", "Pokrovske"), ("Мирним", "Myrne")],
)
def test_an_instrumental_ending_is_a_case_ending_of_a_village_off_the_gazetteer(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


def test_a_denial_naming_the_place_in_another_script_contests_the_claim(extractor: ClaimExtractor) -> None:
    from newsmon.detect.contests import contest_reason

    reading = read_text("Генштаб: жодного прориву під Білицьким немає",
                        "Атаки окупантів під Білицьким відбито, заявили в Генштабі ЗСУ.",
                        lexicons=default_taxonomy().lexicons)
    signals = extractor.extract(reading).contests
    claim_ru = Claim(kind="breakthrough", claimant="Russian defence ministry", side="russia", place="Белицкое")
    claim_other = Claim(kind="breakthrough", claimant="Russian defence ministry", side="russia", place="Мирноград")
    assert signals and any(contest_reason(s, claim_ru, same_story=False) for s in signals)
    assert not any(contest_reason(s, claim_other, same_story=False) for s in signals)


@pytest.mark.parametrize(
    "a, b",
    [("Русина Яра", "Rusyn Yar"), ("Russyn Jar", "Русин Яр"), ("Великої Новосілки", "Velyka Novosilka"),
     ("Куп'янська-Вузлового", "Kupiansk-Vuzlovyi"), ("Zaliznytchne", "Zaliznychne"), ("Kindraschiwka", "Кіндрашівки")],
)
def test_every_word_of_a_name_declines_and_romanisations_meet(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


@pytest.mark.parametrize("a, b", [("Kupiansk-Vuzlovyi", "Kupiansk"), ("Velyka Novosilka", "Novosilka"),
                                  ("Rusyn Yar", "Rusyn")])
def test_a_longer_name_is_another_place(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)
