"""The journal database: one SQLite file, WAL mode, foreign keys on, versioned schema.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` holds one SQL script per
version and :func:`connect` applies the missing ones in order, each inside a transaction, so a
journal made by an older crampcheck is upgraded when it is opened and a journal made by a newer
one is refused rather than damaged.

Every write goes through :func:`transaction` (``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on
any error), so a failed or interrupted write leaves the file as it was: with WAL, frames of a
transaction that never committed are ignored when the file is next opened.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError

ENV_DB = "CRAMPCHECK_DB"

MIGRATIONS: tuple[str, ...] = (
    # version 1
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        age REAL, sex TEXT CHECK (sex IN ('female', 'male')),
        pregnant INTEGER NOT NULL DEFAULT 0, lactating INTEGER NOT NULL DEFAULT 0,
        weight_kg REAL, diet TEXT,
        avoid TEXT NOT NULL DEFAULT '[]', dislikes TEXT NOT NULL DEFAULT '[]',
        exercise_hours_per_week REAL, exercise_intensity TEXT,
        hot_environment INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL
    );
    CREATE TABLE medicines (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE supplements (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE conditions (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL,
        at TEXT NOT NULL, imported INTEGER NOT NULL, duplicates INTEGER NOT NULL,
        skipped INTEGER NOT NULL, notes TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE food_entries (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        day TEXT NOT NULL, time TEXT, meal TEXT,
        text TEXT NOT NULL,
        food_id TEXT, food_name TEXT, grams REAL, grams_method TEXT,
        is_total INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL,
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
        source_line INTEGER, source_hash TEXT,
        nutrients TEXT NOT NULL,
        estimated TEXT NOT NULL DEFAULT '[]',
        note TEXT,
        created TEXT NOT NULL,
        UNIQUE (person_id, source_hash)
    );
    CREATE INDEX food_entries_person_day ON food_entries(person_id, day);
    CREATE TABLE cramps (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        at TEXT NOT NULL, muscle TEXT, side TEXT, minutes REAL, severity REAL, note TEXT,
        created TEXT NOT NULL
    );
    CREATE INDEX cramps_person_at ON cramps(person_id, at);
    CREATE TABLE symptoms (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        day TEXT NOT NULL, text TEXT NOT NULL, created TEXT NOT NULL
    );
    CREATE TABLE labs (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        test TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, date TEXT,
        created TEXT NOT NULL
    );
    """,
    # issue 11: food pins, the food a person chose for a phrase they write (journal/pins.py)
    """
    CREATE TABLE food_pins (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        phrase_key TEXT NOT NULL,
        phrase TEXT NOT NULL,
        food_id TEXT NOT NULL,
        food_name TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (person_id, phrase_key)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def default_db_path() -> Path:
    """Where the journal lives when neither ``--db`` nor ``CRAMPCHECK_DB`` says.

    The user's data directory from ``platformdirs`` when it is installed, else
    ``~/.local/share/crampcheck/journal.db``.
    """
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env)
    try:
        from platformdirs import user_data_dir
    except ImportError:  # pragma: no cover - platformdirs is usually present
        return Path.home() / ".local" / "share" / "crampcheck" / "journal.db"
    return Path(user_data_dir("crampcheck", appauthor=False)) / "journal.db"


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and if needed create and migrate) the journal at ``path``.

    The connection is in autocommit mode; use :func:`transaction` for writes.
    """
    path = Path(path)
    if not create and not path.exists():
        raise InputError("no journal here yet (log something first)", source=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, source=str(path))
    except sqlite3.DatabaseError as exc:
        raise InputError(f"is not a crampcheck journal ({exc})", source=str(path)) from None
    return conn


def migrate(conn: sqlite3.Connection, *, source: str = "journal") -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; return the version found."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise InputError(f"was written by a newer crampcheck (schema {found}, this one knows "
                         f"{SCHEMA_VERSION}); upgrade crampcheck", source=source)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[version - 1]
        with transaction(conn):
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return found


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` if the block raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def person_id(conn: sqlite3.Connection, name: str, *, create: bool = True) -> int:
    """The id of the person called ``name``; created (inside the caller's transaction) if new."""
    name = name.strip()
    if not name:
        raise InputError("--person must not be empty")
    row = conn.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    if not create:
        raise InputError(f"no person called '{name}' in this journal "
                         f"(people: {', '.join(people(conn)) or 'none yet'})")
    cur = conn.execute("INSERT INTO people (name, created) VALUES (?, ?)", (name, now()))
    return int(cur.lastrowid or 0)


def people(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM people ORDER BY name")]


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def backup(conn: sqlite3.Connection, dest: str | Path) -> Path:
    """Copy the journal to ``dest`` with SQLite's online backup API (safe while in use)."""
    dest = Path(dest)
    if dest.exists():
        raise InputError("already exists; choose a new file name for the backup", source=str(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
    return dest
