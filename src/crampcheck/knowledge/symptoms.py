"""Symptoms that are not red flags but that crampcheck recognises (``symptoms.toml``).

Red flags (:mod:`crampcheck.knowledge.red_flags`) are always checked first; a symptom that
matches neither is reported back as unrecognised. Mentions are read with the red flags'
negation rules: "no twitching" is the symptom noted as absent (:func:`negated_symptoms`).

References
----------
.. [1] Smaga S (2003). Tremor. Am Fam Physician 68(8):1545–1552; Morgan JC et al. (2017).
   Medication-induced tremor. Tremor Other Hyperkinet Mov 7:442.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..models import Citation
from . import citations, parse_entries
from .medicines import normalize
from .red_flags import phrase_at, read_clauses


@dataclass(frozen=True)
class Symptom:
    id: str
    topic: str
    severity: str
    phrases: tuple[str, ...]
    summary: str
    advice: str
    citations: tuple[Citation, ...]
    medication_classes: tuple[str, ...] = ()


def _parse(raw: dict[str, Any]) -> Symptom:
    return Symptom(raw["id"], raw["topic"], raw["severity"],
                   tuple(normalize(p) for p in raw["phrases"]), raw["summary"],
                   raw.get("advice", ""), tuple(citations(raw)),
                   tuple(raw.get("medication_classes", ())))


@cache
def all_symptoms() -> tuple[Symptom, ...]:
    return parse_entries("symptoms", "symptoms", _parse, "symptom")


def _best(text: str, ignore_negation: bool) -> Symptom | None:
    best: tuple[int, Symptom] | None = None
    clauses = read_clauses(text)
    for symptom in all_symptoms():
        for phrase in symptom.phrases:
            words = phrase.split()
            if any(phrase_at(c, m, words, ignore_negation) is not None for c, m in clauses) and (
                    best is None or len(phrase) > best[0]):
                best = (len(phrase), symptom)
    return None if best is None else best[1]


def match_known_symptom(text: str) -> Symptom | None:
    """The symptom whose phrase stands as whole words in ``text`` (longest phrase first), not
    counting negated mentions ("no tremor")."""
    return _best(text, ignore_negation=False)


def negated_symptoms(text: str) -> list[Symptom]:
    """Known symptoms that ``text`` names only as absent ("no twitching", "denies tremor")."""
    if _best(text, ignore_negation=False) is not None:
        return []
    found = _best(text, ignore_negation=True)
    return [] if found is None else [found]
