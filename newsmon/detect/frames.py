"""Frames that make a breakthrough no claim of today's war, whatever armed words stand near it.

* an **exercise**: a drill, manoeuvre or war game rehearsing a breakthrough ("Nato-Manöver",
  "учения", "against a notional enemy");
* **history**: a battle of the past (a year before 2000, or before the entry's own year, in the
  action's sentence; "since 2014" starts what goes on) or told by an
  exhibition, anniversary, museum, re-enactment, film or book;
* a **disaster**: a flood or storm breaching an embankment while soldiers evacuate residents;
* **sport**: a match, a league, a team's players ("broke through a stubborn defence in the 88th
  minute to win a friendly");
* a **natural force** as the actor: the river, the water, the flames just before the action;
* **talks**: what the breakthrough is reached in, right beside it ("a breakthrough in the talks",
  "Durchbruch bei den Verhandlungen", "прорыв на переговорах"), even when the parties to the
  talks are armed groups.

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


# a year after these is the start of what still goes on ("lines held since 2014", "seit 2022", "с 2014 года")
SINCE_BEFORE = 4  # tokens before a year searched for a word of "since" ("since fighting resumed in 2020")
SINCE = frozenset({"since", "seit", "depuis", "desde", "dal", "dall", "da", "od", "с", "со", "з", "із", "від"})


# the words that may stand between a breakthrough and the talks it is reached in: prepositions
# and articles ("in the talks", "bei den Verhandlungen", "nelle trattative", "на переговорах"); a
# conjunction or another preposition ("as talks resumed", "despite the agreement") links no talks
TALKS_AFTER = 3
TALK_LINKS = frozenset({
    "in", "at", "on", "over", "of", "the", "a", "an", "bei", "im", "den", "der", "die", "zu", "zum", "dans",
    "les", "des", "aux", "au", "sur", "en", "la", "le", "las", "los", "el", "sobre", "de", "nei", "nelle", "nel",
    "sui", "sulle", "ai", "al", "w", "we", "na", "nas", "nos", "no", "em", "в", "во", "на", "по", "у", "щодо",
})
ARTICLES = frozenset({"a", "an", "the", "einen", "ein", "un", "une", "uno", "una", "um", "uma"})


def _talks(lang: Language, sentence: Sentence, match: Match, clauses: Sequence[int]) -> str:
    """The talks a breakthrough is reached in, next to it ('' when none)."""
    tokens = sentence.tokens
    after = lang.negotiations.search(tokens, match.end, match.end + TALKS_AFTER)
    found: Match | None = after
    if after is None or not all(t.lower in TALK_LINKS for t in tokens[match.end : after.start]):
        # before it, articles at most between ("Verhandlungen einen Durchbruch erzielt", "talks breakthrough")
        found = lang.negotiations.last(tokens, max(0, match.start - 2), match.start)
        if found is None or not all(t.lower in ARTICLES for t in tokens[found.end : match.start]):
            return ""
    return _span(sentence, found) if found is not None and clauses[found.start] == clauses[match.start] else ""


def _past_year(tokens: Sequence[Token], year: int | None = None) -> str:
    """A year of the past in a sentence: before 2000, or before ``year`` (the entry's own), that
    names no border of today's war and starts nothing still going on."""
    past = PAST_YEARS if year is None else range(PAST_YEARS.start, year)
    for i, token in enumerate(tokens):
        text = token.text
        if len(text) == 4 and text.isdigit() and int(text) in past:
            after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            since = any(t.lower in SINCE for t in tokens[max(0, i - SINCE_BEFORE) : i])
            if not after.startswith(BORDER_STEMS) and not (since and int(text) >= PAST_YEARS.stop):
                return text
    return ""


def _frame(lang: Language, sentence: Sentence) -> str:
    tokens = sentence.tokens
    names = lang.language != "de"  # German capitalises every noun
    for name in FRAMES:
        for found in getattr(lang, name).finditer(tokens):
            if names and found.start > 0 and tokens[found.start].capitalised and not found.pattern.text[:1].isupper():
                continue  # a name inside the sentence: the 14th brigade "імені князя Романа" tells no novel
                # (a name the list writes capitalised is one: "Liga Mistrzów", "Serie A", "Champions League")
            return f"{name.rstrip('s')}: {_span(sentence, found)!r}"
    return ""


def title_frame(lang: Language, sentences: Sequence[Sentence]) -> str:
    """The frame an entry's title sets for all of it ('' when none); a cyberattack frames only as a
    headline ("Ciberataque contra Banco X": its attackers "romper ... las defensas" of the bank's systems),
    since a war's news names cyberattacks beside real breakthroughs."""
    for sentence in sentences:
        if sentence.in_title and (found := _frame(lang, sentence)):
            return f"{found} in the title"
        if sentence.in_title and (cyber := lang.cyber.search(sentence.tokens)) is not None:
            return f"cyber: {_span(sentence, cyber)!r} in the title"
    return ""


def frame_reason(
    lang: Language, sentence: Sentence, match: Match, clauses: Sequence[int], year: int | None = None
) -> str:
    """Why the action ``match`` of ``sentence`` is framed as no claim of the war ('' when it is not);
    ``year`` is the entry's, when known."""
    found = _frame(lang, sentence)
    if found:
        return found
    past = _past_year(sentence.tokens, year)
    if past:
        return f"history: a battle of {past}"
    talks = _talks(lang, sentence, match, clauses)
    if talks:
        return f"non-military context: in {talks!r}"
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
