"""Re-reports of any news in another language: the same figures and rare names, nothing new (hand-written examples).

A storm, a medical trial, a wage deal or a match has no claim, and often no war topic: the
reports of it in two languages share only their figures and their names, written in each
language's script and spelling.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.detect.events import numbers
from newsmon.model import Analysis, Entry


def run(*entries: Entry) -> list[Analysis]:
    detector = Detector(DetectionConfig())
    return [detector.analyse(new(e), e.published) for e in entries]  # type: ignore[arg-type]


FILLER = [
    make_entry("f1", "Museum opens photography exhibition", "Old street photographs are shown in the hall.", 5),
    make_entry("f2", "Ministers discuss grain exports", "Farm ministers met to discuss exports of grain.", 10),
    make_entry("f3", "Power restored in the capital", "Engineers restored electricity to 4,000 homes.", 15),
]

# (first report, re-report in another language): the same event, nothing new
SAME_EVENT = [
    (
        make_entry(
            "it1",
            "Maltempo, l'esercito evacua 450 residenti a Castelverde",
            "Sono circa 450 le persone evacuate nella notte a Castelverde, dove il fiume Orsana ha superato la "
            "soglia d'allarme. Con i vigili del fuoco hanno operato i genieri arrivati da Vallombra.",
        ),
        make_entry(
            "es1",
            "Inundaciones en Italia: evacuados 450 vecinos de Castelverde",
            "Unos 450 residentes de Castelverde tuvieron que abandonar sus casas de madrugada después de que el "
            "río Orsana superara el nivel de alerta. Participaron ingenieros militares llegados de Vallombra.",
            90,
        ),
    ),
    (
        make_entry(
            "ru1",
            "Онкологи из Грейфсвальда сообщили об успехе вакцины",
            "Вакцина, разработанная в клинике Грейфсвальда, снизила риск рецидива на 41 процент, сообщил журнал "
            "Oncology Letters. В испытаниях участвовали 187 пациентов.",
        ),
        make_entry(
            "fr1",
            "Cancer : un vaccin de Greifswald réduit les récidives",
            "Le vaccin mis au point à la clinique de Greifswald a réduit de 41 % le risque de récidive chez 187 "
            "patients, selon Oncology Letters.",
            120,
        ),
    ),
    (
        make_entry(
            "de1",
            "Einigung im Tarifstreit: Hafenbetreiber und Verdi legen Streik bei",
            "Die Hafengesellschaft Nordkai und die Gewerkschaft Verdi haben sich auf 5,4 Prozent mehr Lohn in zwei "
            "Stufen geeinigt. Verhandlungsführerin Marlene Osterholt sprach von einem fairen Ergebnis.",
        ),
        make_entry(
            "en1",
            "German port strike called off after pay deal",
            "Port operator Nordkai and the Verdi union agreed a 5.4% pay rise in two steps, negotiator Marlene "
            "Osterholt said.",
            60,
        ),
    ),
    (
        make_entry(
            "pt1",
            "Milhares de manifestantes romperam o cordão da polícia em Setúbal",
            "Cerca de 7 mil pessoas, segundo os organizadores do movimento Casa Justa, marcharam até à Câmara de "
            "Setúbal. A polícia deteve três manifestantes.",
        ),
        make_entry(
            "en2",
            "Setúbal housing protesters break through police cordon",
            "About 7,000 people marched on Setúbal's town hall, organisers from the Casa Justa movement said. "
            "Police arrested three protesters.",
            45,
        ),
    ),
]


@pytest.mark.parametrize(("first", "again"), SAME_EVENT, ids=lambda e: e.entry_id)
def test_a_re_report_in_another_language_is_a_duplicate_of_the_first(first: Entry, again: Entry) -> None:
    a, *_, b = run(first, *FILLER, again)
    assert a.duplicate_of is None
    assert b.duplicate_of == first.key and b.story == a.story
    assert "another language" in b.why["duplicate"]["rule"]


def test_a_later_report_with_new_figures_is_no_duplicate() -> None:
    first, _ = SAME_EVENT[0]
    update = make_entry(
        "es2",
        "Italia: ya son 1.200 los evacuados en Castelverde, dos desaparecidos",
        "El número de evacuados en Castelverde subió a 1.200 y dos personas siguen desaparecidas tras la crecida "
        "del río Orsana, informó el alcalde; 35 casas quedaron inundadas.",
        240,
    )
    assert run(first, *FILLER, update)[-1].duplicate_of is None


def test_another_event_that_shares_a_small_count_and_names_is_no_duplicate() -> None:
    # the same town and the same small toll, but a road accident, not the flood
    first, _ = SAME_EVENT[0]
    other = make_entry(
        "es3",
        "Accidente en Castelverde: 2 heridos",
        "Dos personas resultaron heridas en Castelverde cuando un camión de Vallombra chocó con un autobús.",
        100,
    )
    flood = make_entry("it2", first.title, first.body.replace("450", "2 volte 450"), 0)
    assert run(flood, *FILLER, other)[-1].duplicate_of is None


def test_names_every_report_uses_are_no_evidence() -> None:
    # a third language's report of another event, sharing only the stream's protagonists and one figure
    reports = [
        make_entry(f"w{i}", f"Kyiv: Ukraine talks round {i}", f"In Kyiv, Ukraine and partners met ({i} of 20).", i)
        for i in range(10)
    ]
    first = make_entry("de2", "Kiew: 300 Generatoren für die Ukraine", "Kiew erhält aus Berlin 300 Generatoren.", 20)
    other = make_entry("pl1", "Kijów: 300 nowych autobusów", "Ukraina, Kijów: miasto kupiło 300 autobusów.", 60)
    assert run(*reports, first, other)[-1].duplicate_of is None


@pytest.mark.parametrize(
    ("text", "language", "figure"),
    [
        ("juntou cerca de 5 mil pessoas", "pt", 5000),
        ("über 5.000 Menschen", "de", 5000),
        ("12 000 personnes évacuées", "fr", 12000),
        ("1,5 млн жителей", "ru", 1_500_000),
        ("4 тисячі осіб", "uk", 4000),
        ("3 mila sfollati", "it", 3000),
        ("1.200 desplazados", "es", 1200),
        ("$1.2 billion in aid", "en", 1_200_000_000),
        ("2,5 Mio. Euro", "de", 2_500_000),
    ],
)
def test_figures_are_read_in_each_language_s_conventions(text: str, language: str, figure: float) -> None:
    assert numbers(text, language) == {figure}


@pytest.mark.parametrize(
    ("text", "language"),
    [  # clock times, however written, and spans of time are no figures of the event
        ("pushed through at about 4.30am", "en"),
        ("broke through the enemy line at around 0430", "en"),
        ("the assault began at 1430 hours", "en"),
        ("the raid began at 5 a.m.", "en"),
        ("the two-day operation", "en"),
        ("a 48-hour ceasefire", "en"),
        ("binnen 24 Stunden", "de"),
        ("за двое суток", "ru"),
    ],
)
def test_times_of_day_and_spans_of_time_are_no_figures(text: str, language: str) -> None:
    assert numbers(text, language) == frozenset()


@pytest.mark.parametrize(
    ("text", "language", "figures"),
    [  # beside them, the event's own figures stay
        ("a nine-year-old girl was pulled out", "en", {9}),
        ("at 4.30am, 12 soldiers were captured", "en", {12}),
        ("in 48 hours, 30 villages were evacuated", "en", {30}),
        # an age is a fact, however written: "67-year-old" = "di 67 anni" = "67 лет"
        ("a 67-year-old man is missing", "en", {67}),
        ("un uomo di 67 anni risulta disperso", "it", {67}),
        ("пропал 67-летний мужчина, ему 67 лет", "ru", {67}),
        ("ein 67 Jahre alter Mann wird vermisst", "de", {67}),
    ],
)
def test_ages_and_counts_beside_times_stay_figures(text: str, language: str, figures: set[float]) -> None:
    assert numbers(text, language) == figures


def test_a_dot_between_digits_stays_a_decimal_point_in_english_and_clock_times_are_no_figures() -> None:
    assert numbers("an advance of 2.5 km", "en") == {2.5}
    assert numbers("cerca das 17h30 o cordão", "pt") == frozenset()
    assert numbers("vers 6h, la police", "fr") == frozenset()
