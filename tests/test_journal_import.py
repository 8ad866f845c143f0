"""Tracker imports: each format, idempotency, bad rows, dry runs, and an interrupted import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crampcheck.errors import InputError
from crampcheck.journal import connect, daily_intake, import_file
from crampcheck.journal.formats import loseit_text
from crampcheck.journal.store import food_entries

DATA = Path(__file__).parent / "data"


def count(db: Path, table: str = "food_entries") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "journal.db")


def test_cronometer_servings_new_format(conn: sqlite3.Connection) -> None:
    r = import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"))
    assert (r.imported, r.duplicates, r.bad_rows) == (19, 0, [])
    entries = food_entries(conn, "me")
    salmon = next(e for e in entries if "Salmon" in e["text"])
    assert salmon["food_name"] == "Salmon, Atlantic, Baked"
    assert salmon["time"] == "12:30" and salmon["meal"] == "lunch"
    assert salmon["grams"] == 100.0
    assert salmon["nutrients"]["omega3_g"] == pytest.approx(2.26)
    assert salmon["nutrients"]["vitamin_d_ug"] == pytest.approx(526 * 0.025)  # IU -> µg
    assert salmon["estimated"] == []
    # two identical coffee rows on 2026-11-17 are two cups, not a duplicate
    coffees = [e for e in entries if e["day"] == "2026-11-17" and "Coffee" in e["text"]]
    assert len(coffees) == 2


def test_cronometer_old_format(conn: sqlite3.Connection) -> None:
    r = import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings_old.csv"))
    assert r.imported == 6
    assert (r.first_day, r.last_day) == ("2016-09-26", "2016-10-03")
    e = food_entries(conn, "me")[0]
    assert e["time"] is None and e["meal"] is None


def test_cronometer_daily_and_overlap_with_servings(conn: sqlite3.Connection) -> None:
    import_file(conn, "me", "cronometer-daily", str(DATA / "cronometer_daily.csv"))
    import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"))
    days = daily_intake(conn, "me", 10, end="2026-11-20")
    assert days["2026-11-19"].totals["magnesium_mg"] == pytest.approx(310.5)  # daily row only
    assert days["2026-11-16"].entries == 6  # servings used, daily row left out
    assert days["2026-11-16"].notes
    nov19 = [e for e in food_entries(conn, "me") if e["day"] == "2026-11-19"][0]
    assert nov19["is_total"] and "not marked completed" in nov19["note"]


def test_myfitnesspal_has_no_magnesium_and_calcium_from_percent(conn: sqlite3.Connection
                                                                 ) -> None:
    r = import_file(conn, "me", "myfitnesspal", str(DATA / "myfitnesspal_nutrition_summary.csv"))
    assert r.imported == 7
    assert any("no magnesium and no omega-3" in n for n in r.notes)
    assert any("1,300 mg" in n for n in r.notes)
    assert r.estimated == {"calcium_mg": 7}
    breakfast = food_entries(conn, "me")[0]
    assert breakfast["nutrients"]["calcium_mg"] == pytest.approx(325.0)  # 25 % of 1,300 mg
    assert breakfast["nutrients"]["magnesium_mg"] is None
    assert breakfast["nutrients"]["potassium_mg"] == 520.0


def test_myfitnesspal_calcium_in_mg_when_told(conn: sqlite3.Connection) -> None:
    import_file(conn, "me", "myfitnesspal", str(DATA / "myfitnesspal_nutrition_summary.csv"),
                calcium_unit="mg")
    e = food_entries(conn, "me")[0]
    assert e["nutrients"]["calcium_mg"] == 25.0 and e["estimated"] == []


def test_loseit_rematch_and_deleted_rows(conn: sqlite3.Connection) -> None:
    r = import_file(conn, "me", "loseit", str(DATA / "loseit_food_logs.csv"))
    assert r.skipped_deleted == 1
    assert r.imported == 8
    assert [u["line"] for u in r.unmatched] == [9]  # the invented Zorblefruit
    entries = {e["food_name"]: e for e in food_entries(conn, "me")}
    assert "Cookie" not in entries
    spinach = entries["Spinach, Cooked"]
    assert spinach["day"] == "2026-11-20"
    assert spinach["nutrients"]["energy_kcal"] == 41.0  # Lose It!'s own
    assert spinach["nutrients"]["magnesium_mg"] > 100  # USDA estimate
    assert {"magnesium_mg", "calcium_mg", "omega3_g"} <= set(spinach["estimated"])
    assert "energy_kcal" not in spinach["estimated"]
    casserole = entries["Zorblefruit"]  # invented: matches no USDA food
    assert casserole["nutrients"]["magnesium_mg"] is None
    assert casserole["nutrients"]["sodium_mg"] == 850.0
    assert loseit_text("1", "Each", "Banana") == "1 Banana"


def test_reimport_adds_nothing(tmp_path: Path, conn: sqlite3.Connection) -> None:
    db = tmp_path / "journal.db"
    for kind, name in (("cronometer", "cronometer_servings.csv"),
                       ("loseit", "loseit_food_logs.csv"),
                       ("myfitnesspal", "myfitnesspal_nutrition_summary.csv")):
        first = import_file(conn, "me", kind, str(DATA / name))
        before = count(db), count(db, "imports")
        again = import_file(conn, "me", kind, str(DATA / name))
        assert again.imported == 0 and again.duplicates == first.imported
        assert (count(db), count(db, "imports")) == before
    # another person importing the same file gets their own copy
    other = import_file(conn, "bob", "cronometer", str(DATA / "cronometer_servings.csv"))
    assert other.imported == 19


def test_bad_row_aborts_and_names_line(tmp_path: Path, conn: sqlite3.Connection) -> None:
    lines = (DATA / "cronometer_servings.csv").read_text().splitlines()
    lines[5] = lines[5].replace("41.4", "lots", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        import_file(conn, "me", "cronometer", str(bad))
    assert exc.value.line == 6 and "'Energy (kcal)' is 'lots'" in str(exc.value)
    assert "nothing was imported" in str(exc.value)
    assert count(tmp_path / "journal.db") == 0
    r = import_file(conn, "me", "cronometer", str(bad), skip_bad_rows=True)
    assert r.imported == 18 and len(r.bad_rows) == 1 and "line 6" in r.bad_rows[0]


def test_bad_date_and_missing_column(tmp_path: Path, conn: sqlite3.Connection) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Date,Name,Icon,Meal,Quantity,Units,Calories,Deleted\n"
                 "13/45/2026,Banana,,Breakfast,1,Each,105,false\n")
    with pytest.raises(InputError, match="line 2: .*not a date"):
        import_file(conn, "me", "loseit", str(f))
    with pytest.raises(InputError, match="has no 'food name' column"):
        import_file(conn, "me", "cronometer", str(f))


def test_dry_run_writes_nothing(tmp_path: Path, conn: sqlite3.Connection) -> None:
    r = import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"), dry_run=True)
    assert r.dry_run and r.imported == 19
    assert count(tmp_path / "journal.db") == 0
    import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"))
    r = import_file(conn, "me", "cronometer", str(DATA / "cronometer_servings.csv"), dry_run=True)
    assert (r.imported, r.duplicates) == (0, 19)


def _big_cronometer(path: Path, days: int = 120) -> int:
    src = (DATA / "cronometer_servings.csv").read_text().splitlines()
    header, rows = src[0], src[1:]
    out = [header]
    import datetime as dt

    for d in range(days):
        day = (dt.date(2025, 1, 1) + dt.timedelta(days=d)).isoformat()
        out += [day + r[10:] for r in rows]
    path.write_text("\n".join(out) + "\n")
    return len(out) - 1


# ``crampcheck ARGS…`` in a process that, inside the import's transaction, writes the first N
# rows, says so on stderr and waits to be killed (argv: N, then the command's arguments)
PAUSED_IMPORT = """
import sys, time
import crampcheck.journal.importing as importing
from crampcheck.cli import main

pause, real = int(sys.argv[1]), importing._insert_rows

def paused(conn, rows):
    real(conn, rows[:pause])
    sys.stderr.write(f"crampcheck: import paused after {pause} rows\\n")
    sys.stderr.flush()
    time.sleep(3600)

importing._insert_rows = paused
sys.argv = ["crampcheck", *sys.argv[2:]]
main()
"""


def test_killed_import_leaves_journal_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    conn = connect(db)
    import_file(conn, "me", "loseit", str(DATA / "loseit_food_logs.csv"))
    conn.close()
    before = (count(db), count(db, "imports"), count(db, "people"))
    big = tmp_path / "big.csv"
    n = _big_cronometer(big)
    env = {**os.environ, "CRAMPCHECK_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-c", PAUSED_IMPORT, "700", "import", "cronometer",
                             str(big)], env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        while line and "paused" not in line:
            line = proc.stderr.readline()
        assert "paused after 700 rows" in line
        # the rows are written (uncommitted) in the WAL when the process dies
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert (count(db), count(db, "imports"), count(db, "people")) == before
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    # and the same import afterwards works in full
    conn = connect(db)
    r = import_file(conn, "me", "cronometer", str(big))
    assert r.imported == n
