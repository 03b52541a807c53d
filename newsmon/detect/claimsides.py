"""Whose a claim is: the side of its actor, its defender's, and a claimant the table knows.

The side named on the breached object is the defender's ("broke through *RSF* lines",
"прорвали оборону *ВСУ*", "les lignes *ukrainiennes*", "*Southland's* lines were breached by"):
the actor's side is one named elsewhere in the claim sentence (beside an armed actor before the
action first, then before the action), else the defender's only opponent (``sides.toml``), else one
named after the action.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsmon.detect.claimwords import Language
from newsmon.detect.lexicon import Match
from newsmon.detect.places import Sides
from newsmon.detect.tokens import Sentence, Token

OBJECT_BEFORE, OBJECT_AFTER = 6, 8  # tokens around an action searched for its military object


def _objects(lang: Language, sides: Sides, tokens: Sequence[Token], lo: int, hi: int) -> list[Match]:
    """Military objects of ``tokens[lo:hi]`` that are not part of an armed actor's or a side's name
    ("Сили оборони", "Israel Defense Forces" name the attacker, not what was breached)."""
    names = [(m.start, m.end) for m in lang.armed_actors.finditer(tokens)]
    names += [(a, b) for a, b, _ in sides.hits(tokens)]
    return [
        m for m in lang.military_objects.finditer(tokens, lo, hi)
        if not any(a < m.end and m.start < b for a, b in names)
    ]


def _after_punctuation(sentence: Sentence, lo: int, at: int) -> int:
    """``lo`` moved past the last punctuation between tokens ``lo`` and ``at`` ("Moskau: ukrainische
    Verteidigung ... durchbrochen": Moscow is the speaker, not the owner of the defences)."""
    tokens = sentence.tokens
    for i in range(at - 1, lo - 1, -1):
        if any(c in sentence.text[tokens[i].end : tokens[i + 1].start] for c in ",;:()"):
            return i + 1
    return lo


def defender_spans(lang: Language, sides: Sides, sentence: Sentence, match: Match) -> list[tuple[int, int]]:
    """Token spans naming the breached object and its owner: from the action to the military
    objects after it (+2 tokens: "оборону ВСУ"), else, in the passive, around the object before it."""
    tokens = sentence.tokens
    hi = min(len(tokens), match.end + OBJECT_AFTER)
    after = [  # in its clause: "was broken, and the mujahideen took the checkpoints" names no defences after it
        m for m in _objects(lang, sides, tokens, match.start, hi)
        if m.end > match.start and (m.start <= match.end or joined(sentence, match.end - 1, m.start))
    ]
    if after:
        # the object inside the action's words ("through ... positions", "прорвали оборону"): its owner too
        lo = match.end if after[0].start >= match.end else match.start + 1
        end = after[0].end
        for m in after[1:]:
            if m.start <= end + 3:
                end = max(end, m.end)
        return [(lo, min(len(tokens), end + 2))]
    lo = max(0, match.start - OBJECT_BEFORE)
    before = _objects(lang, sides, tokens, lo, match.start)
    if not before:
        return []
    obj = before[-1]
    return [(_after_punctuation(sentence, max(0, obj.start - 3), obj.start), min(match.start, obj.end + 2))]


SUPPORT_SPAN = 6  # tokens after a word of support that may name the supporter ("backed by Syrian and Russian aircraft")


def supporter_spans(lang: Language, sentence: Sentence) -> list[tuple[int, int]]:
    """Token spans naming who backs the actor: after "backed by", "при поддержке", "avec l'appui de",
    up to the clause's end, at most ``SUPPORT_SPAN`` tokens."""
    tokens = sentence.tokens
    spans = []
    for m in lang.supporters.finditer(tokens):
        end = min(len(tokens), m.end + SUPPORT_SPAN)
        stop = next((i + 1 for i in range(m.end, end - 1) if not joined(sentence, i, i + 1)), end)
        spans.append((m.start, stop))
    return spans


def joined(sentence: Sentence, a: int, b: int) -> bool:
    """Whether tokens ``a`` .. ``b`` stand without punctuation between them."""
    tokens = sentence.tokens
    return not any(c in sentence.text[tokens[i].end : tokens[i + 1].start] for i in range(a, b) for c in ",;:()")


def _inside(start: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(lo <= start < hi for lo, hi in spans)


def _named_unit(tokens: Sequence[Token], side_end: int, actor: int) -> bool:
    """Whether only a unit's name stands between a side and an armed actor: capitalised words or
    numbers ("Ukrainian National Guard brigade", "the Russian 20th Guards Army")."""
    between = tokens[side_end:actor]
    return 0 < actor - side_end <= 4 and all(t.text[:1].isupper() or t.text[:1].isdigit() for t in between)


def _facility_spans(lang: Language, sentence: Sentence, hits: Sequence[tuple[int, int, str]]) -> set[int]:
    """Tokens of the phrases that name a place of the forces, not the forces: an armed actor
    before a facility ("the Malian army base", "army camp") or after one and the words of its
    owner ("la base de l'armée malienne", "база российской армии"), with the side beside it."""
    tokens = sentence.tokens
    facilities = list(lang.facilities.finditer(tokens))
    if not facilities:
        return set()
    sided = {i for a, b, _ in hits for i in range(a, b)}
    out: set[int] = set()
    for actor in lang.armed_actors.finditer(tokens):
        for f in facilities:
            if f.start == actor.end:
                lo, hi = actor.start, f.end
            elif 0 <= actor.start - f.end <= 3 and joined(sentence, f.start, actor.start) and all(
                i in sided or len(tokens[i].text) <= 3 for i in range(f.end, actor.start)
            ):
                lo, hi = f.start, actor.end
            else:
                continue
            out.update(range(lo, hi))
            out.update(i for a, b, _ in hits if lo - 2 <= a < hi + 2 and joined(sentence, min(a, lo), max(a, lo))
                       for i in range(a, b))
    return out


def actor_side(sides: Sides, lang: Language, found: Sequence[tuple[Sentence, Match]]) -> tuple[str, str, bool]:
    """(side of the actor, side of the defender, whether the side is named beside the armed
    actor) of a claim's sentences, "" when unknown. A side read only from a word before the
    action, after it or as the defender's opponent is a guess (the third item is False)."""
    defender = ""
    later = ""  # a side named after the action, outside the defences ("pushing the RSF back"): a last resort
    for sentence, match in found:
        tokens = sentence.tokens
        spans = defender_spans(lang, sides, sentence, match)
        backers = supporter_spans(lang, sentence)  # "supported by Russian aircraft": who backs, not who acts
        hits = [h for h in sides.hits(tokens) if not _inside(h[0], backers)]
        facility = _facility_spans(lang, sentence, hits)  # "the Malian army base": an owner, not an actor
        own = [h for h in hits if not _inside(h[0], spans) and h[0] not in facility]
        defender = defender or next((h[2] for h in hits if _inside(h[0], spans)), "")
        for actor in lang.armed_actors.finditer(tokens, 0, match.start):  # the subject, before the action
            if _inside(actor.start, spans) or actor.start in facility or _inside(actor.start, backers):
                continue
            near = [
                h for h in own
                if (actor.start - 2 <= h[0] < actor.end + 2 or _named_unit(tokens, h[1], actor.start))
                and joined(sentence, min(h[0], actor.start), max(h[0], actor.start))
            ]
            if near:  # the side beside the actor ("l'armée russe"), not a dateline's ("Ukraine : l'armée russe")
                return min(near, key=lambda h: abs(h[0] - actor.start))[2], defender, True
        before = [h for h in own if h[0] < match.start]
        if before:
            return before[-1][2], defender, False
        later = later or (own[0][2] if own else "")
    return (sides.opponent(defender) if defender else later), defender, False


_OF = frozenset({"of", "the"})  # "the mujahideen of the Islamic Emirate"


def bound_side(
    sides: Sides, lang: Language, sentences: Sequence[Sentence], found: Sequence[tuple[Sentence, Match]]
) -> str:
    """The side another sentence of the entry binds a claim's bare armed actor to ("the mujahideen of
    the Islamic Emirate launched operations ... the mujahideen took control"): the one side named
    beside the same armed word elsewhere, "" when none or several are."""
    spans = [(s, defender_spans(lang, sides, s, m)) for s, m in found]  # once per claim sentence
    armed = [(s, a) for s, d in spans for a in lang.armed_actors.finditer(s.tokens) if not _inside(a.start, d)]
    words = {tuple(t.lemma for t in s.tokens[a.start : a.end]) for s, a in armed}
    bound: set[str] = set()
    claimed = {s.text for s, _ in found}
    for sentence in sentences:
        if sentence.text in claimed:
            continue  # its own sentences name the defender beside the actor ("their units broke through Houthi lines")
        tokens = sentence.tokens
        backers = supporter_spans(lang, sentence)  # "supported by the Russian air forces" binds no actor
        hits = [h for h in sides.hits(tokens) if not _inside(h[0], backers)]
        facility = _facility_spans(lang, sentence, hits)  # "the Malian army base"
        for a in lang.armed_actors.finditer(tokens):
            if tuple(t.lemma for t in tokens[a.start : a.end]) not in words or a.start in facility:
                continue
            bound.update(
                h[2] for h in hits
                if h[0] not in facility and joined(sentence, min(h[0], a.start), max(h[0], a.start)) and (
                    a.start - 3 <= h[0] < a.start  # "Russian paratroopers"
                    or (a.end <= h[0] <= a.end + 2 and all(t.lower in _OF for t in tokens[a.end : h[0]]))
                )
            )
    return next(iter(bound)) if len(bound) == 1 else ""


def claimant_outside(
    sides: Sides, lang: Language, found: Sequence[tuple[Sentence, Match]]
) -> tuple[str, str]:
    """(claimant, side) the table knows in a claim's sentences, before the action first, never
    one naming the breached object's owner ("прорвали оборону ВСУ" is no claim of the ВСУ)."""
    for before_only in (True, False):
        for sentence, match in found:
            spans = defender_spans(lang, sides, sentence, match)
            end = match.start if before_only else len(sentence.tokens)
            for start, name, side in sides.claimants(sentence.tokens, 0, end):
                if not _inside(start, spans):
                    return name, side
    return "", ""
