"""Whose claim it is when no side table knows the parties: the names around the action.

Two reports of a breakthrough at one place are the same side's claim when the attacker of one is
the attacker of the other, and the other side's when the attacker of one is the defender of the
other.  For parties of ``sides.toml`` the side says so; for the parties of any other war (the LNA
and the GNA, ISWAP, the LTTE) the claim's own sentence does:

* the **attacker** is named before the action and by the claimant ("*Haftar's LNA* said its troops
  had punched through ..."; "*GNA forces* claim breakthrough");
* the **defender** right after it, up to the first punctuation or attribution ("breached *the LNA's*
  defences around Aziziya, according to ..."; "the lines *of Tripoli forces* in Ain Zara").

A party is known by its name words and by the initials of a name of several words, so the
"Libyan National Army" is the "LNA" and the "Government of National Accord" the "GNA".  The
claim's places are no party.  Words that name no party ("forces", "army", "ministry") are left out.
"""

from __future__ import annotations

import functools
import re

from newsmon.detect.events import entity_key, same_name
from newsmon.detect.parties import NO_PARTY_WORDS
from newsmon.model import Claim

_NAME_RUN = re.compile(r"[A-Z][\w'\-]*(?:\s+(?:of\s+(?:the\s+)?|and\s+|for\s+)?[A-Z][\w'\-]*)+")
_WORD = re.compile(r"[^\W\d_][\w'\-]*")
_LINKS = frozenset({"of", "the", "and", "for"})
_ATTRIBUTION = re.compile(r"[,;:()\u2013\u2014\"\u201c\u201d]|\baccording\b|\bsaid\b|\bsays\b|\bclaimed\b", re.I)
# a passive's auxiliary right before the action, and the agent after it ("were breached by ...")
_AUXILIARIES = (
    r"was|were|been|being|is|are|be|got|wurden?|worden|été|était|étaient|fue|fueron|sido|foi|foram|"
    r"stat[aoie]|è|sono|został[aoy]?|zostały|был[аои]?|бул[аои]?"
)
_PASSIVE_BEFORE = re.compile(rf"(?:^|\s)(?:{_AUXILIARIES})(?:\s+\w+)?\s*$", re.I)
_PASSIVE_ACTION = re.compile(rf"(?:{_AUXILIARIES})\s", re.I)
_AGENT = re.compile(r"\b(?:by|von|par|por|da|przez)\s+(.+)", re.I)
_NO_PARTY = NO_PARTY_WORDS | {
    "pro", "anti", "enemy", "spokesman", "said", "says", "claim", "claims", "statement", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
}


@functools.lru_cache(maxsize=1 << 12)
def party_names(text: str) -> frozenset[str]:
    """The keys of the party names in ``text``: capitalised words and the initials of names of
    several capitalised words ("Libyan National Army" also gives "lna")."""
    out: set[str] = set()
    for run in _NAME_RUN.finditer(text):
        words = [w for w in run.group(0).split() if w.lower() not in _LINKS]
        if len(words) >= 2 and not any(w.isupper() or w.endswith(("'s", "\u2019s")) for w in words):
            out.add("".join(w[0] for w in words).lower())
    for word in _WORD.findall(text):
        bare = word.removesuffix("'s").removesuffix("\u2019s")
        parts = [p for p in bare.split("-") if p]
        for part in parts:
            if part[:1].isupper() and part.lower() not in _NO_PARTY and len(part) >= 2:
                out.add(entity_key(part))
    return frozenset(out)


@functools.lru_cache(maxsize=1 << 12)  # a story's claims are compared with every new claim
def roles(claim: Claim) -> tuple[frozenset[str], frozenset[str]] | None:
    """(attacker's names, defender's names) of a claim, None when its action is not found in its sentence."""
    sentence, action = claim.evidence, claim.action
    at = sentence.casefold().find(action.casefold()) if action else -1
    if at < 0:
        return None
    before, after = sentence[:at], sentence[at + len(action):]
    stop = _ATTRIBUTION.search(after)
    following = after[: stop.start()] if stop else after
    progressive = action.split()[0].casefold().endswith("ing")  # "were breaking through": active
    if not progressive and (_PASSIVE_BEFORE.search(before) or _PASSIVE_ACTION.match(action)):  # "were breached"
        agent = _AGENT.search(following)
        return party_names(agent.group(1) if agent else "") | party_names(claim.claimant), party_names(before)
    return party_names(before) | party_names(claim.claimant), party_names(following)


def _meet(a: frozenset[str], b: frozenset[str], places: frozenset[str]) -> bool:
    return any(same_name(x, y) for x in a - places for y in b - places)


def same_party(a: Claim, b: Claim) -> bool | None:
    """Whether two claims at one place are one party's (True), the two sides' (False), or
    the sentences do not say (None)."""
    ra, rb = roles(a), roles(b)
    if ra is None or rb is None:
        return None
    places = party_names(a.place) | party_names(b.place) | {entity_key(a.place), entity_key(b.place)}
    if _meet(ra[0], rb[1], places) or _meet(ra[1], rb[0], places):
        return False
    if _meet(ra[0], rb[0], places) or _meet(ra[1], rb[1], places):
        return True
    return None
