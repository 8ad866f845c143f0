"""The journal: a person's food, cramps, medicines and labs over time, in one SQLite file.

Python API
----------
- :func:`connect` — open (create, migrate) a journal file.
- :func:`case_for_window` — a :class:`~crampcheck.case.Case` for the last N days.
- :func:`daily_intake` — per-day nutrient totals from stored entries (tracker numbers as they
  are), with what is missing or estimated each day.
- :func:`import_file` — import a Cronometer, MyFitnessPal or Lose It! export (one module a
  format in :mod:`crampcheck.journal.formats`).
- :func:`trends` — rolling means, ratio, cramps per week, cramp days vs other days, timeline.

The importers and the window are imported on first use of their names, so a command that
only opens a journal does not load them. The commands that use the journal are in
:mod:`crampcheck.cli`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .db import SCHEMA_VERSION, backup, connect, default_db_path
from .trends import trends  # the function, as before (its module loads numpy on use only)

if TYPE_CHECKING:
    from .importing import KINDS, ImportResult, import_file
    from .window import DayIntake, case_for_window, daily_intake

_HOME = {"KINDS": "importing", "ImportResult": "importing", "import_file": "importing",
         "DayIntake": "window", "case_for_window": "window", "daily_intake": "window"}

__all__ = ["KINDS", "SCHEMA_VERSION", "DayIntake", "ImportResult", "backup", "case_for_window",
           "connect", "daily_intake", "default_db_path", "import_file", "trends"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'crampcheck.journal' has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)
