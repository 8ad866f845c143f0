"""Readable terminal output (Rich tables), laid out to fit an 80-column terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..totals import NutrientReport
from .labels import fmt_amount, label, lower_first, short

ITEM_NUTRIENTS = ("calcium_mg", "magnesium_mg", "potassium_mg")
TOTAL_NUTRIENTS = ("energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg",
                   "phosphorus_mg", "vitamin_d_ug", "ala_g", "epa_g", "dha_g", "omega3_g",
                   "caffeine_mg", "alcohol_g")
LABELS = {k: label(k) for k in TOTAL_NUTRIENTS}  # from crampcheck.report.labels
SHORT = {k: short(k) for k in ITEM_NUTRIENTS}  # "Ca mg"


def fmt(v: float | None) -> str:
    """1,234 from 10 up, two significant digits below, an en dash when unknown."""
    return fmt_amount(v)


def print_nutrients(report: NutrientReport, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="What you ate, matched to USDA foods")
    table.add_column("you wrote → USDA food", overflow="fold")
    table.add_column("grams", justify="right")
    for k in ITEM_NUTRIENTS:
        table.add_column(SHORT[k], justify="right")
    for item in report.items:
        day = f"[dim]{item.day}[/dim] " if item.day else ""
        mark = _confidence_mark(item.confidence)
        label = (f"{day}{escape(item.text)}\n[dim]→ {escape(item.food.name)} "
                 f"({item.food.id})[/dim] {mark}")
        grams = f"{item.grams:,.0f}\n[dim]{item.grams_method}[/dim]"
        table.add_row(label, grams, *[fmt(item.nutrients[k]) for k in ITEM_NUTRIENTS])
    console.print(table)

    missing = report.missing
    totals = Table(title="Totals")
    totals.add_column("nutrient")
    totals.add_column("total", justify="right")
    days = report.days() if report.diary else {}
    if len(days) > 1:
        totals.add_column("daily mean", justify="right")
    totals.add_column("no USDA value for", overflow="fold")
    omega3, omega3_gaps, omega3_note = _omega3(report)
    for k in TOTAL_NUTRIENTS:
        total = omega3 if k == "omega3_g" else report.total[k]
        shown = fmt(total)
        if k == "omega3_g" and omega3_note and total is not None:
            shown = f"≥ {shown}"
        row = [LABELS[k], shown]
        if len(days) > 1:
            row.append("" if total is None else
                       ("≥ " if k == "omega3_g" and omega3_note else "") + fmt(total / len(days)))
        gaps = omega3_gaps if k == "omega3_g" else missing.get(k, [])
        row.append("; ".join(gaps[:3]) + (f" (+{len(gaps) - 3} more)" if len(gaps) > 3 else ""))
        totals.add_row(*row)
    console.print(totals)
    if missing:
        console.print("[dim]A missing value is not counted as zero: a total with gaps is a "
                      "lower bound.[/dim]")
    if omega3_note:
        console.print(f"[dim]Omega-3, total: {escape(omega3_note)}.[/dim]")
    for item in report.items:
        for note in item.notes:
            console.print(f"[dim]note[/dim] {item.text}: {note}")
    for u in report.unmatched:
        where = f" (line {u.line})" if u.line is not None else ""
        console.print(f"[yellow]not matched[/yellow]{where} {escape(u.text)}: "
                      f"{escape(u.reason)}")
        for f in u.suggestions:
            console.print(f"    did you mean [bold]{escape(f.name)}[/bold] ({f.id})? "
                          f"[dim]crampcheck foods pin \"{escape(u.phrase or u.text)}\" "
                          f"{f.id}[/dim]")
    if report.items:
        console.print("[dim]Match confidence: ✓ sure (90 % or more), ~ likely, ? doubtful; "
                      "fix a match once with 'crampcheck foods pin'.[/dim]")


def _confidence_mark(confidence: float) -> str:
    """A mark for how sure the match is: ✓ (90 % or more), ~ (from 70 %), ? (below)."""
    pct = f"{100 * confidence:.0f} %"
    if confidence >= 0.9:
        return f"[green]✓ {pct}[/green]"
    if confidence >= 0.7:
        return f"[yellow]~ {pct}[/yellow]"
    return f"[red]? {pct}[/red]"


SEVERITY_STYLE = {"urgent": "bold white on red", "high": "bold red", "moderate": "yellow",
                  "low": "cyan", "info": "dim"}


def print_assessment(assessment, console: Console | None = None) -> None:
    """The assessment as a readable report: red flags first, then findings and advice."""
    console = console or Console()
    d = assessment.to_dict()
    p = d["person"]
    who = f"{p['age']:g}-year-old {p['sex']}" + (", pregnant" if p["pregnant"] else "") + (
        ", breastfeeding" if p["lactating"] else "")
    console.print(f"[bold]crampcheck assessment[/bold] — {who}")
    console.print("[dim]This describes your data against reference values; it is not a "
                  "diagnosis. See a clinician about red flags and before starting supplements."
                  "[/dim]\n")
    intake = d["intake"]
    if intake["days"]:
        t = Table(title=f"Daily intake (mean of {intake['days']} diary day(s), food + supplements)")
        for col in ("nutrient", "you", "EAR", "RDA/AI", "UL"):
            t.add_column(col, justify="right" if col != "nutrient" else "left")
        for key, target in d["targets"].items():
            value = intake["daily_mean"].get(key)
            goal = target["rda"] if target["rda"] is not None else target["ai"]
            ul = "" if target["ul"] is None else fmt(target["ul"]) + (
                " (suppl.)" if target["ul_applies_to"] == "supplements" else "")
            t.add_row(label(key), fmt(value),
                      "" if target["ear"] is None else fmt(target["ear"]),
                      "" if goal is None else fmt(goal), ul)
        console.print(t)
        ratio = d["ratios"].get("calcium_to_magnesium")
        if ratio is not None:
            console.print(f"Calcium:magnesium ratio {ratio:.1f}:1\n")
    console.print("[bold]Findings[/bold] (most serious first)")
    for f in d["findings"]:
        style = SEVERITY_STYLE.get(f["severity"], "")
        grades = ", ".join(f"{e['source']} ({e['grade']})" for e in f["evidence"])
        console.print(f"[{style}]{f['severity'].upper():8}[/{style}] "
                      f"{escape('[' + f['topic'] + ']')} {escape(f['summary'])}")
        if f.get("detail"):
            console.print(f"         [dim]{escape(f['detail'])}[/dim]")
        if grades:
            console.print(f"         [dim]evidence: {escape(grades)}[/dim]")
    if d["recommendations"]:
        console.print("\n[bold]What to do[/bold]")
        for r in d["recommendations"]:
            console.print(f"- {escape('[' + r['kind'] + ']')} {escape(r['text'])}")
            for caution in r.get("cautions", []):
                console.print(f"    [dim]caution: {escape(caution)}[/dim]")
    unrec = {k: v for k, v in d["unrecognized"].items() if v}
    if unrec:
        console.print("\n[yellow]Not recognised (not counted):[/yellow]")
        for k, v in unrec.items():
            console.print(f"  {k}: " + escape("; ".join(v)))


def print_plan(plan, console: Console | None = None) -> None:
    """The food and supplement plan in the words every output uses
    (:func:`crampcheck.report.plan_text.plan_words`): what to add and when, what each addition
    serves and costs, supplements, every target before → after, what is still short and why,
    sweat, salt and fluid."""
    from .plan_text import plan_words

    console = console or Console()
    d = plan.to_dict()
    if d.get("stopped"):  # the safety gate: an urgent finding stands, so no plan
        console.print("[bold white on red]No food or supplement plan[/bold white on red]")
        for note in d["notes"]:
            console.print(escape(note))
        return
    w = plan_words(d)
    _print_additions(w, console)
    console.print(_before_after(w, d["ratios"]))
    for u in w["unmet"]:
        console.print(f"[yellow]not met[/yellow] {escape(u['label'])}: {escape(u['reason'])}")
    _print_exercise(w["exercise"], console)
    for note in w["notes"]:
        console.print(f"[dim]note[/dim] {escape(note)}")


def _print_additions(w: dict, console: Console) -> None:
    """What to take less of, the food additions and the supplements of the plan's words."""
    for r in w["reductions"]:
        console.print(f"[bold]First, take less[/bold] {escape(r)}")
    console.print("[bold]Food additions[/bold] (per day, the smallest change found)")
    if not w["additions"]:
        console.print("  none needed or none possible (see below)")
    for a in w["additions"]:
        console.print(f"- {escape(a['when'])}: {escape(a['amount'])} "
                      f"{escape(lower_first(a['food']))} "
                      f"[dim]→ {escape(a['usda'])} ({fmt(a['grams'])} g)[/dim]")
        if a["serves"]:
            console.print(f"    serves {escape(a['serves'])}; costs {escape(a['cost'])}")
        else:
            console.print(f"    costs {escape(a['cost'])}")
    if w["supplements"]:
        console.print("\n[bold]Supplements[/bold] (only what food leaves open)")
        for s in w["supplements"]:
            console.print(f"- {escape(s['title'])} — {escape(s['schedule'])}")
            for c in s["cautions"]:
                console.print(f"    [dim]caution: {escape(c)}[/dim]")


