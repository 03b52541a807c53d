"""Tokens, word shingles and quotations: the text features of near-duplicate detection.

Everything here is deterministic across processes (no use of Python's salted
``hash``), so fingerprints stored in a table survive a restart.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
# Odd 64-bit multipliers used to combine token hashes into shingle hashes.
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S27, _S30, _S31 = np.uint64(27), np.uint64(30), np.uint64(31)


def fold(text: str) -> str:
    """NFKC, case-folded, with typographic quotes, apostrophes and dashes made plain."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def word_tokens(text: str) -> list[str]:
    """Lower-case word tokens of a text; possessive ``'s`` is dropped."""
    return _TOKEN.findall(_POSSESSIVE.sub("", fold(text)))


def _mix64(values: U64) -> U64:
    """The splitmix64 finaliser, element-wise (wrapping uint64 arithmetic)."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def token_hashes(tokens: list[str]) -> U64:
    """A stable 32-bit hash (CRC-32) of every token, as uint64."""
    return np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(tokens: list[str], size: int = 3) -> U64:
    """Sorted unique 64-bit hashes of the word ``size``-grams of ``tokens``.

    A text shorter than ``size`` tokens gives one shingle of all its tokens;
    an empty text gives an empty array.
    """
    if size < 1 or size > len(_MULTIPLIERS):
        raise ValueError(f"shingle size must be 1..{len(_MULTIPLIERS)}, got {size}")
    hashes = token_hashes(tokens)
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(size, n)
    count = n - width + 1
    combined = hashes[0:count] * _MULTIPLIERS[0]
    for j in range(1, width):
        combined = combined + hashes[j : j + count] * _MULTIPLIERS[j]
    return _sorted_unique(_mix64(combined))


_QUOTE = re.compile(r'"([^"\n]{12,}?)(?:"|(?=\n)|$)')


def quotations(text: str, min_words: int = 4) -> list[str]:
    """Direct quotations in double quotes (any typographic style) of at least ``min_words`` words.

    A paragraph that opens a quotation without closing it (the convention for
    quotes running over several paragraphs) is quoted to its end.  Single
    quotes are ignored: in headlines they mostly mark scare quotes.
    """
    found: list[str] = []
    for paragraph in text.translate(_FOLD).split("\n"):
        for match in _QUOTE.finditer(paragraph):
            quote = match.group(1).strip()
            if len(_TOKEN.findall(quote)) >= min_words:
                found.append(quote)
    return found


def quote_shingles(text: str, size: int = 3) -> U64:
    """Sorted unique shingle hashes of the direct quotations of ``text``."""
    parts = [text_shingles(q, size) for q in quotations(text)]
    if not parts:
        return np.empty(0, dtype=np.uint64)
    return np.unique(np.concatenate(parts))


def overlap(a: U64, b: U64) -> int:
    """Size of the intersection of two sorted unique hash arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0
    return int(np.intersect1d(a, b, assume_unique=True).size)


def jaccard(a: U64, b: U64) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    inter = overlap(a, b)
    union = len(a) + len(b) - inter
    return inter / union if union else 0.0


# -- fast path: shingles straight from the UTF-8 bytes of the folded text ----------------
# A byte is part of a word when it is an ASCII letter or digit or any non-ASCII byte
# (multi-byte UTF-8 letters); everything else separates words.  A token's hash is a
# polynomial hash of its bytes computed from prefix sums, so no Python-level loop runs
# per token.  Tokens are the same as word_tokens() on ASCII text.
_WORD_BYTE = np.zeros(256, dtype=np.bool_)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True
_BASE = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_POW = np.ones(1, dtype=np.uint64)
_INV = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[U64, U64]:
    """BASE**i and BASE**-i modulo 2**64 for i < n (cached, grown by doubling)."""
    global _POW, _INV
    if len(_POW) < n:
        size = 1 << (n - 1).bit_length()
        inverse = pow(int(_BASE), -1, 2**64)
        pw = np.empty(size, dtype=np.uint64)
        iv = np.empty(size, dtype=np.uint64)
        p = q = 1
        for i in range(size):
            pw[i] = p
            iv[i] = q
            p = (p * int(_BASE)) & 0xFFFFFFFFFFFFFFFF
            q = (q * inverse) & 0xFFFFFFFFFFFFFFFF
        _POW, _INV = pw, iv
    return _POW, _INV


