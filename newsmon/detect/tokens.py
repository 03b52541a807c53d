"""One reading of an entry's text: language, sentences, tokens and lemmas.

Detection reads an entry once: :func:`read_text` identifies its language
(py3langid, whose model ships in the package), splits it into sentences (the
title is sentence 0) and tokens, and lemmatises every token with simplemma in
that language.  Lexicon matching (:mod:`newsmon.detect.lexicon`), claims and
topics work on this, so case endings and inflections do not matter
("broke/broken/breaking through", "під Бахмутом", "durchbrochen").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

import py3langid
import simplemma

from newsmon.detect.shingles import _FOLD

# languages whose lexicons newsmon ships; other languages are still identified (and
# reported), but read with the English lexicon
SUPPORTED = ("en", "uk", "ru", "de", "fr", "es", "it", "pl", "pt")
_SIMPLEMMA = frozenset(SUPPORTED)

_TOKEN = re.compile(r"[^\W_]+")
_NOT = re.compile(r"(?<=[A-Za-z])n't\b", re.I)
_CAN_NOT = re.compile(r"\b(ca|wo|sha)( not)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]»]*\s+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Maj|Capt|Cpt|Prof|Rev|Gov|Sen|Rep|Adm|No|vs|etc|approx|Jr|Sr)|\b[A-Z])\.\s+$"
)
_BULLET = re.compile(r"^[*•\-–·]+\s*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    lower: str  # case-folded
    lemma: str  # case-folded lemma in the entry's language (the lower case when none is known)
    start: int  # offsets in the sentence text
    end: int
    # what lexicon matching depends on (lower case and lemma), as one dict key: see lexicon.PhraseSet
    key: str | tuple[str, str] = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.lower if self.lemma == self.lower else (self.lower, self.lemma))

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # quotes, apostrophes and dashes made plain; "n't" written " not"
    index: int  # 0 = the title when there is one
    in_title: bool
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class TextReading:
    """An entry's text as detection reads it."""

    language: str  # ISO 639-1 code of the identified language
    language_confidence: float  # 0..1
    lexicon_language: str  # the lexicon it is read with (``language`` when supported, else "en")
    sentences: tuple[Sentence, ...]

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.sentences for t in s.tokens)


_IDENTIFIER = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
# an answer outside SUPPORTED stands only at this probability or more: below it the text is too
# short to tell (py3langid reads "IND vs SL Live Score: OUT!" as Nigerian Pidgin at 0.05, "Local
# pubs" as Spanish), and the likeliest supported language is taken instead (bench/langid.py)
OTHER_MIN_PROBABILITY = 0.5


def _classify(sample: str) -> tuple[str, float, Callable[[], list[tuple[str, float]]]]:
    """py3langid's ``classify(sample)`` and, to call when needed, its ``rank(sample)``, from one
    scoring of the text (py3langid scores the text again for each; these are its own two answers
    from its scores; an older py3langid without ``_decide`` is simply asked twice)."""
    decide = getattr(_IDENTIFIER, "_decide", None)
    if decide is None or getattr(_IDENTIFIER, "min_confidence", None) is not None:
        language, confidence = _IDENTIFIER.classify(sample)
        return language, confidence, lambda: list(_IDENTIFIER.rank(sample))
    scores = decide(sample)
    best = int(scores.argmax())

    def ranked() -> list[tuple[str, float]]:
        merged: dict[str, float] = {}
        for code, p in zip(_IDENTIFIER.nb_classes, scores.tolist(), strict=True):
            merged.setdefault(code, p)  # as rank(): the first column of a label holds its score
        return sorted(merged.items(), key=itemgetter(1), reverse=True)

    return _IDENTIFIER.nb_classes[best], float(scores[best]), ranked


def identify_language(text: str, hint: str = "") -> tuple[str, float]:
    """(language, confidence) of a text; ``hint`` (e.g. a feed's declared language) decides
    only when the text itself is too short or ambiguous to tell.

    py3langid over all its 97 languages; an unsupported language it gives with a probability
    under `OTHER_MIN_PROBABILITY` is replaced by the likeliest supported one (with that one's
    probability as the confidence), so that short headlines are not read as small languages
    they merely resemble, while a text that clearly is Urdu, Dutch or Turkish is still named.
    """
    sample = text[:2000]
    if not _TOKEN.search(sample):
        return (hint or "en"), 0.0
    language, confidence, ranked = _classify(sample)
    if language not in _SIMPLEMMA and confidence < OTHER_MIN_PROBABILITY:
        language, confidence = next((code, p) for code, p in ranked() if code in _SIMPLEMMA)
    if hint and language != hint and confidence < 0.9:
        return hint, float(confidence)
    return str(language), float(confidence)


