"""Classes of claim decisions, each with several wordings and both polarities.

Written for the structural reading of claims (actor + action + military object or place,
verification as a status, denials of a claim): none of these sentences is from a labelled set.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor, ClaimResult
from newsmon.detect.tokens import read_text


def claims(extractor: ClaimExtractor, title: str, body: str = "") -> ClaimResult:
    return extractor.extract(read_text(title, body))


@pytest.mark.parametrize(
    "sentence",
    [
        "Northland forces breached Southland defences near Velmora, the Northland defence ministry said.",
        "Southland's defensive lines near Velmora were breached by Northland troops, the ministry said.",
        "The Northland army says its units have punched through the front line outside Velmora.",
        "Northland paratroopers overran Southland positions around Velmora overnight, commanders said.",
        "According to the Northland general staff, its brigades ruptured the defensive line at Velmora.",
        "Northland troops forced their way through the fortifications of Velmora, a spokesman claimed.",
        "Northland's 5th brigade has advanced through the Southland defences north of Velmora.",
        "The Southland front line near Velmora was pierced by Northland tank units, the army said.",
    ],
)
def test_breakthrough_claims_in_any_inflection_voice_and_order(extractor: ClaimExtractor, sentence: str) -> None:
    (claim,) = claims(extractor, "", sentence).claims
    assert claim.place == "Velmora"
    assert claim.claimant  # who says so: the attributed speaker, else the actor


@pytest.mark.parametrize(
    "title, body",
    [
        ("Looters smash through shop windows", "Rioters smashed through the glass of a shop in Velmora."),
        ("Crowd breaks through police cordon", "Protesters broke through police lines outside parliament in Velmora."),
        ("Rescuers break through to trapped families", "Firefighters broke through the rubble in Velmora."),
        ("Striker breaks through the defence", "The Velmora striker broke through the defence to score."),
        ("Hackers breach council network", "Hackers breached the computer network of Velmora council."),
        ("Breakthrough in wage talks", "Unions and ministers reached a breakthrough in pay talks in Velmora."),
        ("Cancer breakthrough", "Scientists in Velmora announced a breakthrough in cancer treatment."),
        ("Ceasefire breached", "Both sides accused each other of breaching the ceasefire near Velmora."),
    ],
)
def test_physical_and_non_military_breakthroughs_are_no_claims(
    extractor: ClaimExtractor, title: str, body: str
) -> None:
    result = claims(extractor, title, body)
    assert result.claims == (), result.claims
    assert result.blocked, "the breakthrough words are reported as blocked, with a reason"


@pytest.mark.parametrize(
    "body",
    [
        "Northland failed to break through Southland lines near Velmora, the ministry admitted.",
        "Northland troops are trying to breach the defences around Velmora, the army said.",
        "Northland aims to punch through the front line at Velmora before winter.",
        "Northland forces could break through near Velmora within days, analysts said.",
        "Southland denied that Northland troops had broken through its lines at Velmora.",
        "There has been no breakthrough by Northland forces near Velmora, the general staff said.",
        "Northland said earlier that its troops had broken through near Velmora.",
    ],
)
def test_negated_hypothetical_assessed_and_recapped_breakthroughs_are_no_claims(
    extractor: ClaimExtractor, body: str
) -> None:
    assert claims(extractor, "", body).claims == ()


CLAIM = "Northland troops broke through Southland lines near Velmora, the Northland army said."


@pytest.mark.parametrize(
    "sentence, status",
    [
        ("The claim could not be independently verified.", "unverified"),
        ("The report has not been independently confirmed.", "unverified"),
        ("Reporters were unable to verify the account.", "unverified"),
        ("There was no independent confirmation of the advance.", "unverified"),
        ("The ministry offered no evidence.", "unverified"),
        ("", "unverified"),
        ("The ministry confirmed its troops were in the town.", "unverified"),  # the claimant is no independent
        ("Footage geolocated by independent analysts shows Northland tanks in Velmora.", "verified"),
        ("Satellite images reviewed by Reuters confirm the advance.", "verified"),
        ("An independent monitor confirmed that Northland troops had entered Velmora.", "verified"),
    ],
)
def test_verification_is_a_status_with_negation_scope(extractor: ClaimExtractor, sentence: str, status: str) -> None:
    (claim,) = claims(extractor, "", f"{CLAIM} {sentence}").claims
    assert claim.verification == status, claim.verification_cue
    assert claim.verified is (status == "verified")


def test_a_denial_in_the_same_entry_disputes_the_claim(extractor: ClaimExtractor) -> None:
    (claim,) = claims(
        extractor, "", f"{CLAIM}\n\nSouthland's army rejected the claim as false, saying its lines held."
    ).claims
    assert claim.verification == "disputed"


@pytest.mark.parametrize(
    "body, contests",
    [
        ("Southland's army denied the report that its lines near Velmora had been breached.", True),
        ("Southland said its forces repelled all Northland attacks near Velmora.", True),
        ("Southland rejected Northland's claims of an advance at Velmora as propaganda.", True),
        ("A Northland general was dismissed after the failed assault on Velmora.", False),
        ("Southland evacuated 300 civilians from Velmora as shelling went on.", False),
        ("Five Southland soldiers were killed near Velmora, officials said.", False),
    ],
)
def test_contest_signals_are_denials_of_a_claim_or_repelled_attacks(
    extractor: ClaimExtractor, body: str, contests: bool
) -> None:
    assert bool(claims(extractor, "", body).contests) is contests


@pytest.mark.parametrize(
    "sentence",
    [
        "The national army has torn through the trenches dug by the militants south of Velmora, the ministry said.",
        "Government troops tore through rebel defences outside Velmora overnight, the army said.",
        "Our units cut through enemy lines west of Velmora, the brigade commander said.",
    ],
)
def test_tearing_or_cutting_through_defences_is_a_claim(extractor: ClaimExtractor, sentence: str) -> None:
    assert claims(extractor, "", sentence).claims


@pytest.mark.parametrize(
    "sentence",
    [
        "A storm tore through the coastal town of Velmora overnight, the mayor said.",
        "The new bypass will cut through farmland west of Velmora, planners said.",
    ],
)
def test_tearing_through_a_town_or_farmland_is_no_claim(extractor: ClaimExtractor, sentence: str) -> None:
    assert not claims(extractor, "", sentence).claims


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebel fighters broke through the army's defensive wall near Velmora before dawn, the movement said.",
        "Government troops breached the fortified barrier south of Velmora, the ministry said.",
    ],
)
def test_a_wall_or_barrier_called_defensive_or_fortified_is_a_defence(extractor: ClaimExtractor, sentence: str) -> None:
    assert claims(extractor, "", sentence).claims


@pytest.mark.parametrize(
    "sentence",
    [
        "Rioters broke through the garden wall of the police station in Velmora, officers said.",
        "Firefighters smashed through a concrete barrier to reach the trapped driver near Velmora.",
    ],
)
def test_a_wall_or_barrier_of_no_defence_stays_a_physical_object(extractor: ClaimExtractor, sentence: str) -> None:
    assert not claims(extractor, "", sentence).claims


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Football: Ukraine's under-21s break through late in Bratislava",
         "Ukraine's under-21 side broke through a stubborn Slovakia defence late on to win 1-0 in Bratislava."),
        ("Fußball: Ukraine durchbricht die slowakische Abwehr",
         "Im Länderspiel durchbrachen die ukrainischen Spieler die Verteidigung der Slowakei."),
        ("Футбол: сборная России прорвала оборону сербов",
         "В товарищеском матче российские футболисты прорвали оборону сборной Сербии."),
        ("Calcio, Serie A: l'Atalanta sfonda la difesa",
         "Nel secondo tempo il centrocampista ha sfondato la linea difensiva avversaria."),
    ],
)
def test_a_match_s_breakthrough_is_no_claim(extractor: ClaimExtractor, title: str, body: str) -> None:
    assert not claims(extractor, title, body).claims


def test_a_war_claim_beside_sport_news_in_another_post_stays_a_claim(extractor: ClaimExtractor) -> None:
    result = claims(extractor, "Northland says its troops broke through at Velmora",
                    "Northland's army broke through Southland defences at Velmora overnight, the ministry said.")
    assert result.claims
