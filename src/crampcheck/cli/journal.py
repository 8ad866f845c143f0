"""The journal's commands (``log``, ``cramp``, ``profile``, ``meds``, ``import``, ``trends`` …).

Plain functions and sub-apps (``profile``, ``meds``, ``conditions``, ``supplements``,
``symptoms``, ``labs``); :mod:`crampcheck.cli` adds them to the ``crampcheck`` app. Every command
takes ``--db PATH`` (or the ``CRAMPCHECK_DB`` environment variable; default in the user's data
directory) and ``--person NAME`` (default ``me``). Errors print one line and exit 2.

No ``from __future__ import annotations`` here: the help texts of the ``meds``, ``conditions``
and ``supplements`` commands are f-strings over :func:`_listed_app`'s arguments, which Typer
could not evaluate from a string annotation.
"""


import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import CrampcheckError, InputError
from .common import DaysOpt, DbOpt, EndOpt, JsonOpt, PersonOpt, emit, fail, fmt, open_journal


def _check_time(text: str) -> str:
    try:
        return dt.time.fromisoformat(text.strip()).strftime("%H:%M")
    except ValueError:
        raise InputError(f"--time {text[:20]!r} must be a time like 07:30") from None


def _prefix(table: str) -> str:
    from ..journal.store import _PREFIX

    return _PREFIX[table]


def _undo_import(batch: str, yes: bool, db: Path | None, person: str, as_json: bool) -> None:
    """``crampcheck import undo BATCH``: show what the batch added, ask, remove it."""
    from ..journal.entries import _batch_id, imports, undo_import

    with open_journal(db, create=False) as conn:
        bid = _batch_id(batch)
        row = next((r for r in imports(conn, person) if r["id"] == bid), None)
        if row is not None and not row["undone_at"] and not yes:
            typer.confirm(f"Remove the {row['entries']} food entries that import {bid} "
                          f"({row['kind']}, {row['file_name']}, days {row['first_day']} to "
                          f"{row['last_day']}) added? Importing the file again brings them "
                          "back", abort=True, err=True)
        done = undo_import(conn, person, bid)
        if as_json:
            emit(done)
            return
        typer.echo(f"undid import {done['batch']} ({done['kind']}, {done['file_name']}): "
                   f"removed {done['removed']} food entries"
                   + (f" from {done['first_day']} to {done['last_day']}"
                      if done["first_day"] else ""))


def _listed_app(table: str, noun: str, example: str, *, stop: bool = True) -> typer.Typer:
    """``add``/``list``/``stop`` for medicines, supplements or conditions."""
    sub = typer.Typer(no_args_is_help=True, help=f"{noun.capitalize()}s with start and stop "
                      f"days: add, list, stop (ids start with '{_prefix(table)}').")

    @sub.command("add", help=f"Record a {noun} (with the day it started).")
    def add(text: Annotated[str, typer.Argument(help=f"For example \"{example}\".")],
            since: Annotated[str | None, typer.Option(
                help="Start day (YYYY-MM-DD, today, yesterday or -N).")] = None,
            until: Annotated[str | None, typer.Option(help="Stop day, if it has stopped.")]
            = None,
            db: DbOpt = None, person: PersonOpt = "me") -> None:
        from ..journal.store import add_listed

        with open_journal(db) as conn:
            from ..journal.store import day_arg

            new_id = add_listed(conn, table, person, text, since, until)
            typer.echo(f"added {noun} {_prefix(table)}{new_id}: {text}"
                       + (f" since {day_arg(since)}" if since else ""))

    @sub.command("list", help=f"List {noun}s with their ids, start and stop days.")
    def list_(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False,
              current: Annotated[bool, typer.Option(help="Only those not stopped.")] = False
              ) -> None:
        from ..journal.store import list_listed

        with open_journal(db, create=False) as conn:
            rows = [{"ref": f"{_prefix(table)}{r['id']}", **r}
                    for r in list_listed(conn, table, person)]
            if current:
                rows = [r for r in rows if r["until"] is None]
            if as_json:
                emit(rows)
                return
            if not rows:
                typer.echo(f"no {noun}s recorded for {person}")
            for r in rows:
                span = f"{r['since'] or 'start not given'} → {r['until'] or 'now'}"
                typer.echo(f"{r['ref']:>6}  {r['text']}  ({span})")

    if stop:
        @sub.command("stop", help=f"Record the day a {noun} stopped (by id or text).")
        def stop_(which: Annotated[str, typer.Argument(help="Its id (e.g. m2) or part of its "
                                                           "text.")],
                  on: Annotated[str | None, typer.Option(help="Stop day (default today).")]
                  = None,
                  db: DbOpt = None, person: PersonOpt = "me") -> None:
            from ..journal.store import stop_listed

            with open_journal(db, create=False) as conn:
                hit = stop_listed(conn, table, person, which, on)
                typer.echo(f"stopped {noun} {_prefix(table)}{hit['id']}: {hit['text']} on "
                           f"{hit['until']}")

    return sub


