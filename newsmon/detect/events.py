"""Event signatures: the facts an entry reports -- its numbers and its named entities.

Two reports of one event, however reworded, give the same figures ("2.5 km", "two
dead and five injured" = "2 killed, 5 wounded") and name the same places, people
and organisations.  A later report that names a figure or a rare name the earlier
one does not adds a fact: it may belong to the same story, but it is no duplicate.

* numbers: digits ("1,080" -> 1080, "2.5" and "2,5" -> 2.5, "155mm" -> 155) and number
  words in the entry's language (:mod:`newsmon.detect.numwords`: "три" = "three" = 3); years,
  ordinals of dates, model designations ("F-16"), clock times, spans of time ("in 24 hours"),
  a measure's conversion in brackets ("10 km (6 miles)") and wire version marks ("UPDATE 1-")
  are not facts of the event and are left out;
* entities: capitalised words (a sentence's first word only when it is not a
  function or common word, nor used in lower case elsewhere in the entry), keyed
  like story terms (folded, stemmed) so that their document frequency in the
  window is the story index's.  Demonyms match their country by a shared prefix
  ("Russian" ~ "Russia", "Ukrainian" ~ "Ukraine"). A wire's furniture names nothing of the
  event: its dateline ("JERUSALEM, Aug 21 (Agency) -", "МОСКВА, 12 фев —"), its credits
  ("(Reporting by …; Editing by …)") and abbreviated months, days and time zones.

No gazetteer and no model: capitalisation and digits only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsmon.detect.numwords import NUMBER_WORDS, word_numbers
from newsmon.detect.shingles import _FOLD, fold
from newsmon.detect.stopwords import STOPWORDS as LANGUAGE_STOPWORDS
from newsmon.detect.terms import STOPWORDS, _stem

# a number: not glued to a letter before it ("F-16", "Su-27", "G7"), not a clock time
# a decimal comma ("1,5 km", "2,5 Kilometer") is a decimal point; "1,500" is a thousand and a half
_NUMBER = re.compile(
    r"(?<![\w.,:-])(?<![A-Za-z]-)(\d{1,3}(?:,\d{3})+(?!\d)|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?)(?![\d:]|,\d{3})"
)
# a wire's version mark ("UPDATE 1-", "WRAPUP 2-", "REFILE-"): no figure of the event
_WIRE_WORDS = ("UPDATE", "WRAPUP", "REFILE", "CORRECTED", "RPT", "ADVISORY")
_WIRE_MARK = re.compile(r"\b(?:" + "|".join(_WIRE_WORDS) + r")(?:\s+\d+)?\s*[-–:]")
# a span of time ("in 24 hours", "binnen 24 Stunden", "за 48 часов", "two days"): no figure of the event
# (years are no unit here: "un uomo di 67 anni", "67 лет" give an age, which is a fact)
_DURATION_UNITS = [
    unit
    for group in (  # one line per language group
        "hour hours hrs day days week weeks month months night nights",
        "stunden tage tagen wochen monate monaten nächte",
        "heures jours semaines nuits",
        "horas días dias semanas meses noches noites",
        "ore giorni settimane mesi notti",
        "godzin godziny dni tygodni tygodnie miesięcy nocy",
        "часа часов суток дня дней недель недели месяца месяцев",
        "годин години годину доби діб дні днів тижні тижнів місяці місяців",
    )
    for unit in group.split()
]


def _trie(words: Iterable[str]) -> str:
    """A regex alternation matching exactly ``words`` (all word characters), as a trie behind a check
    of their first letters (speed: the engine tries each alternative in turn at every position; the
    strings matched, and so with a ``\\b`` after them the matches, are those of the plain list)."""
    by: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        by.setdefault(w[0], []).append(w[1:])
    alts = []
    for c, rest in sorted(by.items()):
        longer = [r for r in rest if r]
        if not longer:
            alts.append(re.escape(c))
        else:
            inner = _trie(longer)
            alts.append(re.escape(c) + (f"(?:{inner})?" if "" in rest else inner))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


_DURATION = re.compile(
    r"(?<![\w.,])(?:\d+|[^\W\d_]+)(?:\s+|-)(?=["
    + "".join(sorted({w[0] for w in _DURATION_UNITS}))
    + "])"
    + _trie(_DURATION_UNITS)
    + r"\b",
    re.I,
)
# a clock time: "04:30", "4.30am", "16h30", "9h"; a military one ("at 0430", "1430 hours", "0600 GMT")
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]|h(?=\d))\d{2}(?:\s*(?:am|pm|gmt|utc)\b|\b)|\b\d{1,2}(?:h|\s*[ap]\.?m\.?)(?!\w)"
    r"|\b0\d[0-5]\d\b|\b[0-2]\d[0-5]\d(?=\s*(?:hours|hrs|gmt|utc)\b)",
    re.I,
)
# outside English a dot or a space groups thousands ("5.000 Menschen", "12 000 personnes"): one figure
_GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?:(?:\.|[ \u00a0\u202f])\d{3})+(?![\d.,]\d)")
# a figure times its scale word ("5 mil", "4 тысячи", "2,5 Mio.", "1.2 million"): the figure it writes
_SCALES = {
    1e3: "thousand tausend mil mila mille tys tysiące tysięcy тыс тысяча тысячи тысяч тис тисяча тисячі тисяч",
    1e6: "million millions mio millionen millón millones milione milioni milhão milhões mln млн миллион миллиона "
    "миллионов мільйон мільйони мільйонів",
    1e9: "billion billions mrd milliarde milliarden miliardo miliardi mld млрд миллиард миллиарда миллиардов "
    "мільярд мільярди мільярдів",
}
_SCALE_OF = {word: value for value, words in _SCALES.items() for word in words.split()}
_SCALED = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d{1,2})?)\s?(" + "|".join(sorted(_SCALE_OF, key=len, reverse=True)) + r")\b\.?", re.I
)
# a measure converted in brackets ("10 km (6 miles)", "$5m (£4m)"): the conversion is no second figure
_UNITS = (
    r"(?:km|kms|kilomet(?:re|er)s?|mi|miles?|m|metres?|meters?|ft|feet|foot|yards?|yd|kg|kilograms?|lbs?|pounds?|"
    r"tonnes?|tons?|mph|km/h|kph|acres?|hectares?|ha|sq\s?(?:km|mi)|square\s(?:kilomet\w+|miles?)|meilen|"
    r"kilometer|kilómetros|quilómetros|quilômetros|chilometri|kilometrów|километр\w*|кілометр\w*)\b"
)
_AMOUNT = r"[$€£]\s?\d(?:[\d.,]*\d)?\s?(?:m|bn|million|billion)?\b"
_CONVERSION = re.compile(
    rf"(\d(?:[\d.,]*\d)?\s?{_UNITS}|{_AMOUNT})\s*\(\s*(?:about|around|some|roughly|approximately|nearly|almost)?\s*"
    rf"(?:\d(?:[\d.,]*\d)?\s?{_UNITS}|{_AMOUNT})\s*\)",
    re.I,
)
# a day of the month next to its month ("16 Oct", "October 16th", "16 октября", "16. Oktober"): a date
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|mars|avr|mai|juin|juil|août|sept|déc|ene|abr|ago|"
    r"dic|gen|mag|giu|lug|ott|dez|mär|okt|sty|lut|kwi|cze|lip|sie|wrz|paź|lis|gru|fev|out|янв|фев|мар|апр|мая|"
    r"июн|июл|авг|сен|окт|ноя|дек|січ|лют|бер|кві|тра|чер|лип|сер|вер|жов|лис|гру"
)


def _prefixes(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` as a trie of their shortest prefixes among them ("mar|mars"
    is "mar"): the same matches when a ``\\w*`` follows and the words are all word characters,
    but fewer alternatives tried at each position (speed: a case-insensitive list of 80 is slow)."""
    ws = sorted(set(words))
    ws = [w for w in ws if not any(v != w and w.startswith(v) for v in ws)]
    by: dict[str, list[str]] = {}
    for w in ws:
        by.setdefault(w[0], []).append(w[1:])
    alts = [re.escape(c) + ("" if "" in rest else _prefixes(rest)) for c, rest in sorted(by.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


_MONTH_WORD = _prefixes(_MONTHS.split("|")) + r"\w*"
_MONTH_START = "".join(sorted({m[0] for m in _MONTHS.split("|")}))
_MONTH_ONLY = re.compile(_MONTH_WORD, re.I)
# as "\b\d{1,2}...(?:MONTHS)\w*|\b(?:MONTHS)\w*\.?\s+\d{1,2}..." (the same matches: bench/detector.py's digest),
# with the months as a trie and their first letters checked first
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th|\.|º)?\s+(?:of\s+)?{_MONTH_WORD}"
    rf"|(?=[{_MONTH_START}]){_MONTH_WORD}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:'[^\W_]+)?")
