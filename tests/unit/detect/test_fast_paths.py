"""The faster spellings of the detection core decide exactly as the plain ones they replaced.

Each test compares a fast path with the plain computation, on random and real-looking input: the
same dates blanked out of a text before its figures are read; the same language answers from one
vectorised scoring of a text as from py3langid asked twice; the same story candidates as by sorting
them all; the same similarity of two entries' vectors to the last bit, one at a time or many at
once; the same phrase matches when words no phrase can start at are passed over.
"""

from __future__ import annotations

import random
import re

import numpy as np
import py3langid

from newsmon.detect.events import _DATE, _MONTHS, numbers
from newsmon.detect.lexicon import PhraseIndex, PhraseSet, compile_pattern
from newsmon.detect.stories import most_shared, most_shared_numbers
from newsmon.detect.tokens import Token, _classify
from newsmon.detect.vecdot import DotBatch, _dot, _dot_ordered

# the date pattern as first written: two alternatives, each with the month list as a plain alternation
PLAIN_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th|\.|º)?\s+(?:of\s+)?(?:{_MONTHS})\w*|\b(?:{_MONTHS})\w*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
    re.I,
)
PIECES = [*_MONTHS.split("|"), "MAR", "Sept", "Ma", "ju", "K", "ſ", "İ", "ß", "º", "th", "st", "of", "uary", "ember",
          "1", "16", "2024", "3rd", "7.", " ", "  ", "\n", ".", ",", "-", "a", "x", "é", "Ö", "д", "16th", "_"]


def test_dates_are_blanked_as_by_the_plain_pattern() -> None:
    rng = random.Random(11)
    samples = [
        "Shelling on 16 October killed 3; on Oct 17th, 2 more", "16. Oktober: 5 Tote", "16 октября 2023",
        "marching 12 km in March 2024", "septembre 3 et 4", "the 1st of may, 1 may", "Kwiecień 5",
    ]
    samples += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(20000)]
    for text in samples:
        assert _DATE.sub(" ", text) == PLAIN_DATE.sub(" ", text), text
    assert numbers("Shelling on 16 October killed 3 and wounded 12") == {3, 12}


PLAIN_ID = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)


def _language_samples() -> list[str]:
    rng = random.Random(5)
    words = ["the", "troops", "війська", "наступ", "Truppen", "durchbrochen", "les", "troupes", "Bakhmut", "IND",
             "vs", "SL", "Live", "Score:", "OUT!", "pubs", "ofensiva", "tropas", "wojska", "1,200", "x", "火", "🙂"]
    samples = ["Local pubs", "IND vs SL Live Score: OUT!", "Бахмут", "a", "!!", "", " ", "ab" * 1000, "ABC DEF"]
    samples += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    samples += ["".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(1, 60))) for _ in range(100)]
    return samples


def test_one_scoring_gives_py3langid_classify_and_rank() -> None:
    for text in _language_samples():
        language, confidence, ranked = _classify(text)
        assert (language, confidence) == PLAIN_ID.classify(text)
        assert ranked() == PLAIN_ID.rank(text)


def test_story_candidates_are_those_sharing_most_terms_ties_by_key() -> None:
    rng = random.Random(2)
    for _ in range(2000):
        hits = {f"k{rng.randint(0, 300)}": rng.randint(1, rng.choice([1, 3, 24])) for _ in range(rng.randint(0, 120))}
        limit = rng.randint(0, 80)
        expected = [k for k, _ in sorted(hits.items(), key=lambda x: (-x[1], x[0]))[:limit]]
        got = most_shared(hits, limit)
        assert sorted(got) == sorted(expected) and len(got) == len(expected)
        # the same counted per entry number (unused numbers at 0), as the story index counts them
        key_of = [f"k{i}" for i in range(301)]
        counts = np.zeros(301, dtype=np.intp)
        for k, c in hits.items():
            counts[int(k[1:])] = c
        got = most_shared_numbers(counts, limit, key_of)
        assert sorted(got) == sorted(expected) and len(got) == len(expected)


def test_dot_product_of_two_vectors_in_term_order_is_the_plain_sum_to_the_last_bit() -> None:
    rng = random.Random(8)
    terms = [f"t{i:03d}" for i in range(300)]
    for _ in range(3000):
        query = {t: rng.random() for t in sorted(rng.sample(terms, rng.randint(1, 80)))}
        other = {t: rng.random() for t in sorted(rng.sample(terms, rng.randint(0, 160)))}
        plain = sum(w * other.get(t, 0.0) for t, w in query.items())
        assert _dot_ordered(query, other) == plain
        assert _dot(query, other) == plain == _dot(query, other, frozenset(query))
        assert _dot_ordered(other, query) == sum(w * query.get(t, 0.0) for t, w in other.items())


def test_phrase_index_passes_over_words_no_set_starts_at_but_matches_as_each_set_alone() -> None:
    rng = random.Random(4)
    words = ["break", "broke", "through", "line", "lines", "frontline", "forces", "forceful", "defences", "not",
             "zorvak", "kelmin", "tas", "ces", "x", "lineup", "breakthrough", "uplines"]
    lemmas = {"broke": "break", "lines": "line", "forces": "force", "uplines": "upline"}
    # no phrase whose first word is tried on every token ("*", wildcards under three letters)
    phrases = ["break through", "=lines", "front line", "forc*", "*ces", "not ... through", "break … line",
               "line", "*line", "through * line", "kelm*"]
    index = PhraseIndex()
    sets = [PhraseSet((compile_pattern(p, "en") for p in rng.sample(phrases, 4)), index) for _ in range(6)]
    alone = [PhraseSet(x.patterns) for x in sets]
    for _ in range(400):
        tokens = []
        for i in range(rng.randint(0, 20)):
            word = rng.choice(words) if rng.random() < 0.8 else f"new{rng.randint(0, 10**6)}"
            tokens.append(Token(word, word, lemmas.get(word, word), 3 * i, 3 * i + len(word)))
        seq = tuple(tokens)
        for together, single in zip(sets, alone, strict=True):
            assert list(together.finditer(seq)) == list(single._finditer(seq, 0, len(seq)))
            assert together.search(seq) == next(single._finditer(seq, 0, len(seq)), None)


def test_dot_products_of_many_entries_at_once_are_the_plain_sums_to_the_last_bit() -> None:
    rng = random.Random(9)
    terms = [f"t{i:03d}" for i in range(400)]
    batch = DotBatch()
    vectors: dict[str, dict[str, float]] = {}
    for step in range(600):
        for key in rng.sample(range(40), 3):  # some entries' vectors recomputed (new objects), some forgotten
            vectors[f"k{key}"] = {t: rng.random() for t in sorted(rng.sample(terms, rng.randint(1, 90)))}
            if rng.random() < 0.3:
                batch.forget(f"k{key}")
        if step % 150 == 149:
            batch.reset_if_above(10)
        query = {t: rng.random() for t in sorted(rng.sample(terms, rng.randint(1, 80)))}
        entries = [(k, vectors[k]) for k in rng.sample(sorted(vectors), min(len(vectors), rng.randint(0, 64)))]
        plain = [sum(w * vec.get(t, 0.0) for t, w in query.items()) for _, vec in entries]
        assert batch.dots(query, entries) == plain
