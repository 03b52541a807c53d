"""Breakthrough-claim extraction and contest signals, by lexicon and local syntax.

For every sentence (the title counts as one) holding a breakthrough trigger the
extractor decides, in this order, whether the trigger is

* non-military ("breakthrough in talks"): a non-military word is near it and no military word is;
* negated, failed or hypothetical: a negator occurs in the words before it in the
  same clause ("failing to punch through", "no significant breakthroughs",
  "struggles to achieve a breakthrough", "hopes to break through"), unless a
  blocking verb follows the negator ("could not hold the breakthrough" affirms it);
  or a negation follows it ("the breakthrough has not ...");
* a third-party assessment ("according to UK intelligence", "likely");
* a recap of an earlier report ("Russia said earlier ...").

Otherwise it is a claim.  The claimant is the attributed speaker ("X said/claimed",
"..., said X", "according to X"), else the subject of the trigger clause; the place
is the first capitalised name after a locative preposition (in/near/around/...),
skipping determiners, compass words and a possessive country ("in Ukraine's
Luhansk" -> "Luhansk").  No gazetteer is used.

Contest signals are sentences where someone says attacks were repelled or denies;
:func:`contests_claim` decides whether one contests a given earlier claim (same
place, the other side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsmon.detect.shingles import _FOLD
from newsmon.detect.taxonomy import CaselessPhrases, ClaimLexicon
from newsmon.model import Claim

_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CAP_WORD = re.compile(r"[A-Z][\w'\-]*")
_CLAUSE_BREAK = re.compile(r"[;:]|\s(?:but|although|though|however|while|whereas)\s", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|near|around|outside|at|towards|toward|into|of|across|from|on)\s+", re.IGNORECASE)
_PLACE_SKIP = frozenset(
    [
        "the",
        "a",
        "an",
        "part",
        "parts",
        "of",
        "eastern",
        "western",
        "northern",
        "southern",
        "central",
        "north",
        "south",
        "east",
        "west",
        "outskirts",
        "key",
        "strategic",
        "town",
        "city",
        "village",
        "region",
        "province",
        "area",
        "areas",
        "district",
        "front",
        "sector",
        "frontline",
        "direction",
        "embattled",
        "besieged",
        "occupied",
        "heavily",
        "contested",
        "small",
    ]
)
_PLACE_NOUN = re.compile(
    r"(?:region|oblast|province|city|town|village|area|district|front|sector|direction|axis)\b", re.I
)
_ADJECTIVAL_NOUN = re.compile(
    r"(?:troops|forces|defen[cs]es?|army|military|lines?|positions|attacks?|side|soldiers|units|"
    r"officials?|ministry|government|president|command|offensive|counterparts?|media|state)\b",
    re.I,
)
_NOT_PLACES = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Telegram",
        "Twitter",
        "Facebook",
        "Reuters",
        "The",
        "A",
        "An",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "We",
        "I",
    ]
)
_PLAIN_NEGATION = re.compile(r"\b(?:not|no|never|cannot|unable|fail\w*)\b", re.IGNORECASE)
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "i", "its", "their", "them", "this", "that", "there"])
_ORG_NOUN = re.compile(
    r"\b(?:ministry|military|army|command|forces|troops|general|commander|spokes\w+|official|officials|office|"
    r"government|president|governor|group|mercenar\w*|staff|headquarters|kremlin|defen[cs]e|authorit\w+)\b",
    re.I,
)
_LEADING = re.compile(r"^(?:(?:the|a|an|and|but|however|even|also|has|have|had|now|then|later)\s+)+", re.I)
_SAY_TRAIL = re.compile(r"\s+(?:has|have|had|also|on \w+|early|late|\w+ly)$", re.I)


def side_words(text: str) -> frozenset[str]:
    """The capitalised words of a party's name, lower-cased, without possessives."""
    return frozenset(w.lower().removesuffix("'s") for w in _CAP_WORD.findall(text.translate(_FOLD)))


