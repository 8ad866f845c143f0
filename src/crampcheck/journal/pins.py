"""Food pins: the food a person chose for a phrase they write ("protein shake" is their whey).

A pin is stored in the journal (table ``food_pins``, one row per person and phrase). Later
lines whose food words are the pinned phrase (same words after synonyms, in any order; see
:func:`crampcheck.totals.pin_key`) are matched to the pinned food with confidence 1 and the
note "your choice": ``crampcheck log``, the web diary, the live preview, ``crampcheck
nutrients`` when a journal exists, and Lose It! imports.

``crampcheck foods pin "PHRASE" ID``, ``foods pins`` and ``foods unpin PHRASE``
(:mod:`crampcheck.cli.foods`) manage them;
the web diary's preview pins a suggestion the person picks.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import InputError
from .db import now, person_id, transaction

MAX_PHRASE = 200


def _food(food_id: str):
    from ..foods.store import default_store

    food = default_store().get(food_id.strip())
    if food is None:
        raise InputError(f"no food with id '{food_id}' (find ids with 'crampcheck foods search')")
    return food


def _key(phrase: str) -> str:
    from ..totals import pin_key

    text = (phrase or "").strip()
    if not text:
        raise InputError("give the phrase to pin, for example \"protein shake\"")
    if len(text) > MAX_PHRASE:
        raise InputError(f"a phrase to pin has at most {MAX_PHRASE} characters")
    key = pin_key(text)
    if not key:
        raise InputError(f"'{text}' has no food words to pin")
    return key


def set_pin(conn: sqlite3.Connection, person: str, phrase: str, food_id: str) -> dict[str, Any]:
    """Pin ``phrase`` to ``food_id`` for ``person`` (replacing an earlier pin of the phrase)."""
    food = _food(food_id)
    key = _key(phrase)
    with transaction(conn):
        pid = person_id(conn, person)
        conn.execute(
            "INSERT INTO food_pins (person_id, phrase_key, phrase, food_id, food_name, created) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT (person_id, phrase_key) DO UPDATE SET "
            "phrase = excluded.phrase, food_id = excluded.food_id, "
            "food_name = excluded.food_name, created = excluded.created",
            (pid, key, phrase.strip(), food.id, food.name, now()))
    return {"phrase": phrase.strip(), "key": key, "food": food.ref()}


def list_pins(conn: sqlite3.Connection, person: str) -> list[dict[str, Any]]:
    try:
        pid = person_id(conn, person, create=False)
    except InputError:
        return []
    rows = conn.execute("SELECT id, phrase, phrase_key, food_id, food_name, created FROM "
                        "food_pins WHERE person_id = ? ORDER BY phrase", (pid,)).fetchall()
    return [dict(r) for r in rows]


def remove_pin(conn: sqlite3.Connection, person: str, which: str) -> dict[str, Any]:
    """Remove the pin whose phrase (or id) is ``which``."""
    pins = list_pins(conn, person)
    text = (which or "").strip()
    hit = None
    if text.isdigit():
        hit = next((p for p in pins if p["id"] == int(text)), None)
    if hit is None:
        key = _key(text)
        hit = next((p for p in pins if p["phrase_key"] == key), None)
    if hit is None:
        raise InputError(f"no pin for '{text}' (see 'crampcheck foods pins')")
    with transaction(conn):
        conn.execute("DELETE FROM food_pins WHERE id = ?", (hit["id"],))
    return hit


def pins_map(conn: sqlite3.Connection, person: str) -> dict[str, str]:
    """``pin_key`` -> food id of every pin of ``person`` (empty when there is none)."""
    return {p["phrase_key"]: p["food_id"] for p in list_pins(conn, person)}


def pins_from_journal(db: str | Path | None, person: str) -> dict[str, str]:
    """The pins of ``person`` in the journal at ``db`` (or the default journal), or none when
    there is no journal: reading pins never creates one."""
    from .db import ENV_DB, connect, default_db_path

    path = Path(db) if db else (Path(os.environ[ENV_DB]) if os.environ.get(ENV_DB)
                                else default_db_path())
    if not path.exists():
        return {}
    conn = connect(path, create=False)
    try:
        return pins_map(conn, person)
    finally:
        conn.close()
