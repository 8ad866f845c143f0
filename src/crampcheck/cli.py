"""The ``crampcheck`` command line (Typer + Rich)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from .errors import CrampcheckError, InputError
from .textio import read_text

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Link leg cramps to calcium, magnesium and other intake, medicines and "
                       "exercise, with every statement sourced and graded.")
foods_app = typer.Typer(no_args_is_help=True, help="Search the USDA food table.")
app.add_typer(foods_app, name="foods")


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def _fail(exc: CrampcheckError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


@foods_app.command("search")
def foods_search(
    query: Annotated[list[str], typer.Argument(help="Words naming a food.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many foods to list.")] = 10,
    branded: Annotated[bool, typer.Option(help="Search branded products instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Foods whose names match QUERY, best first."""
    from .foods.search import search

    text = " ".join(query)
    hits = search(text, limit=limit, branded=branded)
    rows = [{**c.food.ref(), "category": c.food.category, "score": round(c.score, 1),
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
    from .foods.store import default_store

    store = default_store()
    food = store.get(food_id)
    if food is None:
        _fail(InputError(f"no food with id '{food_id}' (find ids with 'crampcheck foods search')"))
        return
    data = {**food.ref(), "category": food.category,
            "portions": [{"unit": p.unit, "label": p.label, "grams": p.grams}
                         for p in food.portions],
            "per_100g": store.per_100g(food)}
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
        nt.add_row(k, "missing" if v is None else f"{v:g}")
    console.print(nt)


@app.command("nutrients")
def nutrients_cmd(
    lines: Annotated[list[str] | None, typer.Argument(
        help="Food lines such as '1 cup cooked spinach'; '-' reads lines from stdin.")] = None,
    file: Annotated[str | None, typer.Option(
        "--file", "-f", help="A diary file ('-' for stdin); see the README for its format.")]
    = None,
    branded: Annotated[bool, typer.Option(help="Match branded products.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Grams and nutrients of what you ate, with totals and what is missing."""
    from .intake.diary import parse_diary
    from .totals import nutrients

    try:
        if file is not None and lines:
            raise InputError("give food lines or --file, not both")
        if file is not None:
            entries = parse_diary(read_text(file), source=file)
            if not entries:
                raise InputError("has no food lines", source=file)
            report = nutrients(diary=entries, branded=branded, source=file)
        else:
            texts = list(lines or [])
            source = None
            if texts == ["-"]:
                texts = [t for t in read_text("-").splitlines() if t.strip()]
                source = "stdin"
            texts = [t for t in texts if t.strip()]
            if not texts:
                raise InputError("no food lines given (try: crampcheck nutrients "
                                 "'1 cup cooked spinach')")
            report = nutrients(texts, branded=branded, source=source)
    except CrampcheckError as exc:
        _fail(exc)
        return
    if as_json:
        emit_json(report.to_dict())
        return
    from .report.text import print_nutrients

    print_nutrients(report)


@app.command("assess")
def assess_cmd(
    case_file: Annotated[str, typer.Argument(
        help="A case file (.json, or .toml); '-' reads JSON from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ratio_low: Annotated[float, typer.Option(help="Lower end of the Ca:Mg ratio band.")] = 1.5,
    ratio_high: Annotated[float, typer.Option(help="Upper end of the Ca:Mg ratio band.")] = 2.5,
) -> None:
    """What in a person's case could be behind their cramps, graded and sourced."""
    from .assess import assess
    from .case import load_case

    try:
        if not 0 < ratio_low < ratio_high:
            raise InputError("--ratio-low must be positive and below --ratio-high")
        case = load_case(case_file, read_text(case_file))
        result = assess(case, ratio_band=(ratio_low, ratio_high))
    except CrampcheckError as exc:
        _fail(exc)
        return
    if as_json:
        emit_json(result.to_dict())
        return
    from .report.text import print_assessment

    print_assessment(result)


from .journal.commands import register as _register_journal  # noqa: E402

_register_journal(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
