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
_DETECT_BYTES = 256 * 1024  # what charset detection looks at
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


def sniff_encoding(data: bytes, content_type: str = "") -> tuple[str, bool]:
    """The codec to decode `data` with, and whether the document or the server said so.

    Order: byte-order mark; valid UTF-8 with non-ASCII bytes (multi-byte
    UTF-8 sequences do not occur by chance in legacy-encoded text, while
    servers often label UTF-8 as ISO-8859-1); the Content-Type charset; the
    document's own declaration (``<?xml encoding=…?>``, ``<meta charset=…>``);
    UTF-8.  A declared codec is used only if it decodes the bytes without
    error.  Bytes that are not UTF-8 and declare nothing usable are detected
    (`detect_legacy`): a KOI8-R or windows-1251 feed without declaration is
    read as such, a latin-1 one as windows-1252.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, True
    if not data.isascii() and _decodes(data, "utf-8"):
        return "utf-8", False
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
            return found, True
    if _decodes(data, "utf-8"):
        return "utf-8", False
    return detect_legacy(data), False


def detect_legacy(data: bytes) -> str:
    """The legacy codec of undeclared, non-UTF-8 bytes, detected by charset-normalizer.

    Windows-1252 (what browsers assume; it matches ISO-8859-1 for every printable
    character) is kept unless the detector finds a language in another code page
    that reads the bytes as cleanly and differently: Western text decodes without
    noise in several code pages (a Portuguese feed is "cleanest" in cp1257 too),
    a short sample shows no language at all, and cp1252 is the likeliest of them.
    """
    import charset_normalizer

    sample = data[:_DETECT_BYTES]
    fallback = "cp1252" if _decodes(data, "cp1252") else "latin-1"
    western = sample.decode(fallback, errors="replace")
    results = list(charset_normalizer.from_bytes(sample))
    if not results:
        return fallback
    cleanest = min(m.chaos for m in results)
    for match in results:
        if match.chaos <= cleanest and str(match) == western:
            return fallback  # a code page that reads the bytes as windows-1252 does
    best = max((m for m in results if m.chaos <= cleanest), key=lambda m: m.coherence)
    codec = _codec(best.encoding)
    if best.coherence > 0 and codec and _decodes(data, codec):
        return codec
    return fallback


def guess_encoding(data: bytes, content_type: str = "") -> str:
    """The codec to decode `data` with (see `sniff_encoding`)."""
    return sniff_encoding(data, content_type)[0]


def decode_bytes(data: bytes, content_type: str = "") -> str:
    """`data` as text, decoded with `guess_encoding`; never raises."""
    return data.decode(guess_encoding(data, content_type), errors="replace")


