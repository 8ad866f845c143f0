"""Cronometer's daily nutrition export: ``Date``, the nutrient columns, ``Completed``.

One day-total entry per row; a day not marked completed gets a note that its totals may be
partial.
"""

from __future__ import annotations

from ...errors import InputError
from ..store import FoodEntry, iso_day
from .common import Parsed, Progress, Rows, nutrient_columns, row_nutrients

KIND = "cronometer-daily"
TITLE = "Cronometer daily nutrition"
# what is read -> the column names that hold it (lower case; the first is named in errors)
COLUMNS = {"day": ("date", "day")}
OPTIONAL_COLUMNS = {"completed": ("completed",)}
# the nutrient columns: any of common.NUTRIENT_NAMES, with the unit in brackets
NOT_COMPLETED = ("false", "no", "0")


def parse_cronometer_daily(text: str, source: str, progress: Progress | None = None) -> Parsed:
    """Cronometer daily nutrition export: one day-total entry per row."""
    rows = Rows(text, TITLE, source)
    day_i = rows.col(*COLUMNS["day"])
    done_i = rows.col(*OPTIONAL_COLUMNS["completed"], required=False)
    cols = nutrient_columns(rows.header, source=source)
    out = Parsed()
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            note = None
            if done_i is not None and cells[done_i].strip().lower() in NOT_COMPLETED:
                note = "day not marked completed in Cronometer: totals may be partial"
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source),
                text="Cronometer daily totals", source=KIND, is_total=True,
                nutrients=row_nutrients(cells, cols, rows.header, line=line, source=source),
                note=note, source_line=line, source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out
