"""The languages newsmon reads, as people and metrics see them (pure, no detection import).

Detection identifies every entry's language (`newsmon.detect.tokens.identify_language`) and
keeps its ISO 639-1 code on the analysis.  Here: the supported codes (those with lexicons; a
test keeps this list equal to `newsmon.detect.tokens.SUPPORTED`), their English names for the
timeline and Slack, and the bounded metric label (a supported code, else ``"other"``).
"""

from __future__ import annotations

SUPPORTED = ("en", "uk", "ru", "de", "fr", "es", "it", "pl", "pt")
OTHER = "other"
NAMES = {
    "en": "English", "uk": "Ukrainian", "ru": "Russian", "de": "German", "fr": "French", "es": "Spanish",
    "it": "Italian", "pl": "Polish", "pt": "Portuguese",
}


def metric_label(code: str) -> str:
    """The ``language`` label of a metric: a supported code, else ``"other"`` (a bounded set)."""
    return code if code in NAMES else OTHER


def display(code: str) -> str:
    """"Ukrainian (uk)" for a supported code, the code itself for another, "unknown" for none."""
    if not code:
        return "unknown"
    return f"{NAMES[code]} ({code})" if code in NAMES else code
