"""Limits on what crampcheck accepts, and the checks every entry point shares.

The CLI, the web app, case files and the importers call these before any food line reaches the
matcher, so one request or one file cannot make crampcheck work for minutes, and a value that
cannot be right (an infinite amount, a day in the year 1, a fraction over zero) is refused with
a message naming it rather than stored. The numbers behind the web limits are in
``benchmarks/limits_bench.py`` and the README's security section.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from .errors import InputError

#: One food line: the longest USDA food name is 177 characters and 24 words, so a line that
#: names any food with an amount fits; longer is not a food line.
MAX_LINE_CHARS = 200
MAX_LINE_WORDS = 32
#: One web request (the diary form, /api/nutrients, a case in /api/assess or /api/plan): lines
#: (food lines plus a case's medicines, supplements, conditions and symptoms) and characters.
#: (A day of a diary is 10-20 lines.)
MAX_REQUEST_LINES = 40
MAX_REQUEST_CHARS = 2400
#: A line that names a brand is matched against all 264,307 branded products: 0.3-0.6 s of CPU
#: however short it is (benchmarks/limits_bench.py). So a request holds at most one, it counts
#: as BRAND_LINE_WEIGHT lines, and it has at most MAX_BRAND_LINE_WORDS words (the longest
#: branded product name has 44 characters; more words only cost time).
MAX_REQUEST_BRAND_LINES = 1
BRAND_LINE_WEIGHT = 30
MAX_BRAND_LINE_WORDS = 12
#: A free-text entry: a medicine, supplement, condition, symptom, note.
MAX_TEXT_CHARS = 500
#: Entries of one kind in one case (medicines, supplements, cramps, labs …).
MAX_CASE_ENTRIES = 1000
#: Files read as text (a diary, a case, a tracker export) and JSON nesting.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 32
#: Windows of days (``--days``) and the days an entry may carry.
MAX_WINDOW_DAYS = 3650
FIRST_DAY = dt.date(1900, 1, 1)
FUTURE_DAYS = 366

_ZERO_FRACTION = re.compile(r"(?<![\d.])(\d+(?:[.,]\d+)?)\s*/\s*0+(?:[.,]0+)?(?![\d.,])")
_WORD = re.compile(r"\S+")


def last_day() -> dt.date:
    """The latest day an entry may carry: today plus one year (a planned lab, a typo's room)."""
    return dt.date.today() + dt.timedelta(days=FUTURE_DAYS)


def check_day(day: dt.date | str, *, what: str = "date", line: int | None = None,
              source: str | None = None) -> str:
    """``day`` (a date or ISO text) as ISO text, if it lies between 1900-01-01 and a year
    from today; else :class:`InputError` naming ``what``."""
    try:
        d = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    except ValueError:
        raise InputError(f"{what} {day!r} is not a date (use YYYY-MM-DD)", line=line,
                         source=source) from None
    if isinstance(d, dt.datetime):
        d = d.date()
    if not FIRST_DAY <= d <= last_day():
        raise InputError(f"{what} {d.isoformat()} is outside {FIRST_DAY.isoformat()} to "
                         f"{last_day().isoformat()} (a year from today)", line=line,
                         source=source)
    return d.isoformat()


def check_window(days: int, *, what: str = "--days") -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WINDOW_DAYS:
        raise InputError(f"{what} must be a whole number of days from 1 to {MAX_WINDOW_DAYS}")
    return days


def finite(value: object, name: str, lo: float, hi: float, what: str = "a number") -> float:
    """``value`` as a float if it is a finite number within ``lo``..``hi``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name} must be {what} between {lo:g} and {hi:g}")
    try:
        f = float(value)
    except OverflowError:  # an int with hundreds of digits
        raise InputError(f"{name} must be {what} between {lo:g} and {hi:g}") from None
    if not math.isfinite(f) or not lo <= f <= hi:
        raise InputError(f"{name} must be {what} between {lo:g} and {hi:g}")
    return f


def check_text(text: str, name: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    if len(text) > limit:
        raise InputError(f"{name} is {len(text):,} characters long; at most {limit:,}")
    if any(c in text for c in "\x00\r\n"):
        raise InputError(f"{name} must be one line of text")
    return text


def check_food_line(text: str, *, line: int | None = None, source: str | None = None) -> str:
    """One food line: not too long, no amount divided by zero ("1/0 cup")."""
    if len(text) > MAX_LINE_CHARS:
        raise InputError(f"a food line is {len(text):,} characters long; at most "
                         f"{MAX_LINE_CHARS} (one food per line)", line=line, source=source)
    words = len(_WORD.findall(text))
    if words > MAX_LINE_WORDS:
        raise InputError(f"a food line has {words} words; at most {MAX_LINE_WORDS} (one food "
                         "per line)", line=line, source=source)
    m = _ZERO_FRACTION.search(text)
    if m:
        raise InputError(f"the amount '{m.group(0).strip()}' in '{text.strip()}' divides by "
                         "zero", line=line, source=source)
    return text


def names_a_brand(text: str) -> bool:
    """Whether the matcher will search the branded products for this line."""
    from .intake.amounts import parse_amount
    from .totals import names_brand

    food = parse_amount(text).food_text
    return bool(food) and names_brand(food)


def check_request(lines: Sequence[str], *, branded: bool = False,
                  what: str = "this request", others: Sequence[str] = ()) -> None:
    """The per-request limits of the web app (see the constants and the README).

    ``lines`` are food lines; ``others`` the other texts a case brings (medicines,
    supplements, conditions, symptoms), which count toward the same totals. Raises
    :class:`InputError` saying which limit and how to split the request.
    """
    chars = sum(len(t) for t in lines) + sum(len(t) for t in others)
    if chars > MAX_REQUEST_CHARS:
        raise InputError(f"{what} has {chars:,} characters of text; at most "
                         f"{MAX_REQUEST_CHARS:,} at once: send it in parts")
    if len(lines) + len(others) > MAX_REQUEST_LINES:
        raise InputError(f"{what} has {len(lines) + len(others)} lines; at most "
                         f"{MAX_REQUEST_LINES} at once: send it in parts")
    for t in lines:
        check_food_line(t)
    brands = [t for t in lines if t.strip() and (branded or names_a_brand(t))]
    if len(brands) > MAX_REQUEST_BRAND_LINES:
        raise InputError(f"{what} has {len(brands)} lines naming a brand ("
                         + "; ".join(repr(b) for b in brands[:3])
                         + f"); each is searched among all branded products, so at most "
                         f"{MAX_REQUEST_BRAND_LINES} at once: send the others separately")
    for b in brands:
        words = len(_WORD.findall(b))
        if words > MAX_BRAND_LINE_WORDS:
            raise InputError(f"the line {b[:60]!r} names a brand and has {words} words; at "
                             f"most {MAX_BRAND_LINE_WORDS} (product names are short)")
    weighted = len(lines) + len(others) + (BRAND_LINE_WEIGHT - 1) * len(brands)
    if weighted > MAX_REQUEST_LINES:
        raise InputError(f"{what} has a line naming a brand and {len(lines) + len(others) - 1}"
                         f" other lines; with a brand line (searched among all branded "
                         f"products, it counts as {BRAND_LINE_WEIGHT} lines) at most "
                         f"{MAX_REQUEST_LINES - BRAND_LINE_WEIGHT} others at once: send the "
                         "brand line on its own")
