"""One language's claim word lists, compiled, and the token helpers that claims and contests share."""

from __future__ import annotations

from collections.abc import Sequence

from newsmon.detect.lexicon import LONG_GAP_TOKENS, Match, PhraseIndex, PhraseSet
from newsmon.detect.parties import Attribution
from newsmon.detect.taxonomy import CLAIM_LISTS, Lexicon
from newsmon.detect.tokens import Sentence, Token, tokenise


class Language:
    """One language's claim word lists, compiled."""

    def __init__(self, lexicon: Lexicon) -> None:
        index = PhraseIndex()
        # claim words match by their lemmas too: a list's "не соответствует действительности" is every form
        self.sets = {
            name: PhraseSet.of(lexicon.words(name), lexicon.language, index, lemmas=True) for name in CLAIM_LISTS
        }
        self.language = lexicon.language
        self.attribution = Attribution(lexicon.words("say_verbs"), lexicon.words("locatives"))
        self.attribution.english = lexicon.language == "en"
        self.clause_breaks = self.sets["clause_breaks"]

    def __getattr__(self, name: str) -> PhraseSet:
        try:
            return self.sets[name]
        except KeyError:
            raise AttributeError(name) from None

def actions_of(lang: Language, sentence: Sentence) -> list[tuple[Match, bool]]:
    """Breakthrough actions of a sentence, in order: (match, strict).  An action verb ("breach",
    "rupture", "broke") is strict: it needs a military object near it, in either voice ("the
    line ... was broken"); a breakthrough phrase ("broke through", "breakthrough") may instead
    have a place."""
    found = [(m, False) for m in lang.actions.finditer(sentence.tokens)]
    taken = {i for m, _ in found for i in range(m.start, m.end)}
    found += [(m, True) for m in lang.action_verbs.finditer(sentence.tokens) if m.start not in taken]
    return sorted(found, key=lambda x: x[0].start)


def _any_outside(phrases: PhraseSet, tokens: Sequence[Token], lo: int, hi: int, skip: tuple[int, int]) -> bool:
    return any(m.end <= skip[0] or m.start >= skip[1] for m in phrases.finditer(tokens, lo, hi))


def _in_name(tokens: Sequence[Token], match: Match) -> bool:
    """Whether a match is the last words of a capitalised name ("Tigray Resistance Front",
    "Syrian Democratic Forces"): a party's name, not a word of the scene."""
    before = match.start - 1
    return before > 0 and tokens[before].capitalised and all(t.capitalised for t in tokens[match.start : match.end])


def military_outside(lang: Language, tokens: Sequence[Token], lo: int, hi: int, skip: tuple[int, int]) -> bool:
    """Whether a military word stands in ``tokens[lo:hi]`` outside ``skip`` and outside the names of
    parties ("talks between the government and the Tigray Resistance Front" is a civil context)."""
    return any(
        (m.end <= skip[0] or m.start >= skip[1]) and not _in_name(tokens, m)
        for m in lang.military.finditer(tokens, lo, hi)
    )


def _span(sentence: Sentence, match: Match) -> str:
    tokens = sentence.tokens
    return sentence.text[tokens[match.start].start : tokens[match.end - 1].end]


def _pos(sentence: Sentence, match: Match) -> int:
    return sentence.tokens[match.start].start


def _tokens_of(text: str) -> tuple[Token, ...]:
    return tokenise(text, "en")


def reported_modal(lang: Language, tokens: Sequence[Token], negation: Match, end: int, clauses: list[int]) -> bool:
    """Whether a negator opens a modal of report around the action, in its clause: German "Moskau will
    den Durchbruch erzielt haben" (claims to have), "sollen ... durchgebrochen sein" (are said to have);
    its verb closes the clause ("wollen ... durchbrechen und haben dafür ..." is an intent)."""
    modal = lang.reported_modals.search(tokens, negation.start, min(len(tokens), end + LONG_GAP_TOKENS))
    if modal is None or modal.start != negation.start or modal.end < end:
        return False
    closes = modal.end == len(tokens) or tokens[modal.end].start - tokens[modal.end - 1].end > 1  # a stop or a comma
    return closes and clauses[modal.end - 1] == clauses[negation.start]


def clauses_of(sentence: Sentence, breaks: PhraseSet, negators: PhraseSet) -> list[int]:
    """The clause number of each token (a ';', ':' or a clause-breaking word starts a new one;
    not one right after a negation: "does not yet amount to" is one clause)."""
    out: list[int] = []
    clause = 0
    previous_end = 0
    negated = {m.end for m in negators.finditer(sentence.tokens)}
    starts = {m.start for m in breaks.finditer(sentence.tokens) if m.start not in negated}
    for i, token in enumerate(sentence.tokens):
        gap = sentence.text[previous_end : token.start]
        if ";" in gap or ":" in gap or i in starts:
            clause += 1
        out.append(clause)
        previous_end = token.end
    return out


def physical_after(lang: Language, tokens: Sequence[Token], start: int, end: int) -> Match | None:
    """A physical object starting within four words after an action, however long ("en la línea de
    llamas"), or one holding the action's military noun ("through the fire line", "romperam a frente
    do incêndio": the line is the fire's; "through the barricade line" is a line of barricades)."""
    for m in lang.physical_objects.finditer(tokens, start, end + 8):
        if m.start >= end + 4:
            return None
        if m.start >= end or lang.military_objects.search(tokens, m.start, m.end) is not None:
            return m
    return None
