"""Who claims and where: claimants, places and sides of a sentence.

English attribution ("X said", "..., said X", "according to X") and places (the
first capitalised name after a locative preposition, skipping determiners, compass
words and a possessive country: "in Ukraine's Luhansk" -> "Luhansk") are read from
the sentence text; in every language the gazetteer (:mod:`newsmon.detect.places`)
names the war's places across scripts and spellings, and sides and claimants are
normalised to English names.
"""

from __future__ import annotations

import re

from newsmon.detect.shingles import _FOLD

_CAP_WORD = re.compile(r"(?<![\w'])(?=[^\W\d_])[^\W\d_a-z\u00df-\u00ff\u0430-\u045f][\w'\-]*")
_PLACE_SKIP = frozenset(
    [
        "the",
        "a",
        "an",
        "part",
        "parts",
        "of",
        "eastern",
        "western",
        "northern",
        "southern",
        "central",
        "north",
        "south",
        "east",
        "west",
        "outskirts",
        "key",
        "strategic",
        "town",
        "city",
        "village",
        "region",
        "province",
        "area",
        "areas",
        "district",
        "front",
        "sector",
        "frontline",
        "direction",
        "embattled",
        "besieged",
        "occupied",
        "heavily",
        "contested",
        "small",
        # the prepositions after a locative noun in the Romance languages ("en las inmediaciones de X",
        # "nei pressi di X", "nos arredores do X", "aux abords du X")
        "de",
        "di",
        "da",
        "do",
        "du",
        "des",
        "del",
        "della",
        "dos",
        # their articles and the nouns of a terrain named after them ("sur l'île de X", "dans la forêt de X",
        # "en la selva de X"; "on the X islands" needs none)
        "la", "le", "les", "las", "los", "el", "il", "lo", "l'île", "l'ile", "île", "îles", "ile", "iles", "forêt",
        "foret", "isla", "islas", "ilha", "ilhas", "isola", "isole", "selva", "bosque", "floresta", "foresta",
        # a town's parts ("in the streets of X", "dans les rues de X", "en el centro de X", "na periferia de X")
        "streets", "rues", "calles", "strade", "ruas", "centre", "center", "centro", "cœur", "coeur", "heart",
        "périphérie", "periferia", "afueras", "arredores", "dintorni", "banlieue",
    ]
)
_PLACE_NOUN = re.compile(
    r"(?:region|oblast|province|city|town|village|area|district|front|sector|direction|axis)\b", re.I
)
_ADJECTIVAL_NOUN = re.compile(
    r"(?:troops|forces|defen[cs]es?|army|military|lines?|positions|attacks?|side|soldiers|units|"
    r"group|grouping|brigade|battalion|regiment|division|corps|legion|"
    r"officials?|ministry|government|president|command|offensive|counterparts?|media|state)\b",
    re.I,
)
# capitalised words that are no place after a locative: months, days, platforms, pronouns, and the
# names of God in an invocation ("by the grace of Allah")
_NOT_PLACE_WORDS = """
    January February March April May June July August September October November December Jan Feb Mar Apr Jun
    Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Telegram Twitter
    Facebook Reuters The A An It This That These Those He She They We I Allah God Lord Prophet
"""
_NOT_PLACES = frozenset(_NOT_PLACE_WORDS.split())
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "i", "its", "their", "them", "this", "that", "there", "by",
                       "in", "on", "at", "after", "with", "from", "for", "during", "as", "while", "when", "since"])
_ORG_NOUN = re.compile(
    r"\b(?:ministry|military|army|command|forces|troops|general|commander|spokes\w+|official|officials|office|"
    r"government|president|governor|group|mercenar\w*|staff|headquarters|kremlin|defen[cs]e|authorit\w+)\b",
    re.I,
)
_LEADING = re.compile(
    r"^(?:(?:the|a|an|and|but|however|even|also|has|have|had|now|then|later|where|when|while|as|after|since)\s+)+",
    re.I,
)
_SAY_TRAIL = re.compile(r"\s+(?:has|have|had|also|on \w+|early|late|\w+ly)$", re.I)


def side_words(text: str) -> frozenset[str]:
    """The capitalised words of a party's name, lower-cased, without possessives."""
    return frozenset(w.lower().removesuffix("'s") for w in _CAP_WORD.findall(text.translate(_FOLD)))


