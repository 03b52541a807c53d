"""The topic taxonomy and claim lexicons, loaded from data and extendable by operators.

The default lives in ``default_taxonomy.toml`` next to this module.  An operator's
config section (a mapping, e.g. ``[detection.taxonomy]`` parsed from TOML) is merged
into it by :func:`load_taxonomy`::

    [detection.taxonomy.topics.energy]           # a new topic
    description = "power plants, grid, fuel"
    phrases = { "power plant*" = 3.0, "blackout*" = 2.0 }

    [detection.taxonomy.topics.combat.phrases]   # more phrases for a default topic
    "drone attack*" = 2.0

    [detection.taxonomy]
    remove_topics = ["airspace"]
    replace = false                              # true: start from an empty taxonomy

    [detection.taxonomy.claims]
    repel = ["drove back"]                       # lists are extended

Phrase syntax: see :mod:`newsmon.detect.taxonomy_model` (which holds the data classes).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from typing import Any

from newsmon.detect.lexicon import compile_pattern
from newsmon.detect.stopwords import STOPWORDS
from newsmon.detect.taxonomy_model import (
    CLAIM_LISTS,
    Lexicon,
    Phrase,
    RoundupRules,
    Scoring,
    Taxonomy,
    Topic,
    compile_any,
    compile_phrase,
)
from newsmon.detect.tokens import lemma

# the data classes and the phrase compilers are re-exported: they were defined here
__all__ = [
    "CLAIM_LISTS",
    "DEFAULT_RESOURCE",
    "Lexicon",
    "Phrase",
    "RoundupRules",
    "Scoring",
    "Taxonomy",
    "Topic",
    "compile_any",
    "compile_phrase",
    "default_mapping",
    "default_taxonomy",
    "load_taxonomy",
    "shipped_lexicons",
]

DEFAULT_RESOURCE = "default_taxonomy.toml"


def _check_keys(where: str, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(allowed))}"
        )


def _mapping(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a table, got {type(value).__name__}")
    return value


def _str_list(where: str, value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings")
    return list(value)


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _phrases(where: str, value: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for phrase, weight in _mapping(where, value).items():
        try:
            compile_phrase(phrase)
        except (ValueError, re.error) as exc:
            raise ValueError(f"{where}.{phrase!r}: bad phrase ({exc})") from None
        out[phrase] = _number(f"{where}.{phrase!r}", weight)
    return out


def _checked_phrases(where: str, phrases: Iterable[str], language: str) -> list[str]:
    out = []
    for phrase in phrases:
        try:
            compile_pattern(phrase, language)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        out.append(phrase)
    return out


@functools.lru_cache(maxsize=32)
def _function_lemmas(language: str) -> frozenset[str]:
    words = STOPWORDS.get(language, frozenset())
    return frozenset(words | {lemma(w, language) for w in words})


def _no_function_word(where: str, phrases: Iterable[str], language: str) -> None:
    """A topic phrase of one word that is a function word or shares its lemma ("avoir", the lemma of
    "a" and "ont", meant as "avoirs" = assets) would score every sentence of the language."""
    function = _function_lemmas(language)
    for phrase in phrases:
        word = phrase.strip().casefold()
        if " " in word or word.startswith("="):
            continue
        if word in function or lemma(word, language) in function:
            raise ValueError(
                f"{where}.{phrase!r}: a function word of {language!r} (or one sharing its lemma) matches almost "
                "every sentence; write the phrase with its context (e.g. 'gel des avoirs')"
            )


@dataclass
class _LexiconDraft:
    topics: dict[str, dict[str, float]] = field(default_factory=dict)
    requires: dict[str, list[str]] = field(default_factory=dict)
    context: dict[str, dict[str, float]] = field(default_factory=dict)
    claims: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Draft:
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    scoring: dict[str, Any] = field(default_factory=dict)
    roundups: dict[str, Any] = field(default_factory=dict)
    lexicons: dict[str, _LexiconDraft] = field(default_factory=dict)

    def lexicon(self, language: str) -> _LexiconDraft:
        return self.lexicons.setdefault(language, _LexiconDraft())


_TOPIC_KEYS = (
    "description", "phrases", "requires", "derived", "replace_phrases", "context", "relative", "aspect", "negatable",
    "implies", "outweighed_by_none_of",
)
_TOP_KEYS = ("replace", "remove_topics", "scoring", "topics", "roundups", "claims", "context", "lexicons")
_LEXICON_KEYS = ("language", "name", "topics", "requires", "context", "roundups", "claims")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _merge_claims(draft: _LexiconDraft, where: str, value: Any, language: str) -> None:
    claims = _mapping(where, value)
    _check_keys(where, claims, CLAIM_LISTS)
    for key, words in claims.items():
        listed = _checked_phrases(f"{where}.{key}", _str_list(f"{where}.{key}", words), language)
        draft.claims.setdefault(key, []).extend(listed)


def _merge_context(draft: _LexiconDraft, where: str, value: Any, language: str) -> None:
    """Context words: a list (each of weight 1) or a table of word -> weight."""
    for name, words in _mapping(where, value).items():
        cw = f"{where}.{name}"
        if isinstance(words, Mapping):
            weights = {w: _number(f"{cw}.{w!r}", v) for w, v in words.items()}
        else:
            weights = dict.fromkeys(_str_list(cw, words), 1.0)
        _checked_phrases(cw, weights, language)
        draft.context.setdefault(name, {}).update(weights)


def _merge_lexicon(draft: _Draft, data: Mapping[str, Any], where: str, language: str) -> None:
    """One language's tables (the layout of ``lexicons/<code>.toml``)."""
    _check_keys(where, data, _LEXICON_KEYS)
    if "language" in data and data["language"] != language:
        raise ValueError(f"{where}.language: {data['language']!r} does not match {language!r}")
    lexicon = draft.lexicon(language)
    for topic, phrases in _mapping(f"{where}.topics", data.get("topics", {})).items():
        tw = f"{where}.topics.{topic}"
        weights = {p: _number(f"{tw}.{p!r}", w) for p, w in _mapping(tw, phrases).items()}
        _checked_phrases(tw, weights, language)
        _no_function_word(tw, weights, language)
        lexicon.topics.setdefault(topic, {}).update(weights)
    for topic, words in _mapping(f"{where}.requires", data.get("requires", {})).items():
        rw = f"{where}.requires.{topic}"
        lexicon.requires.setdefault(topic, []).extend(_checked_phrases(rw, _str_list(rw, words), language))
    _merge_context(lexicon, f"{where}.context", data.get("context", {}), language)
    if "claims" in data:
        _merge_claims(lexicon, f"{where}.claims", data["claims"], language)
    if "roundups" in data:
        rw = f"{where}.roundups"
        roundups = _mapping(rw, data["roundups"])
        _check_keys(rw, roundups, ["title_phrases"])
        titles = _str_list(f"{rw}.title_phrases", roundups.get("title_phrases", []))
        draft.roundups.setdefault("title_phrases", []).extend(titles)


