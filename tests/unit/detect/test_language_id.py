"""Language identification of headlines: every supported language is named right, Ukrainian is
told from Russian and Portuguese from Spanish, two-to-five-word ticker lines are not read as small
languages they resemble, and a language without a lexicon is still not taken for a supported one.

The headlines (tests/unit/detect/language_headlines.json) were written for this test; bench/langid.py
measures the same function on real pages and the blind-written evaluation blog.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmon.detect.tokens import SUPPORTED, identify_language
from newsmon.languages import SUPPORTED as LANGUAGES_SHOWN

HEADLINES = json.loads((Path(__file__).parent / "language_headlines.json").read_text(encoding="utf-8"))


def language(text: str) -> str:
    return identify_language(text)[0]


@pytest.mark.parametrize("code", SUPPORTED)
def test_every_headline_of_a_supported_language_is_named_right(code: str) -> None:
    got = {h: language(h) for h in HEADLINES[code]}
    assert {h: c for h, c in got.items() if c != code} == {}


@pytest.mark.parametrize(("first", "text_a", "second", "text_b"), HEADLINES["pairs"])
def test_the_same_news_in_two_close_languages_is_told_apart(first: str, text_a: str, second: str,
                                                             text_b: str) -> None:
    assert (language(text_a), language(text_b)) == (first, second)


def test_short_ticker_lines_are_read_as_a_supported_language() -> None:
    # py3langid alone reads "Goal! England lead" as Nigerian Pidgin and "Gol Legii!" as Slovak:
    # an unsupported answer this unsure gives way to the likeliest supported language
    short = [(code, h) for code, lines in HEADLINES["short"].items() for h in lines]
    wrong = [(code, h, language(h)) for code, h in short if language(h) != code]
    assert len(wrong) / len(short) <= 0.05, wrong


def test_a_language_without_a_lexicon_is_not_taken_for_a_supported_one() -> None:
    other = [(code, h) for code, lines in HEADLINES["other"].items() for h in lines]
    taken = [(code, h, language(h)) for code, h in other if language(h) in SUPPORTED]
    assert len(taken) / len(other) <= 0.05, taken
    assert {language(h) for h in HEADLINES["other"]["ur"]} == {"ur"}  # named, not just "other"


def test_text_with_no_words_gives_the_hint_or_english() -> None:
    assert identify_language("— !? —", hint="pl") == ("pl", 0.0)
    assert identify_language("…") == ("en", 0.0)


def test_the_languages_shown_are_the_languages_read() -> None:
    assert set(LANGUAGES_SHOWN) == set(SUPPORTED)