# capitalised words of a party's name that name no party ("National army", "General staff")
_GENERIC = frozenset(
    {
        "national", "general", "staff", "army", "armed", "forces", "force", "military", "state", "government",
        "ministry", "defence", "defense", "command", "commander", "spokesman", "spokesperson", "joint", "regional",
        "federal", "royal", "special", "brigade", "division", "troops", "units", "the", "its", "their", "a", "an",
        "officials", "official", "sources", "source", "media", "agency", "news", "operations", "room", "office",
        # what any armed group is called ("Rebels say", "Opposition factions say"): no party's own name
        "rebels", "rebel", "opposition", "insurgents", "insurgent", "militants", "militant", "fighters", "factions",
        "faction", "jihadists", "gunmen",
    }
)


NO_PARTY_WORDS = _GENERIC  # (for the readers of unknown parties' names: claimparties)


# the words that say which kind of party a speaker is, when no name does: the state's forces or an
# armed group fighting them ("the army" and "rebels" are two parties; "rebels" and "opposition factions" one)
_STATE_ROLES = frozenset({"army", "military", "government", "troops", "police", "ministry", "junta", "regime"})
_GROUP_ROLES = frozenset(
    {"rebels", "rebel", "opposition", "insurgents", "insurgent", "militants", "militant", "jihadists", "gunmen",
     "militia", "militias", "gang", "gangs", "factions", "faction"}
)
_ROLE_WORD = re.compile(r"[^\W\d_]+")


def _role(text: str) -> str:
    """"state", "group" or "" (neither, or both: "the army's rebel commander") of a speaker's words."""
    words = {w.lower().removesuffix("'s") for w in _ROLE_WORD.findall(text)}
    state, group = bool(words & _STATE_ROLES), bool(words & _GROUP_ROLES)
    return "state" if state and not group else "group" if group and not state else ""


def other_party(a: str, b: str) -> bool:
    """Whether two speakers name two different parties ("Tripoli's operations room" and "Khalifa
    Haftar's forces", "the army" and "rebels"); not when either names none ("the general staff") or
    both name one ("Rebels" and "Opposition factions")."""
    ra, rb = _role(a), _role(b)
    if ra and rb and ra != rb:
        return True  # (two of one kind may still be two parties: "Northland's army", "Southland's ministry")
    x, y = side_words(a) - _GENERIC, side_words(b) - _GENERIC
    return bool(x) and bool(y) and not same_side(x, y)