def _merge(draft: _Draft, data: Mapping[str, Any], where: str) -> None:
    _check_keys(where, data, _TOP_KEYS)
    english = draft.lexicon("en")
    for name in _str_list(f"{where}.remove_topics", data.get("remove_topics", [])):
        if name not in draft.topics:
            raise ValueError(f"{where}.remove_topics: no topic {name!r}")
        del draft.topics[name]
        for other in draft.topics.values():  # a removed topic is implied by none
            other["implies"] = [i for i in other["implies"] if i != name]
            other["outweighed_by_none_of"] = [i for i in other.get("outweighed_by_none_of", []) if i != name]
        for lexicon in draft.lexicons.values():
            lexicon.topics.pop(name, None)
            lexicon.requires.pop(name, None)
    if "scoring" in data:
        scoring = _mapping(f"{where}.scoring", data["scoring"])
        _check_keys(f"{where}.scoring", scoring, [f.name for f in fields(Scoring)])
        for key, value in scoring.items():
            number = _number(f"{where}.scoring.{key}", value)
            draft.scoring[key] = int(number) if key == "max_repeats" else number
    for name, spec in _mapping(f"{where}.topics", data.get("topics", {})).items():
        tw = f"{where}.topics.{name}"
        spec = _mapping(tw, spec)
        _check_keys(tw, spec, _TOPIC_KEYS)
        topic = draft.topics.setdefault(
            name,
            {"description": "", "derived": None, "context": [], "relative": None, "aspect": False, "negatable": False,
             "implies": [], "outweighed_by_none_of": []},
        )
        if spec.get("replace_phrases"):
            english.topics[name] = {}
        if "description" in spec:
            if not isinstance(spec["description"], str):
                raise ValueError(f"{tw}.description: expected a string")
            topic["description"] = spec["description"]
        phrases = _phrases(f"{tw}.phrases", spec.get("phrases", {}))
        _checked_phrases(f"{tw}.phrases", phrases, "en")
        english.topics.setdefault(name, {}).update(phrases)
        requires = _checked_phrases(f"{tw}.requires", _str_list(f"{tw}.requires", spec.get("requires", [])), "en")
        english.requires.setdefault(name, []).extend(requires)
        topic["context"].extend(_str_list(f"{tw}.context", spec.get("context", [])))
        topic["implies"].extend(_str_list(f"{tw}.implies", spec.get("implies", [])))
        topic["outweighed_by_none_of"].extend(
            _str_list(f"{tw}.outweighed_by_none_of", spec.get("outweighed_by_none_of", []))
        )
        if "relative" in spec:
            relative = _number(f"{tw}.relative", spec["relative"])
            if not 0 <= relative <= 1:
                raise ValueError(f"{tw}.relative: expected a share from 0 to 1, got {spec['relative']!r}")
            topic["relative"] = float(relative)
        for flag in ("aspect", "negatable"):
            if flag in spec:
                if not isinstance(spec[flag], bool):
                    raise ValueError(f"{tw}.{flag}: expected true or false, got {spec[flag]!r}")
                topic[flag] = spec[flag]
        if "derived" in spec:
            if spec["derived"] not in ("claims", None, ""):
                raise ValueError(f"{tw}.derived: only 'claims' is supported")
            topic["derived"] = spec["derived"] or None
    if "roundups" in data:
        rw = f"{where}.roundups"
        roundups = _mapping(rw, data["roundups"])
        _check_keys(rw, roundups, [f.name for f in fields(RoundupRules)])
        for key, value in roundups.items():
            if key == "title_phrases":
                draft.roundups.setdefault(key, []).extend(_str_list(f"{rw}.{key}", value))
            else:
                number = _number(f"{rw}.{key}", value)
                draft.roundups[key] = int(number) if key == "min_bullets" else number
    if "claims" in data:
        _merge_claims(english, f"{where}.claims", data["claims"], "en")
    _merge_context(english, f"{where}.context", data.get("context", {}), "en")
    for language, tables in _mapping(f"{where}.lexicons", data.get("lexicons", {})).items():
        if not _LANGUAGE.fullmatch(language):
            raise ValueError(f"{where}.lexicons.{language}: a language is an ISO 639 code such as 'de'")
        lw = f"{where}.lexicons.{language}"
        _merge_lexicon(draft, _mapping(lw, tables), lw, language)


