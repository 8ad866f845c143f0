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
from typing import Any

import numpy as np

from .schema import NUTRIENTS


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


#: The table's text columns and portions as numpy arrays (``scripts/build_artefacts.py``):
#: reading them takes a few milliseconds where parsing ``generic.json`` takes 50–100 ms.
TABLE_ARTEFACT = "foods/data/generic_table.npz"
TABLE_SOURCE = "foods/data/generic.json"
_TEXT_COLUMNS = ("id", "name", "source", "category")


class FoodStore:
    """All foods, indexed by id. Use :func:`default_store` for the shared instance."""

    def __init__(self) -> None:
        data = resources.files("crampcheck.foods").joinpath("data")
        self._data = data
        columns = _table_from_artefact() or _table_from_json(
            data.joinpath("generic.json").read_text(encoding="utf-8"))
        self._ids, names, sources, self._categories, self._portions = columns
        self.names: list[str] = names
        self.sources: list[str] = sources
        self.values: np.ndarray = np.load(str(data.joinpath("generic_values.npy")),
                                          mmap_mode="r")
        self._by_id = {fid: i for i, fid in enumerate(self._ids)}
        self._foods: dict[int, Food] = {}
        self._per_100g: dict[int, dict[str, float | None]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def food(self, index: int) -> Food:
        cached = self._foods.get(index)
        if cached is None:
            cached = Food(index, self._ids[index], self.names[index], self.sources[index],
                          self._categories[index],
                          tuple(Portion(u, lab, float(g)) for u, lab, g in self._portions(index)))
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
        """The food's nutrients per 100 g (None where USDA has no value); a new dict each call,
        read from the table once per food (a diary repeats its foods)."""
        found = self._per_100g.get(food.index)
        if found is None:
            row = self.row(food).tolist()
            found = self._per_100g[food.index] = {
                k: (None if math.isnan(v) else float(v))
                for k, v in zip(NUTRIENTS, row, strict=True)}
        return dict(found)

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


_Columns = tuple[list[str], list[str], list[str], list[str], Any]


def _table_from_json(text: str) -> _Columns:
    """The columns of ``generic.json`` (ids, names, sources, categories, portions of a row)."""
    meta = json.loads(text)
    if tuple(meta["nutrients"]) != NUTRIENTS:
        raise RuntimeError("food table columns do not match crampcheck.foods.schema")
    foods = meta["foods"]
    portions = [f["portions"] for f in foods]
    return ([f["id"] for f in foods], [f["name"] for f in foods],
            [f["source"] for f in foods], [f["category"] for f in foods],
            portions.__getitem__)


def table_arrays(text: str, digest: str) -> dict[str, np.ndarray]:
    """The artefact's arrays for the table ``text`` (``generic.json``) whose digest is
    ``digest``."""
    from ..artefacts import pack_lines, pack_meta

    meta = json.loads(text)
    foods = meta["foods"]
    arrays = {f"{col}s": pack_lines([f[col] for f in foods]) for col in _TEXT_COLUMNS}
    flat = [p for f in foods for p in f["portions"]]
    arrays["portion_start"] = np.cumsum([0] + [len(f["portions"]) for f in foods],
                                        dtype=np.int64)
    arrays["portion_units"] = pack_lines([u for u, _, _ in flat])
    arrays["portion_labels"] = pack_lines([lab for _, lab, _ in flat])
    arrays["portion_grams"] = np.array([g for _, _, g in flat], dtype=np.float64)
    arrays["meta"] = pack_meta({"digest": digest, "nutrients": meta["nutrients"],
                                "foods": len(foods), "portions": len(flat)})
    return arrays


def _table_from_artefact() -> _Columns | None:
    """The columns from :data:`TABLE_ARTEFACT`, or None when it is missing or was built from
    another ``generic.json``."""
    from ..artefacts import file_digest, read_npz, unpack_lines

    found = read_npz(TABLE_ARTEFACT, file_digest(TABLE_SOURCE))
    if found is None:
        return None
    meta, arrays = found
    if tuple(meta["nutrients"]) != NUTRIENTS:
        raise RuntimeError("food table columns do not match crampcheck.foods.schema")
    n, m = meta["foods"], meta["portions"]
    ids, names, sources, categories = (unpack_lines(arrays[f"{col}s"], n)
                                       for col in _TEXT_COLUMNS)
    start = arrays["portion_start"].tolist()
    units = unpack_lines(arrays["portion_units"], m)
    labels = unpack_lines(arrays["portion_labels"], m)
    grams = arrays["portion_grams"].tolist()

    def portions(i: int) -> list[tuple[str, str, float]]:
        a, b = start[i], start[i + 1]
        return list(zip(units[a:b], labels[a:b], grams[a:b], strict=True))

    return ids, names, sources, categories, portions


_STORE: FoodStore | None = None


def default_store() -> FoodStore:
    """The food table shipped with the package, loaded once per process."""
    global _STORE
    if _STORE is None:
        _STORE = FoodStore()
    return _STORE
