"""Detection core of newsmon: near-duplicates, stories, topics, breakthrough claims and contests.

Pure functions and in-memory indexes; no Kafka, Faust or HTTP, and time is always passed in.
"""

from newsmon.detect.claims import ClaimExtractor, ClaimResult, ContestSignal
from newsmon.detect.classify import TopicClassifier
from newsmon.detect.detector import BREAKTHROUGH_TOPIC, DetectionConfig, Detector
from newsmon.detect.minhash import MinHasher
from newsmon.detect.neardup import Fingerprint, NearDup, NearDupIndex
from newsmon.detect.shingles import quotations, shingle_hashes, word_tokens
from newsmon.detect.stories import StoryIndex, StoryMatch, is_roundup, story_terms
from newsmon.detect.taxonomy import Taxonomy, Topic, default_taxonomy, load_taxonomy

__all__ = [
    "BREAKTHROUGH_TOPIC",
    "ClaimExtractor",
    "ClaimResult",
    "ContestSignal",
    "DetectionConfig",
    "Detector",
    "Fingerprint",
    "MinHasher",
    "NearDup",
    "NearDupIndex",
    "StoryIndex",
    "StoryMatch",
    "Taxonomy",
    "Topic",
    "TopicClassifier",
    "default_taxonomy",
    "is_roundup",
    "load_taxonomy",
    "quotations",
    "shingle_hashes",
    "story_terms",
    "word_tokens",
]
