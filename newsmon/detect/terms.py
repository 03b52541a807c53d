"""Story terms and roundups: what :class:`~newsmon.detect.stories.StoryIndex` compares.

Each entry becomes a bag of stemmed content words (title words count double,
capitalised words inside a sentence -- names -- count 1.5 times): English stop
words (and the entry's language's function words, :mod:`newsmon.detect.stopwords`)
and words under 3 letters are left out.

Roundups ("Key developments so far", bulleted summaries) never open a story and
are never joined: a summary of five stories is not an event (:func:`is_roundup`).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from newsmon.detect.shingles import fold
from newsmon.detect.stopwords import STOPWORDS as LANGUAGE_STOPWORDS
from newsmon.detect.taxonomy import RoundupRules, compile_any
from newsmon.model import Flag

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:'[^\W_]+)?|\d[\d,.]*\d|\d")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_BULLET = re.compile(r"^\s*(?:[*\u2022\u25cf\u25aa\-\u2013]|\d{1,2}[.)])\s+\S")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "ago",
        "all",
        "almost",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "back",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "new",
        "next",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "put",
        "rather",
        "same",
        "say",
        "said",
        "says",
        "saying",
        "see",
        "seen",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "told",
        "tell",
        "tells",
        "added",
        "adds",
        "according",
        "asked",
        "called",
        "also",
        "mr",
        "mrs",
        "ms",
        "dr",
        "earlier",
        "later",
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "morning",
        "evening",
        "night",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "time",
        "times",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "read",
        "full",
        "story",
        "click",
        "here",
        "more",
        "live",
        "update",
        "updates",
        "latest",
        "breaking",
        "watch",
        "video",
        "photo",
        "reuters",
        "ap",
        "afp",
        "pa",
        "image",
        "images",
        "getty",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
    ]
)


def _stem(word: str) -> str:
    word = word.removesuffix("'s").replace("'", "")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=1 << 16)
def _term(raw: str, language: str = "en") -> str:
    """The story term of a word ("" for none: a stop word or under 3 letters); cached: words recur."""
    word = fold(raw)
    if word in STOPWORDS or len(word) < 3 or word in LANGUAGE_STOPWORDS.get(language, ()):
        return ""
    stem = _stem(word)
    return "" if stem in STOPWORDS or len(stem) < 3 else stem


def story_terms(title: str, body: str, language: str = "en") -> dict[str, float]:
    """Weighted content-word counts of an entry (the input of :class:`StoryIndex`); ``language``
    adds its function words to the English stop words."""
    counts: dict[str, float] = defaultdict(float)
    for part, weight in ((title, 2.0), (body, 1.0)):
        for sentence in _SENTENCE_BREAK.split(part):
            for i, raw in enumerate(_WORD.findall(sentence)):  # no group in _WORD: the matches
                stem = _term(raw, language)
                if stem:
                    counts[stem] += weight * (1.5 if i > 0 and raw[0].isupper() else 1.0)
    return {t: round(w, 3) for t, w in counts.items()}


@functools.lru_cache(maxsize=64)
def _compiled_any(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return compile_any(phrases)


_TITLES: dict[int, tuple[tuple[str, ...], re.Pattern[str]]] = {}  # id(title phrases) -> (them, their pattern)


def _title_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of a roundup rule's title phrases (speed: found by the tuple's identity, not its hash)."""
    got = _TITLES.get(id(phrases))
    if got is None or got[0] is not phrases:
        if len(_TITLES) >= 64:
            _TITLES.clear()
        got = _TITLES[id(phrases)] = (phrases, _compiled_any(tuple(p.replace("'", " ") for p in phrases)))
    return got[1]


def is_roundup(title: str, body: str, flags: Iterable[Flag], rules: RoundupRules) -> str:
    """Why an entry is a roundup ("" when it is not)."""
    if Flag.SUMMARY in set(flags):
        return "flagged as a summary by the publisher"
    if rules.title_phrases:
        # an apostrophe separates words as in the lexicons ("l'essentiel" is "l essentiel")
        hit = _title_pattern(rules.title_phrases).search(fold(title).replace("'", " "))
        if hit:
            return f"title says {hit.group(0)!r}"
    paragraphs = [p for p in body.split("\n") if p.strip()]
    bullets = sum(1 for p in paragraphs if _BULLET.match(p))
    if bullets >= rules.min_bullets and bullets >= rules.bullet_share * len(paragraphs):
        return f"{bullets} of {len(paragraphs)} paragraphs are list items"
    return ""
