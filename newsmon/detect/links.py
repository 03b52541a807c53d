"""How a new entry links to the earlier entries of the window.

A duplicate: near-verbatim (MinHash, then the shingles' Jaccard), reworded (repeating
the earlier entry's quotations) or the same event in other words; a re-report of an
earlier claim (the same side, the same place, nothing new) or a development of it; a
report on a claim (an assessment or a recap); a claim of another event than a story's;
a contest of an earlier claim.  :class:`EntryLinks` is the part of
:class:`~newsmon.detect.detector.Detector` that decides these, on the detector's window.
"""

from __future__ import annotations

from typing import Any

from newsmon.detect.claimparties import same_party
from newsmon.detect.claims import ATTEMPT_REASONS, ClaimResult, contest_reason
from newsmon.detect.config import DetectionConfig
from newsmon.detect.crosslang import CrossLanguageLinks
from newsmon.detect.events import Signature, entity_key, unmatched
from newsmon.detect.memory import EntryState
from newsmon.detect.neardup import NearDupIndex
from newsmon.detect.parties import other_party, same_side, side_words
from newsmon.detect.places import default_gazetteer, place_key
from newsmon.detect.shingles import U64, jaccard, overlap
from newsmon.detect.stories import StoryIndex
from newsmon.model import Claim


def _same_claim(a: Claim, b: Claim, b_places: frozenset[str] = frozenset(), joined: bool = False) -> bool:
    """The same side claiming a breakthrough at the same place: one name in any spelling, script
    or case (:func:`~newsmon.detect.places.place_key`), a place and the region it lies in ("in
    Kursk region" re-reports "at Tyotkino"), or a place that ``b``'s entry named beside its own
    ("near El Obeid" re-reports "at Um Sumeima, a town west of El Obeid"). When no side table
    knows either party, claimants that name no two different parties are one side's in the story
    the entry ``joined``."""
    gazetteer = default_gazetteer()
    if not a.place:
        return False
    near = bool(b_places) and place_key(entity_key(a.place)) in {place_key(p) for p in b_places}
    if not (near or gazetteer.same_place(a.place, b.place) or gazetteer.within(a.place, b.place)):
        return False
    if a.side and b.side:
        return a.side == b.side
    if same_side(side_words(a.claimant), side_words(b.claimant)):
        return True
    # parties no side table knows: the names around the two actions say whose claims they are
    verdict = same_party(a, b)
    if verdict is not None:
        return verdict
    # ... else, in the story the entry joined by its words: one side's claim
    return joined and not a.side and not b.side and not other_party(a.claimant, b.claimant)




# a summary repeats an earlier one when nearly all its wording is the earlier one's (a summary that adds
# items to the same box is a new summary)
ROUNDUP_REPEAT_JACCARD = 0.8


