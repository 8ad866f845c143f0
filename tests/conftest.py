"""Shared fixtures: ``cli`` (the ``crampcheck`` command in this process) and ``journal_db`` (a
journal file filled through the journal's public API)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result


class Cli:
    """``crampcheck`` run in this process with Typer's CliRunner.

    ``cli("log", "2 eggs", db=path)`` runs one command (``--db`` added when ``db`` is given),
    checks its exit code (``code``, 0 unless told; ``None`` checks nothing) and returns what it
    printed: stdout alone for ``--json`` (notes such as "created a new journal" go to stderr),
    stdout and stderr otherwise. ``cli.json(...)`` parses that JSON; ``cli.invoke(...)``
    returns Typer's result unchecked.
    """

    def __init__(self) -> None:
        self.runner = CliRunner()

    def invoke(self, *args: str, db: Path | str | None = None, env: dict[str, str] | None = None,
               input: str | None = None, columns: int = 200) -> Result:
        from crampcheck.cli import app

        argv = [*args, "--db", str(db)] if db is not None else list(args)
        return self.runner.invoke(app, argv, env={"COLUMNS": str(columns), **(env or {})},
                                  input=input)

    def __call__(self, *args: str, code: int | None = 0, **kwargs: Any) -> str:
        result = self.invoke(*args, **kwargs)
        out = result.stdout if "--json" in args else result.output
        if code is not None:
            assert result.exit_code == code, (args, result.exit_code, out, result.exception)
        assert "Traceback" not in out
        return out

    def json(self, *args: str, **kwargs: Any) -> Any:
        return json.loads(self(*args, "--json", **kwargs))


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()


@dataclass
class Journal:
    """A journal file and what was put in it (see :func:`journal_db`)."""

    path: Path
    person: str
    days: list[str]  # the days with food entries, oldest first
    lines: list[str]  # the food lines logged on each of those days


JOURNAL_LINES = ["1 cup whole milk", "1 cup cooked spinach", "2 large eggs"]


@pytest.fixture
def journal_db(tmp_path: Path) -> Journal:
    """Three days ending yesterday of a 68-year-old woman on furosemide since 30 days ago:
    the same three foods each day (matched to the USDA table as ``crampcheck log`` matches
    them), a night cramp yesterday, a symptom and a serum magnesium result."""
    from crampcheck.foods.schema import NUTRIENTS
    from crampcheck.journal import connect, store
    from crampcheck.totals import Item, analyze_line

    today = dt.date.today()
    days = [(today - dt.timedelta(days=n)).isoformat() for n in (3, 2, 1)]
    path = tmp_path / "journal.db"
    conn = connect(path)
    try:
        store.set_profile(conn, "me", age=68, sex="female")
        store.add_listed(conn, "medicines", "me", "furosemide 40 mg daily",
                         (today - dt.timedelta(days=30)).isoformat(), None)
        entries = []
        for day in days:
            for line in JOURNAL_LINES:
                item = analyze_line(line, day=day)
                assert isinstance(item, Item), line
                entries.append(store.FoodEntry(
                    day=day, text=line, source="log",
                    nutrients={k: item.nutrients.get(k) for k in NUTRIENTS},
                    food_id=item.food.id, food_name=item.food.name, grams=item.grams,
                    grams_method=item.grams_method))
        store.add_food(conn, "me", entries)
        store.add_cramp(conn, "me", f"{days[-1]} 02:30", "calf", "left", 3, 6, None)
        store.add_symptom(conn, "me", "calf tight in the morning", days[-1])
        store.add_lab(conn, "me", "serum magnesium", 1.9, "mg/dL", days[0])
    finally:
        conn.close()
    return Journal(path, "me", days, JOURNAL_LINES)
