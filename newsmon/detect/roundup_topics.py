"""A roundup's topics are its items' topics.

A roundup ("Key developments so far", "Das Wichtigste in Kürze") summarises several stories in
bullets or short paragraphs. Scored as one text, its dominant story's words crowd out the others'
topics (a topic needs a share of the best score); an analyst filtering on a topic expects the
roundup that mentions it. So each item (a paragraph or a bullet) is classified on its own, in the
entry's language, and the roundup carries every topic an item carries, besides its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from newsmon.detect.classify import TopicClassifier
from newsmon.detect.tokens import TextReading, normalise, split_sentences
from newsmon.model import Classification

MIN_ITEM_CHARS = 30  # shorter lines are headings or datelines ("Here is what we know:")


def item_readings(body: str, reading: TextReading) -> list[TextReading]:
    """One reading per item of a roundup's body: the entry's own sentences of each paragraph
    (read once, with the entry's language), paragraphs shorter than ``MIN_ITEM_CHARS`` left out."""
    sentences = [s for s in reading.sentences if not s.in_title]
    out: list[TextReading] = []
    at = 0
    for paragraph in normalise(body).split("\n"):
        count = len(split_sentences("", paragraph))  # the sentences read_text made of this paragraph
        item, at = tuple(sentences[at : at + count]), at + count
        if item and len(paragraph.strip()) >= MIN_ITEM_CHARS:
            out.append(TextReading(reading.language, reading.language_confidence, reading.lexicon_language, item))
    return out


def roundup_topics(
    whole: Classification, items: Sequence[TextReading], classify: Callable[[TextReading], Classification]
) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The roundup's topics (its own first, then its items' in order) and which topics each item
    added ({topic: [the item's first words]}, for ``why``)."""
    topics = list(whole.topics)
    added: dict[str, list[str]] = {}
    for item in items:
        for topic in classify(item).topics:
            if topic not in topics:
                topics.append(topic)
                added.setdefault(topic, []).append(item.sentences[0].text[:60])
    return tuple(topics), added


def with_item_topics(
    whole: Classification, body: str, reading: TextReading, classifier: TopicClassifier, prior: float,
    why: dict[str, Any],
) -> Classification:
    """``whole`` with the topics a roundup's items add (noted in ``why["roundup_topics"]``)."""
    items = item_readings(body, reading)
    topics, added = roundup_topics(whole, items, lambda item: classifier.classify(item, prior))
    if not added:
        return whole
    why["roundup_topics"] = added
    return replace(whole, topics=topics)
