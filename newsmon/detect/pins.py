"""Entries posted again word for word long after the window: a live blog's pinned posts.

A live blog pins its opening summary and its biggest claims and posts them again, unchanged,
days or weeks later (as a new entry, so exact dedup by identity does not see it).  The window
(``window_hours``) has forgotten the first post by then, so without a longer memory the repeat
would be a new story and its claim a new alert.  This memory keeps, for ``pin_days``, the text
fingerprint of the entries whose repeat would matter -- those with a claim and roundups -- and
says which earlier entry a verbatim repeat is.  Inside the window the near-duplicate index finds
such repeats; this memory is consulted only for what the window no longer holds.

The memory is small (claims and roundups are a few in a hundred entries) and is kept in the
detector's memory records under ``pin<US>`` + the first entry's key, so it survives restarts.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

PIN_PREFIX = "pin\x1f"
_SPACE = re.compile(r"\s+")


def text_fingerprint(title: str, body: str) -> str:
    """A fingerprint of an entry's words: case, accents' composition and spacing aside."""
    text = unicodedata.normalize("NFKC", f"{title}\n{body}").casefold()
    return hashlib.blake2b(_SPACE.sub(" ", text).strip().encode(), digest_size=12).hexdigest()


@dataclass(slots=True)
class Pinned:
    """The first entry of a text, and when the text was last posted."""

    key: str
    story: str
    time: float  # last posted (the memory's retention counts from here)
    fingerprint: str

    def record(self) -> dict[str, Any]:
        return {"pin": 1, "f": self.fingerprint, "s": self.story, "t": self.time}

    @classmethod
    def from_record(cls, record_key: str, record: dict[str, Any]) -> Pinned:
        return cls(record_key.removeprefix(PIN_PREFIX), str(record["s"]), float(record["t"]), str(record["f"]))


def is_pin_record(record_key: str) -> bool:
    return record_key.startswith(PIN_PREFIX)


class PinMemory:
    """Fingerprints of the texts worth recognising when posted again, for ``retention`` seconds."""

    def __init__(self, retention_seconds: float) -> None:
        self.retention = retention_seconds
        self._by_fingerprint: dict[str, Pinned] = {}
        self._by_time: list[tuple[float, str]] = []
        self._of_key: dict[str, str] = {}  # first entry's key -> its text's fingerprint

    def __len__(self) -> int:
        return len(self._by_fingerprint)

    def find(self, fingerprint: str, t: float) -> Pinned | None:
        """The earlier entry with this text, posted last at most ``retention`` before ``t``."""
        pinned = self._by_fingerprint.get(fingerprint)
        if pinned is None or pinned.time > t or t - pinned.time > self.retention:
            return None
        return pinned

    def remember(self, pinned: Pinned) -> dict[str, dict[str, Any]]:
        """Keep ``pinned`` (a repeat keeps the first entry and moves the time on); the changed records."""
        if self.retention <= 0:  # pin_days = 0: no memory beyond the window
            return {}
        known = self._by_fingerprint.get(pinned.fingerprint)
        if known is not None:
            if pinned.time <= known.time:
                return {}
            known.time = pinned.time
            pinned = known
        else:
            edited = self._of_key.get(pinned.key)  # an entry edited: only its latest text is kept
            if edited is not None:
                self._by_fingerprint.pop(edited, None)
            self._by_fingerprint[pinned.fingerprint] = pinned
            self._of_key[pinned.key] = pinned.fingerprint
        heapq.heappush(self._by_time, (pinned.time, pinned.fingerprint))
        return {PIN_PREFIX + pinned.key: pinned.record()}

    def restore(self, pinned: Pinned) -> None:
        self._by_fingerprint[pinned.fingerprint] = pinned
        self._of_key[pinned.key] = pinned.fingerprint
        heapq.heappush(self._by_time, (pinned.time, pinned.fingerprint))

    def evict(self, now: float) -> list[str]:
        """Forget texts not posted for ``retention``; the record keys to delete."""
        cutoff, gone = now - self.retention, []
        while self._by_time and self._by_time[0][0] < cutoff:
            t, fingerprint = heapq.heappop(self._by_time)
            pinned = self._by_fingerprint.get(fingerprint)
            if pinned is not None and pinned.time == t:
                del self._by_fingerprint[fingerprint]
                self._of_key.pop(pinned.key, None)
                gone.append(PIN_PREFIX + pinned.key)
        return gone


def pinned_repeat(pins: PinMemory, window: Container[str], key: str, t: float, fingerprint: str,
                  why: dict[str, Any]) -> Pinned | None:
    """The entry that ``key`` repeats word for word, when the window (``window``: keys it
    holds) has forgotten it; None otherwise (inside the window near-duplicates find it)."""
    pinned = pins.find(fingerprint, t)
    if pinned is None or pinned.key == key or pinned.key in window:
        return None
    days = (t - pinned.time) / 86400.0
    why["duplicate"] = {"of": pinned.key, "rule": f"posted again word for word, {days:.1f} days after it was "
                        "last posted (a pinned post): outside the window, kept by the pinned-post memory"}
    return pinned
