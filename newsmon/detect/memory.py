"""What detection remembers of one entry of the window, and its JSON-serialisable record.

:meth:`newsmon.detect.detector.Detector.memory_updates` hands out these records;
:meth:`~newsmon.detect.detector.Detector.restore` reads them back.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsmon.detect.shingles import U64
from newsmon.model import Claim

RECORD_VERSION = 1


@dataclass(slots=True)
class EntryState:
    """What detection remembers of one entry of the window."""

    key: str
    time: float
    story: str
    roundup: bool
    dup_of: str | None
    shingles: U64
    quotes: U64
    terms: dict[str, float]
    claims: tuple[Claim, ...]
    topics: tuple[str, ...]
    numbers: frozenset[float] = frozenset()
    entities: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    # the place keys its story is anchored by (no place named to locate another); None: those of places
    anchors: frozenset[str] | None = None
    contests: bool = False  # it says attacks were repelled or denies something
    war: bool = False  # its own words show armed conflict (see TopicClassifier.evidence)
    language: str = ""  # the entry's language ("" in records written before it was kept)
    handle: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "v": RECORD_VERSION,
            "time": self.time,
            "story": self.story,
            "roundup": self.roundup,
            "dup_of": self.dup_of,
            "shingles": _b64(self.shingles),
            "quotes": _b64(self.quotes),
            "terms": self.terms,
            "claims": [c.as_dict() for c in self.claims],
            "topics": list(self.topics),
            "numbers": sorted(self.numbers),
            "entities": sorted(self.entities),
            "places": sorted(self.places),
            "anchors": None if self.anchors is None else sorted(self.anchors),
            "contests": self.contests,
            "war": self.war,
            "language": self.language,
        }

    @classmethod
    def from_record(cls, key: str, rec: Mapping[str, Any]) -> EntryState:
        if rec.get("v") != RECORD_VERSION:
            raise ValueError(f"record of {key!r}: unsupported version {rec.get('v')!r}")
        return cls(
            key=key,
            time=float(rec["time"]),
            story=str(rec["story"]),
            roundup=bool(rec["roundup"]),
            dup_of=rec.get("dup_of"),
            shingles=_unb64(rec["shingles"]),
            quotes=_unb64(rec["quotes"]),
            terms={str(k): float(v) for k, v in rec["terms"].items()},
            claims=tuple(Claim(**c) for c in rec.get("claims", [])),
            topics=tuple(rec.get("topics", [])),
            numbers=frozenset(float(n) for n in rec.get("numbers", [])),
            entities=frozenset(str(e) for e in rec.get("entities", [])),
            places=frozenset(str(p) for p in rec.get("places", [])),
            anchors=None if rec.get("anchors") is None else frozenset(str(p) for p in rec["anchors"]),
            contests=bool(rec.get("contests", False)),
            war=bool(rec.get("war", False)),
            language=str(rec.get("language", "")),
        )


def _b64(values: U64) -> str:
    return base64.b64encode(values.astype("<u8").tobytes()).decode("ascii")


def _unb64(text: str) -> U64:
    return np.frombuffer(base64.b64decode(text), dtype="<u8").astype(np.uint64)
