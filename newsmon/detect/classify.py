"""Multi-label topic classification by weighted phrases of the taxonomy."""

from __future__ import annotations

import re

from newsmon.detect.shingles import fold
from newsmon.detect.taxonomy import Phrase, Taxonomy, Topic
from newsmon.model import Classification

_SEPARATORS = re.compile(r"[*\- ]+")


def _literal(phrase: str) -> str:
    """The longest run of characters that every match of the phrase's pattern contains
    (see :func:`newsmon.detect.taxonomy.compile_phrase`: ``*``, spaces and hyphens are the
    only characters not matched literally)."""
    text = phrase.strip().casefold().replace("\u2019", "'")
    return max(_SEPARATORS.split(text), key=len)


class TopicClassifier:
    """Scores every phrase-based topic of a taxonomy on an entry's title and body.

    A phrase adds ``weight * title_weight`` when it occurs in the title and
    ``weight * (1 + repeat_bonus * min(extra occurrences, max_repeats))`` when it
    occurs in the body.  Topics derived from claims (``derived = "claims"``) are
    left to the claim extractor.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._topics: list[tuple[Topic, object]] = [
            (t, t.requires_pattern) for t in taxonomy.topics if t.derived is None
        ]
        # per phrase, the longest run of literal characters of its pattern: a text that does
        # not contain it cannot match, so its regexes need not run (a plain substring test)
        self._literals: list[tuple[tuple[Phrase, str], ...]] = [
            tuple((p, _literal(p.text)) for p in t.phrases) for t, _ in self._topics
        ]

    def score(self, title: str, body: str) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
        """Raw scores and matched phrases per topic (topics with no match are absent)."""
        s = self.taxonomy.scoring
        title_f, body_f = fold(title), fold(body)
        both = f"{title_f}\n{body_f}"
        scores: dict[str, float] = {}
        matched: dict[str, tuple[str, ...]] = {}
        for (topic, requires), phrases in zip(self._topics, self._literals, strict=True):
            if requires is not None and not requires.search(both):  # type: ignore[attr-defined]
                continue
            total = 0.0
            hits: list[str] = []
            for phrase, literal in phrases:
                if literal not in both:
                    continue
                in_title = phrase.pattern.search(title_f) is not None
                in_body = 0
                for _ in phrase.pattern.finditer(body_f):
                    in_body += 1
                    if in_body > s.max_repeats:
                        break
                if not in_title and not in_body:
                    continue
                factor = s.title_weight if in_title else 0.0
                if in_body:
                    factor += 1.0 + s.repeat_bonus * min(in_body - 1, s.max_repeats)
                total += phrase.weight * factor
                hits.append(phrase.text)
            if hits:
                scores[topic.name] = round(total, 3)
                matched[topic.name] = tuple(hits)
        return scores, matched

    def classify(self, title: str, body: str) -> Classification:
        """Topics whose score reaches ``min_score`` and ``relative`` times the best score."""
        s = self.taxonomy.scoring
        scores, matched = self.score(title, body)
        positive = {k: v for k, v in scores.items() if v > 0}
        if not positive:
            return Classification((), scores, matched)
        best = max(positive.values())
        chosen = [k for k, v in positive.items() if v >= s.min_score and v >= s.relative * best]
        if not chosen and best >= s.fallback_score:
            chosen = [max(positive, key=lambda k: positive[k])]
        chosen.sort(key=lambda k: -positive[k])
        return Classification(tuple(chosen), scores, matched)
