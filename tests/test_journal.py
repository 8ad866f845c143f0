"""The journal store: schema, migrations, several people, windows, case_for_window, export."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from crampcheck.case import case_from_dict
from crampcheck.errors import InputError
from crampcheck.journal import (
    SCHEMA_VERSION,
    backup,
    case_for_window,
    connect,
    daily_intake,
    import_file,
    store,
)
from crampcheck.journal.db import people
from crampcheck.journal.export import export
from crampcheck.journal.store import FoodEntry

DATA = Path(__file__).parent / "data"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def test_new_journal_is_wal_with_foreign_keys_and_versioned(db: Path) -> None:
    conn = connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"people", "medicines", "supplements", "conditions", "food_entries", "cramps",
            "symptoms", "labs", "imports"} <= tables
    conn.close()
    # reopening does not migrate again
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(db: Path) -> None:
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(InputError, match="newer crampcheck"):
        connect(db)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(InputError, match="not a crampcheck journal"):
        connect(bad)


def test_foreign_keys_enforced(db: Path) -> None:
    conn = connect(db)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO cramps (person_id, at, created) VALUES (999, '2026-11-20', '')")


def test_several_people_are_kept_apart(db: Path) -> None:
    conn = connect(db)
    store.add_cramp(conn, "ann", "2026-11-20 02:30", muscle="calf")
    store.add_cramp(conn, "bob", "2026-11-21 03:00")
    store.add_cramp(conn, "bob", "2026-11-22 03:00")
    store.add_listed(conn, "medicines", "ann", "Lasix 40 mg daily", since="2026-01-01")
    assert len(store.cramps(conn, "ann")) == 1
    assert len(store.cramps(conn, "bob")) == 2
    assert store.list_listed(conn, "medicines", "bob") == []
    assert people(conn) == ["ann", "bob"]
    with pytest.raises(InputError, match="no person called 'carl'"):
        store.cramps(conn, "carl")


def test_failed_write_rolls_back(db: Path) -> None:
    conn = connect(db)
    good = FoodEntry(day="2026-11-20", text="1 egg", source="log", nutrients={})
    bad = FoodEntry(day=None, text="x", source="log", nutrients={})  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.add_food(conn, "me", [good, bad])
    assert conn.execute("SELECT COUNT(*) FROM food_entries").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0


def test_active_medicines_in_window(db: Path) -> None:
    conn = connect(db)
    store.add_listed(conn, "medicines", "me", "atorvastatin 20 mg", since="2026-10-01")
    store.add_listed(conn, "medicines", "me", "omeprazole 20 mg", since="2025-01-01",
                     until="2026-06-30")
    store.add_listed(conn, "medicines", "me", "Lasix 40 mg", since="2026-11-25")
    active = store.list_listed(conn, "medicines", "me", "2026-11-01", "2026-11-20")
    assert [r["text"] for r in active] == ["atorvastatin 20 mg"]
    stopped = store.stop_listed(conn, "medicines", "me", "atorva", on="2026-11-30")
    assert stopped["until"] == "2026-11-30"
    with pytest.raises(InputError, match="before it started"):
        store.stop_listed(conn, "medicines", "me", "lasix", on="2026-11-01")
    with pytest.raises(InputError, match="--until .* is before --since"):
        store.add_listed(conn, "supplements", "me", "magnesium", since="2026-05-01",
                         until="2026-04-01")


def _journal_with_week(db: Path) -> sqlite3.Connection:
    conn = connect(db)
    store.set_profile(conn, "me", age=68, sex="female", weight_kg=62, diet="omnivore")
    store.add_listed(conn, "medicines", "me", "Lasix 40 mg daily", since="2026-01-01")
    store.add_listed(conn, "medicines", "me", "old antibiotic", since="2026-01-01",
                     until="2026-02-01")
    store.add_listed(conn, "conditions", "me", "crohn's disease")
    store.add_listed(conn, "supplements", "me", "Magnesium (as glycinate) 200 mg",
                     since="2026-11-01")
    store.add_cramp(conn, "me", "2026-11-17 02:30", "calf", "left", 3, 6)
    store.add_cramp(conn, "me", "2026-10-01 02:30")  # outside the window
    store.add_symptom(conn, "me", "calf swelling on one side", "2026-11-18")
    store.add_lab(conn, "me", "serum magnesium", 1.6, "mg/dL", "2026-11-01")
    store.add_lab(conn, "me", "serum magnesium", 1.9, "mg/dL", "2025-01-01")  # too old
    import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"))
    import_file(conn, "me", "myfitnesspal", str(DATA / "myfitnesspal_nutrition_summary.csv"))
    return conn


def test_case_for_window(db: Path) -> None:
    _journal_with_week(db).close()
    case = case_for_window(db, "me", 14, end="2026-11-20")
    assert case.person.age == 68 and case.person.sex == "female"
    assert case.medications == ["Lasix 40 mg daily"]
    assert case.conditions == ["crohn's disease"]
    assert case.supplements == ["Magnesium (as glycinate) 200 mg"]
    assert sorted(case.diary) == ["2026-11-16", "2026-11-17", "2026-11-18"]  # MFP totals out
    # the meal a line was logged with goes first, so the plan can fit foods to meals
    assert "lunch: 1.00 cup Spinach, Cooked" in case.diary["2026-11-16"]
    assert len(case.cramps) == 1 and case.cramps[0].muscle == "calf"
    assert case.symptoms == ["calf swelling on one side"]
    assert [(lab.value, lab.date) for lab in case.labs] == [(1.6, "2026-11-01")]


def test_case_for_window_needs_profile(db: Path) -> None:
    conn = connect(db)
    store.add_cramp(conn, "me", "2026-11-17 02:30")
    with pytest.raises(InputError, match="needs age and sex"):
        case_for_window(conn, "me", 7, end="2026-11-20")


def test_profile_validated_like_a_case(db: Path) -> None:
    conn = connect(db)
    with pytest.raises(InputError, match="person.age"):
        store.set_profile(conn, "me", age=300, sex="female")
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0
    with pytest.raises(InputError, match="pregnant"):
        store.set_profile(conn, "me", age=40, sex="male", pregnant=True)


def test_daily_intake_uses_tracker_numbers_and_shows_gaps(db: Path) -> None:
    _journal_with_week(db).close()
    days = daily_intake(db, "me", 30, end="2026-11-20")
    nov16 = days["2026-11-16"]
    # Cronometer's own numbers, summed: 21.1 + 276.1 + 4.7 + 15.0 + 244.8 + 11.8
    assert nov16.totals["calcium_mg"] == pytest.approx(573.5)
    assert nov16.totals["magnesium_mg"] == pytest.approx(298.9)
    assert nov16.complete("magnesium_mg")
    # MyFitnessPal: magnesium unknown (None, not 0), calcium estimated from % DV
    nov10 = days["2026-11-10"]
    assert nov10.totals["magnesium_mg"] is None
    assert nov10.missing["magnesium_mg"] == 4
    assert "calcium_mg" in nov10.estimated
    assert nov10.totals["calcium_mg"] == pytest.approx((25 + 18 + 12 + 4) / 100 * 1300)
    # pasta had no omega-3 value in the sample: counted as missing, total is partial
    assert days["2026-11-17"].missing["omega3_g"] == 1
    assert not days["2026-11-17"].complete("omega3_g")


def test_export_writes_valid_case_and_csv(db: Path, tmp_path: Path) -> None:
    conn = _journal_with_week(db)
    store.add_cramp(conn, "bob", "2026-11-20 04:00")
    files = export(conn, tmp_path / "out")
    names = {f.name for f in files}
    assert "me.case.json" in names and "me.food_entries.csv" in names
    assert "bob.cramps.csv" in names and "bob.case.json" not in names  # bob has no profile
    raw = json.loads((tmp_path / "out" / "me.case.json").read_text())
    case = case_from_dict(raw)
    assert len(case.cramps) == 2  # the whole journal span
    rows = (tmp_path / "out" / "me.food_entries.csv").read_text().splitlines()
    assert len(rows) == 1 + 19 + 7
    assert "magnesium_mg" in rows[0]


def test_backup_while_in_use(db: Path, tmp_path: Path) -> None:
    conn = _journal_with_week(db)
    stop = threading.Event()

    def writer() -> None:
        other = connect(db)
        i = 0
        while not stop.is_set() and i < 200:
            store.add_cramp(other, "me", f"2026-12-01 0{i % 10}:00")
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    dest = backup(conn, tmp_path / "copy.db")
    stop.set()
    t.join()
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT COUNT(*) FROM food_entries").fetchone()[0] == 26
    with pytest.raises(InputError, match="already exists"):
        backup(conn, dest)
