"""Every journal entry by one id: list, edit, delete into a trash, restore; import batches.

Ids
---
An entry's id is a letter for its kind and its row number: ``f12`` (food), ``c3`` (cramp),
``y1`` (symptom), ``m2`` (medicine), ``s4`` (supplement), ``d1`` (condition, "diagnosis"),
``l5`` (lab result). Import batches are numbered on their own (``crampcheck imports``); an
import's id may be written ``3`` or ``i3``. Ids are never reused, and belong to one person:
an id of another person's entry is "not found".

Trash
-----
``delete`` sets ``deleted_at``: the entry leaves every listing, window, assessment, chart and
export at once, and stays in the trash for :data:`TRASH_DAYS` days, when ``restore`` brings it
back as it was. Older trash is removed for good by :func:`purge_trash` (run by every delete,
restore and trash listing). A deleted entry that came from an import still counts as
"already in the journal" when the same file is imported again, so a re-import does not bring
back what was deleted on purpose.

Import batches
--------------
Every import that added rows is a batch (the ``imports`` table): :func:`undo_import` removes
exactly the food entries that batch added (with ``import_id`` = the batch; entries logged by
hand or by another batch are untouched, and so are edited or trashed entries of other
batches), and marks the batch undone. Undo removes the rows for good (the exported file is
the copy), so the CLI asks first; importing the file again brings them back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..wording import fmt_amount
from .db import now, person_id, transaction
from .store import _PREFIX, LIST_TABLES, _when, day_arg

TRASH_DAYS = 30


@dataclass(frozen=True)
class Kind:
    """One kind of entry: its id letter, table, name, and the SQL for its day."""

    prefix: str
    table: str
    noun: str
    day_sql: str


KINDS: tuple[Kind, ...] = (
    Kind("f", "food_entries", "food", "day"),
    Kind("c", "cramps", "cramp", "substr(at, 1, 10)"),
    Kind("y", "symptoms", "symptom", "day"),
    Kind("l", "labs", "lab", "date"),
    Kind("m", "medicines", "medicine", "since"),
    Kind("s", "supplements", "supplement", "since"),
    Kind("d", "conditions", "condition", "since"),
)
BY_PREFIX = {k.prefix: k for k in KINDS}
BY_TABLE = {k.table: k for k in KINDS}
BY_NOUN = {k.noun: k for k in KINDS}
assert all(BY_TABLE[t].prefix == p for t, p in _PREFIX.items())
ID_HELP = ("f food, c cramp, y symptom, m medicine, s supplement, d condition, l lab "
           "(for example f12)")
_REF = re.compile(r"^([a-z])(\d{1,12})$")

# which fields ``edit`` can change, by kind (option name -> column)
EDITABLE: dict[str, tuple[str, ...]] = {
    "food": ("text", "date", "time", "meal"),
    "cramp": ("at", "date", "muscle", "side", "minutes", "severity", "note"),
    "symptom": ("text", "date"),
    "lab": ("test", "value", "unit", "date"),
    "medicine": ("text", "since", "until"),
    "supplement": ("text", "since", "until"),
    "condition": ("text", "since", "until"),
}
SIDES = ("left", "right", "both")


def parse_ref(text: str) -> tuple[Kind, int]:
    """``"f12"`` -> (the food kind, 12); a clear error for anything else."""
    m = _REF.match((text or "").strip().lower())
    if not m or m[1] not in BY_PREFIX:
        raise InputError(f"{text.strip()!r} is not an entry id: a letter and a number, "
                         f"{ID_HELP}; 'crampcheck entries' lists them")
    return BY_PREFIX[m[1]], int(m[2])


def ref(kind: Kind | str, row_id: int) -> str:
    """The id of row ``row_id`` of ``kind`` (a :class:`Kind`, table or noun)."""
    if isinstance(kind, str):
        kind = BY_TABLE.get(kind) or BY_NOUN[kind]
    return f"{kind.prefix}{row_id}"


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def describe(kind: Kind, row: dict[str, Any]) -> str:
    """One line saying what the entry is, as a person would read it."""
    if kind.noun == "food":
        bits = [b for b in (row.get("meal"), row.get("time")) if b]
        lead = f"{' '.join(bits)}: " if bits else ""
        if row.get("is_total"):
            return f"{lead}{row['text']} (tracker total)"
        match = (f" → {row['food_name']}" + (f", {fmt_amount(row['grams'])} g"
                                               if row.get("grams") else "")) \
            if row.get("food_name") else " (not matched; nutrients unknown)"
        return f"{lead}{row['text']}{match}"
    if kind.noun == "cramp":
        parts = [p for p in (row.get("muscle"), row.get("side")) if p]
        text = f"cramp at {row['at'].replace('T', ' ')}" + (f", {' '.join(parts)}"
                                                              if parts else "")
        if row.get("minutes") is not None:
            text += f", {_fmt(row['minutes'])} min"
        if row.get("severity") is not None:
            text += f", severity {_fmt(row['severity'])}/10"
        if row.get("note"):
            text += f" ({row['note']})"
        return text
    if kind.noun == "symptom":
        return str(row["text"])
    if kind.noun == "lab":
        return f"{row['test']} {_fmt(row['value'])} {row['unit']}"
    span = f"{row.get('since') or 'start not given'} → {row.get('until') or 'now'}"
    return f"{row['text']} ({span})"


def _row_day(kind: Kind, row: dict[str, Any]) -> str | None:
    if kind.noun == "cramp":
        return str(row["at"])[:10]
    if kind.noun == "lab":
        return row.get("date")
    if kind.table in LIST_TABLES:
        return row.get("since")
    return row.get("day")


def _public(kind: Kind, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the CLI's ``--json`` and the web pages show it (``ref`` is the entry id)."""
    out = {"ref": ref(kind, row["id"]), "kind": kind.noun, "day": _row_day(kind, row),
           "summary": describe(kind, row)}
    skip = {"person_id", "nutrients", "estimated", "created", "source_hash", "source_line"}
    for k, v in row.items():
        if k not in skip:
            out[k] = bool(v) if k == "is_total" else v
    if kind.noun == "food":
        nutrients = row.get("nutrients")
        if isinstance(nutrients, str):
            nutrients = json.loads(nutrients)
        out["calcium_mg"] = (nutrients or {}).get("calcium_mg")
        out["magnesium_mg"] = (nutrients or {}).get("magnesium_mg")
    return out


