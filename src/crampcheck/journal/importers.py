"""Imports from food trackers' CSV exports into the journal.

Formats (columns are found by name, never by position; extra columns are ignored):

``cronometer``
    The "servings" export: ``Day, Time, Group, Food Name, Amount, Energy (kcal), …,
    Calcium (mg), …, Magnesium (mg), …, Omega-3 (g), …, Category``. Older files have no
    ``Time``/``Group``/``Category`` and write days like ``2016-9-26``. Cronometer's own nutrient
    numbers are stored as they are; an empty cell is unknown (never zero).
``cronometer-daily``
    The daily nutrition export: ``Date``, the nutrient columns, ``Completed``. One day-total
    entry per row.
``myfitnesspal``
    The ``Nutrition-Summary`` export, one row per meal: ``Date, Meal, Calories, Fat (g), …,
    Sodium (mg), Potassium, …, Calcium, Iron, Note``. A bare ``Calcium`` column is a percentage
    of the daily value and is converted with the FDA daily value of 1,300 mg [1]_ (marked as
    estimated). The export has **no magnesium and no omega-3**: those stay unknown.
``loseit``
    Lose It!'s ``food-logs.csv``: ``Date, Name, Icon, Meal, Quantity, Units, Calories, Deleted,
    Fat (g), Protein (g), Carbohydrates (g), …, Sodium (mg)``, days as MM/DD/YYYY; deleted rows
    are skipped. The export has no magnesium, calcium, potassium or omega-3, so each food is
    re-matched to the USDA table (``analyze_line("{quantity} {units} {name}")``) and those
    nutrients are taken from the match and marked as estimated. Energy, fat, protein,
    carbohydrate, fibre and sodium are Lose It!'s own.

Every row gets a hash of its content (by column name) and its occurrence number, stored with
the entry, so importing the same file again adds nothing. A row that cannot be read raises
:class:`~crampcheck.errors.InputError` naming its line, and nothing is written, unless
``skip_bad_rows``. The whole import is one transaction.

References
----------
.. [1] U.S. FDA (2016). Food Labeling: Revision of the Nutrition and Supplement Facts Labels,
   21 CFR 101.9(c)(8)(iv): daily value for calcium 1,300 mg (adults and children 4 years and
   over). Earlier labels used 1,000 mg.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..limits import check_food_line
from ..textio import read_text
from .db import now, person_id, transaction
from .store import INSERT_FOOD, FoodEntry, iso_day

KINDS = ("cronometer", "cronometer-daily", "myfitnesspal", "loseit")
CALCIUM_DV_MG = 1300.0  # FDA daily value for calcium, 21 CFR 101.9 (2016)
PAUSE_ENV = "CRAMPCHECK_IMPORT_PAUSE_AFTER"  # test hook: stop mid-import after N rows
LOSEIT_OWN = ("energy_kcal", "fat_g", "protein_g", "carbohydrate_g", "fiber_g", "sodium_mg")

Progress = Callable[[int, int], None]  # (rows done, rows in all)

# column name (lower case, without the unit) -> nutrient key
_NAMES: dict[str, str] = {
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
_UNIT_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass
class Parsed:
    """What a parser read: entries, bad rows (as errors) and notes for the summary."""

    entries: list[FoodEntry] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_deleted: int = 0
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    """The summary of an import (or of a dry run)."""

    kind: str
    file: str
    rows: int
    imported: int
    duplicates: int
    bad_rows: list[str]
    skipped_deleted: int
    estimated: dict[str, int]
    unmatched: list[dict[str, Any]]
    notes: list[str]
    first_day: str | None
    last_day: str | None
    dry_run: bool
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _norm(name: str) -> str:
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
        m = _UNIT_RE.match(col.strip())
        name, unit = (m[1], m[2]) if m else (col, None)
        key = _NAMES.get(_norm(name))
        if key is None or key in out:
            continue
        if unit is None:
            unit = bare_units.get(key)
            if unit is None:
                continue
        out[key] = (i, _factor(key, unit, line=1, source=source, column=col))
    return out


MAX_CELL_VALUE = 1_000_000.0  # a million g, mg, µg or kcal in one row is no food


def _number(cell: str, what: str, *, line: int, source: str) -> float | None:
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


def _time(cell: str, *, line: int, source: str) -> str | None:
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


class _Rows:
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
        self.index = {_norm(c): i for i, c in enumerate(self.header)}
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
            content = "\x1f".join(f"{_norm(h)}={c.strip()}" for h, c in
                                  sorted(zip(self.header, cells, strict=False)))
            n = self.seen.get(content, 0)
            self.seen[content] = n + 1
            digest = hashlib.sha256(f"{self.kind}\x1e{content}\x1e{n}".encode()).hexdigest()
            yield line, cells, digest


def _nutrients(cells: list[str], cols: dict[str, tuple[int, float]], header: list[str], *,
               line: int, source: str) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(NUTRIENTS)
    for key, (i, factor) in cols.items():
        value = _number(cells[i], f"'{header[i]}'", line=line, source=source)
        out[key] = None if value is None else value * factor
    return out


def _meal(text: str | None) -> str | None:
    if not text or not text.strip() or text.strip().lower() in ("uncategorized", "none"):
        return None
    return text.strip().lower()


def parse_cronometer(text: str, source: str, progress: Progress | None = None) -> Parsed:
    """Cronometer servings export (see the module docstring)."""
    rows = _Rows(text, "Cronometer servings", source)
    day_i = rows.col("day", "date")
    name_i = rows.col("food name", "food")
    amount_i = rows.col("amount")
    time_i = rows.col("time", required=False)
    group_i = rows.col("group", required=False)
    cols = nutrient_columns(rows.header, source=source)
    out = Parsed()
    absent = [k for k in ("calcium_mg", "magnesium_mg", "omega3_g") if k not in cols]
    if absent:
        out.notes.append(f"this export has no column for {', '.join(absent)}: unknown")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            name = cells[name_i].strip()
            if not name:
                raise InputError("the food name is empty", line=line, source=source)
            amount = cells[amount_i].strip()
            grams = None
            g = re.match(r"^(\d{1,7}(?:\.\d{0,6})?)\s*g$", amount)
            if g:
                grams = float(g[1])
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source, what="day"),
                text=f"{amount} {name}".strip(), source="cronometer",
                nutrients=_nutrients(cells, cols, rows.header, line=line, source=source),
                time=None if time_i is None else _time(cells[time_i], line=line, source=source),
                meal=None if group_i is None else _meal(cells[group_i]),
                food_name=name, grams=grams, grams_method="cronometer" if grams else None,
                source_line=line, source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out


def parse_cronometer_daily(text: str, source: str, progress: Progress | None = None) -> Parsed:
    """Cronometer daily nutrition export: one day-total entry per row."""
    rows = _Rows(text, "Cronometer daily nutrition", source)
    day_i = rows.col("date", "day")
    done_i = rows.col("completed", required=False)
    cols = nutrient_columns(rows.header, source=source)
    out = Parsed()
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            note = None
            if done_i is not None and cells[done_i].strip().lower() in ("false", "no", "0"):
                note = "day not marked completed in Cronometer: totals may be partial"
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source),
                text="Cronometer daily totals", source="cronometer-daily", is_total=True,
                nutrients=_nutrients(cells, cols, rows.header, line=line, source=source),
                note=note, source_line=line, source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out


def parse_myfitnesspal(text: str, source: str, progress: Progress | None = None,
                       calcium_unit: str = "auto") -> Parsed:
    """MyFitnessPal Nutrition-Summary export: one total entry per meal.

    ``calcium_unit`` is ``"auto"`` (a bare ``Calcium`` column is % daily value; ``Calcium (mg)``
    is milligrams), ``"percent"`` or ``"mg"``.
    """
    rows = _Rows(text, "MyFitnessPal Nutrition-Summary", source)
    day_i = rows.col("date")
    meal_i = rows.col("meal")
    note_i = rows.col("note", required=False)
    cols = nutrient_columns(rows.header, source=source,
                            bare_units={"energy_kcal": "kcal", "potassium_mg": "mg",
                                        "fiber_g": "g", "sodium_mg": "mg", "protein_g": "g",
                                        "fat_g": "g", "carbohydrate_g": "g"})
    out = Parsed()
    ca_i = None
    for i, col in enumerate(rows.header):
        m = _UNIT_RE.match(col)
        name, unit = (m[1], m[2]) if m else (col, None)
        if _norm(name) == "calcium":
            ca_i = i
            is_mg = (calcium_unit == "mg" or
                     (calcium_unit == "auto" and unit is not None and unit.lower() == "mg"))
            cols.pop("calcium_mg", None)
            break
    out.notes.append("MyFitnessPal exports have no magnesium and no omega-3: they are unknown "
                     "for these days (not zero)")
    if ca_i is not None and not is_mg:
        out.notes.append("MyFitnessPal calcium is a percentage of the daily value: converted "
                         "with the FDA daily value of 1,300 mg (100 % = 1,300 mg; labels before "
                         "2016 used 1,000 mg) and marked as estimated")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            meal = _meal(cells[meal_i]) or "meal"
            nutrients = _nutrients(cells, cols, rows.header, line=line, source=source)
            estimated: list[str] = []
            if ca_i is not None:
                ca = _number(cells[ca_i], f"'{rows.header[ca_i]}'", line=line, source=source)
                if ca is not None and not is_mg:
                    ca = ca / 100.0 * CALCIUM_DV_MG
                    estimated.append("calcium_mg")
                nutrients["calcium_mg"] = ca
            note = cells[note_i].strip() if note_i is not None and cells[note_i].strip() else None
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source), meal=meal,
                text=f"MyFitnessPal {meal} total", source="myfitnesspal", is_total=True,
                nutrients=nutrients, estimated=estimated, note=note, source_line=line,
                source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out


_COUNT_UNITS = {"each", "serving", "servings", "item", "items", "piece", "pieces", ""}


def loseit_text(quantity: str, units: str, name: str) -> str:
    """The food line that Lose It!'s quantity, units and name stand for."""
    unit = units.strip()
    return " ".join(p for p in (quantity.strip(),
                                "" if unit.lower() in _COUNT_UNITS else unit, name.strip()) if p)


