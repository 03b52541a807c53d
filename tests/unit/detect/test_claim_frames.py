"""Non-war frames of breakthrough words: exercises, police and protesters at a blockade, floods
and rivers, battles of the past -- in the supported languages, each class with the war's own
breakthrough beside it (the other polarity).  Sentences written for these tests (none from a
labelled set)."""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text

EXERCISES = [
    ("Nato drills in Estonia", "During the exercise, British armoured units broke through the defensive line of a "
     "notional enemy near Tapa, the army said."),
    ("", "Troops rehearsed breaking through fortified enemy positions in war games near Velmora, officials said."),
    ("Großes Manöver in Polen", "Deutsche Panzergrenadiere durchbrachen bei der Übung die Verteidigungslinie "
     "eines fiktiven Gegners bei Orzysz."),
    ("", "В ходе учений мотострелковые подразделения отработали прорыв обороны условного противника под Псковом."),
    ("", "Під час навчання бригада відпрацювала прорив оборони умовного противника на полігоні біля Житомира."),
    ("Ćwiczenia na poligonie w Orzyszu", "Żołnierze 15. brygady przełamali linię obrony pozorowanego przeciwnika."),
    ("Exercice de l'Otan en Roumanie", "Les unités blindées françaises ont percé les lignes de défense de l'ennemi "
     "fictif près de Cincu, selon l'armée."),
    ("", "Durante las maniobras, las tropas españolas rompieron las líneas defensivas del enemigo simulado cerca de "
     "Adazi."),
    ("Esercitazione Nato in Lettonia", "I reparti corazzati italiani hanno sfondato le linee di difesa del nemico "
     "simulato vicino ad Adazi."),
    ("", "No exercício militar, as tropas portuguesas romperam as linhas defensivas do inimigo fictício perto de "
     "Santa Margarida."),
]


@pytest.mark.parametrize("title, body", EXERCISES)
def test_an_exercise_rehearsing_a_breakthrough_is_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = extractor.extract(read_text(title, body))
    assert result.claims == (), result.claims
    assert any("exercise" in b["reason"] for b in result.blocked), result.blocked


BLOCKADES = [
    "Tuż po świcie policjanci z oddziałów prewencji przedarli się przez blokadę rolników na autostradzie A2.",
    "Les CRS ont forcé le barrage routier des agriculteurs près de Rennes.",
    "La policía rompió el bloqueo de los agricultores en la autopista cerca de Zaragoza.",
    "Riot police broke through the blockade of farmers' tractors outside Velmora.",
    "Die Polizei durchbrach am Morgen die Traktorblockade der Landwirte bei Hannover.",
    "La polizia ha sfondato il blocco stradale degli agricoltori vicino a Bologna.",
    "A polícia rompeu o bloqueio dos agricultores na autoestrada perto de Coimbra.",
]


@pytest.mark.parametrize("body", BLOCKADES)
def test_police_breaking_through_a_blockade_is_no_claim(extractor: ClaimExtractor, body: str) -> None:
    assert extractor.extract(read_text("", body)).claims == ()


FLOODS = [
    ("Floods in Velmora: troops evacuate residents", "The river breached an embankment near Velmora, and soldiers "
     "were sent to the breach to fill sandbags."),
    ("", "The swollen river broke through the levee near Velmora overnight while army engineers evacuated villages."),
    ("Hochwasser in Bayern", "Der Fluss hat bei Deggendorf einen Deich durchbrochen, Soldaten der Bundeswehr "
     "bringen Anwohner in Sicherheit."),
    ("Alluvione in Romagna", "Il fiume ha rotto l'argine vicino a Lugo, i militari dell'esercito evacuano le "
     "frazioni."),
    ("Powódź na Dolnym Śląsku", "Rzeka przerwała wał przeciwpowodziowy pod Nysą, żołnierze ewakuują mieszkańców."),
    ("Наводнение в Оренбурге", "Вода прорвала дамбу под Орском, военные эвакуируют жителей."),
]


