"""Which codec a document's bytes are in (split from `parsing`, which re-exports it)."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Browsers (WHATWG) read these labels as windows-1252, a superset of the printable latin-1.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"})


def charset_from_content_type(content_type: str) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def guess_encoding(data: bytes, content_type: str = "") -> str:
    """The codec to decode `data` with.

    Order: byte-order mark; valid UTF-8 with non-ASCII bytes (multi-byte
    UTF-8 sequences do not occur by chance in legacy-encoded text, while
    servers often label UTF-8 as ISO-8859-1); the Content-Type charset; the
    document's own declaration (``<?xml encoding=…?>``, ``<meta charset=…>``);
    UTF-8.  A declared codec is used only if it decodes the bytes without
    error.  Bytes that are not UTF-8 and declare nothing usable (e.g. a latin-1
    feed without an XML declaration) are read as windows-1252, the encoding
    browsers assume; that matches ISO-8859-1 for every printable character.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    if not data.isascii() and _decodes(data, "utf-8"):
        return "utf-8"
    head = data[:4096]
    candidates = [charset_from_content_type(content_type)]
    xml_decl = _XML_DECL_ENCODING.match(head)
    candidates.append(xml_decl.group(1).decode("ascii") if xml_decl else None)
    meta = _META_CHARSET.search(head)
    candidates.append(meta.group(1).decode("ascii") if meta else None)
    for label in candidates:
        found = _codec(label)
        # A UTF-16/32 label on bytes that passed as ASCII so far is a lie (the
        # declaration itself was readable as ASCII): ignore it.
        if found and not found.startswith(("utf-16", "utf-32")) and _decodes(data, found):
            return found
    if _decodes(data, "utf-8"):
        return "utf-8"
    return "cp1252" if _decodes(data, "cp1252") else "latin-1"


def decode_bytes(data: bytes, content_type: str = "") -> str:
    """`data` as text, decoded with `guess_encoding`; never raises."""
    return data.decode(guess_encoding(data, content_type), errors="replace")


