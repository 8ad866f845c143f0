"""Importing a tracker's export into the journal: read it with its format's parser
(:mod:`crampcheck.journal.formats`), then write its entries in one transaction.

A row that cannot be read raises :class:`~crampcheck.errors.InputError` naming its line, and
nothing is written, unless ``skip_bad_rows``. Each entry carries its row's hash, so importing the
same file again adds nothing; each import is a batch in the ``imports`` table that
``crampcheck import undo`` removes (:func:`crampcheck.journal.entries.undo_import`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..textio import read_text
from .db import now, person_id, transaction
from .formats import KINDS, PARSERS, Progress
from .store import INSERT_FOOD

__all__ = ["KINDS", "ImportResult", "import_file"]


@dataclass
class ImportResult:
    """The summary of an import (or of a dry run)."""

    kind: str
    file: str
    rows: int
    imported: int
    duplicates: int
    bad_rows: list[str]
    skipped_deleted: int
    estimated: dict[str, int]
    unmatched: list[dict[str, Any]]
    notes: list[str]
    first_day: str | None
    last_day: str | None
    dry_run: bool
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)



def _existing(conn: sqlite3.Connection, pid: int | None, hashes: list[str]) -> set[str]:
    if pid is None:
        return set()
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i:i + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT source_hash FROM food_entries WHERE person_id = ? AND source_hash IN "
            f"({','.join('?' * len(chunk))})", (pid, *chunk)))
    return found


def _insert_rows(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Write one chunk of food entries (inside the import's transaction)."""
    conn.executemany(INSERT_FOOD, rows)


def import_file(conn: sqlite3.Connection, person: str, kind: str, path: str, *,
                dry_run: bool = False, skip_bad_rows: bool = False,
                progress: Progress | None = None, calcium_unit: str = "auto") -> ImportResult:
    """Import a tracker export into the journal of ``person`` in one transaction.

    Raises
    ------
    InputError
        Unknown kind, unreadable file, missing columns, or a bad row (naming its line) when
        ``skip_bad_rows`` is false. Nothing is written then.
    """
    if kind not in PARSERS:
        raise InputError(f"unknown import format '{kind}' (choose from {', '.join(KINDS)})")
    started = time.perf_counter()
    text = read_text(path)
    file_hash = hashlib.sha256(text.encode()).hexdigest()
    if kind == "myfitnesspal":
        parsed = PARSERS[kind](text, path, progress, calcium_unit=calcium_unit)
    elif kind == "loseit":
        from .pins import pins_map

        parsed = PARSERS[kind](text, path, progress, pins=pins_map(conn, person))
    else:
        parsed = PARSERS[kind](text, path, progress)
    if parsed.errors and not skip_bad_rows:
        first = parsed.errors[0]
        more = len(parsed.errors) - 1
        raise InputError(f"{first.message}"
                         + (f" ({more} more bad row{'s' if more > 1 else ''})" if more else "")
                         + "; nothing was imported (--skip-bad-rows imports the other rows)",
                         line=first.line, source=first.source)
    entries = parsed.entries
    estimated: dict[str, int] = {}
    for e in entries:
        for k in e.estimated:
            estimated[k] = estimated.get(k, 0) + 1
    days = sorted({e.day for e in entries})
    result = ImportResult(
        kind=kind, file=path, rows=len(entries) + len(parsed.errors) + parsed.skipped_deleted,
        imported=0, duplicates=0, bad_rows=[str(e) for e in parsed.errors],
        skipped_deleted=parsed.skipped_deleted, estimated=estimated,
        unmatched=[{"line": ln, "text": t, "reason": r} for ln, t, r in parsed.unmatched],
        notes=parsed.notes, first_day=days[0] if days else None,
        last_day=days[-1] if days else None, dry_run=dry_run)
    if dry_run:
        row = conn.execute("SELECT id FROM people WHERE name = ?", (person.strip(),)).fetchone()
        dupes = _existing(conn, None if row is None else row[0],
                          [e.source_hash for e in entries if e.source_hash])
        result.duplicates = len(dupes)
        result.imported = len(entries) - len(dupes)
    else:
        with transaction(conn):
            pid = person_id(conn, person)
            cur = conn.execute(
                "INSERT INTO imports (person_id, kind, file_name, file_sha256, at, imported, "
                "duplicates, skipped, notes) VALUES (?,?,?,?,?,0,0,0,'[]')",
                (pid, kind, os.path.basename(path), file_hash, now()))
            import_id = int(cur.lastrowid or 0)
            created = now()
            before = conn.total_changes
            step = 1000
            for i in range(0, len(entries), step):
                _insert_rows(conn, [e.row(pid, import_id, created)
                                    for e in entries[i:i + step]])
            result.imported = conn.total_changes - before
            result.duplicates = len(entries) - result.imported
            if result.imported == 0:
                conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
            else:
                conn.execute("UPDATE imports SET imported = ?, duplicates = ?, skipped = ?, "
                             "notes = ? WHERE id = ?",
                             (result.imported, result.duplicates, len(parsed.errors),
                              json.dumps(parsed.notes), import_id))
    result.seconds = time.perf_counter() - started
    return result
