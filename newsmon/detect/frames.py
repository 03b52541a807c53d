"""Frames that make a breakthrough no claim of today's war, whatever armed words stand near it.

* an **exercise**: a drill, manoeuvre or war game rehearsing a breakthrough ("Nato-Manöver",
  "учения", "against a notional enemy");
* **history**: a battle of the past (a year before 2000 in the action's sentence) or told by an
  exhibition, anniversary, museum, re-enactment, film or book;
* a **disaster**: a flood or storm breaching an embankment while soldiers evacuate residents;
* **sport**: a match, a league, a team's players ("broke through a stubborn defence in the 88th
  minute to win a friendly");
* a **natural force** as the actor: the river, the water, the flames just before the action.

A frame in the action's sentence blocks that action; an exercise, history or disaster frame in
the title blocks every action of the entry (the title says what the entry is about).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from newsmon.detect.claimwords import Language, _span
from newsmon.detect.lexicon import Match
from newsmon.detect.tokens import Sentence, Token

FRAMES = ("exercises", "history", "disasters", "sports")
NATURAL_BEFORE = 2  # tokens before an action searched for a natural force as its subject
NATURAL_AFTER = 3  # tokens after it, where a subject follows its verb (not in English)
CONJUNCTIONS = frozenset({"and", "und", "и", "і", "та", "i", "oraz", "et", "y", "e", "ed"})
PAST_YEARS = range(1000, 2000)
# a year naming a border or line of today's war ("the 1991 borders", "the pre-1967 lines")
BORDER_STEMS = ("border", "grenz", "границ", "кордон", "frontière", "frontera", "confin", "granic", "fronteir", "line")


def _past_year(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        text = token.text
        if len(text) == 4 and text.isdigit() and int(text) in PAST_YEARS:
            after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            if not after.startswith(BORDER_STEMS):
                return text
    return ""


def _frame(lang: Language, sentence: Sentence) -> str:
    tokens = sentence.tokens
    names = lang.language != "de"  # German capitalises every noun
    for name in FRAMES:
        for found in getattr(lang, name).finditer(tokens):
            if names and found.start > 0 and tokens[found.start].capitalised:
                continue  # a name inside the sentence: the 14th brigade "імені князя Романа" tells no novel
            return f"{name.rstrip('s')}: {_span(sentence, found)!r}"
    return ""


def title_frame(lang: Language, sentences: Sequence[Sentence]) -> str:
    """The frame an entry's title sets for all of it ('' when none)."""
    for sentence in sentences:
        if sentence.in_title and (found := _frame(lang, sentence)):
            return f"{found} in the title"
    return ""


def frame_reason(lang: Language, sentence: Sentence, match: Match, clauses: Sequence[int]) -> str:
    """Why the action ``match`` of ``sentence`` is framed as no claim of the war ('' when it is not)."""
    found = _frame(lang, sentence)
    if found:
        return found
    year = _past_year(sentence.tokens)
    if year:
        return f"history: a battle of {year}"
    tokens = sentence.tokens
    lo = max(0, match.start - NATURAL_BEFORE)
    natural = lang.natural_forces.last(tokens, lo, match.start)
    if natural is not None and clauses[natural.start] == clauses[match.start]:
        between = tokens[natural.end : match.start]  # an auxiliary at most ("the river has broken")
        gap = sentence.text[tokens[natural.end - 1].end : tokens[match.start].start]
        if len(between) <= 1 and "," not in gap and not any(t.lower in CONJUNCTIONS for t in between):
            return f"natural force: {_span(sentence, natural)!r}"
    if lang.language != "en":  # the subject after its verb ("прорвётся арктический воздух", "irrompe l'aria fredda")
        after = lang.natural_forces.search(tokens, match.end, match.end + NATURAL_AFTER)
        if after is not None and clauses[after.start] == clauses[match.start]:
            return f"natural force: {_span(sentence, after)!r}"
    return ""


BODY_FRAMES = ("disaster", "sport", "exercise")  # a body's frame that is also its headline's


def body_frame(blocked: Sequence[dict[str, str]], titles: Collection[str]) -> str:
    """The frame a body sets for its headline's breakthrough: a disaster, a sport or an exercise
    framing one of the readings outside the ``titles`` sentences ('' when none)."""
    framed = (b["reason"] for b in blocked if b["reason"].startswith(BODY_FRAMES) and b["sentence"] not in titles)
    return next(framed, "")
