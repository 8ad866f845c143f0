"""Red flags: symptoms and cramp events that need a clinician (or urgent care) first.

The flags live in ``knowledge/data/red_flags.toml`` (DESIGN.md, safety rules). A flag is raised
by a free-text symptom when

* one of its ``phrases`` occurs in the text as whole words, or approximately (rapidfuzz
  ``fuzz.partial_ratio`` ≥ :data:`PHRASE_CUTOFF` for phrases of 8 or more letters), or
* the text contains a word from every group of one of its ``patterns``,

and the match is not negated ("no swelling", "without chest pain") and no ``exclude`` phrase
applies. Cramp events raise flags through structured triggers: the muscle (chest, arm,
abdomen), the duration, and newly started medicines.

These flags describe what was noticed and what to do; they do not diagnose.

References
----------
.. [1] NICE Clinical Knowledge Summaries. Leg cramps: assessment.
.. [2] NHS. Leg cramps; Deep vein thrombosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from ..errors import KnowledgeError
from ..models import RECOMMENDATION_KINDS, SEVERITIES, Citation
from . import by_id, citations, parse_entries
from .medicines import match_medication, normalize

KNOWLEDGE_FILE = "red_flags"
#: Minimum rapidfuzz ``fuzz.partial_ratio`` for a misspelled phrase.
PHRASE_CUTOFF = 90.0
#: Minimum rapidfuzz ``fuzz.ratio`` for a misspelled single word in a pattern group.
WORD_CUTOFF = 85.0
NEGATIONS = frozenset({"no", "not", "without", "never", "denies", "nor", "none", "isnt", "arent"})
_NEGATION_REACH = 3  # a negation word this many words before a match cancels it


@dataclass(frozen=True)
class RedFlag:
    """One red flag from ``red_flags.toml`` with its fields typed."""

    id: str
    name: str
    severity: str
    recommendation_kind: str
    summary: str
    advice: str
    phrases: tuple[str, ...]
    exclude: tuple[str, ...]
    patterns: tuple[tuple[tuple[str, ...], ...], ...]
    cramp_muscles: tuple[str, ...]
    min_cramp_minutes: float | None
    new_medicine_classes: tuple[str, ...]
    citations: tuple[Citation, ...]
    grade: str


@dataclass(frozen=True)
class RedFlagMatch:
    """A red flag raised by some text or cramp event.

    Attributes
    ----------
    flag : RedFlag
    text : str
        The symptom text, or a description of the cramp event.
    matched : str
        The phrase, words or trigger that raised it.
    citations : list of Citation
    """

    flag: RedFlag
    text: str
    matched: str
    citations: list[Citation]

    @property
    def severity(self) -> str:
        return self.flag.severity

    @property
    def recommendation_kind(self) -> str:
        return self.flag.recommendation_kind


def _parse(raw: dict[str, Any]) -> RedFlag:
    where = f"{KNOWLEDGE_FILE}.toml {raw.get('id', '?')}"
    severity = raw.get("severity")
    if severity not in ("urgent", "high"):
        raise KnowledgeError(f"{where}: severity must be urgent or high")
    kind = raw.get("recommendation_kind")
    if kind not in RECOMMENDATION_KINDS[:2]:
        raise KnowledgeError(f"{where}: recommendation_kind must be urgent_care or clinician")
    patterns = tuple(
        tuple(tuple(normalize(w) for w in group) for group in pattern["all_of"])
        for pattern in raw.get("patterns", [])
    )
    minutes = raw.get("min_cramp_minutes")
    return RedFlag(
        id=raw["id"],
        name=raw["name"],
        severity=severity,
        recommendation_kind=kind,
        summary=raw["summary"],
        advice=raw["advice"],
        phrases=tuple(raw.get("phrases", [])),
        exclude=tuple(raw.get("exclude", [])),
        patterns=patterns,
        cramp_muscles=tuple(normalize(m) for m in raw.get("cramp_muscles", [])),
        min_cramp_minutes=None if minutes is None else float(minutes),
        new_medicine_classes=tuple(raw.get("new_medicine_classes", [])),
        citations=tuple(citations(raw)),
        grade=raw["grade"],
    )


@cache
def all_red_flags() -> tuple[RedFlag, ...]:
    """Every red flag, in file order."""
    return parse_entries(KNOWLEDGE_FILE, "red_flags", _parse, "red flag")


def get_red_flag(flag_id: str) -> RedFlag:
    """One red flag by id; raises KeyError for an unknown id."""
    return by_id(all_red_flags(), flag_id)


def _negated(tokens: list[str], start: int) -> bool:
    return any(t in NEGATIONS for t in tokens[max(0, start - _NEGATION_REACH) : start])


def _phrase_at(tokens: list[str], phrase: list[str]) -> int | None:
    n = len(phrase)
    for start in range(len(tokens) - n + 1):
        if tokens[start : start + n] == phrase and not _negated(tokens, start):
            return start
    return None


def _contains(tokens: list[str], text: str, phrase: str) -> bool:
    words = normalize(phrase).split()
    if not words:
        return False
    if _phrase_at(tokens, words) is not None:
        return True
    joined = " ".join(words)
    if len(joined.replace(" ", "")) < 8 or len(text) < len(joined) - 2:
        return False
    alignment = fuzz.partial_ratio_alignment(joined, text, score_cutoff=PHRASE_CUTOFF)
    if alignment is None:
        return False
    start_token = len(text[: alignment.dest_start].split())
    return not _negated(tokens, start_token)


def _word_in(tokens: list[str], word: str) -> bool:
    parts = word.split()
    if len(parts) > 1:
        return _phrase_at(tokens, parts) is not None
    for i, token in enumerate(tokens):
        if _negated(tokens, i):
            continue
        if token == word:
            return True
        if len(word) >= 5 and len(token) >= 5 and fuzz.ratio(token, word) >= WORD_CUTOFF:
            return True
    return False


def _flag_hit(flag: RedFlag, tokens: list[str], text: str) -> str | None:
    for phrase in flag.exclude:
        if _phrase_at(tokens, normalize(phrase).split()) is not None:
            return None
    for phrase in flag.phrases:
        if _contains(tokens, text, phrase):
            return phrase
    for pattern in flag.patterns:
        hits = []
        for group in pattern:
            word = next((w for w in group if _word_in(tokens, w)), None)
            if word is None:
                break
            hits.append(word)
        else:
            return " + ".join(hits)
    return None


def _sorted(matches: list[RedFlagMatch]) -> list[RedFlagMatch]:
    order = {f.id: i for i, f in enumerate(all_red_flags())}
    return sorted(
        matches, key=lambda m: (-SEVERITIES.index(m.flag.severity), order[m.flag.id])
    )


def match_symptom(text: str) -> list[RedFlagMatch]:
    """Red flags that a free-text symptom raises (zero or more), most severe first.

    Parameters
    ----------
    text : str
        What the person wrote, e.g. ``"calf swelling on one side"``, ``"tingling lips"``.

    Returns
    -------
    list of RedFlagMatch
        Empty when nothing in the text is a red flag (``"feeling thirsty"``).
    """
    normalized = normalize(text)
    tokens = normalized.split()
    if not tokens:
        return []
    matches = []
    for flag in all_red_flags():
        hit = _flag_hit(flag, tokens, normalized)
        if hit is not None:
            matches.append(RedFlagMatch(flag, text, hit, list(flag.citations)))
    return _sorted(matches)


def red_flags_for_cramp(
    muscle: str | None,
    *,
    minutes: float | None = None,
    new_medicines: Iterable[str] = (),
) -> list[RedFlagMatch]:
    """Red flags raised by one cramp event, most severe first.

    Parameters
    ----------
    muscle : str or None
        Where the cramp was (``"calf"``, ``"chest"``, ``"left forearm"``, ``"stomach"``).
        Cramps in the chest, arms, hands or abdomen raise a flag.
    minutes : float, optional
        How long the cramp lasted, in minutes; longer than a flag's ``min_cramp_minutes``
        (10 min) raises it.
    new_medicines : iterable of str
        Medicines started shortly before the cramps began (free text). A statin, or any
        medicine of a class linked to cramps, raises the new-medicine flag.

    Returns
    -------
    list of RedFlagMatch
    """
    matches: list[RedFlagMatch] = []
    muscle_tokens = normalize(muscle or "").split()
    described = f"cramp in {muscle}" if muscle else "cramp"
    new_matches = [m for m in (match_medication(t) for t in new_medicines) if m is not None]
    for flag in all_red_flags():
        hit: str | None = None
        for name in flag.cramp_muscles:
            words = name.split()
            if words and _phrase_at(muscle_tokens, words) is not None:
                hit = f"muscle: {muscle}"
                break
        if hit is None and flag.min_cramp_minutes is not None and minutes is not None:
            if minutes > flag.min_cramp_minutes:
                hit = f"lasted {minutes:g} minutes"
        if hit is None and flag.new_medicine_classes:
            for med in new_matches:
                ids = set(med.class_ids())
                wanted = set(flag.new_medicine_classes)
                if ids & wanted or ("any_cramp_risk" in wanted and med.cramp_risk):
                    hit = f"new medicine: {med.text}"
                    break
        if hit is not None:
            matches.append(RedFlagMatch(flag, described, hit, list(flag.citations)))
    return _sorted(matches)
