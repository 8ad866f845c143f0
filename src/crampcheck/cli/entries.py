"""Everyday journal commands: ``entries``, ``edit``, ``delete``, ``trash``, ``restore``,
``imports``, ``cramps list`` and ``info`` (ids and the trash: :mod:`crampcheck.journal.entries`).

Plain functions and the ``cramps`` sub-app; :mod:`crampcheck.cli` adds them to the
``crampcheck`` app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from .common import DbOpt, JsonOpt, PersonOpt, emit, fail, open_journal

DateOpt = Annotated[str | None, typer.Option(
    "--date", help="One day: YYYY-MM-DD, today, yesterday or -N (N days ago).")]


def _range(date: str | None, start: str | None, end: str | None) -> tuple[str, str]:
    from ..journal.store import day_arg

    if date is not None and (start is not None or end is not None):
        raise InputError("give --date, or --from/--to, not both")
    if date is not None:
        day = day_arg(date, what="--date")
        return day, day
    first = day_arg(start, what="--from") if start else None
    last = day_arg(end, what="--to") if end else dt.date.today().isoformat()
    first = first or last
    if first > last:
        raise InputError(f"--from {first} is after --to {last}")
    return first, last


def _nutrients(e: dict[str, Any]) -> str:
    if e["kind"] != "food" or (e.get("calcium_mg") is None and e.get("magnesium_mg") is None):
        return ""
    from ..report.labels import fmt_amount

    return (f"  (Ca {fmt_amount(e.get('calcium_mg'))} mg, "
            f"Mg {fmt_amount(e.get('magnesium_mg'))} mg)")


def _print_entries(rows: list[dict[str, Any]], start: str, end: str, person: str) -> None:
    dated = [r for r in rows if r["kind"] not in ("medicine", "supplement", "condition")]
    listed = [r for r in rows if r["kind"] in ("medicine", "supplement", "condition")]
    span = start if start == end else f"{start} to {end}"
    if not rows:
        typer.echo(f"nothing recorded for {person} on {span}")
        return
    day = None
    for r in dated:
        if r["day"] != day:
            day = r["day"]
            typer.echo(f"{day or 'date not given'}")
        typer.echo(f"  {r['ref']:>6}  {r['summary']}{_nutrients(r)}")
    if listed:
        typer.echo(f"Medicines, supplements and conditions current on {span}:")
        for r in listed:
            typer.echo(f"  {r['ref']:>6}  {r['kind']}: {r['summary']}")


def entries_(date: DateOpt = None,
             start: Annotated[str | None, typer.Option(
                 "--from", help="First day of a range (with --to; default: --to).")]
             = None,
             end: Annotated[str | None, typer.Option(
                 "--to", help="Last day of a range (default today).")] = None,
             kind: Annotated[str | None, typer.Option(
                 help="Only these kinds, comma-separated: food, cramp, symptom, lab, "
                      "medicine, supplement, condition.")] = None,
             db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """List entries with their ids (f12, c3, …) for one day or a range (default today).

    The ids are what 'edit', 'delete' and 'restore' take: f food, c cramp, y symptom,
    l lab, m medicine, s supplement, d condition.
    """
    from ..journal.entries import BY_NOUN, list_entries

    with open_journal(db, create=False) as conn:
        first, last = _range(date, start, end)
        kinds = tuple(k.strip() for k in kind.split(",") if k.strip()) if kind else None
        bad = [k for k in kinds or () if k not in BY_NOUN]
        if bad:
            raise InputError(f"--kind {', '.join(bad)}: choose from "
                             + ", ".join(BY_NOUN))
        rows = list_entries(conn, person, first, last, kinds)
        if as_json:
            emit({"person": person, "start": first, "end": last, "entries": rows})
            return
        _print_entries(rows, first, last, person)


def edit_(entry: Annotated[str, typer.Argument(help="The entry's id, e.g. f12 (from "
                                                   "'crampcheck entries').")],
          text: Annotated[str | None, typer.Option(
              help="New text (food: matched to USDA again; medicine, supplement, "
                   "condition, symptom).")] = None,
          date: Annotated[str | None, typer.Option(
              help="New day (food, symptom, lab; a cramp keeps its time).")] = None,
          time: Annotated[str | None, typer.Option(help="Food: time eaten (HH:MM).")]
          = None,
          meal: Annotated[str | None, typer.Option(help="Food: breakfast, lunch…")]
          = None,
          at: Annotated[str | None, typer.Option(
              help="Cramp: when (\"2026-11-20 02:30\", \"yesterday 02:30\").")] = None,
          muscle: Annotated[str | None, typer.Option(help="Cramp: calf, foot…")] = None,
          side: Annotated[str | None, typer.Option(help="Cramp: left, right or both.")]
          = None,
          minutes: Annotated[str | None, typer.Option(help="Cramp: how long.")] = None,
          severity: Annotated[str | None, typer.Option(help="Cramp: 0 to 10.")] = None,
          note: Annotated[str | None, typer.Option(help="Cramp: a note.")] = None,
          test: Annotated[str | None, typer.Option(help="Lab: the test.")] = None,
          value: Annotated[str | None, typer.Option(help="Lab: the result.")] = None,
          unit: Annotated[str | None, typer.Option(help="Lab: the unit.")] = None,
          since: Annotated[str | None, typer.Option(
              help="Medicine, supplement, condition: start day.")] = None,
          until: Annotated[str | None, typer.Option(
              help="Medicine, supplement, condition: stop day ('none' clears it).")]
          = None,
          db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Correct an entry: give its id and the fields to change ('none' clears a field)."""
    from ..journal.entries import edit_entry

    with open_journal(db, create=False) as conn:
        after = edit_entry(conn, person, entry, {
            "text": text, "date": date, "time": time, "meal": meal, "at": at,
            "muscle": muscle, "side": side, "minutes": minutes, "severity": severity,
            "note": note, "test": test, "value": value, "unit": unit, "since": since,
            "until": until})
        if as_json:
            emit(after)
            return
        typer.echo(f"changed {after['ref']} ({after['day'] or 'date not given'}): "
                   f"{after['summary']}{_nutrients(after)}")
        if after["kind"] == "food" and text is not None and not after.get("food_id") \
                and not after.get("is_total"):
            typer.echo(f"  ? {after['note'] or 'not matched'}; kept, its nutrients "
                       "unknown")


