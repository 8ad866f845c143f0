"""The case file: one person's situation, as JSON (canonical) or TOML.

Only ``person`` is required. Validation errors name the field and say what is expected
("person.age must be a number of years between 1 and 120"); :func:`load_case` raises
:class:`~crampcheck.errors.InputError` with them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .limits import (
    MAX_CASE_ENTRIES,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    check_day,
    check_food_line,
    check_text,
    finite,
)
from .models import Person
from .textio import read_text

DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
INTENSITIES = ("light", "moderate", "vigorous")
EXERCISE_FIELDS = ("hours_per_week", "intensity", "hot_environment", "session_minutes",
                   "cramps_around_exercise", "sweat_rate_l_per_h")


@dataclass(frozen=True)
class Exercise:
    """Exercise as the case file gives it. Only ``hours_per_week`` is needed; the rest refine the
    plan's sweat estimate: ``session_minutes`` (a typical session), ``cramps_around_exercise``
    (cramps come during or soon after exercise), ``sweat_rate_l_per_h`` (measured by weighing
    before and after a session; replaces the estimate)."""

    hours_per_week: float = 0.0
    intensity: str = "moderate"
    hot_environment: bool = False
    session_minutes: float | None = None
    cramps_around_exercise: bool | None = None
    sweat_rate_l_per_h: float | None = None


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
    #: True when no unit was given and it was inferred from the plausible range.
    unit_inferred: bool = False


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
    #: Stored values a journal holds that cannot be right, left out with the reason (a journal
    #: written before they were refused); the assessment reports them as findings.
    set_aside: list[str] = field(default_factory=list)

    def person_dict(self) -> dict[str, Any]:
        p = self.person
        return {"age": p.age, "sex": p.sex, "pregnant": p.pregnant, "lactating": p.lactating,
                "weight_kg": p.weight_kg}


#: A minus sign written straight before an amount ("-200 mg", "x -2", "furosemide -40mg"): not
#: a dash between words ("Magnesium citrate - 200 mg") and not a range ("1-2 tablets").
_NEGATIVE_AMOUNT = re.compile(
    r"(?:^|(?<=[\s(:=x×*]))-(\d+(?:[.,]\d+)?)\s*(?:(mg|g|mcg|ug|µg|iu|i\.u\.|units?|ml|l|oz|"
    r"cups?|tbsp|tsp|tablets?|tabs?|capsules?|caps?|mmol|meq|drops?|sachets?|servings?)\b)?",
    re.IGNORECASE)


def _no_negative_amount(text: str, name: str) -> None:
    """A clear error for a negative amount or count in a medicine, supplement or diary line."""
    for m in _NEGATIVE_AMOUNT.finditer(text):
        before = text[: m.start()].rstrip()
        if m.group(2) or before.endswith(("x", "×", "*")) or not before:
            raise InputError(f"{name} ({text!r}): the amount -{m.group(1)} is negative; give "
                             "the amount taken (or leave the line out)")


def _infer_lab_unit(test: str, value: float, name: str) -> str:
    """The unit of a lab result given without one, when only one unit makes the value a
    plausible result; otherwise a clear error naming the test."""
    from .knowledge.lab_bounds import infer_unit
    from .knowledge.labs import find_test

    try:
        find_test(test)
    except InputError:
        return ""  # a test crampcheck does not read (TSH): reported by the assessment, not fatal
    try:
        unit, plausible = infer_unit(test, value)
    except InputError:
        raise InputError(f"{name} ({test} {value:g}): the unit is missing; add it "
                         "(for example mg/dL or mmol/L)") from None
    if unit is not None:
        return unit
    if plausible:
        raise InputError(f"{name} ({test} {value:g}): the unit is missing and {value:g} could be "
                         f"{' or '.join(plausible)}; add the unit from the lab report")
    raise InputError(f"{name} ({test} {value:g}): the unit is missing and {value:g} is not a "
                     f"plausible {test} result in any unit crampcheck reads; check the value and "
                     "add its unit")


def _num(value: Any, name: str, lo: float, hi: float, what: str) -> float:
    return finite(value, name, lo, hi, what)


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{name} must be true or false")
    return value


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{name} must be a list of text entries")
    if len(value) > MAX_CASE_ENTRIES:
        raise InputError(f"{name} has {len(value):,} entries; at most {MAX_CASE_ENTRIES:,}")
    for i, v in enumerate(value):
        check_text(v, f"{name}[{i}]", limit=MAX_TEXT_CHARS)
    return [v.strip() for v in value if v.strip()]


def _opt_text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be text")
    return check_text(value, name).strip() or None


def _list(value: Any, name: str, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{name} must be a list of {what}")
    if len(value) > MAX_CASE_ENTRIES:
        raise InputError(f"{name} has {len(value):,} entries; at most {MAX_CASE_ENTRIES:,}")
    return value


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
        when = dt.datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InputError(f"{name} must be a date and time like \"2026-11-20T02:30\", "
                         f"not {text[:40]!r}") from None
    check_day(when.date(), what=name)
    return when


def _date(text: Any, name: str) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise InputError(f"{name} must be a date like \"2026-11-01\"")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{name} must be a date like \"2026-11-01\", not {text[:40]!r}"
                         ) from None
    return check_day(day, what=name)


CASE_FIELDS = ("person", "conditions", "medications", "exercise", "diary", "supplements",
               "cramps", "symptoms", "labs", "preferences")


def case_from_dict(raw: Any) -> Case:
    """Validate a parsed case file and build a :class:`Case` (fields checked in the order
    person, lists of text, exercise, diary, cramps, labs, preferences)."""
    if not isinstance(raw, dict):
        raise InputError("a case file must be an object with at least \"person\"")
    known = set(CASE_FIELDS)
    unknown = set(raw) - known
    if unknown:
        raise InputError(f"unknown top-level fields: {', '.join(sorted(unknown))} "
                         f"(expected some of: {', '.join(sorted(known))})")
    case = Case(person=_person(raw.get("person")))
    case.conditions = _strings(raw.get("conditions"), "conditions")
    case.medications = _strings(raw.get("medications"), "medications")
    case.supplements = _strings(raw.get("supplements"), "supplements")
    for field_name in ("medications", "supplements"):
        for n, text in enumerate(getattr(case, field_name)):
            _no_negative_amount(text, f"{field_name}[{n}]")
    case.symptoms = _strings(raw.get("symptoms"), "symptoms")
    ex = raw.get("exercise")
    if ex is not None:
        case.exercise = _exercise(ex)
    case.diary = _diary(raw.get("diary") or {})
    case.cramps = [_cramp(c, f"cramps[{i}]")
                   for i, c in enumerate(_list(raw.get("cramps"), "cramps", "events"))]
    case.labs = [_lab(lab, f"labs[{i}]")
                 for i, lab in enumerate(_list(raw.get("labs"), "labs", "results"))]
    case.preferences = _preferences(raw.get("preferences") or {})
    return case


def _exercise(ex: Any) -> Exercise:
    if not isinstance(ex, dict):
        raise InputError("exercise must be an object (hours_per_week, intensity, "
                         "hot_environment, session_minutes, cramps_around_exercise, "
                         "sweat_rate_l_per_h)")
    unknown_ex = set(ex) - set(EXERCISE_FIELDS)
    if unknown_ex:
        raise InputError(f"exercise: unknown fields {', '.join(sorted(unknown_ex))} "
                         f"(expected some of: {', '.join(EXERCISE_FIELDS)})")
    intensity = ex.get("intensity", "moderate")
    if intensity not in INTENSITIES:
        raise InputError(f"exercise.intensity must be one of {', '.join(INTENSITIES)}")
    around = ex.get("cramps_around_exercise")
    return Exercise(
        hours_per_week=_num(ex.get("hours_per_week", 0), "exercise.hours_per_week", 0, 80,
                            "a number of hours"),
        intensity=intensity,
        hot_environment=_bool(ex.get("hot_environment", False), "exercise.hot_environment"),
        session_minutes=None if ex.get("session_minutes") is None else _num(
            ex["session_minutes"], "exercise.session_minutes", 5, 720,
            "a number of minutes (5 to 720)"),
        cramps_around_exercise=None if around is None else _bool(
            around, "exercise.cramps_around_exercise"),
        sweat_rate_l_per_h=None if ex.get("sweat_rate_l_per_h") is None else _num(
            ex["sweat_rate_l_per_h"], "exercise.sweat_rate_l_per_h", 0.05, 5,
            "litres of sweat per hour (0.05 to 5)"))


def _diary(diary: Any) -> dict[str, list[str]]:
    if not isinstance(diary, dict):
        raise InputError("diary must map dates (YYYY-MM-DD) to lists of food lines")
    if len(diary) > MAX_CASE_ENTRIES * 10:
        raise InputError(f"diary has {len(diary):,} days; at most {MAX_CASE_ENTRIES * 10:,}")
    out: dict[str, list[str]] = {}
    for day, lines in diary.items():
        try:
            iso = dt.date.fromisoformat(day.strip()).isoformat()
        except (ValueError, TypeError, AttributeError):
            raise InputError(f"diary: {str(day)[:40]!r} is not a date (YYYY-MM-DD)") from None
        check_day(iso, what=f"diary: the day {day!r} is")
        if iso in out:
            raise InputError(f"diary: the day {iso} is given twice ({day!r}); put all of its "
                             "foods in one list")
        texts = _strings(lines, f"diary.{day}")
        for n, text in enumerate(texts):
            try:
                check_food_line(text)
            except InputError as exc:
                raise InputError(f"diary.{day}[{n}]: {exc.message}") from None
            _no_negative_amount(text, f"diary.{day}[{n}]")
        out[iso] = texts
    return out


def _cramp(c: Any, name: str) -> CrampEvent:
    if not isinstance(c, dict):
        raise InputError(f"{name} must be an object with at least \"at\"")
    return CrampEvent(
        at=_datetime(c.get("at"), f"{name}.at"),
        muscle=_opt_text(c.get("muscle"), f"{name}.muscle"),
        side=_opt_text(c.get("side"), f"{name}.side"),
        minutes=None if c.get("minutes") is None else _num(
            c["minutes"], f"{name}.minutes", 0, 24 * 60, "a number of minutes"),
        severity=None if c.get("severity") is None else _num(
            c["severity"], f"{name}.severity", 0, 10, "a number"))


def _lab(lab: Any, name: str) -> Lab:
    if not isinstance(lab, dict) or not isinstance(lab.get("test"), str):
        raise InputError(f"{name} must be an object with test, value and unit")
    check_text(lab["test"], f"{name}.test", limit=100)
    value = lab.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name}.value must be a number")
    unit = lab.get("unit")
    inferred = False
    if unit is None or (isinstance(unit, str) and not unit.strip()):
        unit = _infer_lab_unit(lab["test"], value, name)
        inferred = bool(unit)
    if not isinstance(unit, str):
        raise InputError(f"{name}.unit must be text (for example mg/dL)")
    check_text(unit, f"{name}.unit", limit=40)
    from .knowledge.lab_bounds import lab_problem

    problem = lab_problem(lab["test"], value, unit.strip())
    if problem is not None:
        raise InputError(f"{name}.value: {problem}")
    return Lab(lab["test"], float(value), unit.strip(), _date(lab.get("date"), f"{name}.date"),
               unit_inferred=inferred)


def _preferences(prefs: Any) -> Preferences:
    if not isinstance(prefs, dict):
        raise InputError("preferences must be an object (diet, avoid, dislikes)")
    diet = prefs.get("diet", "omnivore")
    if diet not in DIETS:
        raise InputError(f"preferences.diet must be one of {', '.join(DIETS)}")
    return Preferences(diet, tuple(_strings(prefs.get("avoid"), "preferences.avoid")),
                       tuple(_strings(prefs.get("dislikes"), "preferences.dislikes")))


def parse_case_text(text: str, *, source: str = "case", toml: bool = False) -> Case:
    """A case from JSON (or TOML) text; size, nesting and repeated keys are checked first
    (see :mod:`crampcheck.jsonsafe`)."""
    from . import jsonsafe

    if toml:
        if len(text) > MAX_FILE_BYTES:
            raise InputError(f"is over {MAX_FILE_BYTES:,} bytes", source=source)
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"is not valid TOML: {exc}", source=source) from None
        except RecursionError:
            raise InputError("is nested too deeply to be a case file", source=source) from None
        except ValueError as exc:  # an integer with thousands of digits
            raise InputError(f"is not a TOML file crampcheck can read ({exc})",
                             source=source) from None
    else:
        raw = jsonsafe.loads(text, source=source)
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
