"""Text normalisation and content hashing shared by connectors and detection."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from html.parser import HTMLParser

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article figure figcaption tr table".split()  # noqa: SIM905
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template"))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    """Unicode NFC, no invisible characters, single spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\r\n", "\n")
    text = text.replace("\u00a0", " ")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, paragraphs kept."""
    if "<" not in markup:
        return normalise(html.unescape(markup))
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return normalise("".join(parser.parts))


def content_hash(title: str, body: str) -> str:
    """A short stable hash of what a reader sees; changes when the entry is edited."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(normalise(title).casefold().encode())
    digest.update(b"\x00")
    digest.update(normalise(body).casefold().encode())
    return digest.hexdigest()
