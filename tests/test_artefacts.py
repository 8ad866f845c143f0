"""Build-time artefacts (``scripts/build_artefacts.py``): the plan's candidate set
(``plan/data/candidates.npz``), the food table's columns (``foods/data/generic_table.npz``),
the word index of food names (``foods/data/search_index.npz``) and the unit factors
(``intake/unit_factors.json``). Each
committed file must be what a fresh build gives, and must be what crampcheck uses."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from crampcheck import artefacts, knowledge
from crampcheck.artefacts import write_npz
from crampcheck.foods import index as windex
from crampcheck.foods import store
from crampcheck.foods.search import FoodIndex, food_info
from crampcheck.intake import units
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

REBUILD = "rebuild: PYTHONPATH=src python3 scripts/build_artefacts.py"


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


def test_a_changed_input_makes_an_artefact_stale(tmp_path, monkeypatch) -> None:
    committed = load_artefact()
    arrays = encode_candidates(committed, "digest of other inputs")
    (tmp_path / "plan" / "data").mkdir(parents=True)
    write_npz(tmp_path / cmod.ARTEFACT, arrays)
    monkeypatch.setattr(artefacts, "package_root", lambda: tmp_path)
    assert artefacts.read_npz(cmod.ARTEFACT, "digest of the inputs now") is None
    meta, loaded = artefacts.read_npz(cmod.ARTEFACT, "digest of other inputs")
    assert not same(decode_candidates(meta, loaded), committed)


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


def test_committed_unit_factors_are_pints_arithmetic() -> None:
    units._committed_factors.cache_clear()
    committed = units._committed_factors()
    assert committed, f"intake/unit_factors.json is missing or stale: {REBUILD}"
    assert committed == units.factor_table(), REBUILD
    # NIST Handbook 44: 1 US cup = 8 US fl oz = 236.5882365 mL; 1 oz = 28.349523125 g
    assert units.factor("cup", "ml") == 236.5882365
    assert units.to_grams(2, "oz") == 2 * 28.349523125


def test_a_unit_outside_the_table_still_goes_to_pint() -> None:
    assert units.factor("lb", "kg") == units.pint_factor("lb", "kg") == 0.45359237


def test_food_table_artefact_holds_generic_json() -> None:
    from_artefact = store._table_from_artefact()
    assert from_artefact is not None, f"foods/data/generic_table.npz is stale: {REBUILD}"
    text = artefacts.package_root().joinpath(store.TABLE_SOURCE).read_text(encoding="utf-8")
    from_json = store._table_from_json(text)
    for a, b in zip(from_artefact[:4], from_json[:4], strict=True):
        assert a == b
    n = len(from_json[0])
    assert n > 10_000
    for i in range(n):
        assert [tuple(p) for p in from_artefact[4](i)] == [tuple(p) for p in from_json[4](i)]


def test_the_store_reads_the_artefact() -> None:
    food = store.default_store().get("sr:11458")  # spinach, cooked: USDA measure 1 cup = 180 g
    assert food is not None and food.name.startswith("Spinach, cooked")
    assert any(p.unit == "cup" and p.grams == 180.0 for p in food.portions)


WORD_INDEX_FIELDS = ("postings", "n_words", "heads", "categories", "by_name", "idf",
                     "vocabulary", "skeletons", "max_idf")


def index_differences(a: windex.WordIndex, b: windex.WordIndex) -> list[str]:
    """Fields in which two word indexes differ (dicts compared with their order)."""
    out = []
    for name in WORD_INDEX_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x != y or (isinstance(x, dict) and list(x.items()) != list(y.items())
                      and name not in ("postings", "idf")):
            out.append(name)
    return out


def test_committed_word_index_is_current_and_equals_a_fresh_build() -> None:
    food_store = store.default_store()
    committed = windex.load_artefact(food_store.names)
    assert committed is not None, f"foods/data/search_index.npz is missing or stale: {REBUILD}"
    fresh = windex.build_word_index(food_store.names, food_store.sources)
    assert not index_differences(committed, fresh), REBUILD
    # traceable: "spinach" is in the names of the USDA spinach foods, cooked spinach among them
    assert food_store.get("sr:11458").index in committed.postings["spinach"]
    assert committed.by_name["spinach, cooked, boiled, drained, without salt"] == \
        food_store.get("sr:11458").index
    # what ranking reads of each name, as search.food_info works it out
    assert committed.food_info is not None, REBUILD
    differ = [name for i, name in enumerate(food_store.names)
              if committed.food_info(i) != food_info(name, fresh.categories)]
    assert not differ, f"{len(differ)} foods' FoodInfo differ, such as {differ[:3]}: {REBUILD}"
    spinach = committed.food_info(food_store.get("sr:11458").index)
    assert spinach.preps == frozenset({"cooked"}) and "spinach" in spinach.first_segment


def test_the_food_index_loads_the_word_index_artefact(monkeypatch) -> None:
    def no_build(*args, **kwargs):
        raise AssertionError("the word index was built in-process, not loaded")

    monkeypatch.setattr(windex, "build_word_index", no_build)
    index = FoodIndex(store.default_store())
    assert index.idf["spinach"] > index.idf["cooked"]  # the rarer word counts more


def test_a_stale_word_index_is_not_used(tmp_path, monkeypatch) -> None:
    food_store = store.default_store()
    fresh = windex.build_word_index(food_store.names, food_store.sources)
    (tmp_path / "foods" / "data").mkdir(parents=True)
    write_npz(tmp_path / windex.ARTEFACT,
              windex.encode(fresh, "digest of other inputs", len(food_store.names)))
    monkeypatch.setattr(artefacts, "package_root", lambda: tmp_path)
    assert windex.load_artefact(food_store.names) is None  # built from other inputs
    rebuilt = windex.word_index(food_store.names, food_store.sources)  # worked out instead
    assert not index_differences(rebuilt, fresh)
    write_npz(tmp_path / windex.ARTEFACT,
              windex.encode(fresh, windex.artefact_digest(), len(food_store.names) - 1))
    assert windex.load_artefact(food_store.names) is None  # for another number of foods


def test_the_word_index_digest_covers_the_tokenising_code(monkeypatch) -> None:
    before = windex.artefact_digest()
    real = artefacts.file_digest

    def edited(rel: str) -> str:
        return "edited" if rel == "foods/search.py" else real(rel)

    monkeypatch.setattr(artefacts, "file_digest", edited)
    assert windex.artefact_digest() != before
