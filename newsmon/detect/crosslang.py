"""Re-reports in another language: wording cannot tell across languages, the facts can.

A report in another language repeats an earlier one when it gives the earlier report's
figures and names, and nothing of its own.  Two ways, both for entries without a claim
(a claim's re-report is the same side claiming the same place, :mod:`newsmon.detect.links`):

* war news: all of its figures (at least :data:`FIGURES_MIN`) among the earlier report's, a
  topic in common, and :data:`FIGURES_ALONE` figures or a place in common;
* any news (a storm, a wage deal, a match: no war topic to share, and topics are the
  detector's guess): figures in common -- two, or one that is no small count (above
  :data:`SMALL_COUNT`: "two dead" is every other report's figure) --, at most
  :data:`NEW_FIGURES` of its own and fewer than it shares, and at least :data:`NAMES_MIN`
  *rare* names in common: names of people, places and organisations written in any script or
  spelling (Mainz = Майнц = Mayence: one :func:`~newsmon.detect.places.place_key`), each named
  by at most ``anchor_max_entries`` entries of the window in any spelling.  Names every report
  uses ("Ukraine" = "Україна" = "Ukraina", "Kyiv" = "Kiew") are no evidence.

Both only within ``event_window_hours`` and for the same kind of report (both deny or
repel, or neither).
"""

from __future__ import annotations

from typing import Any

from newsmon.detect.claims import ClaimResult
from newsmon.detect.config import DetectionConfig
from newsmon.detect.events import Signature
from newsmon.detect.memory import EntryState
from newsmon.detect.places import place_key

FIGURES_MIN = 2  # figures two reports of an event in two languages share, at the least (war news)
FIGURES_ALONE = 3  # figures that make them one event without a place in common (war news)
NAMES_MIN = 2  # rare names two reports of any event in two languages share, at the least
NEW_FIGURES = 1  # figures of its own a re-report in another language may give (a rounding, a score)
SMALL_COUNT = 10  # a figure up to this (an integer) is too common to tell one event alone


class CrossLanguageLinks:
    """Re-reports in another language (a base of :class:`~newsmon.detect.links.EntryLinks`)."""

    config: DetectionConfig
    _entries: dict[str, EntryState]
    _by_figure: dict[float, set[str]]  # figure -> keys of claimless entries reporting it
    _by_name: dict[str, set[str]]  # name (keyed across scripts) -> keys of the window's entries naming it

    def _figures_rereport(
        self,
        key: str,
        t: float,
        result: ClaimResult,
        signature: Signature,
        places: frozenset[str],
        topics: tuple[str, ...],
        language: str,
        why: dict[str, Any],
    ) -> tuple[str, float, str] | None:
        """The earlier report in another language that an entry without a claim repeats (None
        when there is none; the rules are the module's)."""
        numbers = signature.numbers
        if result.claims or not numbers or not language:
            return None
        postings = sorted((self._by_figure.get(n, set()) for n in numbers), key=len)
        common = set.intersection(*postings) if len(numbers) >= FIGURES_MIN else set()  # war news
        names = self._rare_names(signature)
        for name in names:  # any news: the few entries naming one of its rare names
            common |= self._by_name.get(name, set())
        window = self.config.event_window_hours * 3600.0
        keys = {place_key(p) for p in places}
        best: tuple[float, str, str] | None = None
        for other in common:
            state = self._entries.get(other)
            if state is None or other == key or not state.language or state.language == language:
                continue
            if not 0 <= t - state.time <= window or state.claims or state.roundup:
                continue
            if state.contests != bool(result.contests):
                continue
            shared, new = numbers & state.numbers, numbers - state.numbers
            theirs = {place_key(p) for p in state.places | state.entities}
            war = (
                len(numbers) >= FIGURES_MIN
                and not new
                and bool(set(topics) & set(state.topics))
                and keys <= theirs
                and (len(numbers) >= FIGURES_ALONE or bool(keys))
            )
            if war:
                rule = f"all its figures {sorted(numbers)} and places are the earlier report's"
            else:
                if len(new) > NEW_FIGURES or len(new) >= len(shared):
                    continue
                if len(shared) < 2 and all(n == int(n) and 0 <= n <= SMALL_COUNT for n in shared):
                    continue
                named = sorted(names & theirs)
                if len(named) < NAMES_MIN:
                    continue
                rule = f"figures {sorted(shared)} and rare names {named} are the earlier report's"
            if best is None or state.time < best[0]:
                best = (state.time, other, rule)
        if best is None:
            return None
        rule = f"re-report in another language of {best[1]}: {best[2]}"
        why["duplicate"] = {"of": best[1], "rule": rule}
        return best[1], 1.0, rule

    def _rare_names(self, signature: Signature) -> set[str]:
        """The entry's names, keyed across scripts and spellings, that at most ``anchor_max_entries``
        entries of the window name."""
        limit, postings = self.config.anchor_max_entries, self._by_name
        return {k for k in name_keys(signature.entities) if len(postings.get(k, ())) <= limit}

    def _index_names(self, state: EntryState) -> None:
        for k in name_keys(state.entities):
            self._by_name.setdefault(k, set()).add(state.key)

    def _unindex_names(self, state: EntryState) -> None:
        for k in name_keys(state.entities):
            holders = self._by_name.get(k)
            if holders is not None:
                holders.discard(state.key)
                if not holders:
                    del self._by_name[k]


def name_keys(entities: frozenset[str]) -> set[str]:
    """An entry's names keyed across scripts and spellings (of three letters or more)."""
    return {place_key(e) for e in entities if len(e) >= 3}
