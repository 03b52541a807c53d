"""Lexicon phrases matched on tokens and lemmas (see :mod:`newsmon.detect.tokens`).

Phrase syntax (the same in every language's lexicon and in the taxonomy):

* words separated by spaces (or hyphens) match consecutive tokens; punctuation is
  not a token, and an apostrophe splits words ("Ukraine's" is "ukraine s");
* a word matches a token when, ignoring case, it equals the token or the token's
  lemma (in the entry's language): a dictionary form matches every inflection
  ("break through" matches "breaking through", "broken through"; "оборона" matches
  "оборону"), an inflected form only itself ("shelling" is not "shell");
* ``word*`` matches any token starting with ``word``; ``*word`` any token ending
  with it (compounds: ``*linie`` matches "Verteidigungslinie"); a lone ``*`` any token;
* ``=word`` matches only that form as written, not a token whose lemma it is;
* ``...`` between two words allows up to four tokens between them
  ("not ... verified" matches "has not been independently verified"), and ``…`` (one
  character) up to twelve: a German separable verb's particle closes its clause
  ("wies die Angaben über einen Durchbruch bei Bachmut zurück" is "weisen … zurück").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newsmon.detect.romanise import cyrillic
from newsmon.detect.tokens import Token, lemma, normalise

_LONG_GAP = "longgap0mark"  # stands for "…" through NFKC, which would make it "..."
GAP_TOKENS = 4
LONG_GAP_TOKENS = 12
_WORD = re.compile(r"=?[^\W_]+\*?|\*[^\W_]+|\*|\.\.\.|…")


@dataclass(frozen=True, slots=True)
class Word:
    kind: str  # "exact" | "form" | "prefix" | "suffix" | "any" | "gap" | "long gap"
    forms: frozenset[str]

    def matches(self, token: Token) -> bool:
        if self.kind == "exact":
            return token.lower in self.forms or token.lemma in self.forms
        if self.kind == "form":
            return token.lower in self.forms
        if self.kind == "prefix":
            return any(token.lower.startswith(f) or token.lemma.startswith(f) for f in self.forms)
        if self.kind == "suffix":
            return any(token.lower.endswith(f) or token.lemma.endswith(f) for f in self.forms)
        return self.kind == "any"


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str
    words: tuple[Word, ...]
    weight: float = 1.0
    # the dataclass's own hash of (text, words, weight), computed once: patterns key many dicts
    _hash: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.text, self.words, self.weight)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    start: int  # index of the first token
    end: int  # index after the last token

    @property
    def text(self) -> str:
        return self.pattern.text


def compile_pattern(phrase: str, language: str, weight: float = 1.0, lemmas: bool = False) -> Pattern:
    """A phrase of the syntax above; ValueError when empty.  A word matches a token's form or lemma;
    with ``lemmas`` (outside English) also any token whose lemma is the word's own ("не
    соответствует действительности" then matches "не соответствуют действительности")."""
    text = normalise(phrase.replace("…", f" {_LONG_GAP} ")).strip()
    parts = ["…" if p == _LONG_GAP else p for p in _WORD.findall(text.replace("'", " "))]
    words: list[Word] = []
    for part in parts:
        if part in ("...", "…"):
            if not words or words[-1].kind in ("gap", "long gap"):
                raise ValueError(f"bad phrase {phrase!r}: '...' must stand between two words")
            words.append(Word("gap" if part == "..." else "long gap", frozenset()))
            continue
        lower = part.casefold()
        if lower.startswith("="):
            words.append(Word("form", frozenset({lower[1:]})))
        elif lower == "*":
            words.append(Word("any", frozenset()))
        elif lower.endswith("*"):
            stem = lower[:-1]
            words.append(Word("prefix", frozenset({stem})))
        elif lower.startswith("*"):
            words.append(Word("suffix", frozenset({lower[1:]})))
        elif lemmas and language != "en":
            words.append(Word("exact", frozenset({lower, lemma(part.lower(), language)})))
        else:
            words.append(Word("exact", frozenset({lower})))
    if not words or all(w.kind in ("gap", "long gap", "any") for w in words):
        raise ValueError(f"bad phrase {phrase!r}: no word in it")
    if words[-1].kind in ("gap", "long gap"):
        raise ValueError(f"bad phrase {phrase!r}: '...' must stand between two words")
    return Pattern(phrase, tuple(words), weight)