class EntryLinks(CrossLanguageLinks):
    """The links of a new entry to the window's entries (a base of the detector, which owns the window)."""

    config: DetectionConfig
    _neardup: NearDupIndex
    _stories: StoryIndex
    _entries: dict[str, EntryState]
    _claim_stories: dict[str, list[str]]  # story -> keys of entries with claims, oldest first

    def _find_duplicate(
        self,
        key: str,
        t: float,
        now_ts: float,
        fingerprint: Any,
        shingles: U64,
        quotes: U64,
        terms: dict[str, float],
        why: dict[str, Any],
        result: ClaimResult,
        signature: Signature,
    ) -> tuple[str, float, str] | None:
        cfg = self.config
        since = now_ts - cfg.window_seconds
        candidates: dict[str, str] = {}
        cosines: dict[str, float] = {}
        for hit in self._neardup.query(fingerprint, now_ts):
            if hit.key != key and hit.key in self._entries:
                candidates.setdefault(hit.key, "minhash")
        for score, other in self._stories.similar(terms, exclude=key, since=since)[:8]:
            if score >= 0.1:
                candidates.setdefault(other, "story")
                cosines[other] = score
        best: tuple[float, float, str, dict[str, Any]] | None = None
        for other, source in candidates.items():
            state = self._entries[other]
            if state.roundup or state.time > t:
                continue
            sim = jaccard(shingles, state.shingles)
            detail: dict[str, Any] = {"of": other, "jaccard": round(sim, 4), "candidate_from": source}
            event = self._same_event(t, cosines.get(other, 0.0), result, signature, state)
            if sim >= cfg.duplicate_jaccard:
                detail["rule"] = f"near-verbatim: shingle Jaccard {sim:.2f} >= {cfg.duplicate_jaccard}"
            elif (
                sim >= cfg.reworded_jaccard
                and len(state.quotes) >= cfg.min_quote_shingles
                and (coverage := overlap(quotes, state.quotes) / len(state.quotes)) >= cfg.quote_coverage
            ):
                detail["quote_coverage"] = round(coverage, 4)
                detail["rule"] = (
                    f"reworded: shingle Jaccard {sim:.2f} >= {cfg.reworded_jaccard} and repeats "
                    f"{coverage:.0%} of its quotations"
                )
            elif event:  # (also when it quotes too little of the earlier entry to be its rewording)
                detail.update(event)
                sim = max(sim, float(event["cosine"]))
            else:
                continue
            rank = (sim, -state.time)
            if best is None or rank > (best[0], best[1]):
                best = (sim, -state.time, other, detail)
        if best is None:
            return None
        why["duplicate"] = best[3]
        return best[2], best[0], best[3]["rule"]

    def _roundup_repeat(
        self, key: str, t: float, now_ts: float, fingerprint: Any, shingles: U64, why: dict[str, Any]
    ) -> tuple[str, float, str] | None:
        """The earlier roundup a roundup repeats near-verbatim (a pinned summary posted again), None
        when none: a roundup duplicates no report, and no report duplicates it."""
        best: tuple[float, str] | None = None
        for hit in self._neardup.query(fingerprint, now_ts):
            other = hit.key
            state = self._entries.get(other) if other != key else None
            if state is None or not state.roundup or state.time > t:
                continue
            sim = jaccard(shingles, state.shingles)
            if sim >= ROUNDUP_REPEAT_JACCARD and (best is None or sim > best[0]):
                best = (sim, other)
        if best is None:
            return None
        rule = f"the roundup repeated: shingle Jaccard {best[0]:.2f} >= {ROUNDUP_REPEAT_JACCARD}"
        why["duplicate"] = {"of": best[1], "jaccard": round(best[0], 4), "rule": rule}
        return best[1], best[0], rule

    def _reported_claim_story(self, result: ClaimResult, t: float) -> str | None:
        """The story of the claim an assessment or recap reports on (same side and place, within
        ``event_window_hours``), None when there is none."""
        reported = result.extra.get("reported_claims") or ()
        if result.claims or not reported:
            return None
        window = self.config.event_window_hours * 3600.0
        for place, side in reported:
            probe = Claim(kind="breakthrough", place=place, side=side)
            for story, keys in self._claim_stories.items():
                for k in keys:
                    state = self._entries.get(k)
                    if state and 0 <= t - state.time <= window and any(_same_claim(probe, c) for c in state.claims):
                        return story
        return None

    def _other_claim(self, story: str, result: ClaimResult, places: frozenset[str] = frozenset()) -> bool:
        """Whether an entry's claim is another event than the claims of ``story``: a claim by the
        other side, named by its claimant or beside its troops, even at the same place (a
        counter-attack is not a response to the claim; a denial claims nothing), or by the same
        side at another place when the entry does not name the place of the story's claim at all
        (a second front's breakthrough; a development of the story's claim names where it
        started)."""
        if not result.claims or not result.claims[0].place:
            return False
        claim = result.claims[0]
        claims = self._story_claims(story)
        gazetteer = default_gazetteer()
        named = result.extra.get("side_named", False)

        def other(c: Claim) -> bool:
            if c.side and claim.side and c.side != claim.side and named:
                return True
            if not c.place or gazetteer.same_place(c.place, claim.place) or gazetteer.within(c.place, claim.place):
                return False
            return entity_key(c.place) not in places

        return bool(claims) and all(other(c) for c in claims)

    def _story_claims(self, story: str) -> list[Claim]:
        """The claims of the window's entries in ``story``, oldest first."""
        return [c for k in self._claim_stories.get(story, ()) if k in self._entries for c in self._entries[k].claims]

    def _other_event(self, story: str, result: ClaimResult, places: frozenset[str]) -> str:
        """Why an entry is another event than the similar claim story ``story`` ("" when it is not)."""
        if self._other_claim(story, result, places):
            return "a claim of another side or place than the similar story's"
        if self._other_attempt(story, result, places):
            return "an attempt elsewhere than its claims"
        return ""

    def _other_attempt(self, story: str, result: ClaimResult, places: frozenset[str]) -> bool:
        """Whether an entry reporting a breakthrough that failed, is only threatened or assessed
        ("attempt to break through at X fails", "could breach the last lines", "no breakthrough on
        any sector", "analysts say ... likely") is an event of its own beside the claims of
        ``story``: it claims nothing, contests none of their claims, and is the other side's (named), or happens at
        none of their places (a concession at the claimed place, "no breakthrough into the town
        itself", stays a development; "south of Marib" measures from a place, it is not there)."""
        if result.claims or not any(b["reason"].startswith(ATTEMPT_REASONS) for b in result.blocked):
            return False
        claims = self._story_claims(story)
        if not claims or any(contest_reason(s, c, same_story=False) for s in result.contests for c in claims):
            return False  # it denies a claim of the story, or repels its attack there: a response
        attempts = result.extra.get("attempts") or ()
        if any(named and side and all(c.side and c.side != side for c in claims) for _, side, named in attempts):
            return True  # the other side's attempt or threat ("Houthi fighters could breach Marib's lines")
        where = {entity_key(p) for at, _, _ in attempts for p in at}
        places = frozenset(where) if where else places  # where the attempt is, not a place it is measured from
        gazetteer = default_gazetteer()
        keys = {place_key(p) for p in places}
        return not any(
            place_key(entity_key(c.place)) in keys
            or any(gazetteer.within(p, c.place) or gazetteer.within(c.place, p) for p in places)
            for c in claims
            if c.place
        )

    def _claim_rereport(
        self,
        key: str,
        t: float,
        result: ClaimResult,
        signature: Signature,
        places: frozenset[str],
        why: dict[str, Any],
        joined: str | None = None,
    ) -> tuple[str, float, str] | None:
        """The earlier claim an entry re-reports, in any wording or language (None when it reports
        something new).

        Same claim: the same side claims a breakthrough at the same place within
        ``event_window_hours``; nothing new: no figure and no place that the claim's story
        has not reported (a second village taken, a changed figure, the breach widened to a
        named place are developments of the story, not re-reports).
        """
        if not result.claims:
            return None
        cfg = self.config
        claim = result.claims[0]
        if not claim.place:
            return None
        best: tuple[float, str] | None = None
        for story, keys in self._claim_stories.items():
            for other in keys:
                state = self._entries.get(other)
                if state is None or other == key or state.time > t or t - state.time > cfg.event_window_hours * 3600:
                    continue
                if not any(_same_claim(claim, c, state.places, story == joined) for c in state.claims):
                    continue
                known_numbers: set[float] = set()
                known_places: set[str] = {entity_key(c.place) for c in state.claims}
                for k in keys:
                    if k in self._entries:
                        known_numbers |= self._entries[k].numbers
                        known_places |= self._entries[k].places | self._entries[k].entities
                new_numbers = signature.numbers - known_numbers - set(result.extra.get("contest_numbers", ()))
                new_numbers -= set(result.extra.get("background_numbers", ()))
                gazetteer = default_gazetteer()
                known_keys = {place_key(p) for p in known_places}
                new_places = {
                    entity_key(p)
                    for p in result.extra.get("claim_places", ())
                    if not gazetteer.within(p, claim.place) and not gazetteer.same_place(p, claim.place)
                    and place_key(entity_key(p)) not in known_keys
                }
                # it confirms what was unverified ("footage geolocated to the village supports the
                # claim") or says the breach grew: a new fact
                confirms = claim.verified and not any(
                    c.verified for k in keys if k in self._entries for c in self._entries[k].claims
                )
                grown = result.extra.get("development", "")
                if new_numbers or new_places or confirms or grown:
                    why.setdefault("development_of", {"claim_entry": other, "story": story,
                                                      "new_figures": sorted(new_numbers),
                                                      "new_places": sorted(new_places),
                                                      **({"verified": True} if confirms else {}),
                                                      **({"grown": grown} if grown else {})})
                    continue
                if best is None or state.time < best[0]:
                    best = (state.time, other)
        if best is None:
            return None
        rule = f"re-report of the claim of {best[1]}: the same side claims the same place, nothing new"
        why["duplicate"] = {"of": best[1], "rule": rule, "place": claim.place, "side": claim.side or claim.claimant}
        return best[1], 1.0, rule

    def _older_than_claim(self, duplicated: str, contest: dict[str, Any]) -> bool:
        """Whether the report an entry repeats was published before the claim it would contest
        (a re-report of the morning bulletin contests no claim made since)."""
        earlier = self._entries.get(duplicated)
        claim = self._entries.get(str(contest.get("claim_entry", "")))
        return earlier is not None and claim is not None and earlier.time < claim.time

    def _same_event(
        self, t: float, cosine: float, result: ClaimResult, signature: Signature, earlier: EntryState
    ) -> dict[str, Any] | None:
        """Why an entry re-reports the event of ``earlier`` in other words (None when it does not).

        Same event: similar wording (story cosine), close in time, the same kind of
        report (a claim re-reported, not contested; a response is no re-report), an
        anchor in common (a shared figure, or a claim by the same side in the same
        place) and nothing new: no figure the earlier report lacks, and names it
        lacks weigh little (IDF share) among the names of the entry.
        """
        cfg = self.config
        if cosine < cfg.event_cosine or t - earlier.time > cfg.event_window_hours * 3600.0:
            return None
        if bool(result.claims) != bool(earlier.claims) or bool(result.contests) != earlier.contests:
            return None
        shared_numbers = signature.numbers & earlier.numbers
        same_claim = any(
            c.place.casefold() == e.place.casefold()
            and bool(c.place)
            and same_side(side_words(c.claimant), side_words(e.claimant))
            for c in result.claims
            for e in earlier.claims
        )
        if not (shared_numbers or same_claim):
            return None
        new_numbers = signature.numbers - earlier.numbers
        if new_numbers:
            return None
        new_names = unmatched(sorted(signature.entities), earlier.entities)
        total = sum(self._stories.idf(e) for e in signature.entities)
        novelty = sum(self._stories.idf(e) for e in new_names) / total if total else 0.0
        if novelty > cfg.event_novelty:
            return None
        anchor = f"figures {sorted(shared_numbers)}" if shared_numbers else "the same claim"
        return {
            "cosine": round(cosine, 4),
            "new_names": new_names,
            "novelty": round(novelty, 4),
            "rule": (
                f"same event: story cosine {cosine:.2f} >= {cfg.event_cosine}, shares {anchor}, "
                f"no new figure, new names weigh {novelty:.0%} <= {cfg.event_novelty:.0%}"
            ),
        }

    def _find_contest(
        self, key: str, story: str, result: ClaimResult, new_story: bool
    ) -> tuple[str | None, dict[str, Any]]:
        # a denial that disputes the entry's own claim ("Thailand says post taken; Cambodia has denied
        # it") is about that claim, not about the story's others
        disputes = {c.verification_cue for c in result.claims if c.verification == "disputed"}
        signals = [s for s in result.contests if s.sentence not in disputes]
        if not signals or not self._claim_stories:
            return None, {}
        # a denial naming the claim's place beats one that only shares its story; then the latest claim
        best: tuple[tuple[bool, float], str, dict[str, Any]] | None = None
        for claim_story, keys in self._claim_stories.items():
            for claim_key in keys:
                if claim_key == key:
                    continue
                state = self._entries[claim_key]
                for claim in state.claims:
                    if any(_same_claim(own, claim, state.places) for own in result.claims):
                        continue  # it reports that claim itself, with the denial: disputed, no contest
                    for signal in signals:
                        reason = contest_reason(signal, claim, same_story=claim_story == story)
                        rank = (" in the same story" not in reason, state.time)
                        if reason and (best is None or rank > best[0]):
                            best = (
                                rank,
                                claim_story,
                                {
                                    "story": claim_story,
                                    "claim_entry": claim_key,
                                    "reason": reason,
                                    "sentence": signal.sentence,
                                    "by_place": rank[0],
                                },
                            )
        if best is None:
            return None, {}
        return best[1], best[2]
