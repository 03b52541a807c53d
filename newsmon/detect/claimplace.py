"""Where a claim happens and whose it is: the place of a sentence and the side of its actor.

Place.  A sentence's candidate places are the gazetteer's and the capitalised names after
a locative preposition or a settlement noun ("the village of X", "села X", "im Dorf X"),
each ranked:

0. a place;
1. a region (an oblast, a province): a village named beside it is where things happen
   ("near Yunakivka, in the Sumy region" is Yunakivka);
2. a capital standing for its side ("Kyiv says"), when read after a locative;
3. a reference point of a distance ("a town 30km west of El Obeid": the town is the place).

A sentence's place is its best-ranked candidate, the earliest after the action first.  A
claim's place is the best of its claim sentences, the body's before the title's: a headline
names the city or the region ("in southern Omdurman"), its body the district or the village.

Side.  The side named on the breached object is the defender's ("broke through *RSF* lines",
"прорвали оборону *ВСУ*", "les lignes *ukrainiennes*", "*Southland's* lines were breached by"):
the actor's side is one named elsewhere in the claim sentence (beside an armed actor before the
action first, then before the action), else the defender's only opponent (``sides.toml``), else one
named after the action.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsmon.detect.claimwords import Language
from newsmon.detect.lexicon import Match
from newsmon.detect.places import Gazetteer, Sides
from newsmon.detect.tokens import Sentence, TextReading, Token, tokenise

PLACE, REGION, CAPITAL, REFERENCE = 0, 1, 2, 3
OBJECT_BEFORE, OBJECT_AFTER = 6, 8  # tokens around an action searched for its military object
_DISTANCE = re.compile(
    r"^(?:\d+(?:[.,]\d+)?)?(?:km|kms|mi|miles?|kilomet\w*|kilómet\w*|quilómet\w*|quilômet\w*|chilomet\w*|"
    r"километр\w*|кілометр\w*|kilometr\w*|meilen?)$"
)
REFERENCE_GAP = 4  # words between a distance and the place it is measured from ("30km west of")
_REGION_NOUNS = ("gebiet", "region", "oblast")  # before a city's name they make it its region


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int
    token: int  # index of its first token in the sentence
    name: str


def _area_after(lang: Language, tokens: Sequence[Token], end: int) -> bool:
    """Whether the word after a name makes it an area ("in Cabo Delgado province", "on the Orikhiv front")."""
    found = lang.areas.search(tokens, end) if end < len(tokens) else None
    return found is not None and found.start == end


def _token_at(tokens: Sequence[Token], offset: int) -> int:
    return max(0, bisect_right([t.start for t in tokens], offset) - 1)


def _reference(sentence: Sentence, i: int, heading: Sequence[int]) -> bool:
    """Whether the name at token ``i`` is a reference point, not where things happen: measured
    from (a distance within a few words before it: "about 30km west of El Obeid", "в девяти
    километрах к юго-западу от") or headed for ("moving north towards Tyre", "отходят в
    направлении Хотеня": ``heading`` are the ends of the direction phrases), no punctuation between."""
    tokens = sentence.tokens
    for j in range(max(0, i - REFERENCE_GAP - 1), i):
        if _DISTANCE.match(tokens[j].lower) or (j + 1 in heading and i - j <= 3):
            between = sentence.text[tokens[j].end : tokens[i].start]
            if not any(c in between for c in ",;:()"):
                return True
    return any(end == i for end in heading)


def candidates(gazetteer: Gazetteer, sides: Sides, lang: Language, sentence: Sentence) -> list[Candidate]:
    """The ranked candidate places of a sentence, in text order."""
    tokens = sentence.tokens
    out: list[Candidate] = []
    covered: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(tokens):
        hit = gazetteer.match_at(tokens, i)
        if hit is None:
            i += 1
            continue
        name, end = hit
        covered.append((tokens[i].start, tokens[end - 1].end, gazetteer.kinds.get(name) == "region"))
        if sides.side_of(tokenise(name, "en")):
            i = end  # a capital named without a locative stands for its side ("Moscou et Kiev")
            continue
        # a region noun before a city's name makes it the region ("im Grenzgebiet Kursk", "Kursk region")
        region = gazetteer.kinds.get(name) == "region" or (i > 0 and tokens[i - 1].lower.endswith(_REGION_NOUNS))
        region = region or _area_after(lang, tokens, end)  # "the Orikhiv front", "Synelnykove district"
        out.append(Candidate(REGION if region else PLACE, i, name))
        i = end
    for offset, name, _strong in lang.attribution.places_at(sentence.text):
        overlap = [(lo, region) for lo, hi, region in covered if lo < offset + len(name) and offset < hi]
        if overlap:  # the gazetteer read it ("des Dorfes Robotyne" is Robotyne), or the name runs into a
            lo, region = min(overlap)  # region it read ("Русин Яр Донецкой Народной Республики")
            name = sentence.text[offset:lo].rstrip(" ,")
            if not region or lo <= offset or not name[:1].isupper():
                continue
        known = gazetteer.canonical(name)
        name = known or name
        at = _token_at(tokens, offset)
        if not known and _common_noun(lang, tokens, at):
            continue  # "vor Journalisten", "in der Kaserne": a capitalised noun, not a place
        if not known and _organisation(lang, sentence, at, name):
            continue  # "in the Dawn of Liberation operations room": a body's name, not a place
        words = tokenise(name, "en")
        if sides.side_of(words):
            rank = CAPITAL
        elif gazetteer.kinds.get(name) == "region" or _area_after(lang, tokens, at + len(words)):
            rank = REGION
        else:
            rank = PLACE
        out.append(Candidate(rank, at, name))
    heading = [m.end for m in lang.directions.finditer(tokens)]
    # where something was said ("told reporters in Surin city", "speaking in Bangkok"): a reference
    said = list(lang.speech_nouns.finditer(tokens))
    if lang.attribution.english:  # "said in Bangkok" (other languages put the say verb anywhere)
        said += lang.say_verbs.finditer(tokens)
    heading += [m.end for s in said if (m := lang.locatives.search(tokens, s.end, s.end + 2)) and m.start == s.end]
    out = sorted(out, key=lambda c: c.token)
    bearings = [m.end for m in lang.compass.finditer(tokens)]
    return [
        Candidate(REFERENCE, c.token, c.name)
        if _reference(sentence, c.token, heading) or _bearing(sentence, c.token, bearings, out)
        else c
        for c in out
    ]


_NAME_LINKS = frozenset({"of", "al", "el", "and", "for"})


def _organisation(lang: Language, sentence: Sentence, at: int, name: str) -> bool:
    """Whether a capitalised name read as a place is the start of a body's name: its capitalised
    words (and "of", "al", ...) run on into an organisation noun ("Dawn of Liberation operations room",
    "Deterrence of Aggression command"). English only: other readers' names end at the noun."""
    if not lang.attribution.english:
        return False
    tokens = sentence.tokens
    j = at + max(1, len(name.split()))
    if j - at > 1 and (own := lang.org_nouns.search(tokens, j - 1)) is not None and own.start == j - 1:
        return True  # the name ends in one: "of the General Staff", "the Operations Command"
    while j < len(tokens) and (tokens[j].capitalised or tokens[j].lower in _NAME_LINKS) and _joined(sentence, j - 1, j):
        j += 1
    if j < len(tokens) and not _joined(sentence, j - 1, j):
        return False  # the name ends at a comma ("north of Mahaday, the commander said")
    first = at  # the name may itself be inside the chain ("Liberation" of "Dawn of Liberation operations room")
    while first > 0 and tokens[first - 1].lower in _NAME_LINKS and first > 1 and tokens[first - 2].capitalised:
        first -= 2
    found = lang.org_nouns.search(tokens, j)
    return found is not None and found.start == j and j > first + 1


def _common_noun(lang: Language, tokens: Sequence[Token], at: int) -> bool:
    """Whether the word at ``at`` is one of the language's lexicon nouns (German capitalises them; "в Генштабі"
    names a body)."""
    return any(
        (m := words.search(tokens, at, at + 1)) is not None and m.start == at
        for words in (lang.speech_nouns, lang.facilities, lang.armed_actors, lang.military_objects, lang.org_nouns)
    )


def _bearing(sentence: Sentence, i: int, bearings: Sequence[int], found: Sequence[Candidate]) -> bool:
    """Whether the name at token ``i`` is the place another place is located from: a bearing
    right before it, and a place named just before the bearing ("in al-Abdiyah district, south
    of Marib", "Robotyne, au sud d'Orikhiv"). A bearing alone ("breached west of Marib") is where
    things happen."""
    for end in bearings:
        if 0 <= i - end <= 1:
            return any(c.rank == PLACE and 0 < end - c.token <= 10 and c.token < i for c in found)
    return False


def best(found: Sequence[Candidate], start_token: int = 0) -> Candidate | None:
    """The best-ranked candidate, those from ``start_token`` first, then the earliest."""
    if not found:
        return None
    return min(found, key=lambda c: (c.rank, c.token < start_token, c.token))


# -- sides ----------------------------------------------------------------------------------
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
    after = [m for m in _objects(lang, sides, tokens, match.start, hi) if m.end > match.start]
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
        stop = next((i + 1 for i in range(m.end, end - 1) if not _joined(sentence, i, i + 1)), end)
        spans.append((m.start, stop))
    return spans


def _joined(sentence: Sentence, a: int, b: int) -> bool:
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
            elif 0 <= actor.start - f.end <= 3 and _joined(sentence, f.start, actor.start) and all(
                i in sided or len(tokens[i].text) <= 3 for i in range(f.end, actor.start)
            ):
                lo, hi = f.start, actor.end
            else:
                continue
            out.update(range(lo, hi))
            out.update(i for a, b, _ in hits if lo - 2 <= a < hi + 2 and _joined(sentence, min(a, lo), max(a, lo))
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
                and _joined(sentence, min(h[0], actor.start), max(h[0], actor.start))
            ]
            if near:  # the side beside the actor ("l'armée russe"), not a dateline's ("Ukraine : l'armée russe")
                return min(near, key=lambda h: abs(h[0] - actor.start))[2], defender, True
        before = [h for h in own if h[0] < match.start]
        if before:
            return before[-1][2], defender, False
        later = later or (own[0][2] if own else "")
    return (sides.opponent(defender) if defender else later), defender, False


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


def sentence_places(gazetteer: Gazetteer, sides: Sides, lang: Language, sentence: Sentence) -> list[str]:
    """Places of one sentence: the gazetteer's (regions included), then capitalised names after
    a locative preposition that the gazetteer does not already cover."""
    names = [p for p, _ in gazetteer.find(sentence.tokens)]
    for offset, name, _strong in lang.attribution.places_at(sentence.text):
        known = gazetteer.canonical(name)
        if not known and sides.side_of(tokenise(name, "en")):
            continue  # "of Ukrainian strongpoints": a side's adjective, not a place
        if not known and _organisation(lang, sentence, _token_at(sentence.tokens, offset), name):
            continue  # "in the Dawn of Liberation operations room"
        if known or not any(n.casefold() in name.casefold() for n in names):
            names.append(known or name)
    return list(dict.fromkeys(names))


def entry_places(
    gazetteer: Gazetteer, sides: Sides, lang: Language, reading: TextReading, lead: int = 3
) -> tuple[list[str], list[str]]:
    """Where an entry happens: the places its title and first sentences name, regions (oblasts)
    left out, and of those the ones that anchor its story: not a place named to locate another
    ("al-Abdiyah, south of Marib", "heading towards Tyre")."""
    out: list[str] = []
    anchors: list[str] = []
    for sentence in reading.sentences[:lead]:
        names = [n for n in sentence_places(gazetteer, sides, lang, sentence) if gazetteer.kinds.get(n) != "region"]
        refs: set[str] = set()
        if len(names) > 1:
            refs = {c.name for c in candidates(gazetteer, sides, lang, sentence) if c.rank == REFERENCE}
        out += [n for n in names if n not in out]
        anchors += [n for n in names if n not in anchors and n not in refs]
    return out, anchors
