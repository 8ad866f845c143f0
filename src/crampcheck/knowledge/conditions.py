"""Health conditions: match free text ("Crohn's", "CKD stage 3", "T2DM") to the knowledge base.

The conditions, their synonyms and what each changes live in ``knowledge/data/conditions.toml``.
Matching works like :func:`crampcheck.knowledge.medicines.match_medication`: whole-word
synonyms first (longest first), then rapidfuzz ``fuzz.ratio`` ≥ ``FUZZY_CUTOFF`` on the words
left over.

``stops`` lists supplement nutrients that must never be suggested with a condition (for example
magnesium and potassium with chronic kidney disease); ``blocks`` extends that to foods
(``scope`` ``foods_and_supplements``); ``constraints`` say what the plan must respect (a fluid
limit, a sodium cap, no high-oxalate greens, no supplements); ``refer`` marks conditions where a
clinician should be involved before any supplement change. Numbers written with a condition are
read: the CKD stage (:func:`stage_of`), a fluid limit (:func:`fluid_limit_ml`) and a sodium limit
(:func:`sodium_limit_mg`).

References
----------
.. [1] NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals
   (groups at risk of magnesium inadequacy; kidney disease and magnesium toxicity).
.. [2] NIH Office of Dietary Supplements. Potassium: Fact Sheet for Health Professionals.
.. [3] KDIGO (2024). Clinical Practice Guideline for the Evaluation and Management of CKD
   (stages G1–G5). Salt: 1 g of salt (sodium chloride) holds 393 mg of sodium (Na 22.990,
   Cl 35.453 g/mol, CIAAW 2021).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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

#: Scopes of a block: no food rich in the nutrient and no supplement, or no supplement only.
BLOCK_SCOPES: tuple[str, ...] = ("foods_and_supplements", "supplements")
#: Nutrients a block may name (the supplement nutrients, and phosphorus for food).
BLOCK_NUTRIENTS: tuple[str, ...] = (*NUTRIENTS, "phosphorus")
CONSTRAINT_KEYS: frozenset[str] = frozenset(
    {"fluid_limit", "sodium_cap_mg", "no_high_oxalate", "keep_calcium", "no_supplements",
     "no_salt_advice"})
#: mg of sodium in 1 g of salt: 22.990 / (22.990 + 35.453) (CIAAW 2021 atomic weights).
SODIUM_PER_SALT_G_MG = 393.4

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
    blocks: tuple[tuple[str, str], ...] = ()
    constraints: dict[str, Any] = field(default_factory=dict)
    lifestyle: str = ""
    stages: bool = False

    def all_blocks(self) -> list[tuple[str, str]]:
        """(nutrient, scope) pairs: ``stops`` as supplement blocks, then ``blocks``."""
        out = [(n, "supplements") for n in self.stops]
        for block in self.blocks:
            if block not in out:
                out.append(block)
        return out

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
    blocks = []
    for block in raw.get("blocks", []):
        if block.get("nutrient") not in BLOCK_NUTRIENTS or block.get("scope") not in BLOCK_SCOPES:
            raise KnowledgeError(f"{where}: a block needs a known nutrient and a scope of "
                                 f"{BLOCK_SCOPES}")
        blocks.append((block["nutrient"], block["scope"]))
    constraints = dict(raw.get("constraints", {}))
    unknown = sorted(set(constraints) - CONSTRAINT_KEYS)
    if unknown:
        raise KnowledgeError(f"{where}: unknown constraints {unknown}")
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
        blocks=tuple(blocks),
        constraints=constraints,
        lifestyle=raw.get("lifestyle", ""),
        stages=bool(raw.get("stages", False)),
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
        if _markers(run[start:end]) != _markers(choice.split()):
            # "hyperthyroid" is not "hypothyroidism", "overactive thyroid" is not
            # "hyperparathyroidism": a misspelling never changes what the name says
            queue.extend(part for part in (run[:start], run[end:]) if part)
            continue
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


#: Word parts that make a different disease of the same stem (hyper/hypo, over/under, para).
_MARKERS = ("hyper", "hypo", "over", "under", "para", "pre", "post", "non", "anti")


def _markers(words: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The markers (:data:`_MARKERS`) a name's words carry: at a word start, or "para" inside
    ("hyperparathyroidism")."""
    found = set()
    for word in words:
        for m in _MARKERS:
            if word.startswith(m) or (m == "para" and "para" in word):
                found.add(m)
    return frozenset(found)


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


_STAGE_RE = re.compile(r"\b(?:stage|ckd|g|grade)\s*([1-5])\s*([ab])?\b")
_VOLUME_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ml|millilit(?:re|er)s?|l|lit(?:re|er)s?|fl ?oz)\b")
_SODIUM_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|g|grams?|mmol)\b(?:\s*(?:of\s+)?(salt|sodium))?")


def stage_of(text: str) -> str | None:
    """The CKD stage written in ``text`` ("CKD stage 4" → "4", "ckd3b" → "3b", "G5" → "5").

    Returns None when no stage is written.
    """
    m = _STAGE_RE.search(normalize(text))
    if m is None:
        return None
    return m.group(1) + (m.group(2) or "")


def fluid_limit_ml(text: str) -> float | None:
    """A fluid limit written in ``text`` in mL/day ("fluid restriction 1.5 L" → 1500,
    "1500 ml fluid limit" → 1500, "48 fl oz" → 1420); None when none is written."""
    m = _VOLUME_RE.search(text.lower())
    if m is None:
        return None
    value = float(m.group(1).replace(",", "."))
    unit = m.group(2)
    if unit.startswith("fl"):
        return value * 29.5735
    if unit.startswith("m"):
        return value
    return value * 1000.0


def sodium_limit_mg(text: str) -> float | None:
    """A sodium limit written in ``text`` in mg/day: "1500 mg" (sodium), "2 g sodium", "5 g salt"
    (× 393 mg sodium per g of salt), "100 mmol" (× 23 mg); None when none is written.

    A bare number of grams is read as salt when the text says "salt" and no "sodium".
    """
    s = text.lower()
    m = _SODIUM_RE.search(s)
    if m is None:
        return None
    value = float(m.group(1).replace(",", "."))
    unit, what = m.group(2), m.group(3)
    if unit == "mmol":
        return value * 22.990
    if unit == "mg":
        return value
    salt = what == "salt" or (what is None and "salt" in s and "sodium" not in s)
    return value * (SODIUM_PER_SALT_G_MG if salt else 1000.0)
