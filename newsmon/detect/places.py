"""The gazetteer of the war's places and the table of sides and claimants, as data.

``gazetteer.toml`` names each place once in English with its names in other
languages and scripts (Бахмут / Артёмовск / Bakhmut / Bachmut / Bakhmout are one
place); ``sides.toml`` lists each side's words in every language and the
phrases naming a claimant ("Минобороны России" = "Russian defence ministry").
Both are read once and matched on tokens (:mod:`newsmon.detect.tokens`): a name
matches a token sequence ignoring case, and its last token also matches a token
that extends it by at most three letters (case endings: "Бахмуте", "Bachmutem") or
replaces its last vowel with at most three ("Липцы" -> "Липцов");
``stem*`` matches any ending.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from newsmon.detect.lexicon import PhraseIndex, PhraseSet, compile_name
from newsmon.detect.tokens import Token, normalise, tokenise

_ENDING = 3  # letters a case ending may add to a name's last token
_VOWELS = frozenset("aeiouyаеиоуыэюяєіїё")
_CYRILLIC = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "h", "g", "d", "e", "yo", "ye", "zh", "z", "y", "i", "yi", "y", "k", "l", "m", "n",
            "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
        ],
        strict=True,
    )
)
_DIGRAPHS = (
    # Щ as German "schtsch", Polish "szcz", French "chtch", English "shch"; Ч as German "tsch", Polish "cz"
    ("schtsch", "s"), ("szcz", "s"), ("chtch", "s"), ("shch", "s"), ("tsch", "h"), ("sch", "s"), ("tch", "h"),
    ("kh", "h"), ("ch", "h"), ("zh", "z"), ("sh", "s"), ("ts", "c"), ("tz", "c"), ("cz", "h"), ("sz", "s"),
    ("ph", "f"), ("w", "v"), ("j", "i"), ("y", "i"), ("x", "ks"), ("q", "k"),
)
_DOUBLED = re.compile(r"(.)\1+")  # a doubled letter, written once in a key


@functools.lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A spelling-insensitive key of a name: Cyrillic transliterated, accents dropped, the
    digraphs of English, German, French and Polish romanisations folded, doubled letters
    single ("Tyotkino", "Tiotkino", "Тёткино" and "Tjotkino" share one)."""
    text = "".join(_CYRILLIC.get(c, c) for c in name.casefold())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() and not unicodedata.combining(c))
    text = text.replace("ł", "l")
    for a, b in _DIGRAPHS:
        text = text.replace(a, b)
    return _DOUBLED.sub(r"\1", text)


_FRONT_VOWELS = re.compile(r"[eiy]+")
# the Arabic article a romanisation writes or leaves out ("al-Atarib", "Atareb"; "Ad-Dana", "Dana")
_ARTICLE = re.compile(r"^(?:al|el)[-\s]+|^(?:ad|ar|as|ash|at|az|an|ed|er|es|et|ez)-", re.IGNORECASE)


# French romanisations: "ch" is the English "sh" ("Chouchi", "Shushi"), "dj" the English "j" ("Gadjar",
# "Gajar"); not after "s", "t" or "c" (German "sch", French "tch" and Italian "cch" keep theirs)
_FRENCH = re.compile(r"(?<![stcSTC])ch|dj", re.IGNORECASE)
_FRENCH_READING = {"ch": "sh", "dj": "j"}


@functools.lru_cache(maxsize=1 << 14)
def _loose_key(name: str) -> str:
    """A looser key for comparing two names of one place: the Arabic article written or left out
    ("al-Atarib", "Atareb"), the name written as one word or two ("Lashkar Gah", "Lashkargah"), o
    and u as one vowel (Persian and Arabic romanisations: "Konduz", "Kunduz"; "Taloqan", "Taluqan"), and
    French "ch" and "dj" as "sh" and "j" ("Chouchi" is "Shushi", "Djabraïl" "Jabrayil")."""
    joined = re.sub(r"[\s\-\u2010-\u2015]+", "", without_article(name.strip()))
    joined = _FRENCH.sub(lambda m: _FRENCH_READING[m.group(0).casefold()], joined)
    return place_key(joined).replace("o", "u")