def parse_loseit(text: str, source: str, progress: Progress | None = None,
                 pins: dict[str, str] | None = None) -> Parsed:
    """Lose It! food-logs.csv, each food re-matched to USDA (see the module docstring); the
    person's food pins are used."""
    from ..totals import Item, analyze_line

    rows = _Rows(text, "Lose It! food-logs", source)
    day_i = rows.col("date")
    name_i = rows.col("name")
    qty_i = rows.col("quantity")
    units_i = rows.col("units")
    meal_i = rows.col("meal", required=False)
    del_i = rows.col("deleted", required=False)
    cols = nutrient_columns(rows.header, source=source, bare_units={"energy_kcal": "kcal"})
    own = [k for k in LOSEIT_OWN if k in cols]
    out = Parsed()
    out.notes.append("Lose It! exports have no magnesium, calcium, potassium or omega-3: each "
                     "food was matched to the USDA table and those values are estimates")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            if del_i is not None and cells[del_i].strip().lower() in ("true", "yes", "1"):
                out.skipped_deleted += 1
                continue
            name = cells[name_i].strip()
            if not name:
                raise InputError("the food name is empty", line=line, source=source)
            qty = _number(cells[qty_i], "'Quantity'", line=line, source=source)
            if qty is None or qty == 0:
                raise InputError("'Quantity' is empty or zero", line=line, source=source)
            food_text = check_food_line(loseit_text(cells[qty_i], cells[units_i], name),
                                        line=line, source=source)
            day = iso_day(cells[day_i], line=line, source=source)
            meal = None if meal_i is None else _meal(cells[meal_i])
            result = analyze_line(food_text, day=day, line=line, source=source, pins=pins)
            if not isinstance(result, Item) and "," in name:
                reordered = " ".join(reversed([p.strip() for p in name.split(",")]))
                retry = analyze_line(loseit_text(cells[qty_i], cells[units_i], reordered),
                                     day=day, line=line, source=source, pins=pins)
                if isinstance(retry, Item):
                    result = retry
            nutrients: dict[str, float | None] = dict.fromkeys(NUTRIENTS)
            estimated: list[str] = []
            entry = FoodEntry(day=day, text=food_text, source="loseit", nutrients=nutrients,
                              meal=meal, food_name=name, source_line=line, source_hash=digest)
            if isinstance(result, Item):
                for k, v in result.nutrients.items():
                    nutrients[k] = v
                    if k not in own and v is not None:
                        estimated.append(k)
                entry.food_id, entry.grams = result.food.id, result.grams
                entry.grams_method = result.grams_method
                entry.note = f"matched to USDA '{result.food.name}'"
            else:
                out.unmatched.append((line, food_text, result.reason))
                entry.note = f"no USDA match ({result.reason}): minerals unknown"
            own_values = _nutrients(cells, cols, rows.header, line=line, source=source)
            for k in own:
                nutrients[k] = own_values[k]
            entry.estimated = estimated
            out.entries.append(entry)
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out


