"""Issue 14, one test per row of its table: no traceback reaches a person, nothing is lost,
exports are safe to open, and the work one input can cause is bounded.

Each test runs the reproduction of its row on a fresh journal (a temporary ``--db``) through
the real command line (Typer's runner, or a real process where the row is about processes,
pipes or devices) or through httpx against the web app, and checks the clean message or the
correct result that replaced the traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).resolve().parents[1] / "src"


def _no_infinity(name: str) -> None:
    raise AssertionError(f"non-JSON literal {name} in JSON output")


def strict_json(text: str):
    """Parse as RFC 8259 JSON: NaN and Infinity are refused."""
    return json.loads(text, parse_constant=_no_infinity)


def case_file(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def poisoned(db: Path) -> None:
    """A journal as an older crampcheck could leave it: values it now refuses at the door."""
    from crampcheck.journal import connect, store

    conn = connect(db)
    store.set_profile(conn, "me", age=60, sex="female")
    today = time.strftime("%Y-%m-%d")
    rows = [
        ("INSERT INTO labs (person_id, test, value, unit, date, created) VALUES "
         "(1, 'serum creatinine', 0.000001, 'mg/dL', ?, 'x')", (today,)),
        ("INSERT INTO medicines (person_id, text, since, created) VALUES "
         "(1, 'Lasix 40 mg', '0001-01-01', 'x')", ()),
        ("INSERT INTO medicines (person_id, text, since, created) VALUES (1, ?, ?, 'x')",
         ("furosemide " * 800, today)),
        ("INSERT INTO cramps (person_id, at, created) VALUES (1, ?, 'x')", (f"{today}T02:30",)),
        ("INSERT INTO cramps (person_id, at, created) VALUES (1, '0001-01-01T02:30', 'x')", ()),
        ("INSERT INTO food_entries (person_id, day, text, source, nutrients, created) VALUES "
         "(1, ?, '1 cup milk', 'log', '{\"calcium_mg\": Infinity, \"magnesium_mg\": 27}', 'x')",
         (today,)),
        ("INSERT INTO food_entries (person_id, day, text, source, nutrients, created) VALUES "
         "(1, '0001-01-01', 'milk', 'log', '{\"calcium_mg\": 300}', 'x')", ()),
    ]
    for sql, args in rows:
        conn.execute(sql, args)
    conn.close()


# --- row: creatinine near zero ----------------------------------------------------------------

def test_creatinine_near_zero_in_a_case_file_is_refused_by_name(cli, tmp_path: Path) -> None:
    f = case_file(tmp_path, "c.json", json.dumps({
        "person": {"age": 60, "sex": "female"},
        "labs": [{"test": "serum creatinine", "value": 0.000001, "unit": "mg/dL"}]}))
    out = cli("assess", str(f), code=2)
    assert "labs[0].value" in out and "serum creatinine" in out and "0.05–40 mg/dL" in out
    # a real, alarming result is not refused: it reaches the urgent checks
    f = case_file(tmp_path, "k.json", json.dumps({
        "person": {"age": 60, "sex": "female"},
        "labs": [{"test": "potassium", "value": 7.1, "unit": "mmol/L"}]}))
    assert "urgent" in json.loads(cli("assess", str(f), "--json", "--no-plan"))[
        "findings"][0]["severity"]


def test_labs_add_refuses_creatinine_near_zero_and_stores_nothing(cli, db: Path) -> None:
    cli("profile", "set", "--age", "60", "--sex", "female", db=db)
    out = cli("labs", "add", "serum creatinine", "0.000001", "mg/dL", code=2, db=db)
    assert "outside what a living person's blood can show" in out
    assert strict_json(cli("labs", "list", "--json", db=db)) == []


def test_a_stored_impossible_lab_is_reported_not_fatal(cli, db: Path, tmp_path: Path) -> None:
    poisoned(db)
    out = cli("assess", "--days", "7", "--json", db=db)
    findings = strict_json(out)["findings"]
    left_out = [f for f in findings if f["summary"].startswith("Left out")]
    assert any("serum creatinine of 1e-06 mg/dL" in f["summary"] for f in left_out)
    assert any("8,821 characters long" in f["summary"] for f in left_out)  # the long medicine
    assert not any("eGFR" in f["summary"] for f in findings)  # no eGFR from a typing error
    cli("plan", "--days", "7", db=db)
    cli("report", "--days", "7", "-o", str(tmp_path / "r.html"), db=db)
    assert "Left out" in (tmp_path / "r.html").read_text()
    cli("report", "--days", "7", "-o", str(tmp_path / "r.pdf"), db=db)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


# --- row: profile ------------------------------------------------------------------------------

def test_profile_sex_other_is_a_clean_error(cli, db: Path) -> None:
    out = cli("profile", "set", "--age", "60", "--sex", "other", code=2, db=db)
    assert "person.sex must be female or male" in out


def test_an_invalid_age_never_replaces_a_valid_one(cli, db: Path) -> None:
    cli("profile", "set", "--age", "60", "--sex", "female", "--weight-kg", "62", db=db)
    for bad in ("nan", "inf", "-5", "500"):
        assert "person.age" in cli("profile", "set", "--age", bad, code=2, db=db)
    cli("profile", "set", "--sex", "other", code=2, db=db)
    profile = strict_json(cli("profile", "show", "--json", db=db))
    assert (profile["age"], profile["sex"], profile["weight_kg"]) == (60, "female", 62)


# --- row: extreme dates ------------------------------------------------------------------------

def test_entries_dated_in_the_year_1_are_refused(cli, db: Path) -> None:
    cli("profile", "set", "--age", "60", "--sex", "female", db=db)
    assert "--since 0001-01-01 is outside 1900-01-01" in cli("meds", "add", "Lasix", "--since",
                                                             "0001-01-01", code=2, db=db)
    assert "--date 0001-01-01 is outside" in cli("log", "milk", "--date", "0001-01-01", code=2,
                                                 db=db)
    assert "--at" in cli("cramp", "--at", "9999-12-31 02:00", code=2, db=db)
    assert "--date" in cli("labs", "add", "serum magnesium", "1.6", "mg/dL", "--date", "1850-01-01",
                           code=2, db=db)
    assert "from 1 to 3650" in cli("history", "--days", "100000000", code=2, db=db)
    assert "from 1 to 3650" in cli("trends", "--days", "100000000", code=2, db=db)
    assert "--end 0001-01-01 is outside" in cli("history", "--end", "0001-01-01", code=2, db=db)


def test_a_journal_holding_year_1_dates_still_runs_trends_history_export(cli, db: Path,
                                                                       tmp_path: Path) -> None:
    poisoned(db)
    t = strict_json(cli("trends", "--days", "30", "--json", db=db))
    assert t["cramps"] == 1
    strict_json(cli("history", "--days", "30", "--json", db=db))
    cli("export", str(tmp_path / "out"), db=db)
    case = tmp_path / "out" / "me.case.json"
    assert json.loads(case.read_text())["cramps"] == [{"at": t["end"] + "T02:30"}]
    cli("assess", str(case), "--no-plan")  # the exported case loads again


# --- row: CSV line endings ---------------------------------------------------------------------

def test_a_cronometer_csv_with_bare_cr_line_endings_imports(cli, db: Path, tmp_path: Path) -> None:
    text = (DATA / "cronometer_servings.csv").read_text()
    cr = tmp_path / "cr.csv"
    cr.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r").encode())
    out = cli("import", "cronometer", str(cr), "--json", db=db)
    assert strict_json(out)["imported"] == 19  # the same 19 rows as the \n file


# --- row: values -------------------------------------------------------------------------------

def _cronometer_with(tmp_path: Path, column: str, values: list[str]) -> Path:
    rows = list(csv.reader(io.StringIO((DATA / "cronometer_servings.csv").read_text())))
    header = rows[0]
    i = header.index(column)
    out = [header]
    for n, value in enumerate(values, 1):
        row = list(rows[n])
        row[i] = value
        out.append(row)
    path = tmp_path / "values.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(out)
    return path


def test_inf_and_1e309_are_refused_with_their_line(cli, db: Path, tmp_path: Path) -> None:
    f = _cronometer_with(tmp_path, "Calcium (mg)", ["inf", "1e309", "276.1"])
    out = cli("import", "cronometer", str(f), code=2, db=db)
    assert "line 2: 'Calcium (mg)' is 'inf', not a finite number" in out
    assert "nothing was imported" in out
    out = cli("import", "cronometer", str(f), "--skip-bad-rows", "--json", db=db)
    result = strict_json(out)
    assert result["imported"] == 1
    assert any("line 3" in b and "1e309" in b for b in result["bad_rows"])
    history = strict_json(cli("history", "--days", "3650", "--end", "2026-11-20", "--json", db=db))
    assert history["days"][0]["calcium_mg"] == pytest.approx(276.1)


def test_every_json_output_is_strict_json_even_on_a_poisoned_journal(cli, db: Path,
                                                                     tmp_path: Path) -> None:
    poisoned(db)
    outputs = [
        cli("history", "--days", "30", "--json", db=db),
        cli("trends", "--days", "30", "--json", db=db),
        cli("labs", "list", "--json", db=db),
        cli("meds", "list", "--json", db=db),
        cli("supplements", "list", "--json", db=db),
        cli("conditions", "list", "--json", db=db),
        cli("profile", "show", "--json", db=db),
        cli("assess", "--days", "7", "--json", db=db),
        cli("plan", "--days", "7", "--json", db=db),
        cli("log", "1 cup cooked spinach", "--json", db=db),
        cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), "--json", db=db),
        cli("nutrients", "1 cup cooked spinach", "2 eggs", "--json"),
        cli("nutrients", "--file", "examples/diary.txt", "--json"),
        cli("foods", "search", "spinach", "--json"),
        cli("foods", "show", "sr:11458", "--json"),
        cli("assess", "examples/night_cramps_diuretic.json", "--json"),
        cli("plan", "examples/athlete.json", "--json"),
    ]
    for out in outputs:
        strict_json(out)
    history = strict_json(outputs[0])
    assert all(d["calcium_mg"] is None or d["calcium_mg"] < 1e6 for d in history["days"])


def test_json_output_writes_null_for_a_non_finite_number(capsys) -> None:
    from crampcheck.cli import emit_json

    emit_json({"a": float("inf"), "b": [float("nan"), 1.5], "c": {"d": -float("inf")}})
    assert strict_json(capsys.readouterr().out) == {"a": None, "b": [None, 1.5],
                                                    "c": {"d": None}}


# --- row: formula injection --------------------------------------------------------------------

def test_export_neutralises_formulas_and_keeps_numbers(cli, db: Path, tmp_path: Path) -> None:
    f = _cronometer_with(tmp_path, "Food Name", ['=HYPERLINK("http://evil.example","x")',
                                                 "+SUM(A1:A9)", "@cmd", "-2+3"])
    cli("import", "cronometer", str(f), db=db)
    cli("symptoms", "add", "=1+1 cramps", "--date", "2026-11-16", db=db)
    cli("export", str(tmp_path / "out"), db=db)
    with (tmp_path / "out" / "me.food_entries.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = [r["food_name"] for r in rows]
    assert names == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+SUM(A1:A9)", "'@cmd",
                     "'-2+3"]
    for r in rows:
        float(r["calcium_mg"])  # numbers stay numbers
        assert not r["food_name"].startswith(("=", "+", "-", "@", "\t", "\r"))
    with (tmp_path / "out" / "me.symptoms.csv").open(newline="") as fh:
        assert next(csv.DictReader(fh))["text"] == "'=1+1 cramps"
    from crampcheck.journal.export import safe_cell

    assert safe_cell(-2.5) == -2.5 and safe_cell("-2.5") == "-2.5"
    assert safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx"


# --- row: case files ---------------------------------------------------------------------------

CASE_ROWS = [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested 100000 levels deep"),
    ("age.json", '{"person": {"age": ' + "9" * 5000 + ', "sex": "female"}}',
     "person.age must be a number of years between 1 and 120"),
    ("lab.json", '{"person": {"age": 60, "sex": "female"}, "labs": [{"test": "serum '
     'magnesium", "value": ' + "9" * 400 + ', "unit": "mg/dL"}]}', "labs[0].value"),
    ("inf.json", '{"person": {"age": Infinity, "sex": "female"}}', "person.age"),
    ("inflab.json", '{"person": {"age": 60, "sex": "female"}, "labs": [{"test": "serum '
     'magnesium", "value": Infinity, "unit": "mg/dL"}]}', "labs[0].value"),
    ("date.json", '{"person": {"age": 60, "sex": "female"}, "labs": [{"test": "serum '
     'magnesium", "value": 1.6, "unit": "mg/dL", "date": "not a date"}]}',
     "labs[0].date must be a date"),
    ("twice.json", '{"person": {"age": 60, "sex": "female"}, "diary": {"2026-11-20": '
     '["1 cup milk"], "2026-11-20": ["1 egg"]}}', "the day '2026-11-20' is given twice"),
    ("twice2.json", '{"person": {"age": 60, "sex": "female"}, "diary": {"2026-11-20": '
     '["1 cup milk"], "20261120": ["1 egg"]}}', "the day 2026-11-20 is given twice"),
    ("key.json", '{"person": {"age": 60, "sex": "female", "age": 70}}',
     "the key 'age' is given twice"),
    ("deep.toml", "a = " + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("age.toml", "[person]\nage = " + "9" * 5000 + '\nsex = "female"\n', "TOML"),
    ("nan.toml", '[person]\nage = nan\nsex = "female"\n', "person.age"),
    ("day.toml", '[person]\nage = 60\nsex = "female"\n[diary]\n"0001-01-01" = ["1 egg"]\n',
     "outside 1900-01-01"),
]


@pytest.mark.parametrize(("name", "text", "message"), CASE_ROWS,
                         ids=[r[0] for r in CASE_ROWS])
def test_bad_case_files_are_one_line_errors(cli, tmp_path: Path, name: str, text: str,
                                            message: str) -> None:
    f = case_file(tmp_path, name, text)
    out = cli("assess", str(f), "--no-plan", code=2)
    assert message in out and out.count("\n") == 1, out


def test_a_case_file_over_the_size_limit_is_refused_before_parsing(cli, tmp_path: Path,
                                                                   monkeypatch) -> None:
    import crampcheck.limits as limits
    import crampcheck.textio as textio

    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    f = case_file(tmp_path, "big.json", '{"person": {"age": 60, "sex": "female"}, '
                  '"symptoms": ["' + "x" * 2000 + '"]}')
    assert "larger than" in cli("assess", str(f), code=2)


# --- row: PDF ----------------------------------------------------------------------------------

def test_a_long_medicine_is_refused_in_a_case_and_clipped_in_a_pdf(cli, db: Path,
                                                                   tmp_path: Path) -> None:
    f = case_file(tmp_path, "m.json", json.dumps({"person": {"age": 60, "sex": "female"},
                                                  "medications": ["x" * 8000]}))
    assert "medications[0] is 8,000 characters long; at most 500" in cli("report", str(f), "-o",
                                                                         str(tmp_path / "a.pdf"),
                                                                         code=2)
    poisoned(db)  # holds an 8,800-character medicine written before the limit
    cli("report", "--days", "7", "-o", str(tmp_path / "b.pdf"), db=db)
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")


def test_report_refuses_to_overwrite_unless_forced(cli, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("the clinician's copy")
    assert "already exists" in cli("report", "examples/athlete.json", "-o", str(out), code=2)
    assert out.read_text() == "the clinician's copy"
    cli("report", "examples/athlete.json", "-o", str(out), "--force")
    assert "<html" in out.read_text()


# --- row: paths --------------------------------------------------------------------------------

def test_path_errors_are_clean_messages(cli, db: Path, tmp_path: Path) -> None:
    regular = tmp_path / "regular"
    regular.write_text("x")
    assert "is a file, not a folder" in cli("profile", "set", "--age", "60", "--sex", "female",
                                            code=2, db=regular / "j.db")
    cli("profile", "set", "--age", "60", "--sex", "female", db=db)
    assert "is a file, not a folder" in cli("export", str(regular), code=2, db=db)
    cli("export", str(tmp_path / "out"), db=db)
    assert "already there" in cli("export", str(tmp_path / "out"), code=2, db=db)
    cli("export", str(tmp_path / "out"), "--force", db=db)
    if Path("/dev/full").exists():
        assert "cannot write the backup there" in cli("backup", "/dev/full/x.db", code=2, db=db)
    assert "is a file, not a folder" in cli("backup", str(regular / "x.db"), code=2, db=db)
    assert "is a folder" in cli("profile", "show", code=2, db=tmp_path)


def test_a_read_only_journal_is_read_and_not_written(cli, db: Path) -> None:
    cli("profile", "set", "--age", "60", "--sex", "female", db=db)
    made_immutable = False
    if os.geteuid() == 0:  # root ignores file modes: make the file immutable instead
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        made_immutable = subprocess.run(["chattr", "+i", str(db)],
                                        capture_output=True).returncode == 0
        if not made_immutable:
            pytest.skip("chattr +i is not permitted here (running as root in a container)")
    else:
        db.chmod(0o444)
        db.parent.chmod(0o555)
    try:
        out = cli("log", "1 egg", code=2, db=db)
        assert "is read-only" in out
        assert "60" in cli("profile", "show", db=db)
    finally:
        if made_immutable:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        else:
            db.parent.chmod(0o755)
            db.chmod(0o644)


def test_sqlite_read_only_errors_become_a_message(tmp_path: Path) -> None:
    from crampcheck.boundary import describe_sqlite_error

    path = tmp_path / "ro.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as info:
        ro.execute("INSERT INTO t VALUES (1)")
    assert "is read-only" in describe_sqlite_error(info.value, str(path))


# --- row: journal ------------------------------------------------------------------------------

def test_a_version_1_file_without_tables_is_named(cli, tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    for args in (("log", "milk"), ("history",), ("profile", "show")):
        out = cli(*args, code=2, db=path)
        assert "is not a complete crampcheck journal" in out and "people" in out


def test_migration_finds_tables_another_process_just_made(tmp_path: Path) -> None:
    from crampcheck.journal import db as jdb

    path = tmp_path / "race.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in jdb.MIGRATIONS[0].split(";"):  # the schema, with user_version still 0
        if statement.strip():
            conn.execute(statement)
    conn.row_factory = sqlite3.Row
    assert jdb.migrate(conn) == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == jdb.SCHEMA_VERSION


RACER = """
import os, sys, time
sys.argv = ["crampcheck", "log", sys.argv[1], "--db", sys.argv[2]]
import crampcheck.cli
while not os.path.exists(sys.argv[-1] + ".go"):
    time.sleep(0.001)