# a wire's dateline at the start of a body ("JERUSALEM, Aug 21 (Crossline) -", "МОСКВА, 12 фев —",
# "Київ. 14 жовтня. ІНТЕРФАКС-УКРАЇНА –", "Grenoble (AFP) -", "(ANSA) -"): where the desk files from,
# no name of the event. A short run of capitalised words, figures and months, with a word in capitals
# or an agency in brackets, before a dash
_DATELINE = re.compile(r"\s*([^\n]{0,80}?)\s[-–—]{1,2}\s")
_BRACKETS = re.compile(r"\([^()\n]{2,40}\)")
_CAPITALS = re.compile(r"\b[^\W\d_]{3,}\b")
# a wire's credits ("(Reporting by …; Editing by …)", "Writing by", "Mitarbeit: …"): no names of the event
_CREDIT = re.compile(
    r"\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|reportage|rédaction|redazione|mitarbeit|"
    r"redaktion|redacción|edición|edição|reportagem|oprac|подготовил|підготував)\b",
    re.I,
)
# abbreviated months, days and time zones ("Aug 21", "Mon", "0900 GMT"): no names
_NO_NAMES = frozenset(
    [
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
        *("gmt", "utc", "bst", "cet", "cest", "eet", "eest", "msk", "edt", "est", "pdt", "pst"),
    ]
)
_SENTENCE = re.compile(r"(?<=[.!?:;])[\"')\]]*\s+|\n+")
# capitalised at the start of a sentence or a title, these are function words or common nouns
_COMMON_STARTS = STOPWORDS | frozenset(
    [
        "officials",
        "police",
        "residents",
        "troops",
        "forces",
        "military",
        "analysts",
        "reports",
        "report",
        "speaking",
        "meanwhile",
        "separately",
        "details",
        "several",
        "most",
        "flights",
        "civilians",
        "people",
    ]
)


