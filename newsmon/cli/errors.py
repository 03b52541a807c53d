"""User errors of the command line: one line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn, TypeVar

T = TypeVar("T")


class UserError(Exception):
    """Something the user gave is wrong (a file, a url, an option); the message says what."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (the usage is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def reading(path: object, read: Callable[[], T]) -> T:
    """`read()`, with a missing, unreadable or malformed input file turned into a `UserError`."""
    from newsmon.connectors.parsing import ParseError

    try:
        return read()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except ParseError as exc:
        raise UserError(str(exc)) from None
