"""Where each key of a TOML document is, and the checks that name it.

`Reader.fail` builds a `ConfigError` reading ``file:line: where: message``;
``where`` is a key path such as ``sources[1].interval`` or
``detection.taxonomy.topics.energy``.  The line is found by scanning the text
(tomllib keeps no positions): table headers, array-of-tables indices and
``key =`` lines, also dotted keys; a key inside an inline table or a
multi-line value is placed on the line of the nearest key that encloses it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from newsmon.settings import ConfigError, parse_duration

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_PART = re.compile(_BARE_OR_QUOTED)
_WHERE_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def _split_key(text: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(text)]


def line_index(text: str) -> dict[Path, int]:
    """Line (1-based) of every table header and key the text defines."""
    lines: dict[Path, int] = {}
    arrays: dict[Path, int] = {}  # array-of-tables path -> index of its last table
    prefix: Path = ()
    multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if multiline:
            if multiline in line:
                multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            path: Path = ()
            for part in _split_key(header.group(2)):
                path = (*path, part)
                if path in arrays and not (header.group(1) == "[[" and len(path) == len(_split_key(header.group(2)))):
                    path = (*path, arrays[path])
            if header.group(1) == "[[":
                lines.setdefault(path, number)
                arrays[path] = arrays.get(path, -1) + 1
                path = (*path, arrays[path])
            prefix = path
            lines.setdefault(prefix, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*prefix, *_split_key(key.group(1))), number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    multiline = quote
    return lines


def parse_where(where: str) -> Path:
    """``sources[1].selectors.entry`` -> ("sources", 1, "selectors", "entry")."""
    path: list[str | int] = []
    for name, indices in _WHERE_PART.findall(where):
        if name != "<top>":
            path.append(name)
        path.extend(int(i) for i in re.findall(r"\d+", indices))
    return tuple(path)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'interval'?)' or ' (known: a, b, c)'."""
    choices = sorted(known)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known: {', '.join(choices)})" if choices else ""


class Reader:
    """Checks values of one document, naming the file, line and key of each problem."""

    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self._lines = line_index(text) if text else {}

    def line_of(self, where: str) -> int | None:
        path = parse_where(where)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def fail(self, where: str, message: str) -> ConfigError:
        line = self.line_of(where)
        prefix = f"{self.origin}:{line}" if line else self.origin
        return ConfigError(f"{prefix}: {where.removeprefix('<top>.')}: {message}")

    # -- checks ------------------------------------------------------------------

    def known(self, where: str, table: Mapping[str, Any], allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                raise self.fail(f"{where}.{key}", f"unknown key {key!r}{did_you_mean(key, allowed)}")

    def typed(self, where: str, value: Any, kind: type | tuple[type, ...]) -> Any:
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        name = {"str": "a string", "int": "an integer", "dict": "a table", "list": "a list",
                "bool": "true or false"}.get(name, name)
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise self.fail(where, f"expected {name}, got {value!r}")
        return value

    def duration(self, where: str, value: Any, *, zero_ok: bool = False) -> float:
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None
        if seconds < 0 or (seconds == 0 and not zero_ok):
            raise self.fail(where, "must not be negative" if zero_ok else "must be positive")
        return seconds

    def count(self, where: str, value: Any, low: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(where, f"expected a whole number >= {low}, got {value!r}")
        return value

    def number(self, where: str, value: Any, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or (positive and value <= 0):
            raise self.fail(where, f"expected a {'positive ' if positive else ''}number, got {value!r}")
        return float(value)

    def port(self, where: str, value: Any) -> int:
        if isinstance(value, str) and value.strip().isdigit():  # from the environment
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise self.fail(where, f"expected a TCP port (1-65535), got {value!r}")
        return value

    def choice(self, where: str, value: Any, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        if not isinstance(value, str) or value not in choices:
            raise self.fail(where, f"expected one of {', '.join(choices)}, got {value!r}")
        return value
