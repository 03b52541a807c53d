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

The side of a claim's actor is read in :mod:`newsmon.detect.claimsides`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsmon.detect.claimsides import joined
from newsmon.detect.claimwords import Language
from newsmon.detect.places import Gazetteer, Sides
from newsmon.detect.tokens import Sentence, TextReading, Token, tokenise

PLACE, REGION, CAPITAL, REFERENCE = 0, 1, 2, 3
_DISTANCE = re.compile(
    r"^(?:\d+(?:[.,]\d+)?)?(?:km|kms|mi|miles?|kilomet\w*|kilómet\w*|quilómet\w*|quilômet\w*|chilomet\w*|"
    r"километр\w*|кілометр\w*|kilometr\w*|meilen?)$"
)
REFERENCE_GAP = 4  # words between a distance and the place it is measured from ("30km west of")
# before a city's name they make it its region ("im Gebiet Charkiw", "the region of Kharkiv", "la región de Járkov")
_REGION_NOUNS = ("gebiet", "region", "oblast", "región", "regione", "région", "região", "regiao", "provinz", "province",
                 "provincia", "província")
_REGION_LINKS = frozenset({"of", "de", "di", "da", "do", "del", "della", "von", "des", "du", "d"})


def _region_noun_before(tokens: Sequence[Token], i: int) -> bool:
    """Whether a region's noun stands right before token ``i``, or before "of"/"de"/"di" ahead of it."""
    if i > 0 and tokens[i - 1].lower.endswith(_REGION_NOUNS):
        return True
    return i > 1 and tokens[i - 1].lower in _REGION_LINKS and tokens[i - 2].lower.endswith(_REGION_NOUNS)


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
        distance = _DISTANCE.match(tokens[j].lower) is not None
        if distance or (j + 1 in heading and i - j <= 3):
            between = sentence.text[tokens[j].end : tokens[i].start]
            if distance:  # the distance converted in brackets: "15 km (9 miles) east of Mosul"
                between = between.lstrip().removeprefix(")")
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
        region = gazetteer.kinds.get(name) == "region" or _region_noun_before(tokens, i)
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
    # a bearing right after "this sector" locates a place named before ("la présence ukrainienne à
    # Chevtchenkove ... une percée dans ce secteur, à l'ouest de Koupiansk"): the place it names is a reference
    back = [m.end for m in lang.sector_anaphora.finditer(tokens)]
    compass = list(lang.compass.finditer(tokens))
    bearings = [m.end for m in compass]
    located = {m.end for m in compass for b in back if 0 <= m.start - b <= 1}

    def reference(c: Candidate) -> bool:
        measured = c.token in located or _reference(sentence, c.token, heading)
        measured = measured or _bearing(sentence, c.token, bearings, out)
        return measured or _road(lang, c, tokens)

    return [Candidate(REFERENCE, c.token, c.name) if reference(c) else c for c in out]


_NAME_LINKS = frozenset({"of", "al", "el", "and", "for"})


def _organisation(lang: Language, sentence: Sentence, at: int, name: str) -> bool:
    """Whether a capitalised name read as a place is the start of a body's name: its capitalised
    words (and "of", "al", ...) run on into an organisation noun ("Dawn of Liberation operations room",
    "Deterrence of Aggression command"). English only: other readers' names end at the noun."""
    if not lang.attribution.english:
        return False
    tokens = sentence.tokens
    j = at + max(1, len(name.split()))
    if at > 1 and tokens[at - 1].lower == "of" and tokens[at - 2].capitalised and joined(sentence, at - 2, at) and (
        (head := lang.org_nouns.search(tokens, at - 2, at - 1)) is not None and head.start == at - 2
    ):
        return True  # "the Government of National Accord", "the Army of Islam": a body's name
    if j < len(tokens) and _names_party(lang, sentence, j):
        return True  # "the lines of ISWAP terrorists", "defences of Boko Haram (JAS) fighters": a party
    if j < len(tokens) and _QUOTE_END.match(sentence.text, tokens[j - 1].end) and (
        lang.org_nouns.search(tokens, j, j + 1) is not None or tokens[j].lower.startswith("operation")
    ):
        return True  # the 'Volcano of Rage' operation, the "Dawn" command: a quoted body's name
    if j - at > 1 and (own := lang.org_nouns.search(tokens, j - 1)) is not None and own.start == j - 1:
        return True  # the name ends in one: "of the General Staff", "the Operations Command"
    while j < len(tokens) and (tokens[j].capitalised or tokens[j].lower in _NAME_LINKS) and joined(sentence, j - 1, j):
        j += 1
    if j < len(tokens) and not joined(sentence, j - 1, j):
        return False  # the name ends at a comma ("north of Mahaday, the commander said")
    first = at  # the name may itself be inside the chain ("Liberation" of "Dawn of Liberation operations room")
    while first > 0 and tokens[first - 1].lower in _NAME_LINKS and first > 1 and tokens[first - 2].capitalised:
        first -= 2
    found = lang.org_nouns.search(tokens, j)
    return found is not None and found.start == j and j > first + 1