@lru_cache(maxsize=262144)
def lemma(word: str, language: str) -> str:
    """The case-folded lemma of a word (the word case-folded when simplemma knows none). The word is
    looked up in lower case, not case-folded: case-folding writes "ß" as "ss", and simplemma knows
    "vorstoßes", "straßen", not "vorstosses", "strassen"."""
    lower = word.lower()
    if language not in _SIMPLEMMA or not lower.isalpha():
        return word.casefold()
    return simplemma.lemmatize(lower, lang=language).casefold()


def normalise(text: str) -> str:
    """NFKC, typographic quotes/apostrophes/dashes made plain, English "n't" as " not"."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _CAN_NOT.sub(r"\1n\2", _NOT.sub(" not", text)) if "n't" in text else text


FORMS_LIMIT = 50_000  # words remembered per language by `tokenise` (then forgotten at once)
_FORMS: dict[str, dict[str, tuple[str, str, str | tuple[str, str]]]] = {}
_new = object.__new__
# Token's slots set directly (what its frozen dataclass __init__ and __post_init__ do, ~3x faster)
_SET = tuple(getattr(Token, name).__set__ for name in ("text", "lower", "lemma", "start", "end", "key"))


def _forms(word: str, language: str) -> tuple[str, str, str | tuple[str, str]]:
    lower = word.casefold()
    lem = lemma(word.lower(), language)  # one cache entry for "Truppen" and "truppen"
    return lower, lem, lower if lem == lower else (lower, lem)


def tokenise(text: str, language: str) -> tuple[Token, ...]:
    """The tokens of a text, lemmatised in ``language`` (a word's forms are remembered per language)."""
    forms = _FORMS.get(language)
    if forms is None or len(forms) > FORMS_LIMIT:
        forms = _FORMS[language] = {}
    set_text, set_lower, set_lemma, set_start, set_end, set_key = _SET
    out = []
    find = text.find
    end = 0
    for word in _TOKEN.findall(text):
        known = forms.get(word)
        if known is None:
            known = forms[word] = _forms(word, language)
        # a token is a maximal run of word characters: none of it occurs between the previous one and it
        start = find(word, end)
        end = start + len(word)
        token = _new(Token)
        set_text(token, word)
        set_lower(token, known[0])
        set_lemma(token, known[1])
        set_start(token, start)
        set_end(token, end)
        set_key(token, known[2])
        out.append(token)
    return tuple(out)


def split_sentences(title: str, body: str) -> list[tuple[str, bool]]:
    """(sentence, in_title) pairs; the title (if any) first, then the body's sentences."""
    out: list[tuple[str, bool]] = []
    if title.strip():
        out.append((normalise(title).strip(), True))
    for paragraph in normalise(body).split("\n"):
        paragraph = _BULLET.sub("", paragraph.strip()).strip()
        out.extend((part, False) for part in _sentences(paragraph))
    return out


def _sentences(paragraph: str) -> list[str]:
    """A paragraph cut after sentence-final punctuation followed by a capital or a digit."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        following = paragraph[m.end() : m.end() + 2].lstrip("\"'([«")
        if (following[:1].isupper() or following[:1].isdigit()) and not _ABBREVIATION.search(
            paragraph, start, m.end()
        ):
            parts.append(paragraph[start : m.end()].strip())
            start = m.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def read_text(
    title: str, body: str, *, hint: str = "", lexicons: Collection[str] = SUPPORTED
) -> TextReading:
    """Read an entry's title and body once (see the module docstring); ``lexicons`` are the
    languages the taxonomy has a lexicon for (an operator's added language among them): an entry
    in another language is read with the English one."""
    language, confidence = identify_language(f"{title}\n{body}", hint)
    lexicon_language = language if language in lexicons else "en"
    sentences = tuple(
        Sentence(text, i, in_title, tokenise(text, lexicon_language))
        for i, (text, in_title) in enumerate(split_sentences(title, body))
    )
    return TextReading(language, round(confidence, 3), lexicon_language, sentences)
