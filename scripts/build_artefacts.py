#!/usr/bin/env python3
"""Build the files crampcheck would otherwise work out from its shipped tables on every run.

* ``src/crampcheck/foods/data/generic_table.npz`` — the ids, names, sources, categories and
  household portions of ``generic.json`` as arrays (parsing the JSON costs 50–100 ms a run).
* ``src/crampcheck/plan/data/candidates.npz`` — the foods the plan may propose
  (:func:`crampcheck.plan.candidates.build_candidates`: the USDA table filtered by
  ``plan_foods.toml``, everyday foods, household amounts, absorbable calcium, diet and
  allergen masks; 1–4 s of work). See ``plan/data/PROVENANCE.md``.
* ``src/crampcheck/foods/data/search_index.npz`` — the word index of the generic food names
  (:mod:`crampcheck.foods.index`: postings, idf, heads, categories; 0.15–0.3 s a run).
* ``src/crampcheck/intake/unit_factors.json`` — grams per mass unit and millilitres per volume
  unit, worked out by pint from ``intake/units.txt`` (importing pint costs 0.25 s a run).

Each records a digest of its inputs. After a change to an input crampcheck works the answer
out in-process again (the same answer, slower) and the artefact tests
(``tests/test_artefacts.py``) fail until this is run. One command rebuilds everything::

    PYTHONPATH=src python3 scripts/build_artefacts.py

The output is deterministic: unchanged inputs give byte-identical files.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from crampcheck.artefacts import file_digest, package_root, write_npz
from crampcheck.foods import index, store
from crampcheck.intake import units
from crampcheck.plan.candidates import artefact_digest, load_artefact, write_artefact

ROOT = Path(__file__).resolve().parents[1]
FACTORS = ROOT / "src" / "crampcheck" / "intake" / units.FACTOR_TABLE


def build_unit_factors(path: Path = FACTORS) -> Path:
    table = {"about": "Factors of crampcheck.intake.units.factor, worked out by pint from "
                      "units.txt (whose SHA-256 is units_sha256) by scripts/build_artefacts.py.",
             "units_sha256": units.units_digest(), "factors": units.factor_table()}
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def build_food_table() -> Path:
    path = Path(str(package_root().joinpath(store.TABLE_ARTEFACT)))
    text = package_root().joinpath(store.TABLE_SOURCE).read_text(encoding="utf-8")
    write_npz(path, store.table_arrays(text, file_digest(store.TABLE_SOURCE)))
    if store._table_from_artefact() is None:
        raise SystemExit(f"{path}: written but does not load back")
    return path


def main() -> None:
    path = build_food_table()
    print(f"wrote {path}: {len(store.default_store()):,} foods, {path.stat().st_size:,} bytes")
    path = index.write_artefact()
    words = index.load_artefact(store.default_store().names)
    if words is None:
        raise SystemExit(f"{path}: written but does not load back")
    print(f"wrote {path}: {len(words.vocabulary):,} words, {path.stat().st_size:,} bytes")
    t0 = time.perf_counter()
    path = write_artefact()
    cands = load_artefact()
    if cands is None:
        raise SystemExit(f"{path}: written but does not load back")
    print(f"wrote {path}: {len(cands)} candidate foods, inputs {artefact_digest()[:12]}, "
          f"{path.stat().st_size:,} bytes ({time.perf_counter() - t0:.1f} s)")
    path = build_unit_factors()
    units._committed_factors.cache_clear()
    if units._committed_factors() != units.factor_table():
        raise SystemExit(f"{path}: written but does not load back")
    print(f"wrote {path}: {len(units.factor_table())} unit factors")


if __name__ == "__main__":
    main()