def without_article(name: str) -> str:
    """A place name without a leading Arabic article, when four letters or more remain."""
    rest = _ARTICLE.sub("", name, count=1)
    return rest if len(rest) >= 4 else name


_ENDINGS = (  # "aia" and "oe" are Russian adjectives' ("Степовое" and "Степове", "Кременная" and "Кремінна")
    "aia", "oho", "ogo", "ami", "ach", "oe", "ah", "iv", "ov", "ev", "om", "em", "im", "ym", "ii", "ei", "a", "e", "i",
    "o", "u",
)


# a place's Russian name and its Ukrainian one differ in a few regular ways: "-овка" is "-івка"
# ("Новоалександровка", "Новоолександрівка"), "-горск" is "-гірськ" ("Степногорск", "Степногірськ"),
# "Алекс-" is "Олекс-", "Никол-" "Микол-" ("Николаевка", "Миколаївка") and "Угл-" "Вугл-"
# ("Угледар", "Вугледар"); keyed as the Ukrainian, without the Ukrainian "в" before "у"
_UKRAINIAN_FORM = {"ovk": "ivk", "horsk": "hirsk", "aleks": "oleks", "nikol": "mikol", "vuh": "uh", "kamen": "kamian"}
_RUSSIAN_UKRAINIAN = re.compile(r"(?:ovk|horsk)$|aleks|^nikol|^vuh|^kamen")  # "Каменка" is "Кам'янка"


@functools.lru_cache(maxsize=1 << 16)
def place_key(name: str) -> str:
    """A key of a place name across scripts, spellings and case endings: the :func:`skeleton`
    with "z" read as "ts" (German "Lipzy"), "ou" as "u" (French "Koupiansk") and up to two case
    endings dropped ("Липцов", "Липців", "Lipzy" and "Lyptsi" share one; so do "Korsunki" and
    "Korsunka", "Харкова" and "Kharkiv", "Білицьким" and "Bilytske"); "g" read as "h" (Russian
    "Stepnogirsk", Ukrainian "Stepnohirsk"); each word of a name keyed alone ("Великої Новосілки" is
    "Velyka Novosilka", "Русина Яра" "Rusyn Yar"); French "tch" as "ch" ("Zaliznytchne")."""
    words = re.split(r"[\s\-\u2010-\u2015]+", name.strip())
    if len(words) > 1:  # every word of a name declines: "Русина Яра" is "Русин Яр", "Малих Щербаків" "Mali Shcherbaky"
        words = [w for w in words if w]
        keys = [place_key(w) for w in words]
        keys[:-1] = [k[:-2] if k.endswith("ih") and len(k) >= 5 else k for k in keys[:-1]]  # a plural adjective's case
        return "".join(keys)
    key = skeleton(name).replace("z", "c").replace("ou", "u").replace("g", "h")  # Russian г as g, Ukrainian as h
    for _ in range(2):  # "Харкова" -> "harkov" -> "hark", as "Kharkiv" -> "hark"
        ending = next((e for e in _ENDINGS if key.endswith(e) and len(key) - len(e) >= 4), "")
        key = key[: len(key) - len(ending)]
    if len(key) == 4 and key[-1] in "aeiouy" and key[-2] not in "aeiouy":
        key = key[:-1]  # a short word's case ending ("Яра" -> "Яр")
    key = _DOUBLED.sub(r"\1", _RUSSIAN_UKRAINIAN.sub(lambda m: _UKRAINIAN_FORM[m.group(0)], key))
    # Russian е/и where Ukrainian writes і/и ("Малиевка" and "Малієвка", "Maliivka"): one front vowel
    return _FRONT_VOWELS.sub("i", key)


