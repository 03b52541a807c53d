"""Numbers written as words, per language: "три села" = "three villages" = "3 villages".

Each supported language lists its words for two to ten, a few tens, "a dozen", "one and
a half" and "dozens" (which is a figure of its own, :data:`DOZENS`: "dozens of
civilians" = "десятки мирных жителей"), with the case forms the press uses (Slavic
numerals decline: "трёх километров", "двох сіл", "dwóch wsi"), the collective numerals that count
people ("шестерых военных", "шістьох військових" = "sei soldati") and the round "about twenty"
nouns as their figure ("una ventina di chilometri", "une vingtaine", "una veintena" = 20).  "One" is left out in
every language: it is the indefinite article in most of them ("un", "ein", "uno") and a
pronoun in English ("one of the").

The words are the entry's language's only: Portuguese "dos" is "of the", Spanish
"dos" is two; Italian "sei" is also "you are" but is kept (rare in news).
"""

from __future__ import annotations

import re

DOZENS = -12.0  # "dozens": no figure, but the same in every language
HUNDREDS = -100.0  # "hundreds"


def _forms(spec: dict[float, str]) -> dict[str, float]:
    return {word: value for value, words in spec.items() for word in words.split()}


NUMBER_WORDS: dict[str, dict[str, float]] = {
    "en": _forms(
        {
            2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
            11: "eleven", 12: "twelve dozen", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen",
            17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty",
            60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety", DOZENS: "dozens", HUNDREDS: "hundreds",
        }
    ),
    "de": _forms(
        {
            1.5: "anderthalb eineinhalb", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben",
            8: "acht", 9: "neun", 10: "zehn", 11: "elf", 12: "zwölf dutzend", 20: "zwanzig", 30: "dreißig",
            40: "vierzig", 50: "fünfzig", DOZENS: "dutzende", HUNDREDS: "hunderte",
        }
    ),
    "fr": _forms(
        {
            2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit", 9: "neuf", 10: "dix dizaine",
            11: "onze", 12: "douze douzaine", 20: "vingt vingtaine", 30: "trente trentaine", 40: "quarante",
            50: "cinquante",
            DOZENS: "dizaines douzaines", HUNDREDS: "centaines",
        }
    ),
    "es": _forms(
        {
            2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve",
            10: "diez decena",
            11: "once", 12: "doce docena", 20: "veinte veintena", 30: "treinta treintena", 40: "cuarenta",
            50: "cincuenta",
            DOZENS: "decenas docenas", HUNDREDS: "centenares cientos",
        }
    ),
    "it": _forms(
        {
            2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 7: "sette", 8: "otto", 9: "nove",
            10: "dieci decina",
            11: "undici", 12: "dodici dozzina", 20: "venti ventina", 30: "trenta trentina", 40: "quaranta",
            50: "cinquanta",
            DOZENS: "decine dozzine", HUNDREDS: "centinaia",
        }
    ),
    "pt": _forms(
        {
            2: "dois duas", 3: "três", 4: "quatro", 5: "cinco", 6: "seis", 7: "sete", 8: "oito", 9: "nove",
            10: "dez dezena", 11: "onze", 12: "doze dúzia", 20: "vinte vintena", 30: "trinta trintena",
            40: "quarenta", 50: "cinquenta",
            DOZENS: "dezenas dúzias", HUNDREDS: "centenas",
        }
    ),
    "pl": _forms(
        {
            1.5: "półtora półtorej", 2: "dwa dwie dwóch dwu dwoma dwom", 3: "trzy trzech trzema trzem",
            4: "cztery czterech czterema", 5: "pięć pięciu", 6: "sześć sześciu", 7: "siedem siedmiu",
            8: "osiem ośmiu", 9: "dziewięć dziewięciu", 10: "dziesięć dziesięciu", 12: "dwanaście dwunastu tuzin",
            20: "dwadzieścia dwudziestu", 30: "trzydzieści trzydziestu", 40: "czterdzieści czterdziestu",
            50: "pięćdziesiąt pięćdziesięciu", DOZENS: "dziesiątki dziesiątek", HUNDREDS: "setki setek",
        }
    ),
    "ru": _forms(
        {
            1.5: "полтора полторы полутора", 2: "два две двух двум двумя двое двоих",
            3: "три трёх трех трём трем тремя трое троих",
            4: "четыре четырёх четырех четырём четырем четырьмя четверо четверых", 5: "пять пяти пятью пятеро пятерых",
            6: "шесть шести шестью шестеро шестерых", 7: "семь семи семью семеро семерых",
            8: "восемь восьми восемью", 9: "девять девяти девятью", 10: "десять десяти десятью",
            12: "двенадцать двенадцати дюжина", 20: "двадцать двадцати", 30: "тридцать тридцати",
            40: "сорок сорока", 50: "пятьдесят пятидесяти", DOZENS: "десятки десятков десятками",
            HUNDREDS: "сотни сотен",
        }
    ),
    "uk": _forms(
        {
            1.5: "півтора півтори", 2: "два дві двох двом двома двоє", 3: "три трьох трьом трьома троє",
            4: "чотири чотирьох чотирьом чотирма четверо", 5: "п'ять п'яти п'ятьма п'ятеро п'ятьох",
            6: "шість шести шістьма шестеро шістьох", 7: "сім семи сьома семеро сімох", 8: "вісім восьми вісьмома",
            9: "дев'ять дев'яти дев'ятьма", 10: "десять десяти",
            12: "дванадцять дванадцяти", 20: "двадцять двадцяти", 30: "тридцять тридцяти", 40: "сорок сорока",
            50: "п'ятдесят п'ятдесяти", DOZENS: "десятки десятків десятками", HUNDREDS: "сотні сотень",
        }
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def word_numbers(folded: str, language: str) -> set[float]:
    """The figures that ``folded`` (case-folded, apostrophes plain) writes as words in ``language``
    (English when the language has no table)."""
    table = NUMBER_WORDS.get(language) or NUMBER_WORDS["en"]
    return {table[w] for w in _WORD.findall(folded) if w in table}
