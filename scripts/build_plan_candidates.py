#!/usr/bin/env python3
"""Build ``src/crampcheck/plan/data/candidates.npz``: the foods the plan may propose.

The candidate set (:func:`crampcheck.plan.candidates.build_candidates`) depends only on shipped
files: the USDA food table (``foods/data/``), the plan's rules and everyday foods
(``knowledge/data/plan_foods.toml``, ``plan_everyday_foods.toml``), calcium absorption
(``calcium_absorption.toml``) and the code that applies them. Working it out takes 1–4 s, so
it is done here, once, and the result is committed; ``crampcheck plan`` loads it with numpy.
The artefact records a digest of every input (``ARTEFACT_INPUTS``): after a change to any of
them crampcheck builds the set in-process again (same answer, slower) and
``tests/test_plan_artefact.py`` fails until this script is run. One command::

    PYTHONPATH=src python3 scripts/build_plan_candidates.py

The output is deterministic: unchanged inputs give a byte-identical file.
"""

from __future__ import annotations

import time

from crampcheck.plan.candidates import artefact_digest, load_artefact, write_artefact


def main() -> None:
    t0 = time.perf_counter()
    path = write_artefact()
    built = time.perf_counter() - t0
    cands = load_artefact()
    if cands is None:
        raise SystemExit(f"{path}: written but does not load back")
    print(f"wrote {path}: {len(cands)} candidate foods, inputs {artefact_digest()[:12]}, "
          f"built in {built:.1f} s, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
