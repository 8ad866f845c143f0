"""``crampcheck foods``: search the USDA table, show a food, pin your own phrases to foods."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import CrampcheckError, InputError
from ..journal import pins as _pins
from .common import emit_json, fail

foods_app = typer.Typer(no_args_is_help=True,
                        help="Search the USDA food table; pin your own phrases to foods.")

@foods_app.command("search")
def foods_search(
    query: Annotated[list[str], typer.Argument(help="Words naming a food.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many foods to list.")] = 10,
    branded: Annotated[bool, typer.Option(help="Search branded products instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Foods whose names match QUERY, best first."""
    from ..foods.search import search
    from ..limits import check_food_line

    text = " ".join(query)
    check_food_line(text)  # a longer query is no food name, and costs more than linear time
    hits = search(text, limit=limit, branded=branded)
    rows = [{**c.food.ref(), "category": c.food.category, "score": round(c.score, 1),
             "confidence": round(c.confidence, 2),
             "portions": [p.label for p in c.food.portions]} for c in hits]
    if as_json:
        emit_json({"query": text, "foods": rows})
        return
    from rich.console import Console
    from rich.table import Table

    if not rows:
        typer.echo(f"no food matches '{text}'")
        return
    table = Table(title=f"Foods matching '{text}'")
    for col in ("id", "name", "source", "household measures"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["name"], r["source"], ", ".join(r["portions"][:4]))
    Console().print(table)


@foods_app.command("show")
def foods_show(
    food_id: Annotated[str, typer.Argument(help="A food id from 'foods search'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One food: source, category, household measures and nutrients per 100 g."""
    from ..foods.store import default_store

    store = default_store()
    food = store.get(food_id)
    if food is None:
        fail(InputError(f"no food with id '{food_id}' (find ids with 'crampcheck foods search')"))
        return
    from ..report.labels import label, omega3_total

    per_100g = store.per_100g(food)
    omega3, omega3_why = omega3_total(per_100g)
    data = {**food.ref(), "category": food.category,
            "portions": [{"unit": p.unit, "label": p.label, "grams": p.grams}
                         for p in food.portions],
            "per_100g": per_100g,
            "omega3_total": {"grams": None if omega3 is None else round(omega3, 4),
                             "lower_bound": omega3_why is not None,
                             "basis": omega3_why or ("USDA total" if omega3 is not None
                                                     else "no value")}}
    if as_json:
        emit_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{food.name}[/bold]  ({food.id}, {food.source}; {food.category})")
    pt = Table(title="Household measures (USDA)")
    pt.add_column("measure")
    pt.add_column("grams", justify="right")
    for p in food.portions:
        pt.add_row(p.label, f"{p.grams:g}")
    console.print(pt)
    nt = Table(title="Per 100 g")
    nt.add_column("nutrient")
    nt.add_column("value", justify="right")
    for k, v in data["per_100g"].items():
        if k == "omega3_g" and omega3_why:
            nt.add_row(label(k), f"≥ {omega3:.3g}")
        else:
            nt.add_row(label(k), "missing" if v is None else f"{v:g}")
    console.print(nt)
    if omega3_why:
        console.print(f"[dim]Omega-3, total: at least {omega3_why}.[/dim]")


DbOpt = Annotated[Path | None, typer.Option(
    "--db", envvar="CRAMPCHECK_DB", help="The journal file (default: your data directory).")]
PersonOpt = Annotated[str, typer.Option("--person", help="Whose pins.")]


def _connect(db: Path | None, *, create: bool):
    """The journal, opened as it is (no note when it is new, unlike the journal commands)."""
    from ..journal.db import connect, default_db_path

    return connect(db or default_db_path(), create=create)


@foods_app.command("pin")
def pin(phrase: Annotated[str, typer.Argument(help="What you write, e.g. \"protein shake\".")],
        food_id: Annotated[str, typer.Argument(help="A food id from 'foods search'.")],
        db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Remember that PHRASE means the food FOOD_ID (later lines use it: "your choice")."""
    try:
        conn = _connect(db, create=True)
        try:
            p = _pins.set_pin(conn, person, phrase, food_id)
        finally:
            conn.close()
    except CrampcheckError as exc:
        fail(exc)
        return
    typer.echo(f"pinned '{p['phrase']}' to {p['food']['name']} ({p['food']['id']})")


@foods_app.command("pins")
def pins(db: DbOpt = None, person: PersonOpt = "me",
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
         ) -> None:
    """List the foods you pinned to your phrases."""
    import json
    import sys

    try:
        conn = _connect(db, create=False)
        try:
            rows = _pins.list_pins(conn, person)
        finally:
            conn.close()
    except CrampcheckError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        typer.echo(f"no pins for {person} (add one with: crampcheck foods pin "
                   "\"PHRASE\" FOOD_ID)")
    for r in rows:
        typer.echo(f"{r['id']:>4}  {r['phrase']} -> {r['food_name']} ({r['food_id']})")


@foods_app.command("unpin")
def unpin(which: Annotated[str, typer.Argument(help="The phrase (or the pin's id).")],
          db: DbOpt = None, person: PersonOpt = "me") -> None:
    """Forget a pin: the phrase is matched as usual again."""
    try:
        conn = _connect(db, create=False)
        try:
            hit = _pins.remove_pin(conn, person, which)
        finally:
            conn.close()
    except CrampcheckError as exc:
        fail(exc)
        return
    typer.echo(f"unpinned '{hit['phrase']}' ({hit['food_name']})")