crampcheck.cli.main()
"""


def test_four_processes_creating_one_new_journal_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    foods = ["1 egg", "1 cup whole milk", "1 banana", "1 oz almonds"]
    procs = [subprocess.Popen([sys.executable, "-c", RACER, food, str(path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for food in foods]
    time.sleep(1.0)  # all four have imported crampcheck and wait at the start line
    Path(str(path) + ".go").touch()
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    conn = sqlite3.connect(path)
    texts = sorted(r[0] for r in conn.execute("SELECT text FROM food_entries"))
    assert texts == sorted(foods)
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1


# --- row: input --------------------------------------------------------------------------------

def _run(*args: str, timeout: float = 60, stdin=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "crampcheck.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=stdin)


def test_file_refuses_a_fifo_and_dev_zero(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = _run("nutrients", "--file", str(fifo), timeout=60)  # used to wait for ever
    assert r.returncode == 2 and "is not a regular file" in r.stderr
    if Path("/dev/zero").exists():
        r = _run("nutrients", "--file", "/dev/zero", timeout=60)  # used to read without end
        assert r.returncode == 2 and "is not a regular file" in r.stderr
    assert "Traceback" not in r.stderr


def test_standard_input_is_read_up_to_the_limit(cli, monkeypatch) -> None:
    import crampcheck.textio as textio

    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 100)
    result = cli.invoke("nutrients", "-", input="1 egg\n" * 100)
    assert result.exit_code == 2 and "larger than" in result.output


def test_a_fraction_over_zero_is_an_error(cli, db: Path) -> None:
    assert "'1/0' in '1/0 cup spinach' divides by zero" in cli("nutrients", "1/0 cup spinach",
                                                               code=2)
    assert "divides by zero" in cli("log", "1/0 cup spinach", code=2, db=db)
    # 1/2 is not zero, nor is 10/05
    items = strict_json(cli("nutrients", "1/2 cup cooked spinach", "--json"))["items"]
    assert items[0]["grams"] == pytest.approx(90.0)  # SR 11458: 1 cup = 180 g


def test_lines_longer_than_a_food_line_are_refused(cli) -> None:
    out = cli("nutrients", "spinach " * 40, code=2)
    assert "at most" in out and "one food per line" in out


# --- row: commands -----------------------------------------------------------------------------

def test_an_empty_or_too_short_selector_stops_nothing(cli, db: Path) -> None:
    cli("meds", "add", "Lasix 40 mg", db=db)
    assert "say which medicine to stop" in cli("meds", "stop", "", code=2, db=db)
    assert "say which medicine to stop" in cli("meds", "stop", "   ", code=2, db=db)
    assert "too short" in cli("meds", "stop", "a", code=2, db=db)
    assert strict_json(cli("meds", "list", "--json", db=db))[0]["until"] is None
    cli("meds", "stop", "lasix", db=db)
    assert strict_json(cli("meds", "list", "--json", db=db))[0]["until"] is not None


# --- the boundary itself -----------------------------------------------------------------------

def test_an_unexpected_error_is_one_line_and_exit_1(cli, monkeypatch) -> None:
    import crampcheck.totals

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(crampcheck.totals, "nutrients", boom)
    result = cli.invoke("nutrients", "1 egg")
    assert result.exit_code == 1
    assert result.output.strip() == ("crampcheck hit an unexpected error: RuntimeError: a bug; "
                                     "please report it with the command")


def test_usage_errors_stay_usage_errors(cli, db: Path) -> None:
    for argv in (["log", "1", "egg", "--db", str(db)], ["no-such-command"],
                 ["history", "--days", "x", "--db", str(db)]):
        result = cli.invoke(*argv)
        assert result.exit_code == 2, argv
        assert "unexpected error" not in result.output


def test_the_boundary_covers_journal_subcommands(cli, db: Path, monkeypatch) -> None:
    import crampcheck.journal.store as store

    cli("meds", "add", "Lasix 40 mg", db=db)

    def boom(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(store, "list_listed", boom)
    result = cli.invoke("meds", "list", "--db", str(db))
    assert result.exit_code == 1 and "unexpected error: KeyError" in result.output
    assert "Traceback" not in result.output


def test_a_real_process_shows_no_traceback(tmp_path: Path) -> None:
    r = _run("assess", str(case_file(tmp_path, "d.json", "[" * 100_000)))
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1