def same_side(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two parties share a name word, up to a demonym ending (Russia ~ Russian)."""
    for x in a:
        for y in b:
            n = min(len(x), len(y))
            if n >= 4 and x[: max(4, n - 3)] == y[: max(4, n - 3)] and x[:5] == y[:5]:
                return True
            if x == y:
                return True
    return False





class Attribution:
    """Claimant and place readers for one language's say verbs and locative prepositions."""

    english: bool = True

    def __init__(self, say_verbs: tuple[str, ...], locatives: tuple[str, ...]) -> None:
        verbs = "|".join(re.escape(v) for v in sorted(say_verbs, key=len, reverse=True)) or "(?!x)x"
        self._say = re.compile(rf"(?<!\w)(?:{verbs})(?!\w)", re.IGNORECASE)
        self._say_after = re.compile(rf"(?:{verbs})\s+(?:by\s+)?(the\s+[^,.;:\"]{{3,80}})", re.IGNORECASE)
        self._according = re.compile(r"\baccording to\s+([^,.;:\"]{3,80})", re.IGNORECASE)
        preps = "|".join(re.escape(p) for p in sorted(locatives, key=len, reverse=True)) or "(?!x)x"
        self._locative = re.compile(rf"(?<!\w)(?:{preps})\s+", re.IGNORECASE)

    def attributes(self, text: str) -> bool:
        return self._say.search(text) is not None

    def claimant(self, text: str, position: int = 0) -> str:
        """Who a sentence attributes its statement to ("" if nobody)."""
        found = self._according.search(text)
        if found and _is_party(_clean_party(found.group(1))):
            return _clean_party(found.group(1))
        for verb in self._say.finditer(text):
            head = text[: verb.start()]
            if _DETERMINER_END.search(head):
                continue  # a say word as a noun ("the group made the claim", "in a statement"): no verb
            cut = max(head.rfind(","), head.rfind('"'), head.rfind(";"), head.rfind(":"))
            who = _clean_party(head[cut + 1 :])
            if _is_party(who):
                return who
            after = self._say_after.match(text, verb.start())
            if after and _is_party(_clean_party(after.group(1))):
                return _clean_party(after.group(1))
        # no attribution: the subject of the clause holding the trigger
        head = text[:position]
        cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
        subject = re.match(
            r"\s*((?:[A-Z][\w'\-]*\s+){0,3}(?:[a-z]+\s+)?(?:[A-Z][\w'\-]*|troops|forces|army|military))",
            head[cut + 1 :],
        )
        return _clean_party(subject.group(1)) if subject else ""


    @staticmethod
    def best_claimant(candidates: list[str]) -> str:
        candidates = [c for c in candidates if c and c.split()[0].lower() not in _PRONOUNS]
        if not candidates:
            return ""

        def rank(c: str) -> tuple[int, int, int]:
            return (1 if _ORG_NOUN.search(c) else 0, 1 if _CAP_WORD.search(c) else 0, -abs(len(c.split()) - 3))

        return max(candidates, key=rank)

    def place(self, text: str, start: int = 0) -> str:
        """The first capitalised place name after a locative preposition from ``start``."""
        best = ""
        for prep in self._locative.finditer(text, start):
            name, strong, _ = _name_after(text, prep.end())
            if name:
                if strong:
                    return name
                best = best or name
        return best

    def places(self, text: str) -> list[str]:
        return list(dict.fromkeys(name for _, name, _ in self.places_at(text)))

    def places_at(self, text: str) -> list[tuple[int, str, bool]]:
        """(offset, name, strong) of each capitalised name after a locative preposition."""
        out: list[tuple[int, str, bool]] = []
        for prep in self._locative.finditer(text):
            name, strong, at = _name_after(text, prep.end())
            if name:
                out.append((at, name, strong))
        return out



def _is_party(who: str) -> bool:
    """A plausible speaker: a few words naming someone, not a pronoun or a clause."""
    words = who.split()
    if not words or len(words) > 7 or words[0].lower() in _PRONOUNS:
        return False
    return bool(
        _CAP_WORD.search(who[1:])
        or _ORG_NOUN.search(who)
        or (len(words) == 1 and who[0].isupper() and who.lower() not in _FUNCTION)
    )


_FUNCTION = frozenset(["also", "but", "and", "even", "however", "then", "now", "still", "yet"])


_DETERMINER_END = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that|these|those)\s+$", re.IGNORECASE)


def _clean_party(text: str) -> str:
    text = text.strip().strip("\"'()[]").strip()
    text = _LEADING.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _SAY_TRAIL.sub("", text).strip()
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.I)
    return text[:1].upper() + text[1:] if text else ""


def _name_after(text: str, pos: int) -> tuple[str, bool, int]:
    """A capitalised name starting within a few skippable words of ``pos``; (name, strong, offset)."""
    rest = text[pos : pos + 120]
    words = list(re.finditer(r"[\w'\-]+", rest))
    i = 0
    skipped = 0
    while i < len(words) and skipped <= 4:
        word = words[i].group(0)
        if word[0].isupper() or _particle_name(word):
            if word.endswith("'s") and i + 1 < len(words) and words[i + 1].group(0)[0].isupper():
                i += 1  # "Ukraine's Luhansk": the possessive names the country
                continue
            quarter = i + 2 < len(words) and words[i + 1].group(0).lower() in _QUARTER_SIDES
            if word.endswith("'s") and quarter and words[i + 2].group(0)[0].isupper():
                i += 2  # "Mosul's eastern Gogjali district": the city's quarter
                continue
            name_words = [word.removesuffix("'s")]
            j = i + 1
            while j < len(words) and len(name_words) < 4 and _continues(rest, words, j):
                name_words.append(words[j].group(0).removesuffix("'s"))
                j += 1
            if name_words[0] in _NOT_PLACES or name_words[-1].lower() in _UNIT_NOUNS:
                return "", False, 0  # "of the Vostok Group", "Group of Forces": a unit, not a place
            following = rest[words[j - 1].end() :].lstrip()
            if _ADJECTIVAL_NOUN.match(following):
                return "", False, 0  # "Ukrainian defences": an adjective, not a place
            while len(name_words) > 1 and name_words[-1].lower() in ("region", "oblast", "province"):
                name_words.pop()
            if len(name_words) > 1 and _ADMIN_NOUN.match(following) and _ADJECTIVE_END.search(name_words[-1]):
                name_words.pop()  # "Малиевка Синельниковского района": the district's adjective, not the village
                # ("the Ain Zara district" is the district's own name)
            strong = bool(_PLACE_NOUN.match(following)) or (i > 0 and words[i - 1].group(0).lower() in _PLACE_SKIP)
            return " ".join(name_words), strong, pos + words[i].start()
        if word.lower() not in _PLACE_SKIP:
            return "", False, 0
        skipped += 1
        i += 1
    return "", False, 0