def compile_name(phrase: str) -> Pattern:
    """A party's or claimant's name (the side and claimant tables hold phrases of any language).
    A name in Cyrillic also matches its inflections by each word's Ukrainian and Russian lemma:
    "Сили оборони" matches "Підрозділи Сил оборони", "Збройні сили" "Збройних сил"; a Latin-script
    name matches its forms and the tokens' lemmas only, as other phrases."""
    if not cyrillic(phrase):
        return compile_pattern(phrase, "")
    uk, ru = compile_pattern(phrase, "uk", lemmas=True), compile_pattern(phrase, "ru", lemmas=True)
    words = tuple(
        Word(a.kind, a.forms | b.forms) if a.kind == "exact" else a for a, b in zip(uk.words, ru.words, strict=True)
    )
    return Pattern(uk.text, words, uk.weight)


MEMO_LIMIT = 50_000  # token keys remembered per phrase set (then forgotten at once)
_KEY = 3  # characters of a wildcard's stem (or suffix) that index it


class PhraseSet:
    """Patterns found in token sequences, indexed by the forms of their first word: exact forms
    by the form, prefixes by their first three letters, suffixes by their last three, so that a
    token is tried only against the patterns that can start at it."""

    def __init__(self, patterns: Iterable[Pattern], index: PhraseIndex | None = None) -> None:
        self.patterns = tuple(patterns)
        self._by_form: dict[str, list[Pattern]] = {}
        self._by_prefix: dict[str, list[Pattern]] = {}
        self._by_suffix: dict[str, list[Pattern]] = {}
        self._short: list[Pattern] = []  # wildcards of under three letters, and "*"
        for p in self.patterns:
            first = p.words[0]
            if first.kind in ("exact", "form"):
                for form in first.forms:
                    self._by_form.setdefault(form, []).append(p)
            elif first.kind in ("prefix", "suffix") and all(len(f) >= _KEY for f in first.forms):
                by_key = self._by_prefix if first.kind == "prefix" else self._by_suffix
                for form in first.forms:
                    by_key.setdefault(form[:_KEY] if first.kind == "prefix" else form[-_KEY:], []).append(p)
            else:
                self._short.append(p)
        # speed (no change of result): the patterns that can start at a token, by its `Token.key`
        # (they depend on its lower case and lemma only), and the positions of the last token
        # sequence searched where any can start (callers search one sentence many times)
        self._memo: dict[str | tuple[str, str], tuple[Pattern, ...]] = {}
        self._seen: Sequence[Token] = ()
        self._hits: _Positions = ([], [])
        self._index = index
        self._number = index.add(self) if index is not None else -1

    @classmethod
    def of(
        cls, phrases: Iterable[str], language: str, index: PhraseIndex | None = None, lemmas: bool = False
    ) -> PhraseSet:
        return cls((compile_pattern(p, language, lemmas=lemmas) for p in phrases), index)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def _starting(self, token: Token) -> list[Pattern]:
        lower, lem = token.lower, token.lemma
        found = list(self._by_form.get(lower, ()))
        if lem != lower:  # a "=form" word matches only as written, never by the lemma
            found.extend(p for p in self._by_form.get(lem, ()) if p.words[0].kind != "form")
        if self._by_prefix:
            for k in {lower[:_KEY], lem[:_KEY]}:
                found.extend(p for p in self._by_prefix.get(k, ()) if p.words[0].matches(token))
        if self._by_suffix:
            for k in {lower[-_KEY:], lem[-_KEY:]}:
                found.extend(p for p in self._by_suffix.get(k, ()) if p.words[0].matches(token))
        found.extend(p for p in self._short if p.words[0].matches(token))
        return list(dict.fromkeys(found)) if len(found) > 1 else found

    def _positions(self, tokens: Sequence[Token]) -> _Positions:
        """(indexes, candidates) of the tokens of ``tokens`` at which a pattern can start."""
        if tokens is self._seen:
            return self._hits
        index = self._index
        if index is not None:
            # the sentence its index read last (callers ask every set about one sentence in turn)
            out = index._last_out if tokens is index._last else index.positions(tokens)
            found = out.get(self._number, _NONE)
            if isinstance(tokens, tuple):  # a set's positions do not change when other sets join its index
                self._seen, self._hits = tokens, found
            return found
        memo = self._memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        at: list[int] = []
        starting: list[tuple[Pattern, ...]] = []
        for i, token in enumerate(tokens):
            candidates = memo.get(token.key)
            if candidates is None:
                candidates = memo[token.key] = tuple(self._starting(token))
            if candidates:
                at.append(i)
                starting.append(candidates)
        if isinstance(tokens, tuple):  # immutable: the positions stay true while it is the one seen
            self._seen, self._hits = tokens, (at, starting)
        return at, starting

    def _found(self, tokens: Sequence[Token]) -> _Positions:
        """:meth:`_positions`, first trying the sentence this set or its index read last (speed: most
        searches are of a sentence just read, and find no pattern that can start in it)."""
        if tokens is self._seen:
            return self._hits
        index = self._index
        if index is not None and tokens is index._last:  # a tuple (see PhraseIndex.positions)
            found = index._last_out.get(self._number, _NONE)
            self._seen, self._hits = tokens, found
            return found
        return self._positions(tokens)

    def finditer(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> Iterator[Match]:
        """Every match starting at each token from ``start`` (up to ``end``), longest first per token."""
        stop = len(tokens) if end is None else min(end, len(tokens))
        if start < 0:  # negative indexes count from the end: the plain loop
            return self._finditer(tokens, start, stop)
        at, starting = self._found(tokens)
        if not at:
            return iter(())  # (speed: no generator where nothing can start)
        return self._matches(tokens, at, starting, start, stop)

    def _matches(
        self, tokens: Sequence[Token], at: list[int], starting: list[tuple[Pattern, ...]], start: int, stop: int
    ) -> Iterator[Match]:
        for n in range(bisect_left(at, start), len(at)):
            i = at[n]
            if i >= stop:
                return
            candidates = starting[n]
            if len(candidates) == 1:
                p = candidates[0]
                j = _rest(p.words, 1, tokens, i + 1, stop)
                if j > 0:
                    yield Match(p, i, j)
                continue
            found = [(j, p) for p in candidates if (j := _rest(p.words, 1, tokens, i + 1, stop)) > 0]
            for j, p in sorted(found, key=lambda x: -x[0]):
                yield Match(p, i, j)

    def _finditer(self, tokens: Sequence[Token], start: int, stop: int) -> Iterator[Match]:
        for i in range(start, stop):
            candidates = self._starting(tokens[i])
            if not candidates:
                continue
            found = [(j, p) for p in candidates if (j := _rest(p.words, 1, tokens, i + 1, stop)) > 0]
            for j, p in sorted(found, key=lambda x: -x[0]):
                yield Match(p, i, j)

    def search(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> Match | None:
        if start >= 0 and not self._found(tokens)[0]:
            return None  # no pattern can start anywhere in it (speed: most searches)
        return next(self.finditer(tokens, start, end), None)

    def last(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> Match | None:
        if start >= 0 and not self._found(tokens)[0]:
            return None
        found = None
        for found in self.finditer(tokens, start, end):  # noqa: B007
            pass
        return found


_Positions = tuple[list[int], list[tuple[Pattern, ...]]]
_NONE: _Positions = ([], [])  # never changed
INDEX_SEQUENCES = 256  # token sequences whose positions a PhraseIndex keeps (then forgets at once)


class PhraseIndex:
    """The phrase sets of one reader (a language's claim lists, its topics, the sides) looked up
    together: one pass over a sentence finds where the patterns of every set can start, kept
    for the sentence's later searches by any of the sets (same matches as each set alone)."""

    def __init__(self) -> None:
        self._sets: list[PhraseSet] = []
        self._memo: dict[str | tuple[str, str], tuple[tuple[int, tuple[Pattern, ...]], ...]] = {}
        self._seen: dict[int, tuple[Sequence[Token], dict[int, _Positions]]] = {}
        # the keys under which any set indexes a pattern's first word (a token none of whose keys is
        # among them starts no pattern of any set: speed, a new word is not tried against every set)
        self._forms: set[str] = set()
        self._prefixes: set[str] = set()
        self._suffixes: set[str] = set()
        self._short = False  # some set has a pattern whose first word is tried on every token
        self._last: Sequence[Token] = ()  # the last token tuple read, and its positions per set
        self._last_out: dict[int, _Positions] = {}

    def add(self, phrases: PhraseSet) -> int:
        self._sets.append(phrases)
        self._forms.update(phrases._by_form)
        self._prefixes.update(phrases._by_prefix)
        self._suffixes.update(phrases._by_suffix)
        self._short = self._short or bool(phrases._short)
        self._memo.clear()
        self._seen.clear()
        self._last, self._last_out = (), {}
        return len(self._sets) - 1

    def _may_start(self, token: Token) -> bool:
        """False when no pattern of any set can start at ``token`` (see `PhraseSet._starting`)."""
        if self._short:
            return True
        lower, lem = token.lower, token.lemma
        if lower in self._forms or lem in self._forms:
            return True
        if self._prefixes and (lower[:_KEY] in self._prefixes or lem[:_KEY] in self._prefixes):
            return True
        return bool(self._suffixes) and (lower[-_KEY:] in self._suffixes or lem[-_KEY:] in self._suffixes)

    def positions(self, tokens: Sequence[Token]) -> dict[int, _Positions]:
        """Per set number, the positions in ``tokens`` where its patterns can start."""
        seen = self._seen.get(id(tokens))
        if seen is not None and seen[0] is tokens:
            self._last, self._last_out = tokens, seen[1]
            return seen[1]
        memo = self._memo
        if len(memo) > MEMO_LIMIT * 4:
            memo.clear()
        out: dict[int, _Positions] = {}
        get = memo.get
        for i, token in enumerate(tokens):
            entry = get(token.key)
            if entry is None:
                entry = memo[token.key] = tuple(
                    (n, c) for n, phrases in enumerate(self._sets) if (c := tuple(phrases._starting(token)))
                ) if self._may_start(token) else ()
            if not entry:  # (most words start nothing)
                continue
            for n, candidates in entry:
                lists = out.get(n)
                if lists is None:
                    lists = out[n] = ([], [])
                lists[0].append(i)
                lists[1].append(candidates)
        if isinstance(tokens, tuple):  # kept (and so its id not reused) while in the cache
            if len(self._seen) >= INDEX_SEQUENCES:
                self._seen.clear()
            self._seen[id(tokens)] = (tokens, out)
            self._last, self._last_out = tokens, out
        return out


def _rest(words: Sequence[Word], w: int, tokens: Sequence[Token], i: int, stop: int) -> int:
    if w == len(words):
        return i
    word = words[w]
    if word.kind in ("gap", "long gap"):
        nxt = words[w + 1]
        for k in range(i, min(stop, i + (GAP_TOKENS if word.kind == "gap" else LONG_GAP_TOKENS) + 1)):
            if nxt.matches(tokens[k]) and (end := _rest(words, w + 2, tokens, k + 1, stop)):
                return end
        return 0
    if i >= stop or not word.matches(tokens[i]):
        return 0
    return _rest(words, w + 1, tokens, i + 1, stop)