def _build(draft: _Draft) -> Taxonomy:
    topics = tuple(
        Topic(
            name=name,
            description=spec["description"],
            phrases=tuple(
                Phrase(p, w, compile_phrase(p)) for p, w in draft.lexicon("en").topics.get(name, {}).items()
            ),
            requires=tuple(dict.fromkeys(draft.lexicon("en").requires.get(name, []))),
            derived=spec["derived"],
            context=tuple(dict.fromkeys(spec["context"])),
            relative=spec.get("relative"),
            aspect=bool(spec.get("aspect", False)),
            negatable=bool(spec.get("negatable", False)),
            implies=tuple(dict.fromkeys(spec["implies"])),
            outweighed_by_none_of=tuple(dict.fromkeys(spec.get("outweighed_by_none_of", []))),
        )
        for name, spec in draft.topics.items()
    )
    names = {t.name for t in topics}
    for t in topics:
        for implied in t.implies:
            if implied not in names or implied == t.name:
                raise ValueError(f"topics.{t.name}.implies: no other topic {implied!r}")
        for other in t.outweighed_by_none_of:
            if other not in names or other == t.name:
                raise ValueError(f"topics.{t.name}.outweighed_by_none_of: no other topic {other!r}")
    roundups = dict(draft.roundups)
    if "title_phrases" in roundups:
        roundups["title_phrases"] = tuple(dict.fromkeys(roundups["title_phrases"]))
    names = set(draft.topics)
    lexicons = {}
    for language, lex in draft.lexicons.items():
        unknown = sorted(set(lex.topics) - names)
        if unknown:
            raise ValueError(f"lexicon {language!r}: unknown topic(s) {unknown}; known: {sorted(names)}")
        lexicons[language] = Lexicon(
            language,
            topics={t: dict(p) for t, p in lex.topics.items() if t in names},
            requires={t: tuple(dict.fromkeys(w)) for t, w in lex.requires.items()},
            context={c: dict(w) for c, w in lex.context.items()},
            claims={k: tuple(dict.fromkeys(v)) for k, v in lex.claims.items()},
        )
    return Taxonomy(
        topics=topics,
        scoring=replace(Scoring(), **draft.scoring),
        roundups=replace(RoundupRules(), **roundups),
        lexicons=lexicons,
    )


def default_mapping() -> dict[str, Any]:
    """The default taxonomy file, parsed."""
    text = resources.files("newsmon.detect").joinpath(DEFAULT_RESOURCE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def shipped_lexicons() -> dict[str, dict[str, Any]]:
    """The language lexicons shipped in ``lexicons/`` (code -> parsed file)."""
    out: dict[str, dict[str, Any]] = {}
    folder = resources.files("newsmon.detect").joinpath("lexicons")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            try:
                out[item.name.removesuffix(".toml")] = tomllib.loads(item.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"lexicons/{item.name}: {exc}") from None
    return out


def load_taxonomy(mapping: Mapping[str, Any] | None = None) -> Taxonomy:
    """The default taxonomy and lexicons merged with an operator's config section ``mapping``.

    Raises ``ValueError`` naming the offending key for unknown keys or bad values.
    """
    mapping = mapping or {}
    draft = _Draft()
    if not mapping.get("replace", False):
        _merge(draft, default_mapping(), "default_taxonomy")
        for language, data in shipped_lexicons().items():
            _merge_lexicon(draft, data, f"lexicons/{language}.toml", language)
    _merge(draft, mapping, "taxonomy")
    return _build(draft)


_DEFAULT: Taxonomy | None = None


def default_taxonomy() -> Taxonomy:
    """The default taxonomy (parsed once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_taxonomy()
    return _DEFAULT
