"""Verification of a claim and contest signals: what an entry says of a claim's truth.

Verification is a status per claim: ``verified`` when a sentence confirms it with an
independence cue (geolocated footage, satellite images, an independent observer) and
no negation in the confirmation's scope; ``disputed`` when the same entry carries the
other side's denial; else ``unverified`` ("has not been independently verified",
"could not be confirmed" are unverified, never verified).

Contest signals are sentences where someone says attacks were repelled, or denies a
claim or report; :func:`contest_reason` decides whether one contests an earlier claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsmon.detect.claimwords import Language, _span, _tokens_of
from newsmon.detect.lexicon import Match
from newsmon.detect.parties import other_party, same_side, side_words
from newsmon.detect.places import Gazetteer, Sides, default_gazetteer, place_key
from newsmon.detect.tokens import Sentence, TextReading, Token
from newsmon.model import Claim

_ATTACK_AFTER = re.compile(
    r"\W*(?:attacks?|assaults?|offensives?|advances?|push(?:es)?|fighters|forces|troops|units|soldiers|"
    r"(?:assault\s+)?groups|brigades?|battalions?)\b"
)
_BY_AGENT = re.compile(
    r"\s+by\s+(?:the\s+)?([^,.;:\"]{3,60}?)(?=\s*(?:[,.;:\"]|$|\s+(?:as|on|in|at|after|who|which|and)\b))"
)
SCOPE = 5  # tokens before a confirmation word searched for its negation
POST_SCOPE = 5  # ... and after it ("Unabhängig bestätigt wurde das bislang nicht", "підтвердити ... неможливо")


@dataclass(frozen=True, slots=True)
class ContestSignal:
    """A sentence saying attacks were repelled, or denying a claim or report."""

    kind: str  # "repel" | "deny"
    sentence: str
    speaker: str
    attacker: str  # for "repel": the party whose attacks were repelled
    phrase: str
    side: str = ""  # the speaker's side (sides.toml key), "" when unknown
    places: tuple[str, ...] = ()
    lead: bool = False  # the places are the entry's lead's: the sentence names none ("all attacks were repelled")


def verification(
    lang: Language,
    reading: TextReading,
    side: str,
    contests: Sequence[ContestSignal],
    claimant: str = "",
    own: frozenset[str] = frozenset(),
    place: str = "",
) -> tuple[str, str]:
    """(status, the cue that decided it) of an entry's claim: disputed when the other side (by
    the side table, else another party than the claimant) denies it ("..., ce que Kiev a démenti"),
    or repels the attack in a sentence other than the claim's own (``own``: "the defensive line
    held by X" is no defence). A denial naming no place is of what the entry's lead is about: when
    the lead names places but not the claim's ``place``, it disputes nothing of the claim (a statement
    denying the other side's breakthrough at one place and claiming its own at another)."""
    unverified = ""
    for sentence in reading.sentences:
        tokens = sentence.tokens
        explicit = lang.unverified.search(tokens)
        if explicit is not None:
            unverified = unverified or _span(sentence, explicit)
            continue
        for confirm in lang.verified.finditer(tokens):
            # a negation before the confirmation or inside it ("satellite images do not show")
            scope = lang.negators.search(tokens, max(0, confirm.start - SCOPE), confirm.end)
            scope = scope or lang.negators.search(tokens, confirm.end, min(len(tokens), confirm.end + POST_SCOPE))
            if scope is not None:
                unverified = unverified or _span(sentence, scope) + " ... " + _span(sentence, confirm)
                break
            # a lexicon without independence cues lists only independent confirmations as `verified`
            if not lang.independent or lang.independent.search(tokens) is not None:
                return "verified", sentence.text
    for signal in contests:  # the other side denies it, or says it repelled the attack, in the same entry
        if signal.kind == "repel" and signal.sentence in own:
            continue
        if place and signal.lead and signal.places and not _at_place(place, signal):
            continue  # a denial naming no place, in an entry whose lead is about another place than the claim
        if signal.kind == "repel" and signal.attacker and side and signal.attacker != side:
            continue  # the other side's attack repelled ("Russian units ... pushed back") disputes no claim against it
        other = (bool(signal.side) and bool(side) and signal.side != side) or (
            not (signal.side and side) and other_party(signal.speaker, claimant)
        )
        if (signal.kind == "deny" and (other or not side or not signal.side)) or (signal.kind == "repel" and other):
            return "disputed", signal.sentence
    return "unverified", unverified


def _names_place(place: str, signal: ContestSignal) -> bool:
    """Whether a contest signal names ``place``, in any spelling, script or case (Белицкое = під Білицьким)."""
    return (
        place in signal.places
        or place.casefold() in signal.sentence.casefold()
        or place_key(place) in {place_key(p) for p in signal.places}
    )


def _at_place(place: str, signal: ContestSignal) -> bool:
    """Whether a contest signal is about ``place``: it names it, or a place that holds it or that it holds."""
    gazetteer = default_gazetteer()
    return _names_place(place, signal) or any(
        gazetteer.within(place, p) or gazetteer.within(p, place) for p in signal.places
    )


