"""The taxonomy's data: topics and their phrases, scoring, roundup rules, per-language lexicons.

:mod:`newsmon.detect.taxonomy` loads them from the shipped data and merges an
operator's config into it.

Phrase syntax: case-insensitive, matched on word boundaries; ``*`` matches the rest
of a word; a space matches any run of spaces and hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """A regex for one phrase (see the module docstring for the syntax)."""
    text = phrase.strip().casefold().replace("\u2019", "'")
    if not text:
        raise ValueError("empty phrase")
    parts: list[str] = []
    for ch in text:
        if ch == "*":
            parts.append(r"\w*")
        elif ch in " -":
            if not parts or parts[-1] != r"[\s\-]+":
                parts.append(r"[\s\-]+")
        else:
            parts.append(re.escape(ch))
    if text[0].isalnum():
        # "no word character before the first one", written after that character:
        # ``r(?<!\wr)ussia`` matches exactly where ``(?<!\w)russia`` does, but a pattern that
        # starts with a literal lets the regex engine skip ahead to that character instead of
        # trying every position (about 8x faster on an alternation of phrases, 2x ignoring case)
        parts.insert(1, rf"(?<!\w{parts[0]})")
    tail = r"(?!\w)" if text[-1].isalnum() or text[-1] == "*" else ""
    return re.compile("".join(parts) + tail)


def compile_any(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of ``phrases`` (longest alternatives first)."""
    items = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
    if not items:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(f"(?:{compile_phrase(p).pattern})" for p in items))


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    weight: float
    pattern: re.Pattern[str] = field(compare=False)


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    description: str = ""
    phrases: tuple[Phrase, ...] = ()
    requires: tuple[str, ...] = ()
    derived: str | None = None  # "claims": decided by the claim extractor
    context: tuple[str, ...] = ()  # contexts (e.g. "war") one of whose words the entry must hold
    relative: float | None = None  # its own share of the best topic's score ([scoring] relative when None)
    aspect: bool = False  # shared by many events (casualties): sharing only it is no evidence of one story
    negatable: bool = False  # a cue right after a word of absence ("no injuries", "keine Toten") is none
    implies: tuple[str, ...] = ()  # topics an entry of this topic always has (a breakthrough claim is combat)
    # topics whose score sets no relative bar for this one (a strike that killed eleven is news of the
    # fighting, however many of its words tell the dead)
    outweighed_by_none_of: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    title_weight: float = 2.0
    min_score: float = 2.5
    relative: float = 0.45
    fallback_score: float = 1.0
    repeat_bonus: float = 0.25
    max_repeats: int = 4


@dataclass(frozen=True, slots=True)
class RoundupRules:
    title_phrases: tuple[str, ...] = ()
    min_bullets: int = 3
    bullet_share: float = 0.5


CLAIM_LISTS = (
    "actions",
    "action_verbs",
    "capture",
    "armed_actors",
    "military_objects",
    "facilities",
    "physical_objects",
    "non_military",
    "non_military_actors",
    "military",
    "negators",
    "reported_modals",
    "blockers",
    "post_negators",
    "assessment",
    "recap",
    "developments",
    "say_verbs",
    "org_nouns",
    "locatives",
    "directions",
    "compass",
    "sector_anaphora",
    "roads",
    "speech_nouns",
    "population",
    "negotiations",
    "supporters",
    "whole_front",
    "areas",
    "clause_breaks",
    "unverified",
    "verified",
    "independent",
    "repel",
    "deny",
    "claim_nouns",
    "deny_objects",
    "exercises",
    "history",
    "disasters",
    "natural_forces",
    "media_nouns",
    "absence",
    "absence_after",
    "sports",
    "cyber",
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What newsmon knows of one language: topic phrases and the claim word lists.

    English comes from the taxonomy file itself (its topics' phrases and its
    ``[claims]``); every other language from ``lexicons/<code>.toml`` next to it, or
    from an operator's ``[detection.taxonomy.lexicons.<code>]``.  Phrases follow
    :mod:`newsmon.detect.lexicon`'s syntax and are matched on lemmas.
    """

    language: str
    topics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # topic -> phrase -> weight
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # topic -> words one of which must occur
    context: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # context -> word -> weight
    claims: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # CLAIM_LISTS -> phrases

    def words(self, name: str) -> tuple[str, ...]:
        return self.claims.get(name, ())


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    scoring: Scoring = Scoring()
    roundups: RoundupRules = RoundupRules()
    lexicons: Mapping[str, Lexicon] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.lexicons)

    def topic(self, name: str) -> Topic:
        for t in self.topics:
            if t.name == name:
                return t
        raise KeyError(name)

    def with_implied(self, topics: tuple[str, ...]) -> tuple[str, ...]:
        """``topics`` and, after them, the topics they imply that are not among them yet."""
        out = list(topics)
        for t in self.topics:
            if t.implies and t.name in topics:
                out.extend(i for i in t.implies if i not in out)
        return tuple(out)

    def lexicon(self, language: str) -> Lexicon:
        """The lexicon of ``language``, English when there is none."""
        return self.lexicons.get(language) or self.lexicons.get("en") or Lexicon("en")
