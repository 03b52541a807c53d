"""Claims, negations, denials, topics and places in the supported languages, and one story per
event across languages.  Sentences written for these tests (none from a labelled set)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsmon.detect import Detector
from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.classify import TopicClassifier
from newsmon.detect.detector import DetectionConfig
from newsmon.detect.places import default_gazetteer, skeleton
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text
from newsmon.model import Entry, EntryEvent, EventKind

CLAIMS = [
    ("ru", "Минобороны России сообщило, что подразделения группировки войск прорвали оборону ВСУ под Бахмутом."),
    ("uk", "Генштаб ЗСУ повідомив, що українські підрозділи прорвали оборону противника біля Роботиного."),
    ("de", "Russische Truppen haben nach Angaben des Verteidigungsministeriums die ukrainischen Verteidigungslinien "
           "bei Bachmut durchbrochen."),
    ("fr", "Les forces russes ont percé les lignes de défense ukrainiennes près de Bakhmout, selon Moscou."),
    ("es", "Las tropas rusas rompieron las líneas de defensa ucranianas cerca de Bajmut, según Moscú."),
    ("it", "Le truppe russe hanno sfondato le linee di difesa ucraine vicino a Bakhmut, afferma Mosca."),
    ("pl", "Rosyjskie wojska przełamały obronę ukraińską pod Bachmutem, podało ministerstwo obrony Rosji."),
    ("pt", "As tropas russas romperam as linhas de defesa ucranianas perto de Bakhmut, segundo Moscovo."),
]


@pytest.mark.parametrize("language, text", CLAIMS)
def test_a_breakthrough_claim_in_every_supported_language(extractor: ClaimExtractor, language: str,
                                                          text: str) -> None:
    reading = read_text("", text)
    assert reading.language == language
    (claim,) = extractor.extract(reading).claims
    assert claim.place in ("Bakhmut", "Robotyne")  # one place, whatever the script or case ending
    assert claim.side in ("russia", "ukraine")


@pytest.mark.parametrize(
    "text",
    [
        "ВСУ не смогли прорвать оборону российских войск под Бахмутом.",
        "Ворогу не вдалося прорвати оборону наших військ біля Бахмута.",
        "Den russischen Truppen gelang es nicht, die Verteidigungslinien bei Bachmut zu durchbrechen.",
        "Les forces russes n'ont pas réussi à percer les lignes ukrainiennes près de Bakhmout.",
        "Las tropas rusas no lograron romper las líneas ucranianas cerca de Bajmut.",
        "Durchbruch in den Tarifverhandlungen: Gewerkschaft und Arbeitgeber einigen sich.",
        "Прорыв в лечении рака: учёные представили новый препарат.",
        "Une percée diplomatique a été obtenue lors des négociations à Genève.",
    ],
)
def test_negations_and_non_military_breakthroughs_in_other_languages(extractor: ClaimExtractor, text: str) -> None:
    assert extractor.extract(read_text("", text)).claims == ()


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Сили оборони відбили 23 атаки ворога біля Бахмута.", "repel"),
        ("Минобороны России опровергло сообщения о прорыве ВСУ под Бахмутом.", "deny"),
        ("Die ukrainische Armee wies die russischen Angaben über einen Durchbruch bei Bachmut zurück.", "deny"),
    ],
)
def test_denials_and_repelled_attacks_in_other_languages(extractor: ClaimExtractor, text: str, kind: str) -> None:
    signals = extractor.extract(read_text("", text)).contests
    assert signals and signals[0].kind == kind


@pytest.mark.parametrize("name", ["Бахмут", "Артёмовск", "Bachmut", "Bakhmout", "Bajmut", "Bakhmut"])
def test_one_place_across_scripts_and_spellings(name: str) -> None:
    assert default_gazetteer().canonical(name) == "Bakhmut"


def test_spelling_skeleton_folds_romanisations() -> None:
    assert skeleton("Tyotkino") == skeleton("Tiotkino") == skeleton("Тёткино")
    assert skeleton("Bakhmut") != skeleton("Kherson")


@pytest.mark.parametrize(
    "title, body, topic",
    [
        ("Обстрел Херсона", "Российская артиллерия обстреляла Херсон, погибли три человека.", "combat"),
        ("Neue Waffenlieferungen", "Deutschland liefert der Ukraine weitere Luftabwehrsysteme und Munition.",
         "military-aid"),
        ("Nouvelles sanctions", "L'Union européenne adopte un nouveau paquet de sanctions contre la Russie.",
         "sanctions"),
    ],
)
def test_topics_in_other_languages(title: str, body: str, topic: str) -> None:
    entry = _entry("feed", "t1", body, 0)
    analysis = Detector(DetectionConfig()).analyse(EntryEvent(EventKind.NEW, entry), entry.published or NOW)
    assert topic in analysis.classification.topics


def test_war_words_of_other_languages_need_a_war_context() -> None:
    """A Durchbruch in wage talks or a "front" of hospital staff gets no war topic."""
    classifier = TopicClassifier(default_taxonomy())
    for text in ("Durchbruch in den Tarifverhandlungen: Gewerkschaft und Arbeitgeber einigen sich.",
                 "Les soignants en première ligne face à l'épidémie de grippe."):
        assert not classifier.classify(read_text("", text)).topics


NOW = datetime(2024, 8, 1, 6, tzinfo=UTC)


def _entry(source: str, entry_id: str, text: str, minutes: int) -> Entry:
    return Entry(source, entry_id, "", text, published=datetime(2024, 8, 1, 6, tzinfo=UTC) + timedelta(minutes=minutes))


def test_a_re_report_in_another_language_is_a_duplicate_and_a_development_joins_the_story() -> None:
    detector = Detector(DetectionConfig())
    first = _entry("ria", "r1", CLAIMS[0][1], 0)
    again = _entry("dpa", "d1", CLAIMS[2][1], 40)  # German, nothing new
    more = _entry("wire", "w1", "Russian troops who broke through Ukrainian defences near Bakhmut have advanced "
                                "12 km and taken the village of Klishchiivka, the Russian defence ministry said.", 90)
    other = _entry("kyiv-feed", "k1", "Ukrainian forces broke through Russian lines near Robotyne, "
                                 "the Ukrainian General Staff said.", 100)
    a, b, c, d = (detector.analyse(EntryEvent(EventKind.NEW, e), e.published or datetime.now(UTC))
                  for e in (first, again, more, other))
    assert a.claims and b.duplicate_of == first.key and b.story == a.story
    assert c.duplicate_of is None and c.story == a.story  # a new figure and a new place: a development
    assert d.story != a.story and d.claims  # the other side's claim elsewhere is a new story


@pytest.mark.parametrize(
    "title, roundup",
    [
        ("Das Wichtigste in Kürze", True),
        ("L'essentiel de la journée", True),
        ("Главное за день", True),
        ("Головне за добу", True),
        ("Lo que sabemos hasta ahora", True),
        ("Najważniejsze informacje z frontu", True),
        ("Il punto sulla guerra", True),
        ("O que se sabe até agora", True),
        ("Guerre en Ukraine, en direct : Kiev sous les drones", False),  # a live page's label is no roundup
        ("Bachmut: Kämpfe gehen weiter", False),
        ("Wojna w Ukrainie na żywo: ostrzał Charkowa", False),
    ],
)
def test_roundups_in_every_supported_language(title: str, roundup: bool) -> None:
    from newsmon.detect.stories import is_roundup

    assert bool(is_roundup(title, "One paragraph.", (), default_taxonomy().roundups)) is roundup


def test_function_words_of_other_languages_do_not_make_stories() -> None:
    from newsmon.detect.stories import story_terms

    spanish = story_terms("", "Las tropas rusas avanzan según las fuentes de la región.", "es")
    assert "las" not in spanish and "según" not in spanish and "tropa" in spanish
    # looked up per language: German function words are English content words
    assert "war" in story_terms("", "The war goes on.", "en") and "war" not in story_terms("", "Er war da.", "de")


def test_an_assessment_of_a_claim_joins_its_story_without_an_alert_and_a_denial_names_it_later() -> None:
    detector = Detector(DetectionConfig())
    claim = _entry("ria", "r1", CLAIMS[0][1], 0)
    assessment = _entry("isw", "i1", "Russian forces have likely broken through Ukrainian defences near Bakhmut, "
                                     "the Institute for the Study of War assessed.", 120)
    denial = _entry("ua", "u1", "Ворог 15 разів намагався прорвати оборону наших військ біля Бахмута. "
                                "Сили оборони відбили всі атаки, повідомляє Генштаб ЗСУ.", 150)
    a, b, c = (detector.analyse(EntryEvent(EventKind.NEW, e), e.published or NOW) for e in (claim, assessment, denial))
    assert b.claims == () and b.story == a.story
    assert c.claims == () and c.contests == a.story and c.story == a.story


def test_an_operator_adds_a_language_by_data() -> None:
    """A Dutch lexicon in the config: Dutch entries are read with it, without a code change."""
    from newsmon.detect.taxonomy import load_taxonomy

    taxonomy = load_taxonomy({"lexicons": {"nl": {"claims": {
        "actions": ["doorbraak", "doorgebroken"], "armed_actors": ["troepen"], "military_objects": ["linies"],
        "locatives": ["bij"]}}}})
    reading = read_text("", "Russische troepen zijn door de Oekraïense linies gebroken bij Bachmoet: een "
                            "doorbraak, meldt het ministerie.", lexicons=taxonomy.lexicons)
    assert reading.language == "nl" and reading.lexicon_language == "nl"
    assert ClaimExtractor(taxonomy).extract(reading).claims
    english = read_text("", "Russische troepen zijn door de Oekraïense linies gebroken bij Bachmoet.")
    assert english.lexicon_language == "en"  # without the lexicon: read with the English one
