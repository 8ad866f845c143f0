"""The case file: one person's situation, as JSON (canonical) or TOML.

Only ``person`` is required. Validation errors name the field and say what is expected
("person.age must be a number of years between 1 and 120"); :func:`load_case` raises
:class:`~crampcheck.errors.InputError` with them.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .models import Person
from .textio import read_text

DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
INTENSITIES = ("light", "moderate", "vigorous")


@dataclass(frozen=True)
class Exercise:
    hours_per_week: float = 0.0
    intensity: str = "moderate"
    hot_environment: bool = False


@dataclass(frozen=True)
class CrampEvent:
    at: dt.datetime | None
    muscle: str | None = None
    side: str | None = None
    minutes: float | None = None
    severity: float | None = None


@dataclass(frozen=True)
class Lab:
    test: str
    value: float
    unit: str
    date: str | None = None


@dataclass(frozen=True)
class Preferences:
    diet: str = "omnivore"
    avoid: tuple[str, ...] = ()
    dislikes: tuple[str, ...] = ()


@dataclass
class Case:
    person: Person
    conditions: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    exercise: Exercise | None = None
    diary: dict[str, list[str]] = field(default_factory=dict)
    supplements: list[str] = field(default_factory=list)
    cramps: list[CrampEvent] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)
    labs: list[Lab] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)

    def person_dict(self) -> dict[str, Any]:
        p = self.person
        return {"age": p.age, "sex": p.sex, "pregnant": p.pregnant, "lactating": p.lactating,
                "weight_kg": p.weight_kg}


def _num(value: Any, name: str, lo: float, hi: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (lo <= value <= hi):
        raise InputError(f"{name} must be {what} between {lo:g} and {hi:g}")
    return float(value)


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{name} must be true or false")
    return value


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{name} must be a list of text entries")
    return [v.strip() for v in value if v.strip()]


def _person(raw: Any) -> Person:
    if not isinstance(raw, dict):
        raise InputError("person is required: an object with at least age and sex")
    unknown = set(raw) - {"age", "sex", "pregnant", "lactating", "weight_kg", "name"}
    if unknown:
        raise InputError(f"person has unknown fields: {', '.join(sorted(unknown))}")
    if "age" not in raw:
        raise InputError("person.age is required (years)")
    age = _num(raw["age"], "person.age", 1, 120, "a number of years")
    sex = raw.get("sex")
    if sex not in ("female", "male"):
        raise InputError("person.sex must be \"female\" or \"male\" (the DRIs are set by sex)")
    pregnant = _bool(raw.get("pregnant", False), "person.pregnant")
    lactating = _bool(raw.get("lactating", False), "person.lactating")
    if (pregnant or lactating) and sex != "female":
        raise InputError("person.pregnant and person.lactating apply to sex \"female\" only")
    if (pregnant or lactating) and not 9 <= age <= 60:
        raise InputError("person.age must be between 9 and 60 with pregnancy or lactation")
    weight = raw.get("weight_kg")
    if weight is not None:
        weight = _num(weight, "person.weight_kg", 2, 400, "a weight in kg")
    return Person(age=age, sex=sex, pregnant=pregnant, lactating=lactating, weight_kg=weight)


def _datetime(text: Any, name: str) -> dt.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise InputError(f"{name} must be a date and time like \"2026-11-20T02:30\"")
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise InputError(f"{name} must be a date and time like \"2026-11-20T02:30\", "
                         f"not {text!r}") from None


def case_from_dict(raw: Any) -> Case:
    """Validate a parsed case file and build a :class:`Case`."""
    if not isinstance(raw, dict):
        raise InputError("a case file must be an object with at least \"person\"")
    known = {"person", "conditions", "medications", "exercise", "diary", "supplements",
             "cramps", "symptoms", "labs", "preferences"}
    unknown = set(raw) - known
    if unknown:
        raise InputError(f"unknown top-level fields: {', '.join(sorted(unknown))} "
                         f"(expected some of: {', '.join(sorted(known))})")
    case = Case(person=_person(raw.get("person")))
    case.conditions = _strings(raw.get("conditions"), "conditions")
    case.medications = _strings(raw.get("medications"), "medications")
    case.supplements = _strings(raw.get("supplements"), "supplements")
    case.symptoms = _strings(raw.get("symptoms"), "symptoms")
    ex = raw.get("exercise")
    if ex is not None:
        if not isinstance(ex, dict):
            raise InputError("exercise must be an object (hours_per_week, intensity, "
                             "hot_environment)")
        intensity = ex.get("intensity", "moderate")
        if intensity not in INTENSITIES:
            raise InputError(f"exercise.intensity must be one of {', '.join(INTENSITIES)}")
        case.exercise = Exercise(
            hours_per_week=_num(ex.get("hours_per_week", 0), "exercise.hours_per_week", 0, 80,
                                "a number of hours"),
            intensity=intensity,
            hot_environment=_bool(ex.get("hot_environment", False), "exercise.hot_environment"))
    diary = raw.get("diary") or {}
    if not isinstance(diary, dict):
        raise InputError("diary must map dates (YYYY-MM-DD) to lists of food lines")
    for day, lines in diary.items():
        try:
            iso = dt.date.fromisoformat(day).isoformat()
        except (ValueError, TypeError):
            raise InputError(f"diary: {day!r} is not a date (YYYY-MM-DD)") from None
        case.diary[iso] = _strings(lines, f"diary.{day}")
    cramps = raw.get("cramps") or []
    if not isinstance(cramps, list):
        raise InputError("cramps must be a list of events")
    for i, c in enumerate(cramps):
        name = f"cramps[{i}]"
        if not isinstance(c, dict):
            raise InputError(f"{name} must be an object with at least \"at\"")
        case.cramps.append(CrampEvent(
            at=_datetime(c.get("at"), f"{name}.at"),
            muscle=c.get("muscle") if isinstance(c.get("muscle"), str) else None,
            side=c.get("side") if isinstance(c.get("side"), str) else None,
            minutes=None if c.get("minutes") is None else _num(
                c["minutes"], f"{name}.minutes", 0, 24 * 60, "a number of minutes"),
            severity=None if c.get("severity") is None else _num(
                c["severity"], f"{name}.severity", 0, 10, "a number")))
    labs = raw.get("labs") or []
    if not isinstance(labs, list):
        raise InputError("labs must be a list of results")
    for i, lab in enumerate(labs):
        name = f"labs[{i}]"
        if not isinstance(lab, dict) or not isinstance(lab.get("test"), str):
            raise InputError(f"{name} must be an object with test, value and unit")
        value = lab.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{name}.value must be a number")
        unit = lab.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            raise InputError(f"{name}.unit is required (for example mg/dL)")
        case.labs.append(Lab(lab["test"], float(value), unit.strip(), lab.get("date")))
    prefs = raw.get("preferences") or {}
    if not isinstance(prefs, dict):
        raise InputError("preferences must be an object (diet, avoid, dislikes)")
    diet = prefs.get("diet", "omnivore")
    if diet not in DIETS:
        raise InputError(f"preferences.diet must be one of {', '.join(DIETS)}")
    case.preferences = Preferences(diet, tuple(_strings(prefs.get("avoid"), "preferences.avoid")),
                                   tuple(_strings(prefs.get("dislikes"),
                                                  "preferences.dislikes")))
    return case


def parse_case_text(text: str, *, source: str = "case", toml: bool = False) -> Case:
    try:
        raw = tomllib.loads(text) if toml else json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno,
                         source=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML: {exc}", source=source) from None
    try:
        return case_from_dict(raw)
    except InputError as exc:
        raise InputError(exc.message, source=source) from None


def load_case(path: str | Path, text: str | None = None) -> Case:
    """Read a case file (``.json``, or ``.toml``)."""
    path = Path(path)
    if text is None:
        text = read_text(str(path))
    return parse_case_text(text, source=str(path), toml=path.suffix.lower() == ".toml")