def delete_(entry: Annotated[list[str], typer.Argument(
                help="One or more entry ids, e.g. f12 c3.")],
            db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Move entries to the trash (kept 30 days; 'crampcheck restore ID' brings one back)."""
    from ..journal.entries import TRASH_DAYS, delete_entries

    with open_journal(db, create=False) as conn:
        gone = delete_entries(conn, person, entry)
        if as_json:
            emit({"deleted": gone, "trash_days": TRASH_DAYS})
            return
        for g in gone:
            typer.echo(f"moved {g['ref']} to the trash: {g['summary']}")
        typer.echo(f"kept in the trash for {TRASH_DAYS} days: crampcheck restore "
                   f"{gone[0]['ref']} brings it back")


def trash_(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """List deleted entries and the day each will be removed for good."""
    from ..journal.entries import TRASH_DAYS, trash

    with open_journal(db, create=False) as conn:
        rows = trash(conn, person)
        if as_json:
            emit({"person": person, "trash_days": TRASH_DAYS, "entries": rows})
            return
        if not rows:
            typer.echo(f"the trash of {person} is empty")
            return
        for r in rows:
            typer.echo(f"  {r['ref']:>6}  {r['day'] or 'date not given'}  {r['summary']}  "
                       f"(deleted {r['deleted_at'][:10]}, kept until {r['purge_on']})")
        typer.echo("crampcheck restore ID brings one back")


def restore_(entry: Annotated[str, typer.Argument(help="The id of a deleted entry.")],
             db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Bring an entry back from the trash, as it was."""
    from ..journal.entries import restore

    with open_journal(db, create=False) as conn:
        row = restore(conn, person, entry)
        if as_json:
            emit(row)
            return
        typer.echo(f"restored {row['ref']} ({row['day'] or 'date not given'}): "
                   f"{row['summary']}")


def imports_(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """List import batches with their ids ('crampcheck import undo ID' removes one)."""
    from ..journal.entries import imports

    with open_journal(db, create=False) as conn:
        rows = imports(conn, person)
        if as_json:
            emit({"person": person, "imports": rows})
            return
        if not rows:
            typer.echo(f"no imports for {person}")
            return
        for r in rows:
            state = (f"undone {r['undone_at'][:10]}" if r["undone_at"] else
                     f"{r['entries']} entries, days {r['first_day']} to {r['last_day']}"
                     + (f", {r['in_trash']} in the trash" if r["in_trash"] else ""))
            typer.echo(f"  {r['id']:>4}  {r['at'][:16].replace('T', ' ')}  {r['kind']}  "
                       f"{r['file_name']}: {state}")
        typer.echo("crampcheck import undo ID removes what a batch added")


cramps_app = typer.Typer(no_args_is_help=True,
                         help="Cramps you recorded (record one with 'crampcheck cramp').")


@cramps_app.command("list")
def cramps_list(days: Annotated[int | None, typer.Option(
                    "--days", min=1, help="Only the last N days (ending --end).")] = None,
                end: Annotated[str | None, typer.Option(
                    "--end", help="Last day (default today).")] = None,
                db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False
                ) -> None:
    """List cramps with their ids (c3 …)."""
    from ..journal import store
    from ..journal.entries import describe, ref

    with open_journal(db, create=False) as conn:
        start, last = store.window(days, end) if days else (None, None)
        rows = [{"ref": ref("cramp", c["id"]), **c}
                for c in store.cramps(conn, person, start, last)]
        if as_json:
            emit(rows)
            return
        if not rows:
            typer.echo(f"no cramps recorded for {person}")
        from ..journal.entries import BY_NOUN

        for r in rows:
            typer.echo(f"  {r['ref']:>6}  {describe(BY_NOUN['cramp'], r)}")


def info_(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Where the journal is, its size, the people in it, their entries, the food data."""
    from .. import __version__
    from ..journal.db import SCHEMA_VERSION, connect, default_db_path, people
    from ..journal.entries import counts, span

    path = Path(db or default_db_path())
    out: dict[str, Any] = {"version": __version__, "journal": str(path.resolve()),
                           "exists": path.exists(), "size_bytes": None, "schema": None,
                           "people": [], "food_data": food_data_versions()}
    if path.exists():
        out["size_bytes"] = sum(p.stat().st_size for p in
                                (path, Path(f"{path}-wal")) if p.exists())
        try:
            conn = connect(path, create=False)
        except InputError as exc:
            fail(exc)
            return
        try:
            out["schema"] = SCHEMA_VERSION
            for name in people(conn):
                first, last = span(conn, name)
                out["people"].append({"name": name, "entries": counts(conn, name),
                                      "first_day": first, "last_day": last})
        finally:
            conn.close()
    if as_json:
        emit(out)
        return
    typer.echo(f"crampcheck {out['version']}")
    if not out["exists"]:
        typer.echo(f"journal: {out['journal']} (not created yet: 'crampcheck log' or "
                   "'crampcheck profile set' creates it)")
    else:
        typer.echo(f"journal: {out['journal']} ({_size(out['size_bytes'])}, schema "
                   f"{out['schema']})")
        if not out["people"]:
            typer.echo("  nobody in it yet")
        for p in out["people"]:
            e = p["entries"]
            kinds = ", ".join(f"{e[k]} {k if e[k] == 1 else _plural(k)}" for k in
                              ("food", "cramp", "symptom", "medicine", "supplement",
                               "condition", "lab") if e[k])
            when = (f", {p['first_day']} to {p['last_day']}" if p["first_day"] else "")
            typer.echo(f"  {p['name']}: {kinds or 'no entries'}{when}"
                       + (f"; {e['imports']} import(s)" if e["imports"] else "")
                       + (f"; {e['trash']} in the trash" if e["trash"] else ""))
    typer.echo("food data:")
    for line in out["food_data"]:
        typer.echo(f"  {line}")


def _plural(noun: str) -> str:
    return {"food": "food entries", "lab": "lab results"}.get(noun, noun + "s")


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n = n / 1024
    return f"{n} bytes"  # pragma: no cover


def food_data_versions() -> list[str]:
    """The food data's sources and counts, read from ``foods/data/PROVENANCE.md``."""
    import re
    from importlib import resources

    text = resources.files("crampcheck.foods").joinpath("data", "PROVENANCE.md").read_text(
        encoding="utf-8")
    out = []
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if not line.startswith("- "):
            continue
        item = line[2:].replace("`", "").strip()
        if section == "sources":
            m = re.search(r" \((?=[^\d])", item)  # drop the file-name aside, keep "(2011)"
            out.append(item[:m.start()] if m else item)
        elif section == "counts" and ":" in item and "left out" not in item:
            out.append(item)
    return out
