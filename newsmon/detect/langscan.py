"""py3langid's language identification with its byte scan done by numpy (speed, same answers).

py3langid reads a text by walking its byte n-gram automaton one byte at a time in Python and
counting the features of the states it visits; that walk is half of its cost.  The automaton is
an Aho-Corasick one whose states are at most D bytes deep (6 for the shipped model), so the state
after any byte is the state reached from the start by the last D bytes alone: :class:`FastIdentifier`
finds every byte's state at once with D array look-ups, counts the features in the order the walk
first meets them (the order py3langid sums them in) and leaves the scoring to py3langid itself.

The shortcut holds for the model it was checked on: at import the states' depth is measured and
the fast scan compared with py3langid's own on sample texts; if either check fails (another
py3langid, another model) :data:`IDENTIFIER` is py3langid's plain identifier.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import py3langid

_Base: Any = py3langid.langid.LanguageIdentifier
DEPTH_LIMIT = 8  # deeper automata are scanned by py3langid itself


class FastIdentifier(_Base):  # type: ignore[misc]
    """A py3langid ``LanguageIdentifier`` whose raw scores come from a vectorised byte scan."""

    __slots__ = ("_depth", "_next", "_out", "_rows")

    def prepare(self) -> bool:
        """Set up the vectorised scan; False when the automaton is not one it can scan."""
        nxt = np.frombuffer(self.tk_nextmove, dtype=np.dtype(self.tk_nextmove.typecode))  # a view: no copy
        rows = np.asarray(self._rowbase, dtype=np.int64)
        depth = _depth(nxt, rows)
        if depth is None or depth > DEPTH_LIMIT:
            return False
        self._rows, self._next, self._depth = rows, nxt, depth
        self._out = np.asarray(self.tk_output, dtype=np.int64)
        return True

    def _raw_score(self, text: bytes) -> Any:
        visits = self.visits(text)
        if not visits:
            return super()._raw_score(text)  # no feature: py3langid's own fill
        return self._sparse_score(visits, self.nb_ptc)

    def visits(self, text: bytes) -> Counter[int]:
        """{feature: count} in the order of first visit: the Counter py3langid's walk makes."""
        data = np.frombuffer(text, dtype=np.uint8)
        n = len(data)
        state = np.zeros(n, dtype=np.int64)
        rows, nxt = self._rows, self._next
        for back in range(min(self._depth, n) - 1, -1, -1):
            # every position i reads byte i - back (positions before `back` have nothing to read yet)
            state[back:] = nxt[rows[state[back:]] + data[: n - back]]
        features = self._out[state]
        return Counter(features[features >= 0].tolist())


def _depth(nxt: Any, rows: Any) -> int | None:
    """The most bytes from the start state to any state (None when some state is never reached)."""
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.int64)
    depth = 0
    every_byte = np.arange(256, dtype=np.int64)
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        for i in range(0, len(frontier), 4096):  # 1M look-ups at a time
            reached[nxt[(rows[frontier[i : i + 4096]][:, None] + every_byte).ravel()]] = True
        reached &= ~seen
        frontier = np.flatnonzero(reached)
        if not len(frontier):
            return depth if seen.all() else None
        seen |= reached
        depth += 1


SAMPLES = (
    "Russian forces claim a breakthrough near Bakhmut; Kyiv denies it.",
    "Російські війська заявили про прорив під Бахмутом",
    "Die Truppen haben die Verteidigungslinie durchbrochen, sagt das Ministerium.",
    "IND vs SL Live Score: OUT!",
    "Local pubs",
    "l'armée affirme avoir percé la ligne de front près de la ville 1,200 km",
)


def _identifier() -> Any:
    plain = _Base.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
    try:  # the same model arrays, shared
        fast = FastIdentifier(plain.nb_ptc, plain.nb_pc, plain.nb_classes, plain.tk_nextmove, plain.tk_output,
                              norm_probs=True, tk_row=plain.tk_row)
        if fast.prepare() and all(fast.rank(t) == plain.rank(t) for t in SAMPLES):
            return fast
    except (AttributeError, TypeError, ValueError):  # another py3langid: its own scan
        pass
    return plain


IDENTIFIER: Any = _identifier()