_QUOTE_END = re.compile(r"['\"’”»]")
_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)")
# what officials call an armed group's men ("ISWAP terrorists"), besides the armed actors' words
_PARTY_MEN = frozenset({"terrorist", "terrorists", "extremists", "bandits", "elements", "cadres"})


def _names_party(lang: Language, sentence: Sentence, j: int) -> bool:
    """Whether token ``j``, after a name (and an acronym in brackets: "Boko Haram (JAS) terrorists"),
    is a word for armed men: the name is their party's, not a place."""
    tokens = sentence.tokens
    bracket = _PARENTHESIS.match(sentence.text, tokens[j - 1].end)
    if bracket is not None:
        j = _token_at(tokens, bracket.end()) + 1
        if j >= len(tokens):
            return False
    elif not joined(sentence, j - 1, j):
        return False  # "Breakthrough in Ulmek: army says"
    if tokens[j].lower in _PARTY_MEN:
        return True
    found = lang.armed_actors.search(tokens, j, j + 2)
    return found is not None and found.start == j


def _common_noun(lang: Language, tokens: Sequence[Token], at: int) -> bool:
    """Whether the word at ``at`` is one of the language's lexicon nouns (German capitalises them; "в Генштабі"
    names a body)."""
    return any(
        (m := words.search(tokens, at, at + 1)) is not None and m.start == at
        for words in (lang.speech_nouns, lang.facilities, lang.armed_actors, lang.military_objects, lang.org_nouns)
    )


def _road(lang: Language, c: Candidate, tokens: Sequence[Token]) -> bool:
    """Whether a name is a road's, named for where it leads ("on the Aqcha road", "the Kabul-Kandahar
    highway"): a reference, not where things happen."""
    end = c.token + len(tokenise(c.name, "en"))
    return lang.roads.search(tokens, end, end + 1) is not None


def _bearing(sentence: Sentence, i: int, bearings: Sequence[int], found: Sequence[Candidate]) -> bool:
    """Whether the name at token ``i`` is the place another place is located from: a bearing
    right before it, and a place named just before the bearing ("in al-Abdiyah district, south
    of Marib", "Robotyne, au sud d'Orikhiv"). A bearing alone ("breached west of Marib") is where
    things happen."""
    for end in bearings:
        if 0 <= i - end <= 1:
            return any(c.rank == PLACE and 0 < end - c.token <= 10 and c.token < i for c in found)
    return False


# a post's label: "Thread: Konduz - first geolocated footage", "1/ Pol-e Khomri (Baghlan).", "Chouchi : Erevan ..."
_LABEL = re.compile(r"^(?:\d+/\s*)?(?:Thread\s*:\s*)?([A-Z][\w'\-]*(?:\s[A-Z][\w'\-]*){0,2})\s*(?::|\(|-\s)")


def label_place(gazetteer: Gazetteer, sides: Sides, sentences: Sequence[Sentence]) -> str:
    """The place a thread or a post is labelled with, for a claim whose sentences name none: a name
    heading the title or the first sentence, known to the gazetteer or named again in the entry."""
    for sentence in sentences[:2]:
        m = _LABEL.match(sentence.text)
        if m is None or sides.side_of(tokenise(m.group(1), "en")):
            continue
        name = m.group(1)
        if known := gazetteer.canonical(name):
            return known
        if any(name in other.text for other in sentences if other is not sentence):
            return name
    return ""


def best(found: Sequence[Candidate], start_token: int = 0) -> Candidate | None:
    """The best-ranked candidate, those from ``start_token`` first, then the earliest."""
    if not found:
        return None
    return min(found, key=lambda c: (c.rank, c.token < start_token, c.token))


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