def contest_signals(
    lang: Language, reading: TextReading, sides: Sides, gazetteer: Gazetteer, lead_places: Callable[[], list[str]]
) -> list[ContestSignal]:
    """The contest signals of an entry; ``lead_places`` gives the places its lead names."""
    out: list[ContestSignal] = []
    lead: tuple[str, ...] | None = None
    for sentence in reading.sentences:
        tokens = sentence.tokens
        # a sentence may both deny and report attacks repelled ("rejected the claim, saying two
        # assault groups had been pushed back"): each is a signal, the denial with its speaker
        for kind, phrases in (("repel", lang.repel), ("deny", lang.deny)):
            attacking = ""  # the side a passive report names as the attacker ("RSF attack ... beaten back")
            match = phrases.search(tokens)
            if match is None:
                continue
            if lang.negators.search(tokens, max(0, match.start - 4), match.start) is not None and not (
                kind == "repel" and lang.negators.search(tokens, match.start, match.end)
            ):
                continue
            if kind == "deny" and not _denies_a_claim(lang, tokens, match):
                continue
            if kind == "deny" and lang.media_nouns.search(tokens, max(0, match.start - 2), match.end + 1):
                continue  # "its propaganda outlet", "son organe de propagande": where a claim is made
            if kind == "repel" and not _of_fighting(lang, sides, tokens):
                continue  # "il contenuto del decreto" contains no attack
            # the speaker's side: the attributed speaker in English, else a claimant the table
            # knows before the verb -- never a side named as the attacker ("RSF attack ... beaten back")
            if lang.attribution.english:
                by = _BY_AGENT.match(sentence.text, tokens[match.end - 1].end)  # "a claim rejected by the governor"
                speaker = by.group(1).strip() if by else ""
                speaker = speaker or lang.attribution.claimant(sentence.text, tokens[match.start].start)
                side = sides.claimant(_tokens_of(speaker))[1] if speaker else ""
                side = side or (sides.side_of(_tokens_of(speaker)) if speaker else "")
                if speaker and _attacker_phrase(lang, sentence, speaker):  # "Russian units ... pushed back"
                    speaker, side, attacking = "", "", side
            else:
                speaker, side = sides.claimant(tokens[: match.start])
            attacker = ""
            if kind == "repel":  # "repelled Russian attacks", "two Russian assault groups had been pushed back"
                attacker = sides.side_of(tokens[match.end : match.end + 3]) or attacking
                attacker = attacker or _passive_attacker(lang, sides, tokens, match.start, side)
            places = tuple(p for p, _ in gazetteer.find(tokens)) or tuple(
                gazetteer.canonical(n) or n for n in lang.attribution.places(sentence.text)
            )
            from_lead = not places
            if from_lead:  # "all attacks were repelled": the places the entry's lead names
                lead = lead if lead is not None else tuple(lead_places())
                places = lead
            out.append(
                ContestSignal(kind, sentence.text, speaker, attacker, _span(sentence, match), side, places, from_lead)
            )
    return out


def _passive_attacker(lang: Language, sides: Sides, tokens: Sequence[Token], at: int, speaker: str) -> str:
    """The side whose attack or units a passive report names before the repel verb ("two Russian
    assault groups had been pushed back", "russische Angriffe wurden abgewehrt"), "" when none: the
    side must qualify an attack word or armed actor ("Сили оборони відбили" is the defender)."""
    for _, end, key in reversed(sides.hits(tokens, max(0, at - 6), at)):
        if key == speaker:
            continue
        qualified = any(
            m.start == end and m.end >= at - 3
            for words in (lang.military, lang.armed_actors)
            for m in words.finditer(tokens, end, at)
        )
        if qualified and lang.say_verbs.search(tokens, end, at) is None:
            return key
    return ""


def _of_fighting(lang: Language, sides: Sides, tokens: Sequence[Token]) -> bool:
    """Whether a sentence is about fighting: an armed actor, a side, a military object or a
    military word ("attacks", "assaults") in it."""
    return any(
        words.search(tokens) is not None for words in (lang.armed_actors, lang.military, lang.military_objects)
    ) or bool(sides.sides_in(tokens))


def _attacker_phrase(lang: Language, sentence: Sentence, speaker: str) -> bool:
    """Whether the speaker found is the attacker of a passive report ("RSF attack ... beaten back")."""
    at = sentence.text.find(speaker)
    after = sentence.text[at + len(speaker) : at + len(speaker) + 30].lower() if at >= 0 else ""
    return bool(_ATTACK_AFTER.match(after))


def _denies_a_claim(lang: Language, tokens: Sequence[Token], match: Match) -> bool:
    """A denial is of a claim or report ("denied the report", "rejected claims that its
    lines were breached", "has denied it", "lo negó"), or a flat "false/untrue": not "a
    general dismissed"."""
    return bool(
        lang.claim_nouns.search(tokens)
        or lang.actions.search(tokens)
        or lang.capture.search(tokens)
        or lang.deny_objects.search(tokens, max(0, match.start - 2), min(len(tokens), match.end + 2))
    )


def contest_reason(signal: ContestSignal, claim: Claim, same_story: bool) -> str:
    """Why ``signal`` contests ``claim`` ("" when it does not): the other side (or an
    independent assessment) denies it or says it repelled the attack, about the same
    place, or in the claim's story."""
    place_hit = bool(claim.place) and _names_place(claim.place, signal)
    if not (place_hit or same_story):
        return ""
    if signal.side and claim.side:
        if signal.side == claim.side:
            return ""
    else:
        claim_sides = side_words(claim.claimant)
        speaker = side_words(signal.speaker)
        if speaker and claim_sides and same_side(speaker, claim_sides):
            return ""
    if signal.kind == "repel" and signal.attacker and claim.side and signal.attacker != claim.side:
        return ""
    where = f"in {claim.place}" if place_hit else "in the same story"
    who = signal.speaker or "the other side"
    verb = "says it repelled attacks" if signal.kind == "repel" else "denies"
    return f"{who} {verb} {where} ({signal.phrase!r})"
