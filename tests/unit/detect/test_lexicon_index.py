"""The fast lexicon and story paths decide exactly as the plain ones they replace.

Phrase sets looked up together (`PhraseIndex`), their remembered token keys and the positions kept
per sentence must give the very matches of the plain token-by-token search, in the same order, for
any token range and whatever was searched before; the story index's set-intersecting dot product
must give the very same float as the plain sum.
"""

from __future__ import annotations

import random

from newsmon.detect.lexicon import Match, PhraseIndex, PhraseSet, compile_pattern
from newsmon.detect.stories import _dot
from newsmon.detect.tokens import Token

WORDS = ["break", "broke", "through", "line", "lines", "front", "russian", "force", "forces", "not", "de", "x"]
LEMMAS = {"broke": "break", "lines": "line", "forces": "force"}
PHRASES = [
    "break through", "line", "=lines", "front line", "forc*", "*ces", "not ... through", "break … line",
    "russian forces", "de*", "* line", "x x", "through * line", "not", "russian ... forc* … front",
]


def _tokens(rng: random.Random, n: int) -> tuple[Token, ...]:
    out = []
    for i in range(n):
        word = rng.choice(WORDS)
        text = word.capitalize() if rng.random() < 0.2 else word
        out.append(Token(text, word, LEMMAS.get(word, word), 3 * i, 3 * i + len(word)))
    return tuple(out)


def _plain(phrases: PhraseSet, tokens: tuple[Token, ...], start: int, end: int | None) -> list[Match]:
    stop = len(tokens) if end is None else min(end, len(tokens))
    return list(phrases._finditer(tokens, start, stop))


def test_phrase_sets_looked_up_together_match_as_each_alone() -> None:
    rng = random.Random(3)
    index = PhraseIndex()
    sets = [PhraseSet((compile_pattern(p, "en") for p in rng.sample(PHRASES, 6)), index) for _ in range(5)]
    alone = [PhraseSet(s.patterns) for s in sets]
    for _ in range(300):
        tokens = _tokens(rng, rng.randint(0, 25))
        for _ in range(6):  # the same sentence searched again, over other ranges, by every set
            start = rng.randint(0, len(tokens) + 1)
            end = rng.choice([None, rng.randint(0, len(tokens) + 2)])
            for together, single in zip(sets, alone, strict=True):
                expected = _plain(single, tokens, start, end)
                assert list(together.finditer(tokens, start, end)) == expected
                assert list(single.finditer(tokens, start, end)) == expected
                assert together.search(tokens, start, end) == (expected[0] if expected else None)
                assert together.last(tokens, start, end) == (expected[-1] if expected else None)
        part = tokens[: len(tokens) // 2]  # a slice: another sequence of the same tokens
        for together, single in zip(sets, alone, strict=True):
            assert list(together.finditer(part)) == _plain(single, part, 0, None)


def test_a_set_added_to_an_index_later_is_found_too() -> None:
    index = PhraseIndex()
    first = PhraseSet([compile_pattern("front line", "en")], index)
    tokens = _tokens(random.Random(1), 40)
    before = list(first.finditer(tokens))
    second = PhraseSet([compile_pattern("forc*", "en")], index)
    assert list(first.finditer(tokens)) == before
    assert list(second.finditer(tokens)) == _plain(PhraseSet(second.patterns), tokens, 0, None)


def test_story_dot_product_is_the_plain_sum_to_the_last_bit() -> None:
    rng = random.Random(5)
    terms = [f"t{i:03d}" for i in range(300)]
    for _ in range(2000):
        query = {t: rng.random() for t in sorted(rng.sample(terms, rng.randint(1, 60)))}
        other = {t: rng.random() for t in rng.sample(terms, rng.randint(0, 150))}
        plain = sum(w * other.get(t, 0.0) for t, w in query.items())
        assert _dot(query, other, frozenset(query)) == _dot(query, other) == plain


def test_a_form_word_first_in_a_phrase_matches_only_as_written() -> None:
    """ "=be able to" is the infinitive "be able to", not "were able to" (whose lemma is "be"):
    the index had offered a phrase by its first word's lemma too, whatever its kind."""
    from newsmon.detect.tokens import tokenise

    for index in (None, PhraseIndex()):
        phrases = PhraseSet.of(["=be able to", "=broke"], "en", index)
        assert phrases.search(tokenise("they will be able to go", "en")) is not None
        assert phrases.search(tokenise("they were able to go", "en")) is None
        assert phrases.search(tokenise("they broke through", "en")) is not None
        assert phrases.search(tokenise("they break through", "en")) is None
