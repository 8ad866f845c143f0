"""Symptoms that are not red flags but that crampcheck recognises (``symptoms.toml``).

Red flags (:mod:`crampcheck.knowledge.red_flags`) are always checked first; a symptom that
matches neither is reported back as unrecognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..models import Citation
from . import citations, parse_entries
from .medicines import normalize


@dataclass(frozen=True)
class Symptom:
    id: str
    topic: str
    severity: str
    phrases: tuple[str, ...]
    summary: str
    advice: str
    citations: tuple[Citation, ...]


def _parse(raw: dict[str, Any]) -> Symptom:
    return Symptom(raw["id"], raw["topic"], raw["severity"],
                   tuple(normalize(p) for p in raw["phrases"]), raw["summary"],
                   raw.get("advice", ""), tuple(citations(raw)))


@cache
def all_symptoms() -> tuple[Symptom, ...]:
    return parse_entries("symptoms", "symptoms", _parse, "symptom")


def match_known_symptom(text: str) -> Symptom | None:
    """The first symptom whose phrase stands as whole words in ``text``, longest phrase first."""
    norm = normalize(text)
    best: tuple[int, Symptom] | None = None
    for symptom in all_symptoms():
        for phrase in symptom.phrases:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", norm) and (
                    best is None or len(phrase) > best[0]):
                best = (len(phrase), symptom)
    return None if best is None else best[1]
