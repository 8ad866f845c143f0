"""What the tracker formats share: a CSV file read row by row with columns found by name, the
nutrient columns trackers write (name and unit), and the checks on a cell.

Columns are found by name, never by position; extra columns are ignored. A nutrient column is
known by its name without the unit (:data:`NUTRIENT_NAMES`, lower case) and converted from the
unit in brackets (``Calcium (mg)``, ``Vitamin D (IU)``, ``Energy (kJ)``); a unit crampcheck
cannot convert is refused, naming the column. An empty cell is unknown (never zero).

Every row gets a hash of its content (by column name) and its occurrence number, stored with the
entry, so importing the same file again adds nothing
(:func:`crampcheck.journal.importing.import_file`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...errors import InputError
from ...foods.schema import NUTRIENTS
from ..store import FoodEntry

Progress = Callable[[int, int], None]  # (rows done, rows in all)

# column name (lower case, without the unit) -> nutrient key
NUTRIENT_NAMES: dict[str, str] = {
    "energy": "energy_kcal", "calories": "energy_kcal", "protein": "protein_g",
    "fat": "fat_g", "total fat": "fat_g", "carbs": "carbohydrate_g",
    "carbohydrates": "carbohydrate_g", "carbohydrate": "carbohydrate_g", "fiber": "fiber_g",
    "fibre": "fiber_g", "water": "water_g", "calcium": "calcium_mg",
    "magnesium": "magnesium_mg", "potassium": "potassium_mg", "sodium": "sodium_mg",
    "phosphorus": "phosphorus_mg", "vitamin d": "vitamin_d_ug", "omega-3": "omega3_g",
    "omega 3": "omega3_g", "ala": "ala_g", "epa": "epa_g", "dha": "dha_g",
    "caffeine": "caffeine_mg", "alcohol": "alcohol_g",
}
_MASS = {"g": 1.0, "mg": 1e-3, "µg": 1e-6, "μg": 1e-6, "ug": 1e-6, "mcg": 1e-6}
UNIT_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass
class Parsed:
    """What a parser read: entries, bad rows (as errors) and notes for the summary."""

    entries: list[FoodEntry] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_deleted: int = 0
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)


def norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().lower())


def _factor(key: str, unit: str | None, *, line: int | None = None, source: str | None = None,
            column: str = "") -> float:
    """Multiplier from a column's unit to the unit in ``key`` (``vitamin_d_ug`` takes IU)."""
    target = key.rsplit("_", 1)[1]
    if unit is None:
        return 1.0
    u = unit.strip().lower()
    if target == "kcal":
        if u == "kcal" or u == "cal":
            return 1.0
        if u == "kj":
            return 1 / 4.184
    elif key == "vitamin_d_ug" and u == "iu":
        return 0.025
    elif u in _MASS:
        return _MASS[u] / _MASS[target]
    raise InputError(f"column '{column}': unit '{unit}' is not one crampcheck reads",
                     line=line, source=source)


def nutrient_columns(header: list[str], *, source: str | None = None,
                     bare_units: dict[str, str] | None = None) -> dict[str, tuple[int, float]]:
    """Nutrient key -> (column index, factor to the key's unit) for the columns we know."""
    out: dict[str, tuple[int, float]] = {}
    bare_units = bare_units or {}
    for i, col in enumerate(header):
        m = UNIT_RE.match(col.strip())
        name, unit = (m[1], m[2]) if m else (col, None)
        key = NUTRIENT_NAMES.get(norm(name))
        if key is None or key in out:
            continue
        if unit is None:
            unit = bare_units.get(key)
            if unit is None:
                continue
        out[key] = (i, _factor(key, unit, line=1, source=source, column=col))
    return out


MAX_CELL_VALUE = 1_000_000.0  # a million g, mg, µg or kcal in one row is no food


def number(cell: str, what: str, *, line: int, source: str) -> float | None:
    t = cell.strip().replace(",", "")
    if t == "" or t == "-":
        return None
    try:
        value = float(t) if len(t) <= 40 else math.inf
    except ValueError:
        raise InputError(f"{what} is {cell.strip()[:40]!r}, not a number", line=line,
                         source=source) from None
    if not math.isfinite(value):
        raise InputError(f"{what} is {cell.strip()[:40]!r}, not a finite number", line=line,
                         source=source)
    if value < 0:
        raise InputError(f"{what} is {cell.strip()!r}; it must be 0 or more", line=line,
                         source=source)
    if value > MAX_CELL_VALUE:
        raise InputError(f"{what} is {cell.strip()[:40]!r}; more than {MAX_CELL_VALUE:,.0f} "
                         "in one row cannot be a food's amount", line=line, source=source)
    return value


def clock_time(cell: str, *, line: int, source: str) -> str | None:
    t = cell.strip().upper()
    if not t:
        return None
    for fmt in ("%H:%M", "%I:%M %p", "%I:%M%p", "%H:%M:%S", "%I:%M:%S %p"):
        try:
            return dt.datetime.strptime(t, fmt).strftime("%H:%M")
        except ValueError:
            continue
    raise InputError(f"time {cell.strip()!r} is not a time like 08:15 or 8:15 AM", line=line,
                     source=source)


class Rows:
    """A CSV file as (line number, cells, row hash) with column lookup by name."""

    def __init__(self, text: str, kind: str, source: str):
        self.kind, self.source = kind, source
        # newline="": the csv module reads \r\n, \n and a bare \r (old Mac exports) as line
        # ends itself, and keeps a newline inside a quoted cell
        self.reader = csv.reader(io.StringIO(text, newline=""))
        try:
            self.header = [c.strip() for c in next(self.reader)]
        except StopIteration:
            raise InputError("is empty (no header row)", source=source) from None
        except csv.Error as exc:
            raise InputError(f"is not a CSV file crampcheck can read ({exc})", line=1,
                             source=source) from None
        self.index = {norm(c): i for i, c in enumerate(self.header)}
        self.seen: dict[str, int] = {}
        self.total = max(max(text.count("\n"), text.count("\r")) - 1, 1)

    def col(self, *names: str, required: bool = True) -> int | None:
        for n in names:
            if n in self.index:
                return self.index[n]
        if required:
            raise InputError(f"has no '{names[0]}' column; is this a {self.kind} export? "
                             f"(columns found: {', '.join(self.header[:12])}"
                             f"{', …' if len(self.header) > 12 else ''})", source=self.source)
        return None

    def _rows(self):
        while True:
            try:
                yield next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"is not a CSV file crampcheck can read ({exc})",
                                 line=self.reader.line_num, source=self.source) from None

    def __iter__(self):
        for cells in self._rows():
            line = self.reader.line_num
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(self.header) - len(cells))
            content = "\x1f".join(f"{norm(h)}={c.strip()}" for h, c in
                                  sorted(zip(self.header, cells, strict=False)))
            n = self.seen.get(content, 0)
            self.seen[content] = n + 1
            digest = hashlib.sha256(f"{self.kind}\x1e{content}\x1e{n}".encode()).hexdigest()
            yield line, cells, digest


def row_nutrients(cells: list[str], cols: dict[str, tuple[int, float]], header: list[str], *,
               line: int, source: str) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(NUTRIENTS)
    for key, (i, factor) in cols.items():
        value = number(cells[i], f"'{header[i]}'", line=line, source=source)
        out[key] = None if value is None else value * factor
    return out


def meal_name(text: str | None) -> str | None:
    if not text or not text.strip() or text.strip().lower() in ("uncategorized", "none"):
        return None
    return text.strip().lower()


