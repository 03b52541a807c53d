"""Classes of verification, contest, clause and link decisions, several wordings each, both polarities.

Written for the generalisation of verification cues (inflected, evidence that bears a claim out,
negation inside a cue), of contest signals (fighting needed, passive attackers, a denial beside
a repel), of re-reports across languages (figures, number words, developments) and of the war
context a source lends; none of these sentences is from a labelled set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsmon.detect import Detector
from newsmon.detect.claims import ClaimExtractor, ClaimResult
from newsmon.detect.detector import DetectionConfig
from newsmon.detect.taxonomy import default_taxonomy
from newsmon.detect.tokens import read_text
from newsmon.model import Analysis, Entry, EntryEvent, EventKind

T0 = datetime(2025, 3, 4, 6, tzinfo=UTC)



def read(extractor: ClaimExtractor, title: str, body: str = "") -> ClaimResult:
    return extractor.extract(read_text(title, body, lexicons=default_taxonomy().lexicons))


CLAIM_EN = "Russian troops broke through Ukrainian defences near Bakhmut, the Russian defence ministry said."


# -- verification -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, body",
    [
        ("", f"{CLAIM_EN} Satellite imagery taken this morning shows Russian armour inside the village."),
        ("", f"{CLAIM_EN} Satellite images reviewed by an open-source group back up the claim."),
        ("", f"{CLAIM_EN} UN peacekeepers confirmed that they saw Russian tanks moving through the village."),
        ("", "Die russische Armee hat die ukrainischen Stellungen bei Bachmut durchbrochen. Von einer unabhängigen "
             "Plattform geolokalisierte Videos zeigen russische Soldaten im Ort."),
        ("", "L'armée russe a percé les lignes ukrainiennes près de Bakhmout. Des vidéos géolocalisées par des "
             "enquêteurs indépendants montrent des soldats russes."),
        ("", "L'esercito russo ha sfondato le linee ucraine vicino a Bakhmut. I video, geolocalizzati da una "
             "piattaforma indipendente, mostrano soldati russi."),
        ("", "As tropas russas romperam as linhas ucranianas perto de Bakhmut. Vídeos geolocalizados por "
             "investigadores independentes mostram soldados russos."),
    ],
)
def test_independent_confirmation_in_any_inflection_is_verified(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    (claim,) = read(extractor, title, body).claims
    assert claim.verification == "verified" and claim.verified


@pytest.mark.parametrize(
    "extra",
    [
        "Satellite images do not show Russian armour in the village.",
        "The claim could not be independently verified.",
        "There was no independent confirmation of the claim.",
        "The army released a video it said showed its troops in the village.",
    ],
)
def test_negated_or_partisan_evidence_is_not_verified(extractor: ClaimExtractor, extra: str) -> None:
    (claim,) = read(extractor, "", f"{CLAIM_EN} {extra}").claims
    assert claim.verification == "unverified" and not claim.verified


@pytest.mark.parametrize(
    "title, denial",
    [
        ("Russia claims breakthrough near Bakhmut; Kyiv says attacks repelled",
         "A Ukrainian military spokesman for the sector rejected the claim, saying two Russian assault groups had "
         "been pushed back overnight."),  # the repel and the denial of one sentence: the denial has a speaker
        ("", "A Ukrainian military spokesman rejected the claim, saying two Russian assault groups had been pushed "
             "back."),
        ("", "The Ukrainian army denied the report."),
        ("", "Kyiv has said the attack was repelled."),
    ],
)
def test_the_other_sides_denial_makes_it_disputed_even_when_unverifiable(
    extractor: ClaimExtractor, title: str, denial: str
) -> None:
    (claim,) = read(extractor, title, f"{CLAIM_EN} {denial} Neither account could be independently verified.").claims
    assert claim.verification == "disputed"


# -- contest signals -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Il contenuto del decreto resta classificato.",  # "contenere" with nothing to contain
        "The company halted production at the plant.",
        "Der Verein konnte den Abstieg stoppen.",
    ],
)
def test_a_repel_word_without_fighting_is_no_contest(extractor: ClaimExtractor, text: str) -> None:
    assert read(extractor, "", text).contests == ()


@pytest.mark.parametrize(
    "text, attacker",
    [
        ("Two Russian assault groups had been pushed back overnight near Bakhmut.", "russia"),
        ("Russische Angriffe bei Bachmut wurden abgewehrt.", "russia"),
        ("Сили оборони відбили всі атаки біля Бахмута.", ""),  # the defenders, not the attacker
        ("Kyiv says attacks near Bakhmut were repelled.", ""),  # Kyiv speaks
    ],
)
def test_the_attacker_of_a_passive_report(extractor: ClaimExtractor, text: str, attacker: str) -> None:
    (signal,) = [s for s in read(extractor, "", text).contests if s.kind == "repel"]
    assert signal.attacker == attacker


def test_a_denial_beside_a_repel_is_read_with_its_speaker(extractor: ClaimExtractor) -> None:
    text = "A Ukrainian military spokesman rejected the claim, saying Russian assault groups had been pushed back."
    kinds = {s.kind: s for s in read(extractor, "", text).contests}
    assert set(kinds) == {"repel", "deny"} and kinds["deny"].side == "ukraine"


# -- clauses and figurative breakthroughs --------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Analysts cautioned that a tactical penetration by Israeli forces does not yet amount to a breakthrough.",
        "Russian forces have not yet broken through Ukrainian defences near Bakhmut, Kyiv said.",
    ],
)
def test_not_yet_is_a_negation_not_a_clause_break(extractor: ClaimExtractor, text: str) -> None:
    assert read(extractor, "", text).claims == ()


def test_yet_still_breaks_a_clause(extractor: ClaimExtractor) -> None:
    text = "Kyiv hoped to hold, yet Russian troops broke through Ukrainian defences near Bakhmut, Moscow said."
    assert read(extractor, "", text).claims


@pytest.mark.parametrize(
    "title, body",
    [
        ("M23 and Kinshasa hail breakthrough on prisoner swap",
         "Delegations of the M23 and the Congolese government said they had made a breakthrough on a prisoner "
         "exchange in Doha."),
        ("Échange de prisonniers : « percée diplomatique »",
         "Les Émirats ont annoncé une percée diplomatique dans leur médiation entre Moscou et Kiev."),
        ("Svolta nei negoziati", "La mediazione ha portato a uno sfondamento diplomatico tra Mosca e Kiev sullo "
                                 "scambio di prigionieri."),
    ],
)
def test_diplomatic_breakthroughs_are_no_claims(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert read(extractor, title, body).claims == ()


# -- links in the window -------------------------------------------------------------------------
def _analyse(detector: Detector, source: str, entry_id: str, title: str, body: str, minutes: float) -> Analysis:
    entry = Entry(source, entry_id, title, body, published=T0 + timedelta(minutes=minutes))
    return detector.analyse(EntryEvent(EventKind.NEW, entry), T0 + timedelta(minutes=minutes))


SANCTIONS_EN = ("EU agrees 15th sanctions package",
                "EU ambassadors approved a new package of sanctions against Russia that adds 52 tankers of its "
                "shadow fleet to the blacklist and freezes the assets of two companies, diplomats said.")


@pytest.mark.parametrize(
    "title, body, duplicate",
    [
        ("Ue, via libera al 15° pacchetto di sanzioni contro Mosca",
         "Gli ambasciatori hanno approvato il pacchetto di sanzioni contro la Russia, che inserisce nella lista nera "
         "altre 52 petroliere della flotta ombra e congela i beni di due società.", True),
        ("UE : feu vert au 15e paquet de sanctions contre Moscou",
         "Les ambassadeurs ont approuvé un paquet de sanctions contre la Russie qui ajoute 52 pétroliers de la "
         "flotte fantôme et gèle les avoirs de deux sociétés.", True),
        ("Ue, via libera al 15° pacchetto di sanzioni contro Mosca",
         "Il pacchetto inserisce nella lista nera altre 61 petroliere e congela i beni di due società.", False),
        ("Ue, via libera al 16° pacchetto di sanzioni contro Mosca",
         "Il pacchetto inserisce nella lista nera 52 petroliere.", False),
    ],
)
def test_a_claimless_report_repeated_in_another_language_is_a_duplicate_by_its_figures(
    title: str, body: str, duplicate: bool
) -> None:
    detector = Detector(DetectionConfig())
    first = _analyse(detector, "wire", "w1", *SANCTIONS_EN, 0)
    second = _analyse(detector, "ansa", "a1", title, body, 90)
    assert (second.duplicate_of == first.event.entry.key) is duplicate


RU_CLAIM = ("Подразделения группировки войск прорвали оборону ВСУ в районе Юнаковки и продвинулись до трёх "
            "километров, сообщили в Минобороны России.")


@pytest.mark.parametrize(
    "body, duplicate",
    [
        ("Russia's defence ministry said its troops had broken through Ukrainian defences near Yunakivka and "
         "advanced up to three kilometres.", True),
        ("Russia's defence ministry said its troops had broken through Ukrainian defences near Yunakivka and "
         "advanced up to 3 km.", True),
        ("Russia's defence ministry said its troops had broken through Ukrainian defences near Yunakivka and "
         "advanced up to three kilometres. A Ukrainian spokesman rejected the claim, saying two assault groups "
         "had been pushed back.", True),  # the other side's figures tell nothing new of the claim
        ("Russia's defence ministry said its troops had widened the breach near Yunakivka.", False),
        ("Russia's defence ministry said its troops had broken through Ukrainian defences near Yunakivka and "
         "advanced up to five kilometres.", False),
        ("Satellite images reviewed by independent researchers confirm that Russian troops broke through "
         "Ukrainian defences near Yunakivka, as Russia's defence ministry said.", False),  # now verified
    ],
)
def test_a_claim_re_reported_in_another_language_is_a_duplicate_unless_something_is_new(
    body: str, duplicate: bool
) -> None:
    detector = Detector(DetectionConfig())
    first = _analyse(detector, "ria", "r1", "", RU_CLAIM, 0)
    second = _analyse(detector, "wire", "w1", "", body, 60)
    assert first.claims and second.claims
    assert (second.duplicate_of == first.event.entry.key) is duplicate
    assert second.story == first.story


WAR = "Russian artillery shelled Ukrainian positions near Bakhmut as the war entered its third year."


@pytest.mark.parametrize("war_entries, casualties", [(8, True), (5, True), (4, False), (2, False)])
def test_only_a_source_more_than_half_about_war_lends_its_entries_war_context(
    war_entries: int, casualties: bool
) -> None:
    detector = Detector(DetectionConfig())
    for i in range(8):
        text = WAR if i < war_entries else f"The city council approved its budget for the year {i}."
        _analyse(detector, "wire", f"e{i}", "", text, i * 30)
    storm = _analyse(detector, "wire", "storm", "Two killed by falling trees",
                     "Two people were killed by falling trees in the storm, police said.", 300)
    assert ("casualties" in storm.classification.topics) is casualties


@pytest.mark.parametrize(
    "title, body",
    [
        ("Ukrainische Truppen durchbrechen russische Linien bei Torezk",
         "Ukrainische Truppen haben die russischen Linien bei Torezk durchbrochen, teilte Kiew mit. "
         "Unabhängig bestätigt wurde das bislang nicht."),
        ("Сили оборони прорвали оборону окупантів біля Малих Щербаків",
         "Підрозділи ЗСУ прорвали оборону окупантів біля Малих Щербаків, повідомили в бригаді. "
         "Незалежно підтвердити ці дані поки неможливо."),
        ("ВС России прорвали оборону ВСУ у Торецка",
         "Подразделения ВС России прорвали оборону ВСУ у Торецка, сообщили в Минобороны. "
         "Независимо подтвердить эти данные невозможно."),
    ],
)
def test_a_negation_after_the_confirmation_word_leaves_the_claim_unverified(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    (claim,) = read(extractor, title, body).claims
    assert claim.verification == "unverified" and not claim.verified


@pytest.mark.parametrize(
    "title, body",
    [
        ("Ukrainische Truppen durchbrechen russische Linien bei Torezk",
         "Ukrainische Truppen haben die russischen Linien bei Torezk durchbrochen, teilte Kiew mit. "
         "Geolokalisierte Videos bestätigen das, unabhängig bestätigt von Analysten."),
        ("Сили оборони прорвали оборону окупантів біля Малих Щербаків",
         "Підрозділи ЗСУ прорвали оборону окупантів біля Малих Щербаків, повідомили в бригаді. "
         "Супутникові знімки незалежно підтверджують просування."),
    ],
)
def test_a_confirmation_without_negation_stays_verified(extractor: ClaimExtractor, title: str, body: str) -> None:
    (claim,) = read(extractor, title, body).claims
    assert claim.verification == "verified"
