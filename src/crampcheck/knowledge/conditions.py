"""Health conditions: match free text ("Crohn's", "CKD stage 3", "T2DM") to the knowledge base.

The conditions, their synonyms and what each changes live in ``knowledge/data/conditions.toml``.
Matching works like :func:`crampcheck.knowledge.medicines.match_medication`: whole-word
synonyms first (longest first), then rapidfuzz ``fuzz.ratio`` ≥ ``FUZZY_CUTOFF`` on the words
left over.

``stops`` lists supplement nutrients that must never be suggested with a condition (for example
magnesium and potassium with chronic kidney disease); ``refer`` marks conditions where a
clinician should be involved before any supplement change.

References
----------
.. [1] NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals
   (groups at risk of magnesium inadequacy; kidney disease and magnesium toxicity).
.. [2] NIH Office of Dietary Supplements. Potassium: Fact Sheet for Health Professionals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import KnowledgeError
from ..models import SEVERITIES, Citation
from . import by_id, citations, parse_entries
from .medicines import (
    FUZZY_MIN_LENGTH,
    NUTRIENTS,
    Effect,
    find_names,
    fuzzy_name,
    normalize,
    parse_effects,
)

KNOWLEDGE_FILE = "conditions"

# Words that say nothing about which condition it is.
_NOISE = frozenset(
    "i have has had with and of the a an my since mild moderate severe chronic history "
    "diagnosed diagnosis known stage type level grade years year ago".split()
)


@dataclass(frozen=True)
class Condition:
    """One condition from ``conditions.toml`` with its fields typed.

    Attributes
    ----------
    id, name : str
        Identifier and plain-words name.
    synonyms : tuple of str
        What people write for it.
    severity : str
        Hint for the finding: ``info``, ``low``, ``moderate`` or ``high``.
    refer : bool
        A clinician should be involved before any supplement change.
    stops : tuple of str
        Supplement nutrients that must never be suggested with this condition.
    note, cramp_note : str
        Plain-words explanation, and how the condition itself relates to cramps.
    effects : tuple of Effect
        Nutrients it changes, with direction and strength.
    citations : tuple of Citation
    grade : str
    """

    id: str
    name: str
    synonyms: tuple[str, ...]
    severity: str
    refer: bool
    stops: tuple[str, ...]
    note: str
    cramp_note: str
    effects: tuple[Effect, ...]
    citations: tuple[Citation, ...]
    grade: str

    def affects(self) -> list[str]:
        """Nutrients this condition changes, in file order."""
        out: list[str] = []
        for effect in self.effects:
            if effect.nutrient not in out:
                out.append(effect.nutrient)
        return out

    def stops_supplement(self, nutrient: str) -> bool:
        """True when a supplement of ``nutrient`` must not be suggested."""
        return nutrient in self.stops


@dataclass(frozen=True)
class ConditionMatch:
    """The result of matching one free-text condition.

    Attributes
    ----------
    text : str
        The text as given.
    name : str
        The condition's plain-words name.
    matched : str
        The synonym that matched, as written in the knowledge base.
    condition : Condition
    citations : list of Citation
    fuzzy : bool
        True when the match came from approximate spelling.
    score : float
        100 for exact matches; the rapidfuzz score otherwise.
    """

    text: str
    name: str
    matched: str
    condition: Condition
    citations: list[Citation]
    fuzzy: bool = False
    score: float = 100.0


def _parse(raw: dict[str, Any]) -> Condition:
    where = f"{KNOWLEDGE_FILE}.toml {raw.get('id', '?')}"
    severity = raw.get("severity", "info")
    if severity not in SEVERITIES[:4]:
        raise KnowledgeError(f"{where}: severity must be info, low, moderate or high")
    stops = tuple(raw.get("stops", []))
    for nutrient in stops:
        if nutrient not in NUTRIENTS:
            raise KnowledgeError(f"{where}: stops names unknown nutrient {nutrient!r}")
    return Condition(
        id=raw["id"],
        name=raw["name"],
        synonyms=tuple(raw.get("synonyms", [])),
        severity=severity,
        refer=bool(raw.get("refer", False)),
        stops=stops,
        note=raw.get("note", ""),
        cramp_note=raw.get("cramp_note", ""),
        effects=parse_effects(raw.get("effects", []), raw, where),
        citations=tuple(citations(raw)),
        grade=raw["grade"],
    )


@cache
def all_conditions() -> tuple[Condition, ...]:
    """Every condition, in file order."""
    return parse_entries(KNOWLEDGE_FILE, "conditions", _parse, "condition")


def get_condition(condition_id: str) -> Condition:
    """One condition by id; raises KeyError for an unknown id."""
    return by_id(all_conditions(), condition_id)


@cache
def _index() -> dict[tuple[str, ...], tuple[str, Condition]]:
    index: dict[tuple[str, ...], tuple[str, Condition]] = {}
    for condition in all_conditions():
        for synonym in (condition.name, *condition.synonyms):
            key = tuple(normalize(synonym).split())
            if not key:
                continue
            if key in index and index[key][1].id != condition.id:
                raise KnowledgeError(
                    f"{KNOWLEDGE_FILE}.toml: synonym {synonym!r} names two conditions"
                )
            index.setdefault(key, (synonym, condition))
    return index


@cache
def _choices() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    by_text = {
        " ".join(key): key
        for key in _index()
        if len("".join(key)) >= FUZZY_MIN_LENGTH
    }
    return tuple(sorted(by_text)), by_text


def match_conditions(text: str) -> list[ConditionMatch]:
    """Every condition named in ``text`` (zero or more), in text order.

    Parameters
    ----------
    text : str
        E.g. ``"Crohn's disease and CKD stage 3"``.
    """
    tokens = normalize(text).split()
    if not tokens:
        return []
    index = _index()
    found = find_names(tokens, index)
    matches: list[ConditionMatch] = []
    seen: set[str] = set()
    for _s, _e, key in found:
        synonym, condition = index[key]
        if condition.id not in seen:
            seen.add(condition.id)
            matches.append(
                ConditionMatch(text, condition.name, synonym, condition, list(condition.citations))
            )
    covered = {i for s, e, _k in found for i in range(s, e)}
    runs: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if i in covered or token in _NOISE or token.isdigit():
            runs.append([])
        else:
            runs[-1].append(token)
    choices, by_text = _choices()
    queue = [run for run in runs if run]
    while queue:
        run = queue.pop(0)
        hit = fuzzy_name(run, choices)
        if hit is None:
            continue
        choice, score, start, end = hit
        synonym, condition = index[by_text[choice]]
        if condition.id not in seen:
            seen.add(condition.id)
            matches.append(
                ConditionMatch(
                    text, condition.name, synonym, condition, list(condition.citations),
                    fuzzy=True, score=score,
                )
            )
        queue.extend(part for part in (run[:start], run[end:]) if part)
    return matches


def match_condition(text: str) -> ConditionMatch | None:
    """The condition named in ``text``, or None.

    Parameters
    ----------
    text : str
        What the person wrote: ``"crohn's disease"``, ``"CKD stage 3"``, ``"T2DM"``,
        ``"celiac"``, ``"sugar diabetes"``, misspellings within reason (``"cirosis"``).

    Returns
    -------
    ConditionMatch or None
        The first condition in the text (exact matches before approximate ones); use
        :func:`match_conditions` for all of them.
    """
    matches = match_conditions(text)
    return matches[0] if matches else None


def stopped_supplements(texts: list[str]) -> dict[str, list[Condition]]:
    """Supplement nutrients that must not be suggested, with the conditions that stop them."""
    stops: dict[str, list[Condition]] = {}
    for text in texts:
        for match in match_conditions(text):
            for nutrient in match.condition.stops:
                stops.setdefault(nutrient, [])
                if match.condition not in stops[nutrient]:
                    stops[nutrient].append(match.condition)
    return stops