# the part of a city a possessive names before its quarter's name ("Kharkiv's northern Saltivka")
_QUARTER_SIDES = frozenset(
    ["northern", "southern", "eastern", "western", "north-eastern", "north-western", "south-eastern", "south-western",
     "northeastern", "northwestern", "southeastern", "southwestern", "central", "old"]
)


# lower-case particles inside place names: "Maroun al-Ras", "Bir el Abd", "Ras al Ain",
# "Saint-Martin-de-Ré", "Boulogne-sur-Mer", "Castel di Sangro", "Um Al-Qura".  Joined by a hyphen
# any of them; standing alone only those that are no English word ("Pinrenbex as Southland" is two).
_PARTICLES = frozenset(
    [
        "al", "el", "ad", "ag", "an", "ar", "as", "ash", "at", "az", "ed", "en", "er", "es", "et", "ez", "ul",
        "bin", "ibn", "bint", "ben", "abu", "um", "umm", "wa", "de", "la", "le", "les", "du", "des", "di", "da",
        "do", "dos", "das", "del", "della", "dei", "van", "von", "der", "den", "ter", "zu", "am", "sur",
    ]
)
_LONE_PARTICLES = frozenset(
    ["al", "el", "bin", "ibn", "bint", "abu", "um", "umm", "de", "la", "le", "les", "du", "des", "di", "da",
     "dos", "das", "del", "della", "dei", "van", "von", "der", "sur"]
)


# a name ending in one of these names an armed unit ("Vostok Group", "Azov Brigade"), not a place
_UNIT_NOUNS = frozenset(
    [
        "group", "groups", "grouping", "brigade", "brigades", "battalion", "battalions", "regiment", "division",
        "corps", "army", "armies", "forces", "force", "command", "legion", "guard", "guards", "unit", "units",
        "troops", "fleet", "militia", "front",
    ]
)
# the unit a trailing adjective of a place name belongs to ("... Синельниковского района")
_ADMIN_NOUN = re.compile(
    r"(?:район|област|облас|громад|rejon|obwod|powiat|gmin|Kreis|Landkreis|Bezirk|district|rayon)\w*", re.I
)


# a Slavic adjective's ending ("Синельниковского", "Pokrovskoho", "Pokrowskiego", "Bakhmutskyi")
_ADJECTIVE_END = re.compile(
    r"(?:ого|его|ої|ей|ий|ый|ій|ський|ский|ская|ська|oho|iego|ego|skyi|sky|skiy|skij|ski|ska)$", re.I
)


def _particle_name(word: str) -> bool:
    """A name that starts with a lower-case particle joined to a capitalised word ("al-Bireh")."""
    head, _, tail = word.partition("-")
    return head.lower() in _PARTICLES and tail[:1].isupper()


def _continues(rest: str, words: list[re.Match[str]], j: int) -> bool:
    """Whether word ``j`` continues the name ending at word ``j - 1``: nothing but spaces between
    them ("Khiam, IDF says" is two), and a capitalised word, a particle joined to one
    ("al-Ras") or a particle followed by one ("Ras al Ain")."""
    if rest[words[j - 1].end() : words[j].start()].strip():
        return False
    word = words[j].group(0)
    if word[0].isupper() or _particle_name(word):
        return True
    nxt = j + 1
    return (
        word.lower() in _LONE_PARTICLES
        and nxt < len(words)
        and not rest[words[j].end() : words[nxt].start()].strip()
        and words[nxt].group(0)[0].isupper()
    )