PARSERS: dict[str, Callable[..., Parsed]] = {
    "cronometer": parse_cronometer,
    "cronometer-daily": parse_cronometer_daily,
    "myfitnesspal": parse_myfitnesspal,
    "loseit": parse_loseit,
}


def _existing(conn: sqlite3.Connection, pid: int | None, hashes: list[str]) -> set[str]:
    if pid is None:
        return set()
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i:i + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT source_hash FROM food_entries WHERE person_id = ? AND source_hash IN "
            f"({','.join('?' * len(chunk))})", (pid, *chunk)))
    return found


def _pause_after() -> int | None:
    value = os.environ.get(PAUSE_ENV)
    return int(value) if value and value.isdigit() else None


def import_file(conn: sqlite3.Connection, person: str, kind: str, path: str, *,
                dry_run: bool = False, skip_bad_rows: bool = False,
                progress: Progress | None = None, calcium_unit: str = "auto") -> ImportResult:
    """Import a tracker export into the journal of ``person`` in one transaction.

    Raises
    ------
    InputError
        Unknown kind, unreadable file, missing columns, or a bad row (naming its line) when
        ``skip_bad_rows`` is false. Nothing is written then.
    """
    if kind not in PARSERS:
        raise InputError(f"unknown import format '{kind}' (choose from {', '.join(KINDS)})")
    started = time.perf_counter()
    text = read_text(path)
    file_hash = hashlib.sha256(text.encode()).hexdigest()
    if kind == "myfitnesspal":
        parsed = parse_myfitnesspal(text, path, progress, calcium_unit=calcium_unit)
    elif kind == "loseit":
        from .pins import pins_map

        parsed = parse_loseit(text, path, progress, pins=pins_map(conn, person))
    else:
        parsed = PARSERS[kind](text, path, progress)
    if parsed.errors and not skip_bad_rows:
        first = parsed.errors[0]
        more = len(parsed.errors) - 1
        raise InputError(f"{first.message}"
                         + (f" ({more} more bad row{'s' if more > 1 else ''})" if more else "")
                         + "; nothing was imported (--skip-bad-rows imports the other rows)",
                         line=first.line, source=first.source)
    entries = parsed.entries
    estimated: dict[str, int] = {}
    for e in entries:
        for k in e.estimated:
            estimated[k] = estimated.get(k, 0) + 1
    days = sorted({e.day for e in entries})
    result = ImportResult(
        kind=kind, file=path, rows=len(entries) + len(parsed.errors) + parsed.skipped_deleted,
        imported=0, duplicates=0, bad_rows=[str(e) for e in parsed.errors],
        skipped_deleted=parsed.skipped_deleted, estimated=estimated,
        unmatched=[{"line": ln, "text": t, "reason": r} for ln, t, r in parsed.unmatched],
        notes=parsed.notes, first_day=days[0] if days else None,
        last_day=days[-1] if days else None, dry_run=dry_run)
    if dry_run:
        row = conn.execute("SELECT id FROM people WHERE name = ?", (person.strip(),)).fetchone()
        dupes = _existing(conn, None if row is None else row[0],
                          [e.source_hash for e in entries if e.source_hash])
        result.duplicates = len(dupes)
        result.imported = len(entries) - len(dupes)
    else:
        pause = _pause_after()
        with transaction(conn):
            pid = person_id(conn, person)
            cur = conn.execute(
                "INSERT INTO imports (person_id, kind, file_name, file_sha256, at, imported, "
                "duplicates, skipped, notes) VALUES (?,?,?,?,?,0,0,0,'[]')",
                (pid, kind, os.path.basename(path), file_hash, now()))
            import_id = int(cur.lastrowid or 0)
            created = now()
            before = conn.total_changes
            step = 1000
            for i in range(0, len(entries), step):
                chunk = entries[i:i + step]
                if pause is not None and i == 0:
                    conn.executemany(INSERT_FOOD, [e.row(pid, import_id, created)
                                                   for e in chunk[:pause]])
                    sys.stderr.write(f"crampcheck: import paused after {pause} rows "
                                     f"({PAUSE_ENV})\n")
                    sys.stderr.flush()
                    time.sleep(3600)
                conn.executemany(INSERT_FOOD, [e.row(pid, import_id, created) for e in chunk])
            result.imported = conn.total_changes - before
            result.duplicates = len(entries) - result.imported
            if result.imported == 0:
                conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
            else:
                conn.execute("UPDATE imports SET imported = ?, duplicates = ?, skipped = ?, "
                             "notes = ? WHERE id = ?",
                             (result.imported, result.duplicates, len(parsed.errors),
                              json.dumps(parsed.notes), import_id))
    result.seconds = time.perf_counter() - started
    return result