_powers(1 << 14)


_ASCII_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ`", b"abcdefghijklmnopqrstuvwxyz'")
_WORD_MARK = bytes(int(b) for b in _WORD_BYTE)  # bytes.translate table: 1 for word bytes, 0 else
_ONE = np.uint64(1)
_EMPTY_U64 = np.empty(0, dtype=np.uint64)


def folded_bytes(text: str) -> bytes:
    """UTF-8 of :func:`fold` ``(text)``; ASCII text (NFKC-stable, casefold = lower) skips unicodedata."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD)
    return fold(text).encode("utf-8")


def fast_token_hashes(text: str) -> U64:
    """64-bit hashes of the word tokens of ``text`` (folded, possessive 's dropped)."""
    raw = folded_bytes(text)
    n = len(raw)
    if n == 0:
        return _EMPTY_U64.copy()
    # 1 for word bytes, padded with a 0 at each end: word boundaries are where it changes
    marks = np.frombuffer(b"\0" + raw.translate(_WORD_MARK) + b"\0", dtype=np.uint8)
    edges = (marks[1:] != marks[:-1]).nonzero()[0]
    if not len(edges):
        return _EMPTY_U64.copy()
    data = np.frombuffer(raw, dtype=np.uint8)
    pw, iv = _powers(n + 1)
    # prefix[i] = sum over j < i of (data[j] + 1) * BASE**j (mod 2**64); a token's hash is
    # the sum over its bytes divided by BASE**start, so it does not depend on its position
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    body = prefix[1:]
    np.add(data, _ONE, out=body)
    np.multiply(body, pw[:n], out=body)
    np.add.accumulate(prefix, out=prefix)
    starts = edges[0::2]
    if b"'s" in raw:
        # "ukraine's" -> "ukraine": drop a one-letter "s" token right after an apostrophe
        ends = edges[1::2]
        single = (ends - starts == 1).nonzero()[0]
        if len(single):
            at = starts[single]
            drop = single[(data[at] == 0x73) & (data[np.maximum(at - 1, 0)] == 0x27)]
            if len(drop):
                starts, ends = np.delete(starts, drop), np.delete(ends, drop)
                hashes: U64 = (prefix[ends] - prefix[starts]) * iv[starts]
                return hashes
    at_edges = prefix.take(edges)
    hashes = at_edges[1::2] - at_edges[0::2]
    hashes *= iv.take(starts)
    return hashes


def text_shingles(text: str, size: int = 3) -> U64:
    """Sorted unique hashes of the word ``size``-grams of ``text`` (fast, numpy only)."""
    hashes = fast_token_hashes(text)
    n = len(hashes)
    if n == 0:
        return hashes
    width = max(1, min(size, n))
    if width > len(_MULTIPLIERS):
        raise ValueError(f"shingle size must be 1..{len(_MULTIPLIERS)}, got {size}")
    count = n - width + 1
    # row k of the windows is hashes[k : k + width]; a matrix product sums the weighted tokens
    windows: U64 = np.ndarray((count, width), dtype=np.uint64, buffer=hashes, strides=(8, 8))
    combined: U64 = windows @ _MULTIPLIERS[:width]
    return _sorted_unique(_mix64_inplace(combined))


def _mix64_inplace(values: U64) -> U64:
    """:func:`_mix64` in place (fewer temporaries)."""
    tmp = values >> _S30
    values ^= tmp
    values *= _MIX1
    np.right_shift(values, _S27, out=tmp)
    values ^= tmp
    values *= _MIX2
    np.right_shift(values, _S31, out=tmp)
    values ^= tmp
    return values


def _sorted_unique(values: U64) -> U64:
    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=np.bool_)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    if np.count_nonzero(keep) == len(keep):
        return values
    unique: U64 = values[keep]
    return unique
