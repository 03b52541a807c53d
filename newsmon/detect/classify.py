"""Multi-label topic classification by weighted phrases of each language's lexicon."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from newsmon.detect.lexicon import Match, Pattern, PhraseIndex, PhraseSet, compile_pattern
from newsmon.detect.taxonomy import Taxonomy, Topic
from newsmon.detect.tokens import TextReading, Token
from newsmon.model import Classification

CONTEXT_EVIDENCE = 0.999  # four cues of weight 0.3, or one of weight 1
ABSENCE_WINDOW = 4  # a word of absence this many tokens before a cue of a negatable topic, at most
ABSENCE_AFTER_WINDOW = 3  # ... or one of those that follow ("загиблих і постраждалих немає") this many after


@dataclass(frozen=True, slots=True)
class _TopicPhrases:
    topic: Topic
    phrases: PhraseSet
    requires: PhraseSet | None
    contexts: tuple[PhraseSet, ...]  # the topic scores when the evidence of one of them reaches 1
    absence: PhraseSet | None  # negatable topics: words of absence ("no", "keine") that cancel a cue
    absence_after: PhraseSet | None  # ... and those that follow the cue ("жертв нет")


class TopicClassifier:
    """Scores every phrase-based topic of a taxonomy on an entry read once.

    A phrase adds ``weight * title_weight`` when it occurs in the title and
    ``weight * (1 + repeat_bonus * min(extra occurrences, max_repeats))`` when it
    occurs in the body.  A topic with ``requires`` scores only when one of those
    words occurs in the entry, and one with a ``context`` only when a word of that
    context (e.g. "war") does: "attack", "front line" and "casualties" in a riot or a
    storm are no war news.  Topics derived from claims are left to the claim extractor.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._languages: dict[str, list[_TopicPhrases]] = {}
        self._war: dict[str, PhraseSet] = {}
        self._indexes: dict[str, PhraseIndex] = {}  # per lexicon language: all its phrase sets
        # topics with a share of their own: specific words ("killed", "asset freeze") stand beside a
        # story's dominant topic (a repelled attack "with 200 killed" is casualties too)
        self._relative = {t.name: t.relative for t in taxonomy.topics if t.relative is not None}
        self._unbarred_by = {t.name: frozenset(t.outweighed_by_none_of) for t in taxonomy.topics}

    def _index(self, language: str) -> PhraseIndex:
        return self._indexes.setdefault(language, PhraseIndex())

    def _compiled(self, language: str) -> list[_TopicPhrases]:
        if language not in self._languages:
            lexicon = self.taxonomy.lexicon(language)
            english = self.taxonomy.lexicon("en")
            shared: dict[str, PhraseSet] = {}
            index = self._index(language)
            out = []
            for topic in self.taxonomy.topics:
                if topic.derived is not None:
                    continue
                weights = lexicon.topics.get(topic.name, {})
                phrases = PhraseSet((compile_pattern(p, lexicon.language, w) for p, w in weights.items()), index)
                requires = lexicon.requires.get(topic.name, ())
                contexts = []
                for name in topic.context:
                    if name not in shared:
                        weights = dict(lexicon.context.get(name, {}))
                        if lexicon is not english:  # names (NATO, Hamas, Kremlin) are shared across languages
                            weights = {**english.context.get(name, {}), **weights}
                        shared[name] = PhraseSet(
                            (compile_pattern(w, lexicon.language, v) for w, v in weights.items()), index
                        )
                    contexts.append(shared[name])
                absence = lexicon.words("absence") if topic.negatable else ()
                after = lexicon.words("absence_after") if topic.negatable else ()
                out.append(
                    _TopicPhrases(
                        topic,
                        phrases,
                        PhraseSet.of(requires, lexicon.language, index) if requires else None,
                        tuple(contexts),
                        PhraseSet.of(absence, lexicon.language, index) if absence else None,
                        PhraseSet.of(after, lexicon.language, index) if after else None,
                    )
                )
            self._languages[language] = out
        return self._languages[language]

    def evidence(self, reading: TextReading) -> float:
        """How strongly the entry itself shows armed conflict (its "war" context words)."""
        lexicon = self.taxonomy.lexicon(reading.lexicon_language)
        if reading.lexicon_language not in self._war:
            english = self.taxonomy.lexicon("en")
            weights = {**english.context.get("war", {}), **lexicon.context.get("war", {})}
            self._war[reading.lexicon_language] = PhraseSet(
                (compile_pattern(w, lexicon.language, v) for w, v in weights.items()),
                self._index(reading.lexicon_language),
            )
        return _evidence(self._war[reading.lexicon_language], reading)

    def score(
        self, reading: TextReading, prior: float = 0.0, civil: Collection[tuple[int, int, int]] = ()
    ) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
        """Raw scores and matched phrases per topic (topics with no match are absent).

        ``prior`` is context evidence the entry's source lends it: a war live blog's
        "thousands displaced by fighting" is war news, a riot blog's "front line" is not.
        ``civil`` holds (sentence number, first token, end token) of words the claim reader
        read in a civil sense ("broke through the cordon", "Durchbruch im Tarifstreit"): a
        phrase overlapping one of them is no cue of any topic.
        """
        spans: dict[int, list[tuple[int, int]]] = {}
        for number, lo, hi in civil:
            spans.setdefault(number, []).append((lo, hi))
        s = self.taxonomy.scoring
        scores: dict[str, float] = {}
        matched: dict[str, tuple[str, ...]] = {}
        evidence: dict[int, float] = {}  # topics share their contexts: each is weighed once

        def weighed(context: PhraseSet) -> float:
            if id(context) not in evidence:
                evidence[id(context)] = _evidence(context, reading)
            return evidence[id(context)]

        for compiled in self._compiled(reading.lexicon_language):
            if compiled.requires is not None and not _occurs(compiled.requires, reading):
                continue
            if compiled.contexts and not any(weighed(c) + prior >= CONTEXT_EVIDENCE for c in compiled.contexts):
                continue
            in_title: dict[Pattern, bool] = {}
            in_body: dict[Pattern, int] = {}
            for number, sentence in enumerate(reading.sentences):
                # one phrase per token: the forms of one word ("meet", "met", "meeting") are
                # one cue, however many of them the lexicon lists
                best: dict[int, Pattern] = {}
                skip = spans.get(number, ())
                absent_until = -2  # the end of the last cue said to be absent: "no one killed or injured"
                for match in _cues(compiled.phrases, sentence.tokens):
                    if skip and any(match.start < hi and lo < match.end for lo, hi in skip):
                        continue
                    if (compiled.absence is not None or compiled.absence_after is not None) and (
                        match.start <= absent_until + 1 or _absent(compiled, sentence.tokens, match.start, match.end)
                    ):
                        absent_until = max(absent_until, match.end)
                        continue
                    seen = best.get(match.start)
                    if seen is None or match.pattern.weight > seen.weight:
                        best[match.start] = match.pattern
                for p in best.values():
                    if sentence.in_title:
                        in_title[p] = True
                    else:
                        in_body[p] = in_body.get(p, 0) + 1
            total = 0.0
            hits: list[str] = []
            for p in compiled.phrases.patterns:
                title, body = in_title.get(p, False), in_body.get(p, 0)
                if not title and not body:
                    continue
                factor = s.title_weight if title else 0.0
                if body:
                    factor += 1.0 + s.repeat_bonus * min(body - 1, s.max_repeats)
                total += p.weight * factor
                hits.append(p.text)
            if hits:
                scores[compiled.topic.name] = round(total, 3)
                matched[compiled.topic.name] = tuple(hits)
        return scores, matched

    def classify(
        self, reading: TextReading, prior: float = 0.0, civil: Collection[tuple[int, int, int]] = ()
    ) -> Classification:
        """Topics whose score reaches ``min_score`` and ``relative`` times the best score."""
        s = self.taxonomy.scoring
        scores, matched = self.score(reading, prior, civil)
        positive = {k: v for k, v in scores.items() if v > 0}
        if not positive:
            return Classification((), scores, matched)
        best = max(positive.values())
        shares = self._relative
        def bar(topic: str) -> float:  # the best score among the topics that may outweigh ``topic``
            ignored = self._unbarred_by.get(topic)
            if not ignored:
                return best
            return max((v for k, v in positive.items() if k not in ignored), default=0.0)

        chosen = [k for k, v in positive.items() if v >= s.min_score and v >= shares.get(k, s.relative) * bar(k)]
        if not chosen and best >= s.fallback_score:
            chosen = [max(positive, key=lambda k: positive[k])]
        chosen.sort(key=lambda k: -positive[k])
        return Classification(tuple(chosen), scores, matched)