@dataclass(frozen=True, slots=True)
class _Name:
    parts: tuple[str, ...]  # case-folded tokens; the last may end in "*"
    place: str  # canonical English name


@functools.lru_cache(maxsize=1 << 14)
def _unaccented(word: str) -> str:
    """A Latin word without its accents ("tiótkino" -> "tiotkino"); other scripts as they are."""
    if not any("\u00c0" <= c <= "\u024f" for c in word):
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# Russian and Ukrainian adjective endings of a name's leading words ("Донецкая", "Запорізька", "Новый")
_ADJECTIVE_ENDINGS = ("ая", "яя", "ий", "ый", "ой", "ое", "ее", "ка", "ні", "не", "ня")


def _declined(stem: str, word: str) -> bool:
    return word.startswith(stem) and 0 < len(word) - len(stem) <= 3


STEM_ENDING = 4  # letters a "stem*" name's case ending may add ("Авдіїв*" -> "Авдіївці", "Pokrowsk*" -> "Pokrowskiem")


def _part_matches(part: str, token: Token, last: bool) -> bool:
    lower = token.lower
    if part.endswith("*"):  # a stem and a case ending, not a longer name ("Zalizn*" is no "Zaliznychne")
        stem = part[:-1]
        return any(w.startswith(stem) and len(w) - len(stem) <= STEM_ENDING for w in (lower, _unaccented(lower)))
    if lower == part or token.lemma == part:
        return True
    if lower != (plain := _unaccented(lower)):  # "Tiótkino" is "Tiotkino", "Járkov" "Jarkov"
        lower = plain
        if lower == part:
            return True
    if not last:  # an adjective of a multiword name declines too: "Донецкой Народной Республики"
        return len(part) >= 6 and part.endswith(_ADJECTIVE_ENDINGS) and _declined(part[:-2], lower)
    if len(part) < 4:
        return False
    if lower.startswith(part) and len(lower) - len(part) <= _ENDING:
        return True
    # a case ending that replaces the name's last vowel ("Липцы" -> "Липцов", "Korsunka" -> "Korsunki")
    stem = part[:-1]
    return len(part) >= 5 and part[-1] in _VOWELS and lower.startswith(stem) and (
        0 < len(lower) - len(stem) <= _ENDING
    )


