"""The journal: a person's food, cramps, medicines and labs over time, in one SQLite file.

Python API
----------
- :func:`connect` — open (create, migrate) a journal file.
- :func:`case_for_window` — a :class:`~crampcheck.case.Case` for the last N days.
- :func:`daily_intake` — per-day nutrient totals from stored entries (tracker numbers as they
  are), with what is missing or estimated each day.
- :func:`import_file` — import a Cronometer, MyFitnessPal or Lose It! export.
- :func:`trends` — rolling means, ratio, cramps per week, cramp days vs other days, timeline.
"""

from __future__ import annotations

from .db import SCHEMA_VERSION, backup, connect, default_db_path
from .importers import KINDS, ImportResult, import_file
from .trends import trends
from .window import DayIntake, case_for_window, daily_intake

__all__ = ["KINDS", "SCHEMA_VERSION", "DayIntake", "ImportResult", "backup", "case_for_window",
           "connect", "daily_intake", "default_db_path", "import_file", "trends"]
