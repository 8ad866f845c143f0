"""The nutrient registry (crampcheck/nutrient_registry.py) is the one place for nutrient keys,
names, units and the derived values: every key the DRI table, the knowledge files, the food
table and the outputs use is registered, and EPA+DHA and absorbable calcium are computed
nowhere else."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from crampcheck import nutrient_registry as reg
from crampcheck.foods.schema import NUTRIENTS as FOOD_COLUMNS
from crampcheck.report import labels

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "crampcheck"
KNOWLEDGE = SRC / "knowledge" / "data"
KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:mg|ug|g|kcal)\b")
# unit-suffixed words in knowledge files and outputs that are amounts of something else (a
# dose, a limit, a tablet), not nutrient keys
NOT_NUTRIENTS = {"max_daily_mg", "strengths_mg", "strengths_ug", "sodium_cap_mg", "iu_per_ug",
                 "reference_kcal", "max_added_sodium_mg", "elemental_mg", "daily_mg",
                 "tablet_ug"}


def test_every_dri_row_is_a_registered_nutrient_and_back() -> None:
    dri = tomllib.loads((KNOWLEDGE / "dri.toml").read_text(encoding="utf-8"))
    in_table = set(dri["nutrients"]) | set(dri["values"])
    assert in_table == {n.dri_key for n in reg.NUTRIENTS.values() if n.dri_key}
    for key in in_table:
        assert reg.get(key).unit == dri["nutrients"][key]["unit"], key


def test_every_nutrient_key_in_the_knowledge_files_is_registered() -> None:
    found: dict[str, str] = {}
    for path in sorted(KNOWLEDGE.glob("*.toml")) + sorted((SRC / "plan" / "data").glob("*")):
        if path.is_file():
            for word in KEY.findall(path.read_text(encoding="utf-8", errors="replace")):
                found.setdefault(word, path.name)
    assert "epa_dha_mg" in found and "calcium_mg" in found  # the scan reads the files
    unknown = {w: f for w, f in found.items() if w not in reg.NUTRIENTS and w not in NOT_NUTRIENTS}
    assert not unknown, f"register these keys in crampcheck/nutrient_registry.py: {unknown}"


def test_every_food_table_column_is_registered() -> None:
    assert set(FOOD_COLUMNS) <= set(reg.NUTRIENTS)


@pytest.mark.parametrize("args", [("assess", "examples/athlete.json"),
                                  ("plan", "examples/pregnancy.json"),
                                  ("nutrients", "--file", "examples/diary.txt")])
def test_every_nutrient_key_in_the_outputs_is_registered(cli, monkeypatch, args) -> None:
    monkeypatch.chdir(ROOT)
    out = cli(*args, "--json")
    words = set(KEY.findall(out))
    assert {"calcium_mg", "magnesium_mg"} <= words
    assert not words - set(reg.NUTRIENTS) - NOT_NUTRIENTS
    # and every registered key an output names has a name of its own, not the key in words
    for word in words & set(reg.NUTRIENTS):
        assert labels.name(word) == reg.get(word).name


def test_derived_nutrients_name_what_they_come_from() -> None:
    for n in reg.NUTRIENTS.values():
        assert set(n.derived_from) <= set(reg.NUTRIENTS), n.key
        assert bool(n.derived_from) == bool(n.how), n.key
    assert reg.get("epa_dha_mg").derived_from == ("epa_g", "dha_g")
    assert reg.DRI_KEYS[0] == "calcium_mg" and reg.DRI_KEYS[-1] == "epa_dha_mg"


def test_topic_words() -> None:
    assert reg.topic_words("vitamin_d") == "vitamin D"
    assert reg.topic_words("magnesium") == "magnesium"
    assert reg.topic_words("omega3") == "omega3"  # two keys share it: left as it is


def test_epa_dha_rule() -> None:
    assert reg.epa_dha_mg_of({}) is None
    assert reg.epa_dha_mg_of({"epa_g": None, "dha_g": None}) is None
    assert reg.epa_dha_mg_of({"epa_g": 0.25}) == pytest.approx(250.0)  # DHA unknown: counts 0
    assert reg.epa_dha_mg_of({"epa_g": 0.1, "dha_g": 0.15}) == pytest.approx(250.0)
    # both known and zero stays the integer the JSON has always shown ("epa_dha_mg": 0)
    assert json.dumps(reg.epa_dha_mg_of({"epa_g": 0.0, "dha_g": 0.0})) == "0"
    got = reg.epa_dha_mg(np.array([0.5, 0.0]), np.array([0.25, 0.0]))
    assert got.tolist() == pytest.approx([750.0, 0.0])
    assert reg.absorbable_calcium_mg(np.array([100.0, 200.0]), np.array([1.0, 0.16])).tolist() \
        == pytest.approx([100.0, 32.0])


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.name != "nutrient_registry.py"]


def test_epa_dha_and_absorbable_calcium_are_computed_only_in_the_registry() -> None:
    """No other module multiplies EPA/DHA by 1000 or calcium by its absorption factor."""
    offending = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, (ast.BinOp, ast.AugAssign))
                    and isinstance(node.op, ast.Mult)):
                continue
            text = ast.unparse(node).lower()
            thousand = re.search(r"\b1000(\.0*)?\b|1e3", text)
            if (thousand and re.search(r"epa|dha", text)) or "calcium_factor" in text:
                offending.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert not offending, "use crampcheck.nutrient_registry:\n" + "\n".join(offending)


def test_the_grep_sees_a_stray_computation(tmp_path) -> None:
    """The check above would find the forms the code used to have."""
    for src in ("x = (d['epa_g'] + d['dha_g']) * 1000.0",
                "x = 1000 * ((epa or 0) + (dha or 0))",
                "v *= float(cands.calcium_factor[j])"):
        node = next(n for n in ast.walk(ast.parse(src))
                    if isinstance(n, (ast.BinOp, ast.AugAssign)) and isinstance(n.op, ast.Mult))
        text = ast.unparse(node).lower()
        assert (re.search(r"\b1000(\.0*)?\b", text) and re.search(r"epa|dha", text)) \
            or "calcium_factor" in text


def test_label_tables_come_from_the_registry() -> None:
    for key, n in reg.NUTRIENTS.items():
        assert labels.name(key) == n.name and labels.unit(key) == n.unit
        assert labels.short_name(key) == n.short_name
    assert labels.short("calcium_mg") == "Ca mg"
    assert labels.label("vitamin_d_ug") == "Vitamin D (µg)"


def test_the_registry_is_a_bottom_layer() -> None:
    tree = ast.parse((SRC / "nutrient_registry.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level}
    assert imported <= {"wording", "errors", "models"}
    code = ("import sys, crampcheck.nutrient_registry; "
            "print(sorted(m for m in ('numpy', 'crampcheck.knowledge') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC.parent)}, check=True)
    assert out.stdout.strip() == "[]"
    # `from crampcheck import nutrients` is still the public function, not a module
    code = ("import crampcheck.nutrient_registry; from crampcheck import nutrients; "
            "print(callable(nutrients))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC.parent)}, check=True)
    assert out.stdout.strip() == "True"