def _progress_bar() -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A Rich progress bar on stderr for long files (shown only after 500 rows)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < 500:
            return
        if "task" not in state:
            bar.start()
            state["task"] = bar.add_task("reading rows", total=total)
        if done % 50 == 0 or done >= total:
            bar.update(state["task"], completed=done, total=max(total, done))

    def close() -> None:
        if "task" in state:
            bar.stop()

    return update, close


def log(text: Annotated[str, typer.Argument(
            help="Foods, ';' between them: \"1 cup cooked spinach; 2 eggs\".")],
        date: Annotated[str | None, typer.Option(
            help="Day eaten: YYYY-MM-DD, today, yesterday or -N (default today).")] = None,
        meal: Annotated[str | None, typer.Option(help="breakfast, lunch, dinner, snack…")]
        = None,
        time: Annotated[str | None, typer.Option(help="Time eaten (HH:MM).")] = None,
        db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Log foods you ate (matched to USDA foods; unmatched lines are kept and shown)."""
    from ..foods.schema import NUTRIENTS
    from ..journal.pins import pins_map
    from ..journal.store import FoodEntry, add_food, day_arg
    from ..limits import check_food_line, check_text
    from ..totals import Item, analyze_text

    with open_journal(db) as conn:
        day = day_arg(date, what="--date") if date else dt.date.today().isoformat()
        parts = [p.strip() for p in text.split(";") if p.strip()]
        if not parts:
            raise InputError("nothing to log (try: crampcheck log \"1 cup cooked spinach\")")
        for part in parts:
            check_food_line(part)
        if meal is not None:
            check_text(meal, "--meal", limit=40)
        if time is not None:
            _check_time(time)
        entries, shown = [], []
        pins = pins_map(conn, person)
        results = [(part, r) for part in parts
                   for r in analyze_text(part, day=day, meal=meal, time=time, pins=pins)]
        for part, r in results:
            if isinstance(r, Item):
                entries.append(FoodEntry(
                    day=day, text=part, source="log", nutrients=dict(r.nutrients),
                    time=time, meal=meal, food_id=r.food.id, food_name=r.food.name,
                    grams=r.grams, grams_method=r.grams_method,
                    note="; ".join(r.notes) or None))
                shown.append({"text": part, "food": r.food.name, "grams": round(r.grams, 1),
                              "calcium_mg": r.nutrients.get("calcium_mg"),
                              "magnesium_mg": r.nutrients.get("magnesium_mg")})
            else:
                entries.append(FoodEntry(
                    day=day, text=part, source="log", nutrients=dict.fromkeys(NUTRIENTS),
                    time=time, meal=meal, note=f"not matched: {r.reason}"))
                shown.append({"text": part, "unmatched": r.reason})
        add_food(conn, person, entries)
        if as_json:
            emit({"day": day, "person": person, "entries": shown})
            return
        for s in shown:
            if "unmatched" in s:
                typer.echo(f"  ? {s['text']}: not matched ({s['unmatched']}); kept, "
                           "its nutrients unknown")
            else:
                typer.echo(f"  ✓ {s['text']} → {s['food']}, {s['grams']:g} g "
                           f"(Ca {fmt(s['calcium_mg'])} mg, "
                           f"Mg {fmt(s['magnesium_mg'])} mg)")
        typer.echo(f"logged {len(entries)} item(s) for {person} on {day}")


def cramp(at: Annotated[str | None, typer.Option(
              help="When (\"2026-11-20 02:30\" or \"yesterday 02:30\"; default now).")] = None,
          muscle: Annotated[str | None, typer.Option(help="calf, foot, thigh…")] = None,
          side: Annotated[str | None, typer.Option(help="left, right or both")] = None,
          minutes: Annotated[float | None, typer.Option(help="How long it lasted.")] = None,
          severity: Annotated[float | None, typer.Option(help="0 (none) to 10 (worst).")]
          = None,
          note: Annotated[str | None, typer.Option(help="Anything else.")] = None,
          db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Record a cramp."""
    from ..journal.store import add_cramp

    with open_journal(db) as conn:
        iso = add_cramp(conn, person, at, muscle, side, minutes, severity, note)
        typer.echo(f"recorded a cramp for {person} at {iso.replace('T', ' ')}")


profile_app = typer.Typer(no_args_is_help=True,
                          help="Age, sex, pregnancy, weight, diet, exercise: set, show.")


@profile_app.command("set")
def profile_set(
        age: Annotated[float | None, typer.Option(help="Years.")] = None,
        sex: Annotated[str | None, typer.Option(help="female or male.")] = None,
        pregnant: Annotated[bool | None, typer.Option(
            "--pregnant/--not-pregnant", help="Pregnant now (sets the reference values).")]
        = None,
        lactating: Annotated[bool | None, typer.Option(
            "--lactating/--not-lactating", help="Breastfeeding now.")] = None,
        weight_kg: Annotated[float | None, typer.Option(help="Weight in kg.")] = None,
        diet: Annotated[str | None, typer.Option(
            help="omnivore, pescatarian, vegetarian or vegan.")] = None,
        avoid: Annotated[list[str] | None, typer.Option(help="A food to avoid (repeat).")]
        = None,
        exercise_hours: Annotated[float | None, typer.Option(
            help="Exercise hours per week.")] = None,
        intensity: Annotated[str | None, typer.Option(
            help="light, moderate or vigorous.")] = None,
        db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Set profile fields (the others stay as they are)."""
    from ..journal.store import set_profile

    with open_journal(db) as conn:
        p = set_profile(conn, person, age=age, sex=sex, pregnant=pregnant,
                        lactating=lactating, weight_kg=weight_kg, diet=diet, avoid=avoid,
                        exercise_hours_per_week=exercise_hours,
                        exercise_intensity=intensity)
        typer.echo(f"profile of {person}: age {fmt(p['age'])}, sex {p['sex'] or '—'}"
                   + (", pregnant" if p["pregnant"] else "")
                   + (", lactating" if p["lactating"] else "")
                   + (f", {p['weight_kg']:g} kg" if p["weight_kg"] else ""))


@profile_app.command("show")
def profile_show(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False
                 ) -> None:
    """Show the profile."""
    from ..journal.store import get_profile

    with open_journal(db, create=False) as conn:
        p = get_profile(conn, person)
        p.pop("id", None)
        if as_json:
            emit(p)
            return
        for k, v in p.items():
            typer.echo(f"{k:>24}: {v if v not in (None, []) else '—'}")


meds_app = _listed_app("medicines", "medicine", "Lasix 40 mg daily")
conditions_app = _listed_app("conditions", "condition", "crohn's disease")
supplements_app = _listed_app("supplements", "supplement", "Magnesium (as glycinate) 200 mg")


symptoms_app = typer.Typer(no_args_is_help=True,
                           help="Other symptoms: add, list (ids start with 'y').")


@symptoms_app.command("add")
def symptoms_add(text: Annotated[str, typer.Argument(help="\"calf swelling on one side\"")],
                 date: Annotated[str | None, typer.Option(help="Day (default today).")]
                 = None,
                 db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Record a symptom (red flags such as one swollen calf are checked by assess)."""
    from ..journal.store import add_symptom

    with open_journal(db) as conn:
        add_symptom(conn, person, text, date)
        typer.echo(f"recorded: {text}")


@symptoms_app.command("list")
def symptoms_list(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False
                  ) -> None:
    """List symptoms with their ids (y1 …)."""
    from ..journal.store import symptoms

    with open_journal(db, create=False) as conn:
        rows = [{"ref": f"y{r['id']}", **r} for r in symptoms(conn, person)]
        if as_json:
            emit(rows)
            return
        if not rows:
            typer.echo(f"no symptoms recorded for {person}")
        for r in rows:
            typer.echo(f"{r['ref']:>6}  {r['day']}  {r['text']}")


labs_app = typer.Typer(no_args_is_help=True,
                       help="Lab results: add, list (ids start with 'l').")


@labs_app.command("add")
def labs_add(test: Annotated[str, typer.Argument(help="\"serum magnesium\"")],
             value: Annotated[float, typer.Argument(help="The result.")],
             unit: Annotated[str, typer.Argument(help="mg/dL, mmol/L …")],
             date: Annotated[str | None, typer.Option(help="Day taken (default today).")]
             = None,
             db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Record a lab result (a test or unit crampcheck cannot read is refused)."""
    from ..journal.store import add_lab
    from ..knowledge.labs import interpret_lab

    try:
        interpret_lab(test, value, unit)
    except CrampcheckError as exc:
        fail(exc)
    with open_journal(db) as conn:
        add_lab(conn, person, test, value, unit, date)
        typer.echo(f"recorded {test} {value:g} {unit}")


@labs_app.command("list")
def labs_list(db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """List lab results."""
    from ..journal.store import labs

    with open_journal(db, create=False) as conn:
        rows = [{"ref": f"l{r['id']}", **r} for r in labs(conn, person)]
        if as_json:
            emit(rows)
            return
        if not rows:
            typer.echo(f"no lab results recorded for {person}")
        for r in rows:
            typer.echo(f"{r['ref']:>6}  {r['date'] or 'date not given'}  {r['test']}  "
                       f"{r['value']:g} {r['unit']}")


def history(days: DaysOpt = 14, end: EndOpt = None, db: DbOpt = None,
            person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Intake per day (calcium, magnesium, their ratio, potassium, sodium) and cramps."""
    from ..journal import store
    from ..journal.window import daily_intake

    with open_journal(db, create=False) as conn:
        start, last = store.window(days, end)
        intake = daily_intake(conn, person, days, last)
        crs = store.cramps(conn, person, start, last)
        per_day: dict[str, int] = {}
        for c in crs:
            per_day[c["at"][:10]] = per_day.get(c["at"][:10], 0) + 1
        rows = []
        for day in sorted(set(intake) | set(per_day)):
            di = intake.get(day)
            t = di.totals if di else {}
            ca, mg = t.get("calcium_mg"), t.get("magnesium_mg")
            rows.append({"day": day, "entries": di.entries if di else 0,
                         "calcium_mg": ca, "magnesium_mg": mg,
                         "ca_mg_ratio": ca / mg if ca is not None and mg else None,
                         "potassium_mg": t.get("potassium_mg"),
                         "sodium_mg": t.get("sodium_mg"),
                         "missing": sorted(di.missing) if di else [],
                         "estimated": di.estimated if di else [],
                         "cramps": per_day.get(day, 0)})
        if as_json:
            emit({"person": person, "start": start, "end": last, "days": rows})
            return
        _history_table(person, start, last, rows)
        if not intake:
            from ..journal.entries import where_entries_are

            hint = where_entries_are(conn, person, start, last)
            if hint:
                typer.echo(hint)


def import_(kind: Annotated[str, typer.Argument(
                help="cronometer, cronometer-daily, myfitnesspal or loseit; or 'undo' "
                     "and a batch id from 'crampcheck imports'")],
            file: Annotated[str, typer.Argument(help="The exported CSV file (with "
                                                     "'undo': the batch id).")],
            dry_run: Annotated[bool, typer.Option(help="Read and check; write nothing.")]
            = False,
            skip_bad_rows: Annotated[bool, typer.Option(
                help="Import the good rows, list the bad ones.")] = False,
            calcium_unit: Annotated[str, typer.Option(
                help="MyFitnessPal calcium: auto, percent (of daily value) or mg.")]
            = "auto",
            yes: Annotated[bool, typer.Option(
                "--yes", "-y", help="With 'undo': do not ask first.")] = False,
            db: DbOpt = None, person: PersonOpt = "me", as_json: JsonOpt = False) -> None:
    """Import a food tracker's export (re-importing the same file adds nothing).

    'crampcheck import undo BATCH' removes exactly what batch BATCH added (after asking;
    'crampcheck imports' lists the batches).
    """
    from ..journal.importing import KINDS, import_file

    if kind == "undo":
        _undo_import(file, yes, db, person, as_json)
        return
    if kind not in KINDS:
        fail(InputError(f"unknown format '{kind}' (choose from {', '.join(KINDS)})"))
    if calcium_unit not in ("auto", "percent", "mg"):
        fail(InputError("--calcium-unit must be auto, percent or mg"))
    update, close = _progress_bar()
    with open_journal(db) as conn:
        try:
            result = import_file(conn, person, kind, file, dry_run=dry_run,
                                 skip_bad_rows=skip_bad_rows,
                                 progress=None if as_json else update,
                                 calcium_unit=calcium_unit)
        finally:
            close()
        if as_json:
            emit(result.to_dict())
            return
        _import_summary(result)


def export_(out: Annotated[Path, typer.Argument(help="A folder for the files.")],
            db: DbOpt = None,
            person: Annotated[str | None, typer.Option(
                "--person", help="Only this person (default: everyone).")] = None,
            force: Annotated[bool, typer.Option(
                "--force", help="Replace export files already in the folder.")] = False
            ) -> None:
    """Write everything out: a JSON case file per person and CSV tables."""
    from ..journal.export import export

    with open_journal(db, create=False) as conn:
        files = export(conn, out, person, force=force)
        typer.echo(f"wrote {len(files)} files to {out}")


def backup_(dest: Annotated[Path, typer.Argument(help="The backup file (must not exist).")],
            db: DbOpt = None) -> None:
    """Copy the journal safely, even while it is in use (SQLite backup API)."""
    from ..journal.db import backup

    with open_journal(db, create=False) as conn:
        path = backup(conn, dest)
        typer.echo(f"backed up to {path}")


def trends_(days: DaysOpt = 90, end: EndOpt = None, db: DbOpt = None,
            person: PersonOpt = "me", as_json: JsonOpt = False,
            permutations: Annotated[int, typer.Option(min=100, max=100_000,
                                                      help="Permutations per test.")]
            = 5000) -> None:
    """Rolling 7-day means, Ca:Mg ratio, cramps per week, cramp days vs other days."""
    from ..journal.trends import trends

    with open_journal(db, create=False) as conn:
        t = trends(conn, person, days, end, permutations=permutations)
        if as_json:
            emit(t)
            return
        _trends_text(t)


def _history_table(person: str, start: str, end: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..nutrient_registry import get
    from ..report.labels import short

    table = Table(title=f"{person}: {start} to {end}")
    for col in ("day", "items", short("calcium_mg"), short("magnesium_mg"), "Ca:Mg",
                short("potassium_mg"), short("sodium_mg"), "cramps", "notes"):
        table.add_column(col, justify="left" if col in ("day", "notes") else "right",
                         no_wrap=col == "day", overflow="fold" if col == "notes" else "ellipsis")
    for r in rows:
        notes = []
        key_missing = [get(k).topic for k in ("calcium_mg", "magnesium_mg") if k in r["missing"]]
        if key_missing:
            notes.append(f"incomplete: {', '.join(key_missing)}")
        est = [get(k).topic for k in ("calcium_mg", "magnesium_mg") if k in r["estimated"]]
        if est:
            notes.append(f"estimated: {', '.join(est)}")
        table.add_row(r["day"], str(r["entries"]), fmt(r["calcium_mg"]),
                      fmt(r["magnesium_mg"]), fmt(r["ca_mg_ratio"], 2),
                      fmt(r["potassium_mg"]), fmt(r["sodium_mg"]),
                      str(r["cramps"]) if r["cramps"] else "", "; ".join(notes))
    Console().print(table)
    if not rows:
        typer.echo("nothing recorded in this window (try --days or --end)")
    typer.echo("Ca calcium, Mg magnesium, K potassium, Na sodium; — means unknown (no entry "
               "had a value), never zero.")


def _import_summary(r: Any) -> None:
    verb = "would import" if r.dry_run else "imported"
    typer.echo(f"{r.kind}: {r.file}: {r.rows} rows; {verb} {r.imported}, "
               f"{r.duplicates} already in the journal, {len(r.bad_rows)} bad rows skipped, "
               f"{r.skipped_deleted} deleted rows skipped"
               + (f"; days {r.first_day} to {r.last_day}" if r.first_day else "")
               + f" ({r.seconds:.2f} s)")
    for b in r.bad_rows[:10]:
        typer.echo(f"  bad row: {b}")
    if len(r.bad_rows) > 10:
        typer.echo(f"  … and {len(r.bad_rows) - 10} more bad rows")
    if r.estimated:
        typer.echo("  estimated: " + ", ".join(f"{k} in {n} entries"
                                              for k, n in r.estimated.items()))
    if r.unmatched:
        typer.echo(f"  {len(r.unmatched)} foods matched no USDA food (their minerals unknown):")
        for u in r.unmatched[:10]:
            typer.echo(f"    line {u['line']}: {u['text']} ({u['reason']})")
    for n in r.notes:
        typer.echo(f"  note: {n}")


def _trends_text(t: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..report.labels import label

    console = Console()
    console.print(f"[bold]{t['person']}[/bold]: {t['start']} to {t['end']} — "
                  f"{t['days_with_food']} days with food entries, {t['cramps']} cramps on "
                  f"{t['cramp_days']} days")
    weekly = Table(title="Week by week (7-day means at the end of each week)")
    for col in ("week ending", "calcium mg", "magnesium mg", "Ca:Mg", "potassium mg",
                "sodium mg"):
        weekly.add_column(col, justify="right")
    daily = t["daily"]
    for i in range(len(daily) - 1, -1, -7):
        r = daily[i]
        weekly.add_row(r["day"], fmt(r["calcium_mg_7d"]), fmt(r["magnesium_mg_7d"]),
                       fmt(r["ca_mg_ratio_7d"], 2), fmt(r["potassium_mg_7d"]),
                       fmt(r["sodium_mg_7d"]))
    weekly.rows.reverse()
    console.print(weekly)
    console.print("[dim]A 7-day mean is shown once at least 4 of the 7 days have complete "
                  "entries for that nutrient; — means fewer (not zero).[/dim]")
    console.print("Cramps per week: " + ", ".join(
        f"{w['week_of']}: {w['cramps']}" for w in t["cramps_per_week"]))
    cmp_ = t["cramp_days_vs_other_days"]
    table = Table(title="Cramp days vs other days")
    for col in ("intake", "when", "cramp days", "other days", "mean (cramp)", "mean (other)",
                "p"):
        table.add_column(col, justify="right")
    for r in cmp_["results"]:
        table.add_row(label(r["nutrient"]), r["when"], str(r["cramp_days"]),
                      str(r["other_days"]),
                      fmt(r.get("mean_cramp_days")), fmt(r.get("mean_other_days")),
                      "—" if r["p_value"] is None else f"{r['p_value']:.3f}")
    console.print(table)
    console.print(cmp_["statement"])
    for s in t["timeline"]["statements"]:
        console.print(f"• {s}")
    if t["timeline"]["statements"]:
        console.print(t["timeline"]["note"])
