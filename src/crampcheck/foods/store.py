"""The food table: USDA foods, their household portions and nutrients per 100 g.

Generic foods (SR Legacy, SR24, Foundation, FNDDS) load on first use: names and portions from
``data/generic.json``, values memory-mapped from ``data/generic_values.npy``. Branded foods
load only when asked for (``branded=True`` or a brand lookup), from ``data/branded.npz``.

References
----------
U.S. Department of Agriculture, Agricultural Research Service. FoodData Central, 2019–2024;
USDA National Nutrient Database for Standard Reference, Release 24, 2011. See
``data/PROVENANCE.md`` for versions and counts.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import numpy as np

from .schema import NUTRIENTS

_COL = {k: i for i, k in enumerate(NUTRIENTS)}


@dataclass(frozen=True)
class Portion:
    """One household measure of a food: ``grams`` in one ``unit`` (USDA's ``label``)."""

    unit: str
    label: str
    grams: float


@dataclass(frozen=True)
class Food:
    index: int
    id: str
    name: str
    source: str
    category: str
    portions: tuple[Portion, ...]

    @property
    def branded(self) -> bool:
        return self.source == "Branded"

    def ref(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "source": self.source}


class FoodStore:
    """All foods, indexed by id. Use :func:`default_store` for the shared instance."""

    def __init__(self) -> None:
        data = resources.files("crampcheck.foods").joinpath("data")
        meta = json.loads(data.joinpath("generic.json").read_text(encoding="utf-8"))
        if tuple(meta["nutrients"]) != NUTRIENTS:
            raise RuntimeError("food table columns do not match crampcheck.foods.schema")
        self._data = data
        self._meta_foods: list[dict] = meta["foods"]
        self.values: np.ndarray = np.load(str(data.joinpath("generic_values.npy")),
                                          mmap_mode="r")
        self._by_id = {f["id"]: i for i, f in enumerate(self._meta_foods)}
        self._foods: dict[int, Food] = {}

    def __len__(self) -> int:
        return len(self._meta_foods)

    @cached_property
    def names(self) -> list[str]:
        return [f["name"] for f in self._meta_foods]

    @cached_property
    def sources(self) -> list[str]:
        return [f["source"] for f in self._meta_foods]

    def food(self, index: int) -> Food:
        cached = self._foods.get(index)
        if cached is None:
            f = self._meta_foods[index]
            cached = Food(index, f["id"], f["name"], f["source"], f["category"],
                          tuple(Portion(u, lab, float(g)) for u, lab, g in f["portions"]))
            self._foods[index] = cached
        return cached

    def get(self, food_id: str) -> Food | None:
        i = self._by_id.get(food_id)
        if i is not None:
            return self.food(i)
        if food_id.startswith("br:"):
            return self.branded.get(food_id)
        return None

    def per_100g(self, food: Food) -> dict[str, float | None]:
        row = self.row(food).tolist()
        return {k: (None if math.isnan(v) else float(v)) for k, v in zip(NUTRIENTS, row,
                                                                        strict=True)}

    def row(self, food: Food) -> np.ndarray:
        if food.branded:
            return np.asarray(self.branded.values[food.index - len(self)])
        return np.asarray(self.values[food.index])

    @cached_property
    def branded(self) -> BrandedFoods:
        return BrandedFoods(self._data, offset=len(self))


class BrandedFoods:
    """USDA Branded Foods: one record per product name with its label serving size."""

    def __init__(self, data, offset: int) -> None:
        arrays = np.load(str(data.joinpath("branded.npz")))
        self.values: np.ndarray = arrays["values"]
        self.portion_grams: np.ndarray = arrays["portion_grams"]
        with gzip.open(str(data.joinpath("branded_names.txt.gz")), "rt", encoding="utf-8") as fh:
            rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
        self.rows = rows
        self.names = [r[1] for r in rows]
        self.offset = offset
        self._by_id = {r[0]: i for i, r in enumerate(rows)}

    def __len__(self) -> int:
        return len(self.rows)

    def food(self, i: int) -> Food:
        fid, name, category, unit, label = self.rows[i]
        grams = float(self.portion_grams[i])
        portions = (Portion(unit, label, grams),) if unit and not math.isnan(grams) else ()
        return Food(self.offset + i, fid, name, "Branded", category, portions)

    def get(self, food_id: str) -> Food | None:
        i = self._by_id.get(food_id)
        return None if i is None else self.food(i)


_STORE: FoodStore | None = None


def default_store() -> FoodStore:
    """The food table shipped with the package, loaded once per process."""
    global _STORE
    if _STORE is None:
        _STORE = FoodStore()
    return _STORE


def nutrient_column(key: str) -> int:
    return _COL[key]
