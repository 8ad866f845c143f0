"""The diary file: what a person ate, day by day.

Format (UTF-8 text)::

    # 2026-11-20
    breakfast: 1 cup oatmeal; 1 cup whole milk
    07:30 1 banana
    lunch: 3 oz baked salmon; 1 cup cooked spinach
    # anything else after a hash is a comment
    2 tbsp pumpkin seeds   # a comment at the end of a line

* ``# YYYY-MM-DD`` starts a day; lines before the first header have no day.
* A line may start with a meal (``breakfast:``, ``lunch:``, ``dinner:``, ``supper:``,
  ``tea:``, ``snack:``, ``brunch:``, ``dessert:``) and/or a time (``07:30``).
* A ``#`` line that looks like a date in another form (``# 21/11/2026``) is an error that
  names the line, so no food lands on the wrong day.
* ``;`` separates several foods on one line.
* Blank lines and other ``#`` lines are ignored; `` #`` ends a line's text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InputError

MEALS = ("breakfast", "brunch", "lunch", "dinner", "supper", "tea", "snack", "snacks",
         "dessert")
_HEADER = re.compile(r"^#\s*(\d{4}-\d{1,2}-\d{1,2})\s*$")
# a "# 21/11/2026" or "# 2026.11.21" line: meant as a day, written another way
_DATE_LIKE = re.compile(r"^#\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_MEAL = re.compile(rf"^({'|'.join(MEALS)})\s*:\s*", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\s+")


@dataclass(frozen=True)
class DiaryLine:
    text: str
    line: int
    day: str | None = None
    meal: str | None = None
    time: str | None = None


def parse_date(text: str, *, line: int | None = None, source: str | None = None) -> str:
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-"))).isoformat()
    except ValueError:
        raise InputError(f"'{text}' is not a valid date (use YYYY-MM-DD)", line=line,
                         source=source) from None


def split_meal(line: str) -> tuple[str | None, str | None, str]:
    """(meal, time, rest) of a line that may start with a meal and/or a time
    ("breakfast: 07:30 1 cup oatmeal" → ("breakfast", "07:30", "1 cup oatmeal"))."""
    meal = time = None
    for _ in range(2):
        m = _MEAL.match(line)
        if m:
            meal = m.group(1).lower().rstrip("s") if m.group(1).lower() == "snacks" else \
                m.group(1).lower()
            line = line[m.end():]
        t = _TIME.match(line)
        if t:
            time = f"{int(t.group(1)):02d}:{t.group(2)}"
            line = line[t.end():]
    return meal, time, line


def parse_diary(text: str, *, source: str | None = None) -> list[DiaryLine]:
    """Every food item in a diary, with its line number, day, meal and time."""
    items: list[DiaryLine] = []
    day: str | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        header = _HEADER.match(line)
        if header:
            day = parse_date(header.group(1), line=n, source=source)
            continue
        if _DATE_LIKE.match(line):
            raise InputError(f"'{line}' looks like a day header but is not # YYYY-MM-DD "
                             f"(for example # 2026-11-20)", line=n, source=source)
        if line.startswith("#"):
            continue
        line = re.split(r"\s#", line, maxsplit=1)[0].strip()
        meal, time, line = split_meal(line)
        for part in line.split(";"):
            part = part.strip()
            if part:
                items.append(DiaryLine(part, n, day, meal, time))
    return items