def same_side(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two parties share a name word, up to a demonym ending (Russia ~ Russian)."""
    for x in a:
        for y in b:
            n = min(len(x), len(y))
            if n >= 4 and x[: max(4, n - 3)] == y[: max(4, n - 3)] and x[:5] == y[:5]:
                return True
            if x == y:
                return True
    return False


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # quotes/apostrophes made plain, same length as the original
    index: int  # 0 = title
    in_title: bool


@dataclass(frozen=True, slots=True)
class ContestSignal:
    """A sentence saying attacks were repelled, or denying something."""

    kind: str  # "repel" | "deny"
    sentence: str
    speaker: str
    attacker: str  # for "repel": the party whose attacks were repelled
    phrase: str


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claims: tuple[Claim, ...] = ()
    blocked: tuple[dict[str, str], ...] = ()  # {"trigger", "reason", "sentence"}
    contests: tuple[ContestSignal, ...] = ()
    triggers: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def split_sentences(title: str, body: str) -> list[Sentence]:
    out: list[Sentence] = []
    if title.strip():
        out.append(Sentence(title.translate(_FOLD).strip(), 0, True))
    for paragraph in body.translate(_FOLD).split("\n"):
        paragraph = paragraph.strip().lstrip("*•-– ").strip()
        if not paragraph:
            continue
        for part in _SENTENCE.split(paragraph):
            if part.strip():
                out.append(Sentence(part.strip(), len(out), False))
    return out


class ClaimExtractor:
    """Extracts breakthrough claims and contest signals from an entry."""

    def __init__(self, lexicon: ClaimLexicon) -> None:
        self.lexicon = lexicon
        self._trigger = CaselessPhrases(lexicon.triggers)
        self._non_military = CaselessPhrases(lexicon.non_military)
        self._military = CaselessPhrases(lexicon.military)
        self._negator = CaselessPhrases(lexicon.negators)
        self._blocker = CaselessPhrases(lexicon.blockers)
        self._post_negator = CaselessPhrases(lexicon.post_negators)
        self._assessment = CaselessPhrases(lexicon.assessment)
        self._recap = CaselessPhrases(lexicon.recap)
        self._unverified = CaselessPhrases(lexicon.unverified)
        self._verified = CaselessPhrases(lexicon.verified)
        self._repel = CaselessPhrases(lexicon.repel)
        self._deny = CaselessPhrases(lexicon.deny)
        verbs = "|".join(re.escape(v) for v in sorted(lexicon.say_verbs, key=len, reverse=True)) or "(?!x)x"
        self._say = re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)
        self._say_after = re.compile(rf"\b(?:{verbs})\s+(?:by\s+)?(the\s+[^,.;:\"]{{3,80}})", re.IGNORECASE)
        self._according = re.compile(r"\baccording to\s+([^,.;:\"]{3,80})", re.IGNORECASE)

    # -- public -------------------------------------------------------------------------
    def extract(self, title: str, body: str) -> ClaimResult:
        sentences = split_sentences(title, body)
        full = " ".join(s.text for s in sentences)
        claims_found: list[tuple[Sentence, str, str]] = []  # (sentence, claimant, place)
        blocked: list[dict[str, str]] = []
        triggers: list[str] = []
        for sentence in sentences:
            for match in self._trigger.finditer(sentence.text):
                triggers.append(match.group(0))
                reason = self._blocked_reason(sentence.text, match)
                if reason:
                    blocked.append({"trigger": match.group(0), "reason": reason, "sentence": sentence.text})
                    continue
                claimant = self.claimant(sentence.text, match.start())
                place = self.place(sentence.text, match.end()) or self.place(sentence.text, 0)
                claims_found.append((sentence, claimant, place))
                break
        contests = tuple(self.contest_signals(sentences))
        if not claims_found:
            return ClaimResult((), tuple(blocked), contests, tuple(triggers))
        claimant = self._best_claimant([c for _, c, _ in claims_found] + self._speakers(sentences))
        place = next((p for _, _, p in claims_found if p), "")
        verified = self._is_verified(full)
        evidence = next((s.text for s, c, _ in claims_found if not s.in_title), claims_found[0][0].text)
        claim = Claim(kind="breakthrough", claimant=claimant, place=place, verified=verified, evidence=evidence)
        return ClaimResult((claim,), tuple(blocked), contests, tuple(triggers))

    # -- decisions ----------------------------------------------------------------------
    def _blocked_reason(self, text: str, match: re.Match[str]) -> str:
        start, end = match.span()
        window = text[max(0, start - 90) : min(len(text), end + 90)]
        if self._non_military.search(window) and not self._military.search(window.replace(match.group(0), " ")):
            return f"non-military context: {self._non_military.search(window).group(0)!r}"  # type: ignore[union-attr]
        clause_start = 0
        for brk in _CLAUSE_BREAK.finditer(text, 0, start):
            clause_start = brk.end()
        before = text[clause_start:start].replace("n't", " not")
        words = _WORD.findall(before)[-10:]
        pre = " ".join(words)
        blocker = None
        for found in self._blocker.finditer(pre):
            blocker = found
        if blocker is not None and _PLAIN_NEGATION.search(pre, 0, blocker.start()):
            pass  # "could not hold the breakthrough": the breakthrough happened
        else:
            negation = None
            for neg in self._negator.finditer(pre):
                negation = neg
            if negation is not None:
                return f"negation: {negation.group(0)!r} before {match.group(0)!r}"
        after = " ".join(_WORD.findall(text[end:].replace("n't", " not"))[:5])
        post = self._post_negator.search(after)
        if post:
            return f"negation: {post.group(0)!r} after {match.group(0)!r}"
        assessment = self._assessment.search(text)
        if assessment:
            return f"assessment: {assessment.group(0)!r}"
        recap = self._recap.search(text)
        if recap:
            return f"recap of an earlier report: {recap.group(0)!r}"
        return ""

    def _is_verified(self, text: str) -> bool:
        if self._unverified.search(text):
            return False
        return self._verified.search(text) is not None

    # -- parties and places -------------------------------------------------------------
    def claimant(self, text: str, position: int = 0) -> str:
        """Who a sentence attributes its statement to ("" if nobody)."""
        found = self._according.search(text)
        if found and _is_party(_clean_party(found.group(1))):
            return _clean_party(found.group(1))
        for verb in self._say.finditer(text):
            head = text[: verb.start()]
            cut = max(head.rfind(","), head.rfind('"'), head.rfind(";"), head.rfind(":"))
            who = _clean_party(head[cut + 1 :])
            if _is_party(who):
                return who
            after = self._say_after.match(text, verb.start())
            if after and _is_party(_clean_party(after.group(1))):
                return _clean_party(after.group(1))
        # no attribution: the subject of the clause holding the trigger
        head = text[:position]
        cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
        subject = re.match(
            r"\s*((?:[A-Z][\w'\-]*\s+){0,3}(?:[a-z]+\s+)?(?:[A-Z][\w'\-]*|troops|forces|army|military))",
            head[cut + 1 :],
        )
        return _clean_party(subject.group(1)) if subject else ""

    def _speakers(self, sentences: list[Sentence]) -> list[str]:
        return [c for s in sentences[:4] if (c := self.claimant(s.text, 0)) and self._say.search(s.text)]

    @staticmethod
    def _best_claimant(candidates: list[str]) -> str:
        candidates = [c for c in candidates if c and c.split()[0].lower() not in _PRONOUNS]
        if not candidates:
            return ""

        def rank(c: str) -> tuple[int, int, int]:
            return (1 if _ORG_NOUN.search(c) else 0, 1 if _CAP_WORD.search(c) else 0, -abs(len(c.split()) - 3))

        return max(candidates, key=rank)

    def place(self, text: str, start: int = 0) -> str:
        """The first capitalised place name after a locative preposition from ``start``."""
        best = ""
        for prep in _LOCATIVE.finditer(text, start):
            name, strong = _name_after(text, prep.end())
            if name:
                if strong:
                    return name
                best = best or name
        return best

    def places(self, text: str) -> list[str]:
        out: list[str] = []
        for prep in _LOCATIVE.finditer(text):
            name, _ = _name_after(text, prep.end())
            if name and name not in out:
                out.append(name)
        return out

    # -- contests -----------------------------------------------------------------------
    def contest_signals(self, sentences: list[Sentence]) -> list[ContestSignal]:
        out: list[ContestSignal] = []
        for sentence in sentences:
            text = sentence.text
            for kind, pattern in (("repel", self._repel), ("deny", self._deny)):
                match = pattern.search(text)
                if not match:
                    continue
                pre = " ".join(_WORD.findall(text[: match.start()].replace("n't", " not"))[-4:])
                if re.search(r"\b(?:not|no|never|fail\w*|unable)\b", pre, re.I):
                    continue
                attacker = ""
                if kind == "repel":
                    hit = re.search(
                        r"([A-Z][\w'\-]*)\s+(?:\w+\s+)?(?:attacks?|assaults?|offensives?|troops|forces|advances?)",
                        text[match.end() :],
                    )
                    attacker = hit.group(1) if hit else ""
                out.append(ContestSignal(kind, text, self.claimant(text, match.start()), attacker, match.group(0)))
                break
        return out


def _is_party(who: str) -> bool:
    """A plausible speaker: a few words naming someone, not a pronoun or a clause."""
    words = who.split()
    if not words or len(words) > 7 or words[0].lower() in _PRONOUNS:
        return False
    return bool(
        _CAP_WORD.search(who[1:])
        or _ORG_NOUN.search(who)
        or (len(words) == 1 and who[0].isupper() and who.lower() not in _FUNCTION)
    )


_FUNCTION = frozenset(["also", "but", "and", "even", "however", "then", "now", "still", "yet"])


def _clean_party(text: str) -> str:
    text = text.strip().strip("\"'()[]").strip()
    text = _LEADING.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _SAY_TRAIL.sub("", text).strip()
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.I)
    return text[:1].upper() + text[1:] if text else ""


def _name_after(text: str, pos: int) -> tuple[str, bool]:
    """A capitalised name starting within a few skippable words of ``pos``; (name, strong)."""
    rest = text[pos : pos + 120]
    words = list(re.finditer(r"[\w'\-]+", rest))
    i = 0
    skipped = 0
    while i < len(words) and skipped <= 4:
        word = words[i].group(0)
        if word[0].isupper():
            if word.endswith("'s") and i + 1 < len(words) and words[i + 1].group(0)[0].isupper():
                i += 1  # "Ukraine's Luhansk": the possessive names the country
                continue
            name_words = [word.removesuffix("'s")]
            j = i + 1
            while j < len(words) and words[j].group(0)[0].isupper() and len(name_words) < 3:
                name_words.append(words[j].group(0).removesuffix("'s"))
                j += 1
            if name_words[0] in _NOT_PLACES:
                return "", False
            following = rest[words[j - 1].end() :].lstrip()
            if _ADJECTIVAL_NOUN.match(following):
                return "", False  # "Ukrainian defences": an adjective, not a place
            while len(name_words) > 1 and name_words[-1].lower() in ("region", "oblast", "province"):
                name_words.pop()
            strong = bool(_PLACE_NOUN.match(following)) or (i > 0 and words[i - 1].group(0).lower() in _PLACE_SKIP)
            return " ".join(name_words), strong
        if word.lower() not in _PLACE_SKIP:
            return "", False
        skipped += 1
        i += 1
    return "", False


def contest_reason(signal: ContestSignal, claim: Claim, claim_sides: frozenset[str], same_story: bool) -> str:
    """Why ``signal`` contests ``claim`` ("" when it does not)."""
    place = claim.place.casefold()
    place_hit = bool(place) and place in signal.sentence.casefold()
    if not (place_hit or same_story):
        return ""
    speaker = side_words(signal.speaker)
    if signal.kind == "repel":
        attacker = side_words(signal.attacker)
        if attacker and claim_sides and not same_side(attacker, claim_sides):
            return ""
        if speaker and claim_sides and same_side(speaker, claim_sides) and not attacker:
            return ""
    else:
        if speaker and claim_sides and same_side(speaker, claim_sides):
            return ""
    where = f"in {claim.place}" if place_hit else "in the same story"
    who = signal.speaker or "the other side"
    verb = "says it repelled attacks" if signal.kind == "repel" else "denies"
    return f"{who} {verb} {where} ({signal.phrase!r})"
