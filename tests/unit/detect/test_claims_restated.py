"""A claim restated by the other side to deny it, or recalled from an earlier report, is no new claim
(hand-written examples in several languages; both polarities)."""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor, ClaimResult
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text


def extract(extractor: ClaimExtractor, title: str, body: str = "") -> ClaimResult:
    return extractor.extract(read_text(title, body, lexicons=default_taxonomy().lexicons))


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Минобороны: атаки ВСУ у Степногорска отражены",
         "Заявления Киева о прорыве под Степногорском не соответствуют действительности, сообщили в Минобороны."),
        ("Генштаб ЗСУ: заяви росіян про прорив під Покровськом не відповідають дійсності", ""),
        ("Moskau weist Angaben über einen ukrainischen Durchbruch bei Torezk zurück",
         "Die Angaben über einen Durchbruch bei Torezk seien falsch, teilte das Verteidigungsministerium mit."),
        ("Kiev : les affirmations russes d'une percée près de Pokrovsk sont fausses, selon l'état-major", ""),
        ("Ukraine's General Staff: claims of a Russian breakthrough near Pokrovsk are fake", ""),
    ],
)
def test_a_denial_that_restates_the_claim_claims_nothing(extractor: ClaimExtractor, title: str, body: str) -> None:
    result = extract(extractor, title, body)
    assert not result.claims
    assert result.contests


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Moskau bestreitet Durchbruch bei Torezk",
         "Kiew hatte am Vormittag erklärt, seine Truppen hätten die russischen Linien bei Torezk durchbrochen."),
        ("Moscou dément une percée à Toretsk",
         "Kiev avait plus tôt affirmé que ses troupes avaient percé les lignes russes près de Toretsk."),
        ("Moscú niega la ruptura en Toretsk",
         "Kiev había afirmado por la mañana que sus tropas rompieron las líneas rusas cerca de Toretsk."),
        ("Mosca smentisce lo sfondamento a Toretsk",
         "Kiev aveva affermato in mattinata che le sue truppe avevano sfondato le linee russe vicino a Toretsk."),
    ],
)
def test_a_claim_recalled_in_the_pluperfect_is_a_recap(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not extract(extractor, title, body).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Russian troops broke through Ukrainian lines near Pokrovsk, Moscow says; Kyiv denies it", ""),
        ("Die ukrainischen Truppen haben die russischen Linien bei Torezk durchbrochen, erklärte Kiew.",
         "Moskau bezeichnete die Angaben als falsch."),
        ("Подразделения ВСУ прорвали оборону у Степногорска, заявили в Киеве", ""),
    ],
)
def test_a_claim_made_now_stays_a_claim_beside_a_denial(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert extract(extractor, title, body).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("14-та бригада: нічна операція",
         "Підрозділи 14-ї бригади імені князя Романа Великого прорвали лінію оборони окупантів під Куп'янськом."),
        ("Бригада: ночная операция",
         "Подразделения бригады имени генерала Романа Шухевича прорвали оборону противника у Купянска."),
    ],
)
def test_a_unit_s_honorific_name_is_no_history_frame(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert extract(extractor, title, body).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Новий роман про війну", "У романі описано, як бригада прорвала оборону під Куп'янськом."),
        ("Новый роман о войне", "В романе рассказано, как бригада прорвала оборону у Купянска."),
    ],
)
def test_a_novel_about_the_war_is_still_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not extract(extractor, title, body).claims
