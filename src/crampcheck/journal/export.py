"""Write a journal back out: one JSON case file per person (the whole journal span) and CSV
tables (food entries with their nutrients, daily totals, cramps, medicines, supplements,
conditions, symptoms, labs)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..foods.schema import NUTRIENTS
from . import store
from .db import people
from .window import case_dict_for_window, sum_day


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "person"


def _span(conn: sqlite3.Connection, person: str) -> tuple[str, int] | None:
    pid = store.person_id(conn, person, create=False)
    days = [d for (d,) in conn.execute(
        "SELECT MIN(day) FROM food_entries WHERE person_id = ? AND deleted_at IS NULL "
        "UNION ALL SELECT MAX(day) FROM food_entries WHERE person_id = ? AND deleted_at IS NULL "
        "UNION ALL SELECT MIN(substr(at, 1, 10)) FROM cramps WHERE person_id = ? "
        "AND deleted_at IS NULL UNION ALL SELECT MAX(substr(at, 1, 10)) FROM cramps "
        "WHERE person_id = ? AND deleted_at IS NULL UNION ALL "
        "SELECT MIN(day) FROM symptoms WHERE person_id = ? AND deleted_at IS NULL UNION ALL "
        "SELECT MAX(day) FROM symptoms WHERE person_id = ? AND deleted_at IS NULL",
        (pid,) * 6) if d]
    if not days:
        return None
    first, last = min(days), max(days)
    return last, (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def export(conn: sqlite3.Connection, out_dir: str | Path,
           only: str | None = None) -> list[Path]:
    """Export every person (or ``only`` one) into ``out_dir``; return the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = [only] if only else people(conn)
    if only:
        store.person_id(conn, only, create=False)
    written: list[Path] = []
    for name in names:
        base = _safe(name)
        profile = store.get_profile(conn, name)
        span = _span(conn, name)
        if profile.get("age") is not None and profile.get("sex") is not None:
            end, days = span or (dt.date.today().isoformat(), 1)
            raw = case_dict_for_window(conn, name, days, end)
            path = out / f"{base}.case.json"
            path.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            written.append(path)
        entries = store.food_entries(conn, name)
        food_rows = [{**{k: e[k] for k in ("day", "time", "meal", "text", "food_id", "food_name",
                                            "grams", "source", "is_total", "note")},
                      **e["nutrients"], "estimated": ";".join(e["estimated"])} for e in entries]
        path = out / f"{base}.food_entries.csv"
        _write_csv(path, ["day", "time", "meal", "text", "food_id", "food_name", "grams",
                          "source", "is_total", "note", *NUTRIENTS, "estimated"], food_rows)
        written.append(path)
        by_day: dict[str, list[dict[str, Any]]] = {}
        for e in entries:
            by_day.setdefault(e["day"], []).append(e)
        daily = []
        for day, es in sorted(by_day.items()):
            di = sum_day(day, es)
            daily.append({"day": day, "entries": di.entries, **di.totals,
                          "missing": ";".join(f"{k}:{n}" for k, n in di.missing.items()),
                          "estimated": ";".join(di.estimated)})
        path = out / f"{base}.daily.csv"
        _write_csv(path, ["day", "entries", *NUTRIENTS, "missing", "estimated"], daily)
        written.append(path)
        tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {
            "cramps": (["at", "muscle", "side", "minutes", "severity", "note"],
                       store.cramps(conn, name)),
            "symptoms": (["day", "text"], store.symptoms(conn, name)),
            "labs": (["test", "value", "unit", "date"], store.labs(conn, name)),
        }
        for table in store.LIST_TABLES:
            tables[table] = (["id", "text", "since", "until"],
                             store.list_listed(conn, table, name))
        for table, (header, rows) in tables.items():
            path = out / f"{base}.{table}.csv"
            _write_csv(path, header, rows)
            written.append(path)
    if not names:
        raise InputError("the journal has no people yet: nothing to export")
    return written