def _scaled(match: re.Match[str]) -> str:
    """A figure and its scale word as the digits of their product ("2,5 Mio." -> "2500000")."""
    value = float(match.group(1).replace(",", "."))
    return f" {round(value * _SCALE_OF[match.group(2).casefold()]):d} "


def numbers(text: str, language: str = "en") -> frozenset[float]:
    """The figures of a text (see the module docstring); number words are ``language``'s."""
    if any(w in text for w in _WIRE_WORDS):  # (speed: a mark's word as written is in the text)
        text = _WIRE_MARK.sub(" ", text)
    if "(" in text:
        text = _CONVERSION.sub(r"\1", text)
    text = _DATE.sub(" ", _CLOCK.sub(" ", _DURATION.sub(" ", text).translate(_FOLD)))
    if language != "en":
        text = _GROUPED.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
    text = _SCALED.sub(_scaled, text)
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        raw = raw.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", raw) else raw.replace(",", "")
        value = float(raw)
        if "." not in raw and 1900 <= value <= 2100:
            continue  # a year: background, not a fact of the event
        found.add(value)
    found |= word_numbers(fold(text), language)
    return frozenset(found)


def _dateline_end(body: str) -> int:
    """Where a wire's dateline at the start of ``body`` ends (0 when there is none)."""
    m = _DATELINE.match(body)
    if m is None:
        return 0
    head = m.group(1)
    bracketed = bool(_BRACKETS.search(head))
    rest = _BRACKETS.sub(" ", head)
    words = _WORD.findall(rest)
    if len(words) > 6 or any(w[0].islower() and not _MONTH_ONLY.fullmatch(w) for w in words):
        return 0
    if not bracketed and not any(w.isupper() for w in _CAPITALS.findall(rest)):
        return 0
    return m.end()