def _before_after(w: dict, ratio: dict) -> Table:
    """Every target before → after, with the part from food and from supplements."""
    t = Table(title="Before and after (per day)")
    for col in ("nutrient", "target", "now", "with the plan", "from food", "from supplements"):
        t.add_column(col, justify="left" if col in ("nutrient", "target") else "right")
    for r in w["rows"]:
        t.add_row(r["label"], r["goal"], r["before_text"], r["after_text"], r["food_text"],
                  r["supplements_text"])
    t.add_row("Ca:Mg ratio", "band", fmt(ratio["before"]["calcium_to_magnesium"]),
              fmt(ratio["after"]["calcium_to_magnesium"]), "", "")
    return t


def _print_exercise(ex: dict | None, console: Console) -> None:
    """The sweat, salt and fluid section (nothing without one)."""
    if not ex:
        return
    console.print("\n[bold]Sweat, salt and fluid[/bold]")
    console.print(escape(" ".join([ex["summary"], ex["basis"], *ex["assumptions"]])))
    for a in ex["advice"]:
        grade = f" [dim](evidence grade {a['grade']})[/dim]" if a["grade"] else ""
        console.print(f"- {escape(a['text'])}{grade}")


def _omega3(report: NutrientReport) -> tuple[float | None, list[str], str | None]:
    """The omega-3 total of the items, never smaller than their ALA + EPA + DHA (see
    :func:`crampcheck.report.labels.omega3_total`), the items with no omega-3 value at all,
    and a note when some items' totals were made from their parts."""
    from .labels import omega3_total

    total: float | None = None
    gaps: list[str] = []
    from_parts: list[str] = []
    for item in report.items:
        value, why = omega3_total(item.nutrients)
        if value is None:
            gaps.append(item.text)
            continue
        total = (total or 0.0) + value
        if why:
            from_parts.append(item.text)
    note = None
    if from_parts:
        note = (f"{len(from_parts)} item(s) ({'; '.join(from_parts[:3])}"
                f"{' …' if len(from_parts) > 3 else ''}) count as the sum of the ALA, EPA "
                "and DHA USDA has for them (USDA gives no total, or one smaller than its "
                "parts), so the total is a lower bound")
    return total, gaps, note
