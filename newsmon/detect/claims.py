"""Breakthrough claims, their verification and contest signals, read by structure.

A sentence (the title counts as one) makes a breakthrough claim when it holds, in
the entry's language's lexicon (:mod:`newsmon.detect.taxonomy`, matched on lemmas):

* a breakthrough **action** in any inflection and voice ("broke/broken through",
  "breached", "punched through", "overran", "прорвали", "durchbrochen", ...);
* an **armed actor** (forces, troops, units, a named armed group) or a side's name;
* a **military object** (lines, defences, front, positions) or an armed actor near the
  action ("the breakthrough of our tank units"), or a **place** (the gazetteer's or a
  capitalised name after a locative preposition);

and none of these holds of the action:

* a physical object right after it ("smashed through the window", "a police cordon")
  or only non-military actors around it (rioters, police, players);
* a non-military context near it and no military word ("a breakthrough in talks");
* a negation, failure or hypothesis before it in its clause ("failing to punch through",
  "no significant breakthroughs", "aims to break through"), unless a blocking verb
  follows the negation ("could not hold the breakthrough" affirms it), or a negation
  right after it ("the breakthrough has not ...");
* a third-party assessment or a recap of an earlier report in the sentence.

A claim's verification status and the contest signals of an entry (denials, attacks
said to be repelled) are read by :mod:`newsmon.detect.contests`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsmon.detect.claimplace import PLACE, Candidate, best, candidates, entry_places, label_place
from newsmon.detect.claimsides import actor_side, bound_side, claimant_outside
from newsmon.detect.claimwords import (
    Language,
    _any_outside,
    _pos,
    _span,
    actions_of,
    clauses_of,
    military_outside,
    physical_after,
    reported_modal,
)
from newsmon.detect.contests import SCOPE, ContestSignal, contest_reason
from newsmon.detect.contests import contest_signals as _contest_signals
from newsmon.detect.contests import verification as _verification
from newsmon.detect.events import numbers
from newsmon.detect.frames import body_frame, frame_reason, title_frame
from newsmon.detect.lexicon import Match
from newsmon.detect.places import Gazetteer, Sides, default_gazetteer, default_sides
from newsmon.detect.romanise import latin_name
from newsmon.detect.senses import CIVIL_REASONS, CONTEXT_WINDOW, background_numbers, civil_advances, word_spans
from newsmon.detect.taxonomy import Taxonomy
from newsmon.detect.tokens import Sentence, TextReading, Token, tokenise
from newsmon.model import Claim

# SCOPE, ContestSignal and contest_reason are re-exported: they were defined here
__all__ = [
    "CONTEXT_WINDOW",
    "NEGATION_WINDOW",
    "OBJECT_AFTER",
    "OBJECT_BEFORE",
    "SCOPE",
    "ClaimExtractor",
    "ClaimResult",
    "ContestSignal",
    "contest_reason",
]

NEGATION_WINDOW = 10  # tokens before an action searched for a negation
MILITARY_BEFORE_OBJECT = 2  # tokens before a physical object searched for a military word ("defensive wall")
CLAIM_NOUN_WINDOW = 5  # tokens before an action searched for a claim noun that a denial after it rejects
DENY_BEFORE_NOUN = 2  # ... or a denial starting this many tokens before the claim noun
# tokens after it, in its clause: a verb-final "прорвать оборону на подступах к X так и не удалось"
POST_NEGATION_WINDOW = 12
OBJECT_BEFORE, OBJECT_AFTER = 6, 8  # tokens around an action searched for its military object


WHOLE_FRONT = "the whole front"  # where an attempt "on any sector" is: at none of the claims' places
ATTEMPT_REASONS = ("negation", "assessment")  # blocked readings of an attempt, a threat or an assessment


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claims: tuple[Claim, ...] = ()
    blocked: tuple[dict[str, str], ...] = ()  # {"trigger", "reason", "sentence"}
    contests: tuple[ContestSignal, ...] = ()
    triggers: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    # (sentence number, first token, end token) of the breakthrough words read in a civil sense
    # (a door, a drill, a battle of the past, pay talks, a cure): no evidence of fighting either
    civil: frozenset[tuple[int, int, int]] = frozenset()
    frame: str = ""  # the exercise, history or disaster frame the title sets ('' when none)

class ClaimExtractor:
    """Extracts breakthrough claims and contest signals from a read entry."""

    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer | None = None, sides: Sides | None = None) -> None:
        self.taxonomy = taxonomy
        self.gazetteer = default_gazetteer() if gazetteer is None else gazetteer
        self.sides = default_sides() if sides is None else sides
        self._languages: dict[str, Language] = {}

    def language(self, code: str) -> Language:
        if code not in self._languages:
            self._languages[code] = Language(self.taxonomy.lexicon(code))
        return self._languages[code]

    # -- public -------------------------------------------------------------------------
    def extract(self, reading: TextReading, year: int | None = None) -> ClaimResult:
        """The claims of an entry; ``year`` its publication's (a year before it frames a past battle)."""
        lang = self.language(reading.lexicon_language)
        found: list[tuple[Sentence, Match]] = []
        blocked: list[dict[str, str]] = []
        triggers: list[str] = []
        reported: list[tuple[Sentence, Match]] = []
        attempts: list[tuple[Sentence, Match]] = []  # a breakthrough failed, threatened or assessed
        framed = title_frame(lang, reading.sentences)  # an exercise, a battle of the past, a flood
        civil: set[tuple[int, int, int]] = set()
        civil_title = ""  # the civil reading of a breakthrough word in the title
        for number, sentence in enumerate(reading.sentences):
            clauses = clauses_of(sentence, lang.clause_breaks, lang.negators)
            for match, strict in actions_of(lang, sentence):
                words = _span(sentence, match)
                triggers.append(words)
                reason = framed or self._blocked_reason(lang, sentence, match, clauses, strict, year)
                as_title = civil_title and not sentence.in_title
                if not reason and as_title and not self._object_near(lang, sentence, match):
                    # the title's "breakthrough at the talks": the body's bare "breakthrough" is that one
                    reason = f"{civil_title} (as in the title)"
                if reason:
                    if sentence.in_title and reason.startswith(("non-military context", "non-military actor")):
                        civil_title = civil_title or reason
                    blocked.append({"trigger": words, "reason": reason, "sentence": sentence.text})
                    if reason.startswith(CIVIL_REASONS) or (
                        reason == "no armed actor" and self._nothing_military(lang, sentence, match)
                    ):
                        civil.update(word_spans(number, match))
                    if reason.startswith(("assessment", "recap")):  # it reports a claim, does not make one
                        reported.append((sentence, match))
                    if reason.startswith(ATTEMPT_REASONS):
                        attempts.append((sentence, match))
                    continue
                found.append((sentence, match))
                break
        if found and all(s.in_title for s, _ in found) and (frame := body_frame(blocked, {s.text for s, _ in found})):
            # the headline's "Breakthrough in Ulmek" is the body's rescue "cut off since the quake"
            blocked += [{"trigger": _span(s, m), "reason": f"{frame} (as in the body)", "sentence": s.text}
                        for s, m in found]
            found = []
        civil.update(civil_advances(lang, reading, civil))
        contests = tuple(self.contest_signals(reading))
        if not found:
            # an assessment or a recap of a claim (its side and place): it belongs to the claim's story
            about = [
                (place, side)
                for sentence, match in reported
                if (place := self.place(lang, sentence, match.end) or self.place(lang, sentence, 0))
                and (side := self._side_read(lang, "", [(sentence, match)])[0])
            ]
            heard = {"reported_claims": about[:3], "attempts": [self._attempt(lang, *a) for a in attempts[:3]]}
            return ClaimResult((), tuple(blocked), contests, tuple(triggers), heard, frozenset(civil), framed)
        claim, side_named = self._claim(lang, reading, found, contests)
        where = tuple(dict.fromkeys(p for sentence, _ in found for p in self._event_places(lang, sentence)))
        # the other side's figures ("two assault groups pushed back") tell nothing new of the claim
        claimed = {sentence.text for sentence, _ in found}
        other = {n for c in contests if c.sentence not in claimed for n in numbers(c.sentence, reading.language)}
        extra: dict[str, Any] = {
            "claim_places": where,
            "contest_numbers": tuple(sorted(other)),
            "background_numbers": tuple(sorted(background_numbers(lang, reading))),
            "side_named": side_named,  # False: the side is a guess from words near the action
        }
        grown = next((m for sentence, _ in found if (m := lang.developments.search(sentence.tokens))), None)
        if grown is not None:  # "the breach was widened to five kilometres": a development of the claim
            extra["development"] = grown.text
        return ClaimResult((claim,), tuple(blocked), contests, tuple(triggers), extra, frozenset(civil), framed)

    def _event_places(self, lang: Language, sentence: Sentence) -> list[str]:
        """The places a claim sentence names as where things happen: no region, no capital
        standing for its side ("Moscow says", "Kyiv denies"), no place headed for or measured from."""
        english = lang.attribution.english
        return [
            c.name
            for c in candidates(self.gazetteer, self.sides, lang, sentence)
            if c.rank == PLACE and (english or c.name in self.gazetteer.kinds)
        ]  # a capitalised word after a preposition is a place only in English's reading

    # -- the claim ----------------------------------------------------------------------
    def _claim(
        self,
        lang: Language,
        reading: TextReading,
        found: list[tuple[Sentence, Match]],
        contests: tuple[ContestSignal, ...],
    ) -> tuple[Claim, bool]:
        claimant, side, sure = self._claimant(lang, reading, found)
        place = latin_name(self._claim_place(lang, reading, found), lang.language)  # an English field
        own = frozenset(sentence.text for sentence, _ in found)
        verification, cue = _verification(lang, reading, side, contests, claimant, own, place)
        sentence, match = next(((s, m) for s, m in found if not s.in_title), found[0])
        claim = Claim(
            kind="breakthrough",
            claimant=claimant,
            place=place,
            verified=verification == "verified",
            evidence=sentence.text,
            verification=verification,
            side=side,
            action=_span(sentence, match),
            verification_cue=cue,
        )
        return claim, sure

    def _claimant(
        self, lang: Language, reading: TextReading, found: list[tuple[Sentence, Match]]
    ) -> tuple[str, str, bool]:
        """(claimant, side, whether the side is named) of a breakthrough's sentences: who the
        sentence attributes it to, else a claimant the table knows, else the actor's side."""
        claimant, side, sure = "", "", True
        if lang.attribution.english:  # who the sentence attributes the claim to, named as the table names it
            candidates = [lang.attribution.claimant(s.text, _pos(s, m)) for s, m in found]
            speakers = [
                lang.attribution.claimant(s.text, 0)
                for s in reading.sentences[:4]
                if lang.attribution.attributes(s.text)
            ]
            claimant = lang.attribution.best_claimant([c for c in candidates + speakers if c])
            if claimant:
                named, side = self.sides.claimant(tokenise(claimant, "en"))
                claimant = named or claimant
        if not claimant:  # a claimant the table knows, before the action (its subject), else anywhere in it
            claimant, side = claimant_outside(self.sides, lang, found)
        if not claimant and not lang.attribution.english:
            if not side:
                side, sure = self._side_read(lang, "", found)
            claimant = self.sides.names.get(side, "")  # attribution phrases are read in English only
        if not side:
            side, sure = self._side_read(lang, claimant, found)
        if not side:  # "the mujahideen" of a claim, bound to a side by another sentence of the entry
            side, sure = bound_side(self.sides, lang, reading.sentences, found), False
        return claimant, side, sure

    def _attempt(self, lang: Language, sentence: Sentence, match: Match) -> tuple[tuple[str, ...], str, bool]:
        """(places, side, whether the side is named) of a breakthrough that failed, is threatened
        or assessed: where it happens, no place it is measured from ("south of Marib")."""
        side, named = self._side_read(lang, "", [(sentence, match)])  # the actor's: not who reports it
        places = tuple(self._event_places(lang, sentence))
        if not places and lang.whole_front.search(sentence.tokens) is not None:  # "on any sector": no one place
            return (WHOLE_FRONT,), side, named
        return places, side, named

    def _side_read(self, lang: Language, claimant: str, found: list[tuple[Sentence, Match]]) -> tuple[str, bool]:
        """(side, whether it is named) of a claim: the claimant's side, else the actor's, named
        beside an armed actor (else a guess from a side before the action), never the owner of
        the breached defences or of a base (:mod:`newsmon.detect.claimplace`)."""
        side = self.sides.side_of(tokenise(claimant, "en")) if claimant else ""
        if side:
            return side, True
        actor, _, named = actor_side(self.sides, lang, found)
        return actor, named

    def place(self, lang: Language, sentence: Sentence, start_token: int = 0) -> str:
        """The place a sentence names, from token ``start_token`` first: a place of the gazetteer
        or a capitalised name after a locative, a region only when nothing else is named
        (:mod:`newsmon.detect.claimplace`)."""
        found = best(candidates(self.gazetteer, self.sides, lang, sentence), start_token)
        return found.name if found else ""

    def _claim_place(self, lang: Language, reading: TextReading, found: list[tuple[Sentence, Match]]) -> str:
        """The best place of the claim's sentences, the body's before the title's; when they name
        none (or only a region, a capital or a reference point), the title's and first sentences'."""
        chosen: Candidate | None = None
        ordered = [x for x in found if not x[0].in_title] + [x for x in found if x[0].in_title]
        for sentence, match in ordered:
            c = best(candidates(self.gazetteer, self.sides, lang, sentence), match.end)
            if c is not None and (chosen is None or c.rank < chosen.rank):
                chosen = c
            if chosen is not None and chosen.rank == PLACE:
                return chosen.name
        lead = reading.sentences[:3]  # the body's first: "retook village east of X" / "the village of Y"
        for sentence in [s for s in lead if not s.in_title] + [s for s in lead if s.in_title]:
            c = best(candidates(self.gazetteer, self.sides, lang, sentence))
            if c is not None and (chosen is None or c.rank < chosen.rank):
                chosen = c
        return chosen.name if chosen else label_place(self.gazetteer, self.sides, reading.sentences)

    def gazetteer_places(self, reading: TextReading) -> list[str]:
        """The places of the gazetteer (the war's places, regions included) an entry names."""
        return [p for s in reading.sentences for p, _ in self.gazetteer.find(s.tokens)]

    def places(self, reading: TextReading, lead: int = 3) -> tuple[list[str], list[str]]:
        """Where an entry happens, and which of those places anchor its story (:func:`entry_places`)."""
        return entry_places(self.gazetteer, self.sides, self.language(reading.lexicon_language), reading, lead)

    # -- decisions ----------------------------------------------------------------------
    def _blocked_reason(
        self, lang: Language, sentence: Sentence, match: Match, clauses: list[int], strict: bool = False,
        year: int | None = None,
    ) -> str:
        tokens = sentence.tokens
        start, end = match.start, match.end
        clause = clauses[start]
        physical = physical_after(lang, tokens, start, end)
        if physical is None:  # verb-final clauses: "einen Damm durchbrochen", "tamę przerwała"
            before = lang.physical_objects.last(tokens, max(0, start - 3), start)
            in_clause = before is not None and clauses[before.start] == clause
            if in_clause and before is not None and lang.military_objects.search(tokens, before.start, end + 4) is None:
                physical = before
        if physical is not None:  # a military word on or before it: "the defensive wall", "security posts"
            mil = lang.military_objects.search(tokens, max(0, physical.start - MILITARY_BEFORE_OBJECT))
            # ... but not one inside it: "la línea de llamas" is the fire's line, "холодный фронт" the weather's
            inside = mil is not None and physical.start <= mil.start and mil.end < physical.end
            if mil is None or mil.start > physical.start or inside:
                return f"physical object: {_span(sentence, physical)!r}"
        frame = frame_reason(lang, sentence, match, clauses, year)
        if frame.startswith("exercise") and self._at_the_front(tokens):
            frame = ""  # a side's lines at a place of the war: the exercises are a unit's past, not the scene
        if frame:
            return frame
        # an armed word inside the action is no actor: "an aid convoy forces its way through the pass"
        armed = next((m for m in lang.armed_actors.finditer(tokens) if m.end <= start or m.start >= end), None)
        if armed is None and lang.non_military_actors.search(tokens) is not None:
            return f"non-military actor: {_span(sentence, lang.non_military_actors.search(tokens))!r}"  # type: ignore[arg-type]
        lo, hi = max(0, start - CONTEXT_WINDOW), min(len(tokens), end + CONTEXT_WINDOW)
        civil = lang.non_military.search(tokens, lo, hi)
        if civil is not None and not military_outside(lang, tokens, lo, hi, (start, end)):
            return f"non-military context: {_span(sentence, civil)!r}"
        first = start
        while first > 0 and clauses[first - 1] == clause and start - first < NEGATION_WINDOW:
            first -= 1
        blocker = lang.blockers.last(tokens, first, start)
        if blocker is not None and lang.negators.search(tokens, first, blocker.start) is not None:
            pass  # "could not hold the breakthrough": the breakthrough happened
        else:
            negation = lang.negators.last(tokens, first, start)
            if negation is not None and not reported_modal(lang, tokens, negation, end, clauses):
                return f"negation: {_span(sentence, negation)!r} before {_span(sentence, match)!r}"
        post = lang.post_negators.search(tokens, end, min(len(tokens), end + POST_NEGATION_WINDOW))
        if post is not None and clauses[min(post.start, len(clauses) - 1)] == clause:
            return f"negation: {_span(sentence, post)!r} after {_span(sentence, match)!r}"
        noun = lang.claim_nouns.last(tokens, max(0, start - CLAIM_NOUN_WINDOW), start)
        if noun is not None and clauses[noun.start] == clause:  # "Kyiv's claims of a breakthrough are false"
            # the denial after the claim, or around the claim noun ("weist Angaben über einen Durchbruch zurück")
            lo = max(0, noun.start - DENY_BEFORE_NOUN)
            denial = lang.deny.search(tokens, lo, min(len(tokens), end + POST_NEGATION_WINDOW))
            if denial is not None and clauses[min(denial.start, len(clauses) - 1)] == clause:
                noun_of = f"{_span(sentence, noun)!r} of {_span(sentence, match)!r}"
                return f"negation: {_span(sentence, denial)!r} after {noun_of}"
        assessment = lang.assessment.search(tokens)
        if assessment is not None:
            return f"assessment: {_span(sentence, assessment)!r}"
        recap = lang.recap.search(tokens)
        if recap is not None:
            return f"recap of an earlier report: {_span(sentence, recap)!r}"
        side = self.sides.sides_in(tokens)
        if armed is None and not side:
            return "no armed actor"
        obj = self._object_near(lang, sentence, match)
        if strict and not obj:
            return f"no military object near {_span(sentence, match)!r}"
        lo, hi = max(0, start - OBJECT_BEFORE), min(len(tokens), end + OBJECT_AFTER)
        near = obj or _any_outside(lang.armed_actors, tokens, lo, hi, (start, end))
        if not near and not self.place(lang, sentence, 0):
            return "no military object or place"
        return ""

    @staticmethod
    def _object_near(lang: Language, sentence: Sentence, match: Match) -> bool:
        """Whether a military object (other than the action's own words) stands near the action."""
        tokens = sentence.tokens
        lo, hi = max(0, match.start - OBJECT_BEFORE), min(len(tokens), match.end + OBJECT_AFTER)
        return _any_outside(lang.military_objects, tokens, lo, hi, (match.start, match.end))

    def _nothing_military(self, lang: Language, sentence: Sentence, match: Match) -> bool:
        """Whether nothing but the breakthrough word itself is military: no military object near it
        and no place of the war's gazetteer in its sentence (a chess "percée au centre")."""
        return not self._object_near(lang, sentence, match) and not self.gazetteer.find(sentence.tokens)

    def _at_the_front(self, tokens: Sequence[Token]) -> bool:
        """Whether a sentence names a side of the war and a place (not a region) of its gazetteer."""
        if not self.sides.sides_in(tokens):
            return False
        return any(self.gazetteer.kinds.get(p) != "region" for p, _ in self.gazetteer.find(tokens))

    # -- contests -----------------------------------------------------------------------
    def contest_signals(self, reading: TextReading) -> list[ContestSignal]:
        """Sentences saying attacks were repelled or denying a claim (see :mod:`newsmon.detect.contests`)."""
        lang = self.language(reading.lexicon_language)
        return _contest_signals(lang, reading, self.sides, self.gazetteer, lambda: self.places(reading)[0])
