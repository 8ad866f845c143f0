"""Food trackers' CSV exports, one module per format (as pvlib's ``iotools``):

========================  ================================================================
kind                      module
========================  ================================================================
``cronometer``            :mod:`.cronometer` — Cronometer "servings", one row per food
``cronometer-daily``      :mod:`.cronometer_daily` — Cronometer daily totals
``myfitnesspal``          :mod:`.myfitnesspal` — MyFitnessPal Nutrition-Summary, per meal
``loseit``                :mod:`.loseit` — Lose It! food-logs, re-matched to USDA foods
========================  ================================================================

Each module names its columns at the top (``COLUMNS``, ``OPTIONAL_COLUMNS``, units of bare
nutrient columns) and has one ``parse_<kind>(text, source, progress=None, …)`` that returns
:class:`~.common.Parsed` (entries, bad rows as errors, notes); :mod:`.common` holds the CSV
reading, the nutrient column names and the cell checks they share. Writing into the journal is
:func:`crampcheck.journal.importing.import_file`.

A new format: a module here with its column maps and parser, one line in :data:`PARSERS`, and
the kind in the ``crampcheck import`` help (:mod:`crampcheck.cli.journal`).
"""

from __future__ import annotations

from collections.abc import Callable

from .common import Parsed, Progress
from .cronometer import parse_cronometer
from .cronometer_daily import parse_cronometer_daily
from .loseit import loseit_text, parse_loseit
from .myfitnesspal import CALCIUM_DV_MG, parse_myfitnesspal

PARSERS: dict[str, Callable[..., Parsed]] = {
    "cronometer": parse_cronometer,
    "cronometer-daily": parse_cronometer_daily,
    "myfitnesspal": parse_myfitnesspal,
    "loseit": parse_loseit,
}
KINDS = tuple(PARSERS)

__all__ = ["CALCIUM_DV_MG", "KINDS", "PARSERS", "Parsed", "Progress", "loseit_text",
           "parse_cronometer", "parse_cronometer_daily", "parse_loseit", "parse_myfitnesspal"]
