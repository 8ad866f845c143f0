"""A module imported on first use of one of its attributes (for modules a command may not
need: rapidfuzz costs 25-30 ms a start and matching a food only needs it for a misspelt word).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """``LazyModule("rapidfuzz.fuzz")`` stands for that module; the first attribute read
    imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)