@dataclass
class Gazetteer:
    """Places by their names in any language."""

    kinds: dict[str, str] = field(default_factory=dict)  # place -> "city" | "region" | ...
    regions: dict[str, str] = field(default_factory=dict)  # place -> its region
    _index: dict[str, list[_Name]] = field(default_factory=dict)  # first 4 letters -> names
    _skeletons: dict[str, str] = field(default_factory=dict)  # skeleton of a name -> place

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "gazetteer") -> Gazetteer:
        gazetteer = cls()
        places = data.get("places", {})
        if not isinstance(places, Mapping):
            raise ValueError(f"{where}: [places] must be a table")
        for place, spec in places.items():
            if not isinstance(spec, Mapping) or not isinstance(spec.get("names", []), list):
                raise ValueError(f"{where}.places.{place}: expected a table with a list 'names'")
            gazetteer.kinds[place] = str(spec.get("kind", "place"))
            if spec.get("region"):
                gazetteer.regions[place] = str(spec["region"])
            for name in [place, *spec.get("names", [])]:
                if not isinstance(name, str) or not name.strip():
                    raise ValueError(f"{where}.places.{place}: bad name {name!r}")
                gazetteer._add(name, place)
        return gazetteer

    def _add(self, name: str, place: str) -> None:
        parts = [_unaccented(t.lower) for t in tokenise(normalise(name), "")]
        if not parts:
            return
        if name.rstrip().endswith("*"):
            parts[-1] += "*"
        self._index.setdefault(parts[0][:4].rstrip("*"), []).append(_Name(tuple(parts), place))
        if not name.rstrip().endswith("*"):
            self._skeletons.setdefault(skeleton(name), place)

    def __len__(self) -> int:
        return len(self.kinds)

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        """(place, end index) of the longest name starting at token ``i``."""
        best: tuple[str, int] | None = None
        lower = tokens[i].lower
        names = self._index.get(lower[:4], ())
        plain = _unaccented(lower)
        if plain != lower and plain[:4] != lower[:4]:
            names = [*names, *self._index.get(plain[:4], ())]
        for name in names:
            n = len(name.parts)
            if i + n > len(tokens):
                continue
            if all(_part_matches(p, tokens[i + k], k == n - 1) for k, p in enumerate(name.parts)) and (
                best is None or i + n > best[1]
            ):
                best = (name.place, i + n)
        return best

    def find(self, tokens: Sequence[Token], start: int = 0) -> list[tuple[str, int]]:
        """(place, token index) of every place named from ``start``, in order."""
        out: list[tuple[str, int]] = []
        i = start
        while i < len(tokens):
            hit = self.match_at(tokens, i)
            if hit:
                out.append((hit[0], i))
                i = hit[1]
            else:
                i += 1
        return out

    def same_place(self, a: str, b: str) -> bool:
        """Whether two place names are one place: equal, spelt alike (:func:`place_key`), or a
        region and its namesake city ("Luhansk oblast" and "Luhansk")."""
        if a.casefold() == b.casefold() or (len(a) > 3 and skeleton(a) == skeleton(b)):
            return True
        if len(a) > 3 and len(b) > 3 and place_key(a) == place_key(b):
            return True
        if len(a) > 3 and len(b) > 3 and _loose_key(a) == _loose_key(b):
            return True  # one place, romanised loosely (not a key: stories keep theirs)
        ra, rb = self.regions.get(a), self.regions.get(b)
        regional = self.kinds.get(a) == "region" or self.kinds.get(b) == "region"
        return bool(regional and ra and ra == rb and (ra in (a, b) or self.kinds.get(a) == self.kinds.get(b)))

    def within(self, a: str, b: str) -> bool:
        """Whether one of two places is a region (or the region's namesake city) holding the other."""
        ra, rb = self.regions.get(a), self.regions.get(b)
        if not (ra and rb and ra == rb):
            return False
        return self.kinds.get(a) == "region" or self.kinds.get(b) == "region" or ra in (a, b)

    def canonical(self, name: str) -> str:
        """The gazetteer's name of a place written ``name`` ("" when unknown)."""
        tokens = tokenise(normalise(name), "")
        hit = self.match_at(tokens, 0) if tokens else None
        if hit and hit[1] == len(tokens):
            return hit[0]
        return self._skeletons.get(skeleton(name), "")


