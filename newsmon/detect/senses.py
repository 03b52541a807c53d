"""Civil senses of fighting words and background figures, read from an entry once.

* a breakthrough word the claim reader blocks for a civil reason (``CIVIL_REASONS``: a door, a
  drill, pay talks, a cure) and a capture or advance word in a civil context ("un avance
  científico") are no cue of any topic: their token spans (:func:`word_spans`) go to the classifier;
* figures only in sentences about no fighting (a town's distance from its regional capital) are
  background: they make no re-report a development (:func:`background_numbers`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsmon.detect.claimwords import Language, _any_outside
from newsmon.detect.events import numbers
from newsmon.detect.lexicon import Match
from newsmon.detect.tokens import Sentence, TextReading, Token

_CLAUSE_BREAK = re.compile(r",\s|;|[()]|\s[-\u2013\u2014]\s")  # a clause's edge ("1,500" is no edge)
CONTEXT_WINDOW = 8  # tokens around a fighting word searched for (non-)military context
# reasons that read a breakthrough word in a civil sense (not negated fighting: "failed to break
# through" is still news of fighting)
CIVIL_REASONS = ("physical object", "exercise", "history", "disaster", "sport", "natural force", "non-military")


def word_spans(number: int, match: Match) -> list[tuple[int, int, int]]:
    """(sentence, first, end) of a match's own words: a gapped phrase ("through ... positions")
    leaves the words in its gap to other readings ("through the night, shelling positions")."""
    if any(w.kind in ("gap", "long gap") for w in match.pattern.words):
        return [(number, match.start, match.start + 1), (number, match.end - 1, match.end)]
    return [(number, match.start, match.end)]


def _fighting(lang: Language, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> bool:
    return any(
        words.search(tokens, start, end) is not None
        for words in (lang.actions, lang.action_verbs, lang.capture, lang.developments,
                      lang.military_objects, lang.armed_actors)
    )


def _population_figures(lang: Language, sentence: Sentence, language: str) -> set[float]:
    """The figures of a sentence's clauses that give a place's size ("Kostiantynivka, which had a
    pre-war population of about 67,000, ..."; "Huliaipole, che contava circa 13 mila abitanti"):
    a clause with a population word and no fighting word."""
    tokens = sentence.tokens
    found: set[float] = set()
    for match in lang.population.finditer(tokens):
        at = tokens[match.start].start
        lo = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence.text, 0, at)), default=0)
        stop = _CLAUSE_BREAK.search(sentence.text, tokens[match.end - 1].end)
        hi = stop.start() if stop else len(sentence.text)
        first = next(i for i, t in enumerate(tokens) if t.end > lo)
        last = next((i for i, t in enumerate(tokens) if t.start >= hi), len(tokens))
        if not _fighting(lang, tokens, first, last):
            found |= numbers(sentence.text[lo:hi], language)
    return found


def background_numbers(lang: Language, reading: TextReading) -> set[float]:
    """Figures only in sentences about no fighting: no action, advance, development, military
    object or armed actor ("Huljajpole liegt rund 100 Kilometer östlich ...": background); and a
    place's population, in any sentence (:func:`_population_figures`)."""
    about: set[float] = set()
    background: set[float] = set()
    for sentence in reading.sentences:
        figures = numbers(sentence.text, reading.language)
        if not figures:
            continue
        size = _population_figures(lang, sentence, reading.language)
        background |= size
        (about if _fighting(lang, sentence.tokens) else background).update(figures - size)
    return background - about


def civil_advances(
    lang: Language, reading: TextReading, taken: set[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Capture and advance words read in a civil sense: a civil context word near them and no
    military word ("un avance científico", "a vaccine advance"), like breakthrough words."""
    out: list[tuple[int, int, int]] = []
    civil_title = False  # the title's advance is a civil one: so is the body's, with nothing military
    for number, sentence in enumerate(reading.sentences):
        tokens = sentence.tokens
        for match in lang.capture.finditer(tokens):
            if any(n == number and a < match.end and match.start < b for n, a, b in taken):
                continue
            lo, hi = max(0, match.start - CONTEXT_WINDOW), min(len(tokens), match.end + CONTEXT_WINDOW)
            military = _any_outside(lang.military, tokens, lo, hi, (match.start, match.end))
            if military or lang.armed_actors.search(tokens) is not None:
                continue
            if lang.non_military.search(tokens, lo, hi) is not None:
                civil_title = civil_title or sentence.in_title
            elif not (civil_title and not sentence.in_title):
                continue
            out.extend(word_spans(number, match))
    return out
