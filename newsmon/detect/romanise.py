"""Latin names for places that the gazetteer does not know.

A claim's place is an English field of an alert: an analyst who does not read Cyrillic must
still know where the claim is. The gazetteer gives its places' English names; a village it does
not list ("Русин Яр", "Железнодорожное") is romanised with translitua, a maintained library of
the official tables: Ukrainian by the national system of 2010 (KMU 55: "Rusyn Yar",
"Zaliznychne"), Russian by the international-passport table ("Zheleznodorozhnoe"). A name is
Ukrainian when it has letters only Ukrainian writes (і, ї, є, ґ), Russian when it has letters only
Russian writes (ы, э, ё, ъ), else the entry's language decides. Case endings stay as written.
"""

from __future__ import annotations

import functools

import translitua

_UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
_RUSSIAN_ONLY = frozenset("ыэёъЫЭЁЪ")


def cyrillic(name: str) -> bool:
    """Whether ``name`` holds a Cyrillic letter."""
    return any("\u0400" <= c <= "\u04ff" for c in name)


@functools.lru_cache(maxsize=1 << 12)
def latin_name(name: str, language: str) -> str:
    """``name`` in Latin script (as it is when it is not Cyrillic)."""
    if not cyrillic(name):
        return name
    letters = set(name)
    ukrainian = bool(letters & _UKRAINIAN_ONLY) or (language == "uk" and not letters & _RUSSIAN_ONLY)
    table = translitua.UkrainianKMU if ukrainian else translitua.RussianInternationalPassport
    return str(translitua.translit(name, table))