@dataclass
class Sides:
    """Sides of the wars covered and the claimants' English names."""

    names: dict[str, str] = field(default_factory=dict)  # side key -> display name
    opponents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # side key -> the sides it fights
    _sides: dict[str, PhraseSet] = field(default_factory=dict)
    _claimants: PhraseSet = field(default_factory=lambda: PhraseSet(()))
    _claimant_side: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "sides") -> Sides:
        sides = cls()
        index = PhraseIndex()
        for key, spec in (data.get("sides") or {}).items():
            if not isinstance(spec, Mapping) or not isinstance(spec.get("words", []), list):
                raise ValueError(f"{where}.sides.{key}: expected a table with a list 'words'")
            sides.names[key] = str(spec.get("name", key))
            against = spec.get("opponents", [])
            if not isinstance(against, list) or not all(isinstance(a, str) for a in against):
                raise ValueError(f"{where}.sides.{key}.opponents: expected a list of side keys")
            sides.opponents[key] = tuple(against)
            sides._sides[key] = PhraseSet(_patterns(f"{where}.sides.{key}", spec.get("words", [])), index)
        patterns = []
        for name, phrases in (data.get("claimants") or {}).items():
            if not isinstance(phrases, list):
                raise ValueError(f"{where}.claimants.{name!r}: expected a list of phrases")
            for p in _patterns(f"{where}.claimants.{name!r}", [name, *phrases]):
                patterns.append(type(p)(name, p.words, p.weight))
        sides._claimants = PhraseSet(patterns, index)
        for key, against in sides.opponents.items():
            unknown = [a for a in against if a not in sides.names]
            if unknown:
                raise ValueError(f"{where}.sides.{key}.opponents: unknown side(s) {', '.join(unknown)}")
        for name in data.get("claimants") or {}:
            side = sides.side_of(tokenise(normalise(name), "en"))
            if side:
                sides._claimant_side[name] = side
        return sides

    def side_of(self, tokens: Sequence[Token]) -> str:
        """The side a party's words name (the first found), "" when none."""
        best: tuple[int, str] | None = None
        for key, words in self._sides.items():
            hit = words.search(tokens)
            if hit and (best is None or hit.start < best[0]):
                best = (hit.start, key)
        return best[1] if best else ""

    def nearest_before(self, tokens: Sequence[Token], end: int) -> str:
        """The side named last before token ``end`` (the actor of what follows: in "Ukraine: the
        Russian army says it broke through" it is Russia), "" when none."""
        best: tuple[int, str] | None = None
        for key, words in self._sides.items():
            hit = words.last(tokens, 0, end)
            if hit and (best is None or hit.start > best[0]):
                best = (hit.start, key)
        return best[1] if best else ""

    def hits(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, side) of every mention of a side in ``tokens[start:end]``, in order."""
        out = [(m.start, m.end, key) for key, words in self._sides.items() for m in words.finditer(tokens, start, end)]
        return sorted(out)

    def opponent(self, side: str) -> str:
        """The side ``side`` fights, when it fights only one ("" otherwise)."""
        against = self.opponents.get(side, ())
        return against[0] if len(against) == 1 else ""

    def sides_in(self, tokens: Sequence[Token]) -> set[str]:
        return {key for key, words in self._sides.items() if words.search(tokens)}

    def claimants(
        self, tokens: Sequence[Token], start: int = 0, end: int | None = None
    ) -> list[tuple[int, str, str]]:
        """(token index, English claimant name, its side) of every claimant phrase, in order."""
        found = self._claimants.finditer(tokens, start, end)
        return [(m.start, m.text, self._claimant_side.get(m.text, "")) for m in found]

    def claimant(self, tokens: Sequence[Token]) -> tuple[str, str]:
        """(English claimant name, its side) of the first claimant phrase in ``tokens``."""
        hit = self._claimants.search(tokens)
        if hit is None:
            return "", ""
        return hit.text, self._claimant_side.get(hit.text, "")


def _patterns(where: str, words: list[Any]) -> list[Any]:
    out = []
    for word in words:
        if not isinstance(word, str):
            raise ValueError(f"{where}: bad entry {word!r}")
        try:
            out.append(compile_name(word))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return out


def _load(resource: str) -> dict[str, Any]:
    item = resources.files("newsmon.detect").joinpath(resource)
    if not item.is_file():
        return {}
    try:
        return tomllib.loads(item.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{resource}: {exc}") from None


_CACHE: dict[str, Any] = {}


def default_gazetteer() -> Gazetteer:
    if "gazetteer" not in _CACHE:
        _CACHE["gazetteer"] = Gazetteer.from_mapping(_load("gazetteer.toml"), "gazetteer.toml")
    return _CACHE["gazetteer"]  # type: ignore[no-any-return]


def default_sides() -> Sides:
    if "sides" not in _CACHE:
        _CACHE["sides"] = Sides.from_mapping(_load("sides.toml"), "sides.toml")
    return _CACHE["sides"]  # type: ignore[no-any-return]
