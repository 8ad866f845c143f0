"""Readable terminal output (Rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..totals import NutrientReport

KEY_NUTRIENTS = ("energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg",
                 "vitamin_d_ug", "omega3_g")
SHORT = {"energy_kcal": "kcal", "calcium_mg": "Ca mg", "magnesium_mg": "Mg mg",
         "potassium_mg": "K mg", "sodium_mg": "Na mg", "vitamin_d_ug": "Vit D µg",
         "omega3_g": "ω-3 g"}


def _fmt(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2g}"


def print_nutrients(report: NutrientReport, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="What you ate (USDA values)")
    if report.diary:
        table.add_column("day")
    table.add_column("you wrote")
    table.add_column("matched USDA food")
    table.add_column("grams", justify="right")
    for k in KEY_NUTRIENTS:
        table.add_column(SHORT[k], justify="right")
    for item in report.items:
        row = [item.day or ""] if report.diary else []
        row += [item.text, item.food.name, f"{item.grams:,.0f} ({item.grams_method})"]
        row += [_fmt(item.nutrients[k]) for k in KEY_NUTRIENTS]
        table.add_row(*row)
    total = report.total
    missing = report.missing
    row = [""] if report.diary else []
    row += ["[bold]total[/bold]", "", ""]
    row += [_fmt(total[k]) + ("*" if k in missing else "") for k in KEY_NUTRIENTS]
    table.add_row(*row)
    console.print(table)
    if report.diary:
        days = report.days()
        if len(days) > 1:
            dt = Table(title="Per day")
            dt.add_column("day")
            for k in KEY_NUTRIENTS:
                dt.add_column(SHORT[k], justify="right")
            for d, t in days.items():
                dt.add_row(d, *[_fmt(t[k]) for k in KEY_NUTRIENTS])
            console.print(dt)
    notes = [(i.text, n) for i in report.items for n in i.notes]
    for text, note in notes:
        console.print(f"[dim]note[/dim] {text}: {note}")
    for k in KEY_NUTRIENTS:
        if k in missing:
            console.print(f"* {SHORT[k]}: no USDA value for " + "; ".join(missing[k]) +
                          " (not counted as zero: the total is a lower bound)")
    for u in report.unmatched:
        console.print(f"[yellow]not matched[/yellow] {u.text}: {u.reason}")