def _evidence(phrases: PhraseSet, reading: TextReading) -> float:
    """The summed weight of the distinct context words an entry holds (a word English and the entry's
    language both list, "offensive" and "Offensive", is one), but none inside a phrase of weight 0."""
    found: dict[str, float] = {}
    for sentence in reading.sentences:
        for m in _cues(phrases, sentence.tokens):
            key = m.pattern.text.casefold()
            found[key] = max(found.get(key, 0.0), m.pattern.weight)
    return sum(found.values())


def _cues(phrases: PhraseSet, tokens: Sequence[Token]) -> list[Match]:
    """The matches of ``phrases`` in a sentence, but none inside a phrase of weight 0: that is a civil
    sense of the words it covers ("price war", "casualty department"), and no cue itself."""
    matches = list(phrases.finditer(tokens))
    civil = [(m.start, m.end) for m in matches if m.pattern.weight == 0]
    if not civil:
        return matches
    return [m for m in matches if not any(lo <= m.start and m.end <= hi for lo, hi in civil)]


def _absent(compiled: _TopicPhrases, tokens: Sequence[Token], at: int, end: int) -> bool:
    """Whether the cue ``tokens[at:end]`` of a negatable topic is said to be absent: a word of
    absence up to :data:`ABSENCE_WINDOW` tokens before it with no figure between ("no injuries",
    "keine Toten"; not "no fewer than 20 killed"), or one that follows it ("пострадавших нет")."""
    lo = max(0, at - ABSENCE_WINDOW)
    if (
        compiled.absence is not None
        and compiled.absence.search(tokens, lo, at) is not None
        and not any(any(ch.isdigit() for ch in t.text) for t in tokens[lo:at])
    ):
        return True
    after = compiled.absence_after
    return after is not None and after.search(tokens, end, end + ABSENCE_AFTER_WINDOW) is not None


def _occurs(phrases: PhraseSet, reading: TextReading) -> bool:
    return any(phrases.search(s.tokens) is not None for s in reading.sentences)
