"""The configuration of detection: thresholds and window (the ``[detection]`` section)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from newsmon.detect.taxonomy import Taxonomy, default_taxonomy, load_taxonomy


@dataclass(frozen=True)
class DetectionConfig:
    """Thresholds and window of detection (see :meth:`from_mapping` for the config keys)."""

    window_hours: float = 48.0  # entries older than this are forgotten
    shingle_size: int = 3  # words per shingle
    num_perm: int = 64  # MinHash permutations
    bands: int = 21  # LSH bands of num_perm // bands rows (21 x 3: ~94% recall at Jaccard 0.5)
    duplicate_jaccard: float = 0.5  # near-verbatim duplicate: estimated Jaccard of shingles
    reworded_jaccard: float = 0.12  # reworded duplicate: exact Jaccard at least this ...
    quote_coverage: float = 0.5  # ... and repeats this share of the earlier entry's quotations
    min_quote_shingles: int = 4  # ... of which the earlier entry has at least this many shingles
    story_threshold: float = 0.25  # cosine to join a story sharing a topic with the entry
    story_threshold_cross_topic: float = 0.4  # cosine to join a story sharing no topic with it
    story_threshold_anchored: float = 0.12  # cosine to join a story sharing a topic and its own place ...
    anchor_max_entries: int = 8  # ... a place named by at most this many entries of the window
    run_threshold: float = 0.1  # cosine to join the story of the source's previous entry, sharing a topic ...
    run_minutes: float = 30.0  # ... published at most this long before
    event_cosine: float = 0.4  # reworded re-report of an event: story cosine at least this ...
    event_window_hours: float = 12.0  # ... within this time of the earlier report ...
    event_novelty: float = 0.25  # ... naming no new figure and at most this IDF share of new names
    pin_days: float = 90.0  # how long a claim's or roundup's text is recognised when posted again verbatim
    capacity_hint: int = 65536  # expected entries in the window (sizes the LSH tables)
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    # sources that interleave unrelated stories (RSS/Atom feeds): no source-run cue; from the
    # configured sources' kinds (see `detection_config`), not a [detection] key
    feed_sources: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        checks = {
            "window_hours": self.window_hours > 0,
            "shingle_size": 1 <= self.shingle_size <= 5,
            "num_perm": self.num_perm >= 2 and self.num_perm % 2 == 0,
            "bands": self.bands >= 1 and 1 <= self.num_perm // self.bands <= 8,
            "duplicate_jaccard": 0 < self.duplicate_jaccard <= 1,
            "reworded_jaccard": 0 < self.reworded_jaccard <= 1,
            "quote_coverage": 0 < self.quote_coverage <= 1,
            "min_quote_shingles": self.min_quote_shingles >= 1,
            "story_threshold": 0 < self.story_threshold <= 1,
            "story_threshold_cross_topic": 0 < self.story_threshold_cross_topic <= 1,
            "story_threshold_anchored": 0 < self.story_threshold_anchored <= 1,
            "anchor_max_entries": self.anchor_max_entries >= 1,
            "run_threshold": 0 < self.run_threshold <= 1,
            "run_minutes": self.run_minutes >= 0,
            "event_cosine": 0 < self.event_cosine <= 1,
            "event_window_hours": self.event_window_hours >= 0,
            "event_novelty": 0 <= self.event_novelty <= 1,
            "pin_days": self.pin_days >= 0,
            "capacity_hint": self.capacity_hint >= 1,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"detection config: bad value for {', '.join(bad)}")

    @property
    def window_seconds(self) -> float:
        return self.window_hours * 3600.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DetectionConfig:
        """Build from a config section; ``taxonomy`` is a sub-table merged into the default taxonomy.

        Raises ``ValueError`` naming unknown keys and keys with bad values.
        """
        known = {f.name: f for f in fields(cls) if f.name != "feed_sources"}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(
                f"detection config: unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
            )
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key == "taxonomy":
                if not isinstance(value, Mapping):
                    raise ValueError("detection config: 'taxonomy' must be a table")
                kwargs[key] = load_taxonomy(value)
                continue
            default = getattr(cls, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"detection config: {key!r} must be a number, got {value!r}")
            if isinstance(default, int) and not isinstance(default, bool):
                if isinstance(value, float) and not value.is_integer():
                    raise ValueError(f"detection config: {key!r} must be an integer, got {value!r}")
                value = int(value)
            kwargs[key] = float(value) if isinstance(default, float) else value
        return cls(**kwargs)
