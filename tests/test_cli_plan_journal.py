"""`plan` on a case file and `assess`/`plan --days` on a journal, run as a person runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("CRAMPCHECK_DB", None)
    if db is not None:
        env["CRAMPCHECK_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "crampcheck.cli", *args], capture_output=True,
                          cwd=ROOT, timeout=300, env=env, text=True)


def test_plan_json_contract_and_arithmetic():
    out = run("plan", "examples/night_cramps_diuretic.json", "--json")
    assert out.returncode == 0, out.stderr
    plan = json.loads(out.stdout)
    assert set(plan) == {"additions", "supplements", "before", "after", "ratios", "unmet",
                         "notes", "stopped", "reductions", "blocked", "solver", "targets",
                         "exercise"}
    for key, before in plan["before"].items():
        if key == "epa_dha_mg":  # derived: 1000 x (EPA g + DHA g)
            added = sum(1000 * ((a["nutrients"].get("epa_g") or 0.0)
                                + (a["nutrients"].get("dha_g") or 0.0))
                        for a in plan["additions"])
        else:
            added = sum((a["nutrients"].get(key) or 0.0) for a in plan["additions"])
        added += sum(s["amount"] for s in plan["supplements"] if s["nutrient"] == key)
        # a reduction takes its intake reading off ("calcium carbonate 600 mg" counts 240 mg)
        added += sum(r["intake_change"] for r in plan["reductions"] if r["nutrient"] == key)
        # EPA+DHA is derived from gram values rounded to 0.001 g in the JSON
        tolerance = 1.0 if key == "epa_dha_mg" else 0.01
        assert plan["after"][key] == pytest.approx(before + added, abs=tolerance), key
        if key in plan["targets"]:  # the target table shows the same numbers, split in two
            t = plan["targets"][key]
            assert t["before"] == pytest.approx(before, abs=0.01)
            assert t["after"] == pytest.approx(plan["after"][key], abs=0.01)
            assert t["after_from_food"] + t["after_from_supplements"] == pytest.approx(
                t["after"], abs=0.02)
    assert plan["ratios"]["before"]["calcium_to_magnesium"] > 2.5


def test_plan_options_are_checked():
    out = run("plan", "examples/athlete.json", "--diet", "carnivore")
    assert out.returncode == 2 and "--diet must be one of" in out.stderr


def test_assess_text_includes_the_plan():
    out = run("assess", "examples/athlete.json")
    assert out.returncode == 0, out.stderr
    assert "[food] Add " in out.stdout


def test_journal_week_assess_and_plan(tmp_path):
    db = tmp_path / "journal.db"
    assert run("profile", "set", "--age", "68", "--sex", "female", db=db).returncode == 0
    assert run("meds", "add", "Lasix 40 mg", "--since", "2026-11-01", db=db).returncode == 0
    for day in range(19, 26):
        out = run("log", "1 cup oatmeal; 1 cup whole milk; 3 oz baked salmon",
                  "--date", f"2026-11-{day}", db=db)
        assert out.returncode == 0, out.stderr
    run("cramp", "--at", "2026-11-20 02:30", "--muscle", "calf", "--minutes", "3", db=db)
    out = run("assess", "--days", "3650", "--json", "--no-plan", db=db)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["intake"]["days"] == 7
    # whole milk 1 cup (USDA SR 01077: 113 mg/100 g x 244 g) is most of the calcium
    assert result["intake"]["daily_mean"]["calcium_mg"] > 276
    assert any(f.get("drug_class") == "loop diuretic" for f in result["findings"])
    plan = run("plan", "--days", "3650", "--diet", "vegan", "--json", db=db)
    assert plan.returncode == 0, plan.stderr
    assert json.loads(plan.stdout)["additions"]


def test_journal_errors_are_one_line(tmp_path):
    out = run("assess", "--days", "7", db=tmp_path / "none.db")
    assert out.returncode == 2 and "no journal at" in out.stderr
    both = run("assess", "examples/athlete.json", "--days", "7")
    assert both.returncode == 2 and "not both" in both.stderr
    neither = run("assess")
    assert neither.returncode == 2 and "--days" in neither.stderr
