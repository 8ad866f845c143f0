"""The journal end to end through the CLI (Typer's CliRunner and a real SQLite file), and trends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from crampcheck.journal import connect, store, trends
from crampcheck.journal.store import FoodEntry
from crampcheck.journal.trends import permutation_p

DATA = Path(__file__).parent / "data"


def test_a_week_of_logging(cli, tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    cli("profile", "set", "--age", "68", "--sex", "female", "--weight-kg", "62", db=db)
    cli("meds", "add", "Lasix 40 mg daily", "--since", "2026-01-01", db=db)
    cli("supplements", "add", "Magnesium (as glycinate) 200 mg", "--since", "2026-11-15", db=db)
    cli("conditions", "add", "crohn's disease", db=db)
    cli("labs", "add", "serum magnesium", "1.6", "mg/dL", "--date", "2026-11-10", db=db)
    cli("symptoms", "add", "tired legs", "--date", "2026-11-18", db=db)
    for i in range(7):
        day = f"2026-11-{14 + i}"
        out = cli("log", "1 cup cooked spinach; 2 eggs; 1 cup whole milk", "--date", day, "--meal",
                  "breakfast", db=db)
        assert "Spinach" in out and "logged 3 item(s)" in out
    out = cli("log", "3 zorblefruit", "--date", "2026-11-20", db=db)
    assert "not matched" in out
    cli("cramp", "--at", "2026-11-20 02:30", "--muscle", "calf", "--side", "left", "--minutes", "3",
        "--severity", "6", db=db)
    out = cli("history", "--days", "7", "--end", "2026-11-20", "--json", db=db)
    days = json.loads(out)["days"]
    assert len(days) == 7 and days[-1]["cramps"] == 1
    assert days[0]["magnesium_mg"] > 150 and days[0]["ca_mg_ratio"] is not None
    assert "magnesium_mg" in days[-1]["missing"]  # the unmatched line
    out = cli("history", "--days", "7", "--end", "2026-11-20", db=db)
    assert "2026-11-20" in out and "incomplete: calcium, magnesium" in out
    meds = json.loads(cli("meds", "list", "--json", db=db))
    assert meds[0]["text"] == "Lasix 40 mg daily"
    out = cli("meds", "stop", "lasix", "--on", "2026-11-21", db=db)
    assert "stopped medicine" in out
    assert "1.6 mg/dL" in cli("labs", "list", db=db)
    assert "68" in cli("profile", "show", db=db)
    # the lead's assess/plan use case_for_window
    from crampcheck.journal import case_for_window

    case = case_for_window(db, "me", 7, end="2026-11-20")
    assert len(case.diary) == 7 and case.medications == ["Lasix 40 mg daily"]
    assert "3 zorblefruit" in case.diary["2026-11-20"]


def test_import_export_backup_via_cli(cli, tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    out = cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), "--dry-run", db=db)
    assert "would import 19" in out
    out = cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), db=db)
    assert "imported 19" in out
    out = cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), db=db)
    assert "imported 0, 19 already in the journal" in out
    out = cli("import", "myfitnesspal", str(DATA / "myfitnesspal_nutrition_summary.csv"),
              "--person", "ann", db=db)
    assert "no magnesium and no omega-3" in out and "1,300 mg" in out
    out = cli("import", "loseit", str(DATA / "loseit_food_logs.csv"), "--json", db=db)
    summary = json.loads(out)
    assert summary["skipped_deleted"] == 1 and summary["estimated"]["magnesium_mg"] == 7
    cli("profile", "set", "--age", "50", "--sex", "male", db=db)
    out = cli("export", str(tmp_path / "out"), db=db)
    assert (tmp_path / "out" / "me.case.json").exists()
    assert (tmp_path / "out" / "ann.food_entries.csv").exists()
    out = cli("backup", str(tmp_path / "copy.db"), db=db)
    conn = connect(tmp_path / "copy.db")
    assert conn.execute("SELECT COUNT(*) FROM food_entries").fetchone()[0] == 19 + 7 + 8


def test_cli_errors_exit_2(cli, tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    bad = tmp_path / "bad.csv"
    bad.write_text("Day,Food Name,Amount,Calcium (mg)\n2026-11-20,Milk,1 cup,lots\n")
    r = cli.invoke("import", "cronometer", str(bad), "--db", str(db))
    assert r.exit_code == 2 and "line 2" in r.output and "nothing was imported" in r.output
    r = cli.invoke("import", "fitbit", str(bad), "--db", str(db))
    assert r.exit_code == 2 and "unknown format" in r.output
    r = cli.invoke("history", "--db", str(tmp_path / "none.db"))
    assert r.exit_code == 2 and "no journal here yet" in r.output
    r = cli.invoke("cramp", "--at", "yesterday", "--db", str(db))
    assert r.exit_code == 2 and "--at" in r.output
    r = cli.invoke("profile", "set", "--age", "500", "--sex", "female", "--db", str(db))
    assert r.exit_code == 2 and "person.age" in r.output


def test_db_from_environment(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("CRAMPCHECK_DB", str(db))
    r = cli.invoke("cramp", "--at", "2026-11-20 02:30")
    assert r.exit_code == 0, r.output
    assert db.exists()


def _synthetic(db: Path) -> None:
    """60 days: magnesium low on the day before each of 8 cramps; a statin started on day 20."""
    conn = connect(db)
    start = dt.date(2026, 9, 1)
    cramp_days = {start + dt.timedelta(days=d) for d in (25, 29, 33, 38, 42, 47, 51, 56)}
    entries = []
    for d in range(60):
        day = start + dt.timedelta(days=d)
        low = (day + dt.timedelta(days=1)) in cramp_days
        n = dict.fromkeys(("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg",
                           "caffeine_mg", "alcohol_g"), 0.0)
        n.update(calcium_mg=900.0 + (d % 5) * 20, magnesium_mg=(150.0 if low else 320.0)
                 + (d % 3) * 10, potassium_mg=2500.0, sodium_mg=2000.0 + (d % 4) * 100)
        entries.append(FoodEntry(day=day.isoformat(), text="food", source="log", nutrients=n))
    store.add_food(conn, "me", entries)
    for c in sorted(cramp_days):
        store.add_cramp(conn, "me", f"{c.isoformat()} 02:30")
    store.add_listed(conn, "medicines", "me", "atorvastatin 20 mg",
                     since=(start + dt.timedelta(days=4)).isoformat())
    conn.close()


def test_trends_rolling_ratio_comparison_timeline(cli, tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    _synthetic(db)
    conn = connect(db)
    t = trends(conn, "me", 60, end="2026-10-30", permutations=2000)
    daily = t["daily"]
    assert daily[0]["magnesium_mg_7d"] is None  # fewer than 4 days yet
    assert daily[10]["ca_mg_ratio_7d"] == pytest.approx(
        daily[10]["calcium_mg_7d"] / daily[10]["magnesium_mg_7d"])
    assert sum(w["cramps"] for w in t["cramps_per_week"]) == 8
    cmp_ = t["cramp_days_vs_other_days"]
    assert cmp_["comparisons"] == 12
    assert "12 comparisons" in cmp_["statement"]
    mg_before = next(r for r in cmp_["results"]
                     if r["nutrient"] == "magnesium_mg" and r["when"] == "day before")
    assert mg_before["cramp_days"] == 8 and mg_before["difference"] < -100
    assert mg_before["p_value"] < cmp_["bonferroni_threshold"]
    potassium = next(r for r in cmp_["results"] if r["nutrient"] == "potassium_mg")
    assert potassium["p_value"] == 1.0  # identical every day
    statements = " ".join(t["timeline"]["statements"])
    assert "Cramps began 3 weeks after starting atorvastatin 20 mg" in statements
    out = cli.invoke("trends", "--days", "60", "--end", "2026-10-30", "--db", str(db),
                     "--permutations", "500")
    assert out.exit_code == 0, out.output
    assert "Cramps began 3 weeks after starting atorvastatin" in out.output


def test_trends_with_too_little_data(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    conn = connect(db)
    store.add_cramp(conn, "me", "2026-11-20 02:30")
    t = trends(conn, "me", 14, end="2026-11-20")
    assert t["cramp_days_vs_other_days"]["comparisons"] == 0
    assert "Too few days" in t["cramp_days_vs_other_days"]["statement"]


def test_permutation_p_is_sane() -> None:
    import numpy as np

    same = permutation_p(np.array([1.0, 2, 3, 4]), np.array([1.0, 2, 3, 4]), permutations=999)
    assert same == 1.0
    apart = permutation_p(np.arange(10.0), np.arange(100.0, 110), permutations=999)
    assert apart == pytest.approx(1 / 1000)
