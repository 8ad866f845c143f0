"""The journal database: one SQLite file, WAL mode, foreign keys on, versioned schema.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` holds one SQL script per
version and :func:`connect` applies the missing ones in order, each inside a transaction, so a
journal made by an older crampcheck is upgraded when it is opened and a journal made by a newer
one is refused rather than damaged.

Every write goes through :func:`transaction` (``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on
any error), so a failed or interrupted write leaves the file as it was: with WAL, frames of a
transaction that never committed are ignored when the file is next opened.

Several processes may open a new journal at the same moment (two terminals, the web app and a
``log``): the whole migration is one ``BEGIN IMMEDIATE`` transaction that reads the version
again once it holds the write lock, every statement is ``IF NOT EXISTS``, and a busy database
is retried, so each process either creates the schema or finds it complete. A file whose
version says it has a schema but whose tables are missing is refused by name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError

ENV_DB = "CRAMPCHECK_DB"

MIGRATIONS: tuple[str, ...] = (
    # version 1
    """
    CREATE TABLE IF NOT EXISTS people (
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
    CREATE TABLE IF NOT EXISTS medicines (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS supplements (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS conditions (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL, since TEXT, until TEXT, created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS imports (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL,
        at TEXT NOT NULL, imported INTEGER NOT NULL, duplicates INTEGER NOT NULL,
        skipped INTEGER NOT NULL, notes TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE IF NOT EXISTS food_entries (
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
    CREATE INDEX IF NOT EXISTS food_entries_person_day ON food_entries(person_id, day);
    CREATE TABLE IF NOT EXISTS cramps (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        at TEXT NOT NULL, muscle TEXT, side TEXT, minutes REAL, severity REAL, note TEXT,
        created TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS cramps_person_at ON cramps(person_id, at);
    CREATE TABLE IF NOT EXISTS symptoms (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        day TEXT NOT NULL, text TEXT NOT NULL, created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS labs (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        test TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, date TEXT,
        created TEXT NOT NULL
    );
    """,
    # issue 13 (everyday use): a trash for deleted entries (deleted_at, kept 30 days) and
    # import batches that can be undone (undone_at)
    """
    ALTER TABLE food_entries ADD COLUMN deleted_at TEXT;
    ALTER TABLE cramps ADD COLUMN deleted_at TEXT;
    ALTER TABLE symptoms ADD COLUMN deleted_at TEXT;
    ALTER TABLE labs ADD COLUMN deleted_at TEXT;
    ALTER TABLE medicines ADD COLUMN deleted_at TEXT;
    ALTER TABLE supplements ADD COLUMN deleted_at TEXT;
    ALTER TABLE conditions ADD COLUMN deleted_at TEXT;
    ALTER TABLE imports ADD COLUMN undone_at TEXT;
    CREATE INDEX food_entries_import ON food_entries(import_id);
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


BUSY_RETRY_SECONDS = 30.0
#: Tables every journal has (from schema version 1).
REQUIRED_TABLES = ("people", "medicines", "supplements", "conditions", "imports",
                   "food_entries", "cramps", "symptoms", "labs")


def _busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _retry(action, *, seconds: float = BUSY_RETRY_SECONDS):
    """Run ``action()``; while SQLite says the database is busy, wait and try again."""
    deadline = time.monotonic() + seconds
    pause = 0.02
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and if needed create and migrate) the journal at ``path``.

    The connection is in autocommit mode; use :func:`transaction` for writes.

    Raises
    ------
    InputError
        No journal there (with ``create=False``), a path that cannot hold one (a part of it is
        a file), a file that is not a crampcheck journal or is damaged, or one written by a
        newer crampcheck.
    """
    from ..boundary import describe_os_error, describe_sqlite_error

    path = Path(path)
    if path.exists() and path.is_dir():
        raise InputError("is a folder: give the journal's file name (for example "
                         f"{path / 'journal.db'})", source=str(path))
    if not create and not path.exists():
        raise InputError("no journal here yet (log something first)", source=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the journal here: {describe_os_error(exc)}",
                         source=str(path)) from None
    conn = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            _retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).lower():
                raise  # a read-only journal can still be read
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, source=str(path))
    except InputError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        described = describe_sqlite_error(exc, str(path))
        if described is not None and "not a crampcheck journal" not in described:
            raise InputError(described) from None
        raise InputError(f"is not a crampcheck journal, or it is damaged ({exc})",
                         source=str(path)) from None
    return conn


def migrate(conn: sqlite3.Connection, *, source: str = "journal") -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; return the version found.

    All missing steps run in one ``BEGIN IMMEDIATE`` transaction that reads the version again
    once it holds the write lock (another process may have just migrated); busy is retried.
    """
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise InputError(f"was written by a newer crampcheck (schema {found}, this one knows "
                         f"{SCHEMA_VERSION}); upgrade crampcheck", source=source)
    if found >= 1:  # an older journal's own tables must be there before it is upgraded
        _check_tables(conn, found, source)
    if found < SCHEMA_VERSION:
        def step() -> None:
            with transaction(conn):
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    script = MIGRATIONS[version - 1]
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version}")

        _retry(step)
    _check_tables(conn, found, source)
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


def _check_tables(conn: sqlite3.Connection, found: int, source: str) -> None:
    """Refuse a file whose version says it is a journal but whose tables are missing."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise InputError(f"is not a complete crampcheck journal: it says schema version "
                         f"{max(found, 1)} but has no {', '.join(missing)} table"
                         f"{'s' if len(missing) > 1 else ''} (restore it from a backup, or "
                         "move it away to start a new journal)", source=source)


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
    from ..boundary import describe_os_error

    dest = Path(dest)
    if dest.exists():
        raise InputError("already exists; choose a new file name for the backup", source=str(dest))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write the backup there: {describe_os_error(exc)}",
                         source=str(dest)) from None
    try:
        target = sqlite3.connect(dest)
        try:
            conn.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)  # never leave half a backup behind
        raise InputError(f"the backup could not be written ({exc}); nothing was kept",
                         source=str(dest)) from None
    return dest