def _sentences(title: str, body: str) -> list[str]:
    """The title and the body's sentences, without a wire's dateline and credits."""
    parts = [title] if title.strip() else []
    body = body.translate(_FOLD)
    body = body[_dateline_end(body):]
    parts += [s for s in _SENTENCE.split(body) if s.strip() and not _CREDIT.match(s.lstrip("\"'[*\u2022-\u2013 "))]
    return parts


@functools.lru_cache(maxsize=1 << 16)
def entity_key(word: str) -> str:
    """The key of a name, as a story term (folded, possessive dropped, stemmed; cached: words recur)."""
    return _stem(fold(word).removesuffix("'s").strip("'-"))


@functools.lru_cache(maxsize=1 << 16)
def _name(word: str, language: str = "en") -> tuple[str, bool, bool, bool]:
    """(key, capitalised, can be a name, a common sentence start) of a word (cached: words recur).
    The entry's language's function words and number words are no names either ("Selon", "Segundo",
    "Um", "Fifty" opening a sentence)."""
    key = entity_key(word)
    folded = fold(word)
    own = LANGUAGE_STOPWORDS.get(language, frozenset())
    name = not (
        len(key) < 2 or key in STOPWORDS or folded in STOPWORDS or folded in _NO_NAMES or folded in own
        or folded in NUMBER_WORDS.get(language, {})
    )
    return key, word[0].isupper(), name, folded in _COMMON_STARTS


def entities(title: str, body: str, language: str = "en") -> frozenset[str]:
    """Keys of the capitalised names of an entry (see the module docstring)."""
    inside: set[str] = set()
    starts: set[str] = set()
    lower: set[str] = set()
    for sentence in _sentences(title, body):
        sentence = sentence.lstrip("\"'([*\u2022-\u2013 ")
        for i, word in enumerate(_WORD.findall(sentence)):  # no group in _WORD: the matches
            key, capitalised, name, common = _name(word, language)
            if not capitalised:
                lower.add(key)
                continue
            if not name:
                continue
            if i > 0:
                inside.add(key)
            elif not common:
                starts.add(key)
    # a capitalised first word is a name unless it is a common word (used in lower case elsewhere)
    return frozenset(inside | {k for k in starts if k in inside or k not in lower})


def same_name(a: str, b: str) -> bool:
    """Whether two entity keys name the same thing, up to a demonym ending (russia ~ russian)."""
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 4 and a[:5] == b[:5] and a[: max(4, n - 2)] == b[: max(4, n - 2)]


def unmatched(these: Iterable[str], those: Iterable[str]) -> list[str]:
    """The keys of ``these`` that name nothing in ``those``."""
    pool = list(those)
    return [k for k in these if not any(same_name(k, o) for o in pool)]


@dataclass(frozen=True, slots=True)
class Signature:
    """What an entry reports: its figures and its names."""

    numbers: frozenset[float]
    entities: frozenset[str]

    @classmethod
    def of(cls, title: str, body: str, language: str = "en") -> Signature:
        return cls(numbers(f"{title}\n{body}", language), entities(title, body, language))