def list_entries(conn: sqlite3.Connection, person: str, start: str, end: str,
                 kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Entries of ``person`` dated from ``start`` to ``end`` (ISO days, both included).

    Food, cramps, symptoms and labs by their day; medicines, supplements and conditions
    when they were active at some time in the window (not stopped before ``start``, not
    started after ``end``). ``kinds`` (nouns) limits the kinds. Deleted entries are left out.
    """
    pid = person_id(conn, person, create=False)
    out: list[dict[str, Any]] = []
    for kind in KINDS:
        if kinds and kind.noun not in kinds:
            continue
        if kind.table in LIST_TABLES:
            sql = (f"SELECT * FROM {kind.table} WHERE person_id = ? AND deleted_at IS NULL "
                   "AND (since IS NULL OR since <= ?) AND (until IS NULL OR until >= ?) "
                   "ORDER BY COALESCE(since, ''), id")
            args: tuple[Any, ...] = (pid, end, start)
        else:
            order = "at" if kind.noun == "cramp" else (
                "day, COALESCE(time, ''), id" if kind.noun == "food" else f"{kind.day_sql}, id")
            sql = (f"SELECT * FROM {kind.table} WHERE person_id = ? AND deleted_at IS NULL "
                   f"AND {kind.day_sql} >= ? AND {kind.day_sql} <= ? ORDER BY {order}")
            args = (pid, start, end)
        out.extend(_public(kind, dict(r)) for r in conn.execute(sql, args))
    order = {k.noun: i for i, k in enumerate(KINDS)}
    listed = ("medicine", "supplement", "condition")
    return sorted(out, key=lambda r: (r["kind"] in listed, order[r["kind"]], r["day"] or "")
                  if r["kind"] in listed else (False, r["day"] or "", order[r["kind"]]))


def _get(conn: sqlite3.Connection, pid: int, kind: Kind, row_id: int, *,
         deleted: bool | None = False) -> dict[str, Any]:
    row = conn.execute(f"SELECT * FROM {kind.table} WHERE id = ? AND person_id = ?",
                       (row_id, pid)).fetchone()
    if row is None or (deleted is False and row["deleted_at"] is not None):
        raise InputError(f"no {kind.noun} entry {ref(kind, row_id)} in this journal "
                         "('crampcheck entries' lists the ids)")
    if deleted is True and row["deleted_at"] is None:
        raise InputError(f"{ref(kind, row_id)} is not in the trash")
    return dict(row)


def get_entry(conn: sqlite3.Connection, person: str, entry: str) -> dict[str, Any]:
    """The entry named by its id (not a deleted one), as :func:`list_entries` shows it."""
    kind, row_id = parse_ref(entry)
    pid = person_id(conn, person, create=False)
    return _public(kind, _get(conn, pid, kind, row_id))


def _number(value: Any, what: str, low: float, high: float) -> float | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"--{what} must be a number, not {value!r}") from None
    if not low <= v <= high:
        raise InputError(f"--{what} must be between {low:g} and {high:g}")
    return v


def _clear(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("", "none")


def _food_changes(conn: sqlite3.Connection, row: dict[str, Any],
                  changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "date" in changes:
        out["day"] = day_arg(changes["date"], what="--date")
    if "time" in changes:
        t = str(changes["time"]).strip()
        if _clear(t):
            out["time"] = None
        else:
            try:
                out["time"] = dt.time.fromisoformat(t).strftime("%H:%M")
            except ValueError:
                raise InputError(f"--time {t!r} must be HH:MM") from None
    if "meal" in changes:
        out["meal"] = None if _clear(changes["meal"]) else str(changes["meal"]).strip().lower()
    if "text" in changes:
        text = str(changes["text"]).strip()
        if not text:
            raise InputError("--text must not be empty (delete the entry instead)")
        if row["is_total"]:
            raise InputError(f"{ref('food', row['id'])} is a tracker's total, not a food: "
                             "its text cannot be re-matched (change --date or --meal, or "
                             "delete it)")
        out.update(_rematch(text, out.get("day", row["day"]), out.get("meal", row["meal"]),
                            out.get("time", row["time"])))
    return out


def _rematch(text: str, day: str, meal: str | None, time: str | None) -> dict[str, Any]:
    """The columns of a food entry for ``text`` matched again to USDA (see ``log``)."""
    from ..foods.schema import NUTRIENTS
    from ..totals import Item, analyze_line
    from .db import dumps

    r = analyze_line(text, day=day, meal=meal, time=time)
    if isinstance(r, Item):
        return {"text": text, "food_id": r.food.id, "food_name": r.food.name,
                "grams": r.grams, "grams_method": r.grams_method,
                "nutrients": dumps({k: r.nutrients.get(k) for k in NUTRIENTS}),
                "estimated": "[]", "note": "; ".join(r.notes) or None}
    return {"text": text, "food_id": None, "food_name": None, "grams": None,
            "grams_method": None, "nutrients": dumps(dict.fromkeys(NUTRIENTS)),
            "estimated": "[]", "note": f"not matched: {r.reason}"}


def _cramp_changes(row: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "at" in changes:
        try:
            out["at"] = _when(str(changes["at"])).isoformat(timespec="minutes")
        except (ValueError, InputError):
            raise InputError(f"--at {changes['at']!r} must be a date and time like "
                             "\"2026-11-20 02:30\" or \"yesterday 02:30\"") from None
    if "date" in changes:
        day = day_arg(changes["date"], what="--date")
        out["at"] = day + str(out.get("at", row["at"]))[10:]
    if "minutes" in changes:
        out["minutes"] = _number(changes["minutes"], "minutes", 0, 24 * 60)
    if "severity" in changes:
        out["severity"] = _number(changes["severity"], "severity", 0, 10)
    if "side" in changes:
        side = None if _clear(changes["side"]) else str(changes["side"]).strip().lower()
        if side is not None and side not in SIDES:
            raise InputError("--side must be left, right or both")
        out["side"] = side
    for key in ("muscle", "note"):
        if key in changes:
            out[key] = None if _clear(changes[key]) else str(changes[key]).strip()[:500]
    return out


def _lab_changes(row: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    from ..knowledge.labs import interpret_lab

    out: dict[str, Any] = {}
    for key in ("test", "unit"):
        if key in changes:
            value = str(changes[key]).strip()
            if not value:
                raise InputError(f"--{key} must not be empty")
            out[key] = value
    if "value" in changes:
        v = _number(changes["value"], "value", 0, 1e6)
        if v is None:
            raise InputError("--value must be a number")
        out["value"] = v
    if "date" in changes:
        out["date"] = None if _clear(changes["date"]) else day_arg(changes["date"],
                                                                    what="--date")
    merged = {**row, **out}
    interpret_lab(merged["test"], merged["value"], merged["unit"])  # refuses what it cannot read
    return out


def _listed_changes(row: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "text" in changes:
        text = str(changes["text"]).strip()
        if not text:
            raise InputError("--text must not be empty (delete the entry instead)")
        out["text"] = text
    for key in ("since", "until"):
        if key in changes:
            out[key] = None if _clear(changes[key]) else day_arg(changes[key],
                                                                  what=f"--{key}")
    since, until = out.get("since", row["since"]), out.get("until", row["until"])
    if since and until and until < since:
        raise InputError(f"--until {until} is before --since {since}")
    return out


def edit_entry(conn: sqlite3.Connection, person: str, entry: str,
               changes: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields of an entry (``None`` values are left out); return it after.

    ``changes`` keys are the option names of :data:`EDITABLE` for the entry's kind; a key
    that does not apply is an error naming the ones that do. For a food entry a new
    ``text`` is matched to USDA again (its nutrients follow the new match). The string
    ``"none"`` clears an optional field (``until``, ``time``, ``meal``, ``side`` …).
    """
    kind, row_id = parse_ref(entry)
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise InputError(f"nothing to change: a {kind.noun} entry takes "
                         + ", ".join(f"--{k}" for k in EDITABLE[kind.noun]))
    wrong = [k for k in changes if k not in EDITABLE[kind.noun]]
    if wrong:
        raise InputError(f"{ref(kind, row_id)} is a {kind.noun} entry: "
                         + ", ".join(f"--{k}" for k in wrong)
                         + (" does" if len(wrong) == 1 else " do") + " not apply; it takes "
                         + ", ".join(f"--{k}" for k in EDITABLE[kind.noun]))
    with transaction(conn):
        pid = person_id(conn, person, create=False)
        row = _get(conn, pid, kind, row_id)
        if kind.noun == "food":
            cols = _food_changes(conn, row, changes)
        elif kind.noun == "cramp":
            cols = _cramp_changes(row, changes)
        elif kind.noun == "symptom":
            cols = {}
            if "text" in changes:
                if not str(changes["text"]).strip():
                    raise InputError("--text must not be empty (delete the entry instead)")
                cols["text"] = str(changes["text"]).strip()[:500]
            if "date" in changes:
                cols["day"] = day_arg(changes["date"], what="--date")
        elif kind.noun == "lab":
            cols = _lab_changes(row, changes)
        else:
            cols = _listed_changes(row, changes)
        if cols:
            conn.execute(f"UPDATE {kind.table} SET "
                         + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?",
                         (*cols.values(), row_id))
        return _public(kind, _get(conn, pid, kind, row_id))


def purge_trash(conn: sqlite3.Connection, *, days: int = TRASH_DAYS,
                now_: dt.datetime | None = None) -> int:
    """Remove for good what has been in the trash longer than ``days`` days; return how many
    (runs inside the caller's transaction when there is one)."""
    cutoff = ((now_ or dt.datetime.now()) - dt.timedelta(days=days)).isoformat(
        timespec="seconds")
    removed = 0
    for kind in KINDS:
        cur = conn.execute(f"DELETE FROM {kind.table} WHERE deleted_at IS NOT NULL "
                           "AND deleted_at < ?", (cutoff,))
        removed += cur.rowcount
    return removed


def delete_entries(conn: sqlite3.Connection, person: str,
                   entries: list[str]) -> list[dict[str, Any]]:
    """Move entries to the trash (all or none); return them as they were."""
    parsed = [parse_ref(e) for e in entries]
    if not parsed:
        raise InputError("give the id of the entry to delete (for example f12)")
    out = []
    with transaction(conn):
        pid = person_id(conn, person, create=False)
        stamp = now()
        for kind, row_id in parsed:
            row = _get(conn, pid, kind, row_id)
            conn.execute(f"UPDATE {kind.table} SET deleted_at = ? WHERE id = ?",
                         (stamp, row_id))
            out.append(_public(kind, row))
        purge_trash(conn)
    return out


def trash(conn: sqlite3.Connection, person: str) -> list[dict[str, Any]]:
    """What is in the trash of ``person``, most recently deleted first, with the day it will
    be removed for good (``purge_on``)."""
    with transaction(conn):
        purge_trash(conn)
    pid = person_id(conn, person, create=False)
    out = []
    for kind in KINDS:
        for r in conn.execute(f"SELECT * FROM {kind.table} WHERE person_id = ? AND "
                              "deleted_at IS NOT NULL", (pid,)):
            row = _public(kind, dict(r))
            deleted = dt.datetime.fromisoformat(r["deleted_at"])
            row["purge_on"] = (deleted + dt.timedelta(days=TRASH_DAYS)).date().isoformat()
            out.append(row)
    return sorted(out, key=lambda r: (r["deleted_at"], r["ref"]), reverse=True)


def restore(conn: sqlite3.Connection, person: str, entry: str) -> dict[str, Any]:
    """Bring an entry back from the trash, as it was."""
    kind, row_id = parse_ref(entry)
    with transaction(conn):
        purge_trash(conn)
        pid = person_id(conn, person, create=False)
        _get(conn, pid, kind, row_id, deleted=True)
        conn.execute(f"UPDATE {kind.table} SET deleted_at = NULL WHERE id = ?", (row_id,))
        return _public(kind, _get(conn, pid, kind, row_id))


# --- import batches ------------------------------------------------------------------------

def _batch_id(batch: str | int) -> int:
    t = str(batch).strip().lower()
    t = t[1:] if t.startswith("i") else t
    if not t.isdigit():
        raise InputError(f"{str(batch).strip()!r} is not an import batch id (a number from "
                         "'crampcheck imports', for example 3)")
    return int(t)


def imports(conn: sqlite3.Connection, person: str) -> list[dict[str, Any]]:
    """The import batches of ``person``, oldest first, with the entries each still has."""
    pid = person_id(conn, person, create=False)
    rows = conn.execute(
        "SELECT i.id, i.kind, i.file_name, i.at, i.imported, i.duplicates, i.skipped, "
        "i.undone_at, COUNT(f.id) AS entries, "
        "SUM(CASE WHEN f.deleted_at IS NOT NULL THEN 1 ELSE 0 END) AS in_trash, "
        "MIN(f.day) AS first_day, MAX(f.day) AS last_day FROM imports i "
        "LEFT JOIN food_entries f ON f.import_id = i.id WHERE i.person_id = ? "
        "GROUP BY i.id ORDER BY i.id", (pid,)).fetchall()
    return [{**dict(r), "in_trash": r["in_trash"] or 0} for r in rows]


def undo_import(conn: sqlite3.Connection, person: str, batch: str | int) -> dict[str, Any]:
    """Remove the food entries import batch ``batch`` added (see the module docstring)."""
    bid = _batch_id(batch)
    with transaction(conn):
        pid = person_id(conn, person, create=False)
        row = conn.execute("SELECT * FROM imports WHERE id = ? AND person_id = ?",
                           (bid, pid)).fetchone()
        if row is None:
            raise InputError(f"no import batch {bid} for {person} ('crampcheck imports' "
                             "lists them)")
        if row["undone_at"] is not None:
            raise InputError(f"import batch {bid} was already undone on "
                             f"{row['undone_at'][:10]}")
        days = conn.execute("SELECT MIN(day), MAX(day) FROM food_entries WHERE import_id = ?",
                            (bid,)).fetchone()
        cur = conn.execute("DELETE FROM food_entries WHERE import_id = ? AND person_id = ?",
                           (bid, pid))
        conn.execute("UPDATE imports SET undone_at = ? WHERE id = ?", (now(), bid))
        return {"batch": bid, "kind": row["kind"], "file_name": row["file_name"],
                "removed": cur.rowcount, "first_day": days[0], "last_day": days[1]}


# --- what is where -----------------------------------------------------------------------------

def counts(conn: sqlite3.Connection, person: str | None = None) -> dict[str, int]:
    """Entries by kind (not deleted), plus ``trash`` and ``imports``, for one person or all."""
    where, args = ("WHERE person_id = ?", (person_id(conn, person, create=False),)) \
        if person is not None else ("WHERE 1 = 1", ())
    out = {}
    trashed = 0
    for kind in KINDS:
        live, gone = conn.execute(
            f"SELECT SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM {kind.table} {where}",
            args).fetchone()
        out[kind.noun] = live or 0
        trashed += gone or 0
    out["trash"] = trashed
    out["imports"] = conn.execute(f"SELECT COUNT(*) FROM imports {where} AND undone_at IS NULL",
                                  args).fetchone()[0]
    return out


def span(conn: sqlite3.Connection, person: str) -> tuple[str | None, str | None]:
    """First and last day of the dated entries (food, cramps, symptoms) of ``person``."""
    pid = person_id(conn, person, create=False)
    days = [d for (d,) in conn.execute(
        "SELECT MIN(day) FROM food_entries WHERE person_id = ?1 AND deleted_at IS NULL "
        "UNION ALL SELECT MAX(day) FROM food_entries WHERE person_id = ?1 AND deleted_at IS NULL "
        "UNION ALL SELECT MIN(substr(at, 1, 10)) FROM cramps WHERE person_id = ?1 "
        "AND deleted_at IS NULL UNION ALL SELECT MAX(substr(at, 1, 10)) FROM cramps "
        "WHERE person_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MIN(day) FROM symptoms "
        "WHERE person_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(day) FROM symptoms "
        "WHERE person_id = ?1 AND deleted_at IS NULL", (pid,)) if d]
    return (min(days), max(days)) if days else (None, None)


def where_entries_are(conn: sqlite3.Connection, person: str, start: str, end: str, *,
                      option: str | None = "--end") -> str | None:
    """When no food was logged from ``start`` to ``end`` but the journal has food entries
    elsewhere: a sentence saying where they are and which ``--end`` shows them (with
    ``option=None``, for a window that always ends today, how many days to look back);
    else None."""
    try:
        pid = person_id(conn, person, create=False)
    except InputError:
        return None
    inside = conn.execute("SELECT 1 FROM food_entries WHERE person_id = ? AND deleted_at IS "
                          "NULL AND day >= ? AND day <= ? LIMIT 1", (pid, start, end)).fetchone()
    if inside is not None:
        return None
    before = conn.execute("SELECT MAX(day) FROM food_entries WHERE person_id = ? AND "
                          "deleted_at IS NULL AND day < ?", (pid, start)).fetchone()[0]
    after = conn.execute("SELECT MIN(day), MAX(day) FROM food_entries WHERE person_id = ? AND "
                         "deleted_at IS NULL AND day > ?", (pid, end)).fetchone()
    if before is None and after[0] is None:
        return None
    window = f"No food was logged from {start} to {end}"
    if before is not None and option is None:
        back = (dt.date.fromisoformat(end) - dt.date.fromisoformat(before)).days + 1
        return (f"{window}; your last food entry is {before}: look back {back} days or more "
                "to include it.")
    if before is not None and after[0] is None:
        return f"{window}; your last food entry is {before}: try {option} {before}."
    if before is None:
        return (f"{window}; your food entries are from {after[0]} to {after[1]}: "
                f"try {option} {after[1]}.")
    return (f"{window}; your last food entry before it is {before}, and there are entries "
            f"up to {after[1]}: try {option} {before} or {option} {after[1]}.")
