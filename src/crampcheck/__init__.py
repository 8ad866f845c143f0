"""crampcheck: links cramps to intake, medicines and exercise, every statement sourced.

``from crampcheck import nutrients`` works as always; the food matcher (and numpy with it) is
imported on that first use, not by ``import crampcheck``, so a command imports only what it
needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .totals import NutrientReport, nutrients

__all__ = ["NutrientReport", "nutrients"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import totals

        return getattr(totals, name)
    raise AttributeError(f"module 'crampcheck' has no attribute {name!r}")