@pytest.mark.parametrize("title, body", FLOODS)
def test_a_river_breaching_a_dam_is_no_claim_even_with_soldiers_in_the_entry(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    assert extractor.extract(read_text(title, body)).claims == ()


WEATHER = [  # an air mass or a front breaking through, its subject before or after the verb
    ("Синоптики: в выходные в центральную Россию прорвётся арктический воздух",
     "В конце недели в центральные регионы России прорвётся арктический воздух, сообщили в Гидрометцентре "
     "России."),
    ("", "На вихідних на Україну прорветься арктичне повітря, попередили в Укргідрометцентрі."),
    ("Meteo, arriva il freddo",
     "Nel fine settimana sfonda in Lombardia l'aria artica, secondo i meteorologi dell'Aeronautica."),
    ("Wetter", "Am Wochenende bricht die Kaltluft bis nach Bayern durch, sagte der Wetterdienst."),
    ("", "Cold air will break through into southern England on Saturday, forecasters said."),
    ("", "Na weekend przełamie się arktyczne powietrze nad Polską, prognozują synoptycy."),
]


@pytest.mark.parametrize("title, body", WEATHER)
def test_an_air_mass_breaking_through_is_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert extractor.extract(read_text(title, body)).claims == ()


WAR_AFTER_VERB = [  # the war's subject after the verb, with weather words elsewhere in the sentence, stays a claim
    ("", "У Покровска прорвали оборону ВСУ российские штурмовые отряды, несмотря на мороз, сообщило Минобороны."),
    ("", "Біля Роботиного прорвали оборону противника українські штурмовики, повідомив Генштаб."),
    ("", "Nei pressi di Pokrovsk hanno sfondato le linee ucraine le truppe russe, secondo Mosca."),
]


@pytest.mark.parametrize("title, body", WAR_AFTER_VERB)
def test_a_subject_after_the_verb_that_is_no_natural_force_stays_a_claim(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    assert len(extractor.extract(read_text(title, body)).claims) == 1


HISTORY = [
    ("Adua, 130 anni dopo: una mostra a Roma", "Le forze etiopi riuscirono a sfondare al centro, travolgendo la "
     "brigata italiana."),
    ("", "In 1943 Soviet troops broke through the German lines near Kursk, the museum's new exhibition shows."),
    ("Ausstellung im Museum", "Die sowjetischen Truppen durchbrachen 1944 die deutsche Front bei Witebsk."),
    ("", "Выставка в музее рассказывает, как в 1943 году советские войска прорвали оборону противника под Курском."),
    ("Wystawa w muzeum", "W 1920 roku polskie oddziały przełamały front nad Wieprzem."),
    ("", "L'exposition raconte comment les troupes alliées ont percé les lignes allemandes près d'Avranches en 1944."),
]


@pytest.mark.parametrize("title, body", HISTORY)
def test_a_battle_of_the_past_is_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert extractor.extract(read_text(title, body)).claims == ()


WAR = [
    ("", "Russian troops broke through Ukrainian defences near Robotyne, the Russian defence ministry said."),
    ("", "Ukrainian forces crossed the Dnipro river and broke through Russian lines near Krynky, the general staff "
     "said."),
    ("", "The brigade, back from training exercises abroad, broke through the Russian lines near Verbove, "
     "commanders said."),
    ("", "Ukrainian forces are pushing towards the 1991 borders after breaking through near Kupiansk, the army "
     "said."),
    ("", "Die russische Armee hat nach eigenen Angaben die ukrainischen Verteidigungslinien bei Awdijiwka "
     "durchbrochen."),
    ("", "Минобороны России сообщило, что подразделения прорвали оборону ВСУ под Бахмутом."),
    ("", "Polskie media: rosyjskie wojska przełamały linię obrony pod Pokrowskiem, podało dowództwo."),
]


@pytest.mark.parametrize("title, body", WAR)
def test_the_wars_breakthroughs_beside_rivers_training_and_old_borders_stay_claims(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    assert len(extractor.extract(read_text(title, body)).claims) == 1
