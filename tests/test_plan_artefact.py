"""The plan's candidate set is a build-time artefact (``plan/data/candidates.npz``, built by
``scripts/build_plan_candidates.py``): the committed file must be what a fresh build gives."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from crampcheck import knowledge
from crampcheck.knowledge import absorption
from crampcheck.plan import candidates as cmod
from crampcheck.plan.candidates import (
    ARTEFACT_INPUTS,
    Candidates,
    build_candidates,
    decode_candidates,
    encode_candidates,
    load_artefact,
)

REBUILD = "rebuild it: PYTHONPATH=src python3 scripts/build_plan_candidates.py"


def same(a: Candidates, b: Candidates) -> list[str]:
    """Names of the fields in which two candidate sets differ."""
    out = []
    for f in fields(Candidates):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            ok = x.dtype == y.dtype and x.shape == y.shape and np.array_equal(
                x, y, equal_nan=x.dtype.kind == "f")
        elif isinstance(x, dict):
            ok = list(x) == list(y) and all(
                x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k]) for k in x)
        else:
            ok = x == y
        if not ok:
            out.append(f.name)
    return out


def test_committed_artefact_is_current_and_equals_a_fresh_build() -> None:
    committed = load_artefact()
    assert committed is not None, f"plan/data/candidates.npz is missing or stale: {REBUILD}"
    differ = same(committed, build_candidates())
    assert not differ, f"the committed candidate set differs in {differ}: {REBUILD}"
    assert len(committed) > 1000  # the USDA table gives about 2,000 candidates


def test_candidates_come_from_the_artefact() -> None:
    cmod.candidates.cache_clear()
    try:
        cands = cmod.candidates()
        assert not same(cands, load_artefact())
    finally:
        cmod.candidates.cache_clear()


def test_a_changed_input_makes_the_artefact_stale() -> None:
    arrays = encode_candidates(load_artefact(), "digest of other inputs")
    assert decode_candidates(arrays, "digest of the inputs now") is None
    assert decode_candidates(arrays, "digest of other inputs") is not None


def test_the_build_reads_only_the_inputs_the_digest_covers(monkeypatch) -> None:
    read: set[str] = set()
    real = knowledge.load.__wrapped__

    def spy(name: str):
        read.add(name)
        return real(name)

    monkeypatch.setattr(knowledge, "load", spy)
    monkeypatch.setattr(absorption, "load", spy)
    absorption._entries.cache_clear()
    absorption.absorption_entry.cache_clear()
    try:
        build_candidates()
    finally:
        absorption._entries.cache_clear()
        absorption.absorption_entry.cache_clear()
    files = {f"knowledge/data/{name}.toml" for name in read}
    assert files and files <= set(ARTEFACT_INPUTS), files - set(ARTEFACT_INPUTS)
