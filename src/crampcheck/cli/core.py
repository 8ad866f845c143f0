"""The main commands: ``nutrients``, ``assess``, ``plan``, ``serve`` and ``report``.

Each is a plain function; :mod:`crampcheck.cli` adds them to the ``crampcheck`` app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import CrampcheckError, InputError
from ..textio import read_text
from .common import emit_json, fail


def nutrients_cmd(
    lines: Annotated[list[str] | None, typer.Argument(
        help="Food lines such as '1 cup cooked spinach'; '-' reads lines from stdin.")] = None,
    file: Annotated[str | None, typer.Option(
        "--file", "-f", help="A diary file ('-' for stdin); see the README for its format.")]
    = None,
    branded: Annotated[bool, typer.Option(help="Match branded products.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: Annotated[Path | None, typer.Option(
        "--db", envvar="CRAMPCHECK_DB",
        help="The journal whose food pins to use (when it exists).")] = None,
    person: Annotated[str, typer.Option("--person", help="Whose pins.")] = "me",
) -> None:
    """Grams and nutrients of what you ate, with totals and what is missing."""
    from ..intake.diary import parse_diary
    from ..journal.pins import pins_from_journal
    from ..limits import check_food_line
    from ..totals import nutrients

    try:
        pins = pins_from_journal(db, person)
        if file is not None and lines:
            raise InputError("give food lines or --file, not both")
        if file is not None:
            entries = parse_diary(read_text(file), source=file)
            if not entries:
                raise InputError("has no food lines", source=file)
            for e in entries:
                check_food_line(e.text, line=e.line, source=file)
            report = nutrients(diary=entries, branded=branded, source=file, pins=pins)
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
            for n, t in enumerate(texts, 1):
                check_food_line(t, line=n, source=source)
            report = nutrients(texts, branded=branded, source=source, pins=pins)
    except CrampcheckError as exc:
        fail(exc)
        return
    if as_json:
        emit_json(report.to_dict())
        return
    from ..report.text import print_nutrients

    print_nutrients(report)


def _split(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(w.strip() for w in text.split(",") if w.strip())


def _assessment(case_file: str | None, days: int | None, db: Path | None, person: str,
                ratio_low: float | None, ratio_high: float | None, end: str | None = None):
    """Assess a case file, or the journal's last ``days`` days (journal numbers as stored)."""
    from .. import knowledge
    from ..assess import assess
    from ..case import load_case

    default_low, default_high = knowledge.ratio_band()
    band = (default_low if ratio_low is None else ratio_low,
            default_high if ratio_high is None else ratio_high)
    if not 0 < band[0] < band[1]:
        raise InputError("--ratio-low must be positive and below --ratio-high")
    if case_file is not None and days is not None:
        raise InputError("give a case file or --days (the journal), not both")
    if case_file is not None and end is not None:
        raise InputError("--end goes with --days (the journal), not with a case file")
    if case_file is not None:
        case = load_case(case_file, read_text(case_file))
        try:
            return assess(case, ratio_band=band)
        except InputError as exc:  # name the file in errors found while assessing
            if exc.source is not None:
                raise
            raise InputError(exc.message, line=exc.line, source=case_file) from None
    if days is None:
        raise InputError("give a case file, or --days N to assess the journal")
    from ..journal import case_for_window, connect, daily_intake, default_db_path
    from ..journal.window import set_aside_findings, window_entries

    path = db or default_db_path()
    if not Path(path).exists():
        raise InputError(f"no journal at {path} (start one with 'crampcheck profile set')")
    conn = connect(path, create=False)
    try:
        from ..journal.entries import where_entries_are
        from ..journal.store import window

        start, last = window(days, end)
        entries = window_entries(conn, person, days, last)  # one read of the window
        case = case_for_window(conn, person, days, last, entries=entries)
        recorded = daily_intake(conn, person, days, last, entries=entries)
        hint = where_entries_are(conn, person, start, last)
    finally:
        conn.close()
    if hint and not case.cramps and not case.symptoms:
        raise InputError(hint)  # nothing in the window to assess
    if hint:
        typer.echo(f"note: {hint}", err=True)
    result = assess(case, ratio_band=band, recorded_days=recorded)
    set_aside_findings(result)
    return result


CaseArg = Annotated[str | None, typer.Argument(
    help="A case file (.json, or .toml); '-' reads JSON from stdin. Leave out with --days.")]
DaysOpt = Annotated[int | None, typer.Option(
    "--days", min=1, max=3650, help="Assess the journal's last N days instead of a case file.")]
DbOpt = Annotated[Path | None, typer.Option(
    "--db", envvar="CRAMPCHECK_DB", help="The journal file (with --days).")]
PersonOpt = Annotated[str, typer.Option("--person", help="Whose journal (with --days).")]
EndOpt = Annotated[str | None, typer.Option(
    "--end", help="Last day of the --days window: YYYY-MM-DD, today, yesterday or -N "
                  "(default today).")]
RatioLow = Annotated[float | None, typer.Option(
    help="Lower end of the Ca:Mg ratio band (default 1.5, from plan_foods.toml).")]
RatioHigh = Annotated[float | None, typer.Option(
    help="Upper end of the Ca:Mg ratio band (default 2.5, from plan_foods.toml).")]


def assess_cmd(
    case_file: CaseArg = None,
    days: DaysOpt = None,
    end: EndOpt = None,
    db: DbOpt = None,
    person: PersonOpt = "me",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    with_plan: Annotated[bool, typer.Option(
        "--plan/--no-plan", help="Include the food and supplement plan.")] = True,
    ratio_low: RatioLow = None,
    ratio_high: RatioHigh = None,
) -> None:
    """What in a person's case could be behind their cramps, graded and sourced."""
    try:
        result = _assessment(case_file, days, db, person, ratio_low, ratio_high, end)
        if with_plan:
            from ..plan import apply_plan, plan_for_assessment

            apply_plan(result, plan_for_assessment(result))
    except CrampcheckError as exc:
        fail(exc)
        return
    if as_json:
        emit_json(result.to_dict())
        return
    from ..report.text import print_assessment

    print_assessment(result)


def plan_cmd(
    case_file: CaseArg = None,
    days: DaysOpt = None,
    end: EndOpt = None,
    db: DbOpt = None,
    person: PersonOpt = "me",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    diet: Annotated[str | None, typer.Option(
        help="omnivore, pescatarian, vegetarian or vegan (default: the case's).")] = None,
    avoid: Annotated[str | None, typer.Option(
        help="Comma-separated allergens or foods to avoid, e.g. 'tree nuts,fish'.")] = None,
    dislike: Annotated[str | None, typer.Option(
        help="Comma-separated words; foods named with them are not proposed.")] = None,
    max_kcal: Annotated[float, typer.Option(
        min=0, max=2000, help="Energy the added foods may bring (kcal/day).")] = 300.0,
    ratio_low: RatioLow = None,
    ratio_high: RatioHigh = None,
) -> None:
    """The smallest food changes that close the gaps, then a safe supplement plan."""
    from ..case import DIETS

    try:
        if diet is not None and diet not in DIETS:
            raise InputError(f"--diet must be one of {', '.join(DIETS)}")
        result = _assessment(case_file, days, db, person, ratio_low, ratio_high, end)
        from ..plan import plan_for_assessment

        plan = plan_for_assessment(result, diet=diet, avoid=_split(avoid),
                                   dislikes=_split(dislike), max_kcal=max_kcal)
    except CrampcheckError as exc:
        fail(exc)
        return
    if as_json:
        emit_json(plan.to_dict())
        return
    from ..report.text import print_plan

    print_plan(plan)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default; any "
                                           "other needs a token).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
    token: Annotated[str | None, typer.Option(
        help="Required from every request (generated and printed for a non-loopback host).")]
    = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open a browser.")] = False,
    db: Annotated[str | None, typer.Option("--db", envvar="CRAMPCHECK_DB",
                                            help="The journal file.")] = None,
    person: Annotated[str, typer.Option("--person", help="Whose journal.")] = "me",
) -> None:
    """Run the local web app over the journal (diary, assessment, plan, history)."""
    from ..web.serve import serve

    try:
        serve(host, port, token, open_browser, db, person, echo=typer.echo)
    except CrampcheckError as exc:
        fail(exc)


def report_cmd(
    case_file: Annotated[str | None, typer.Argument(
        help="A case file (.json or .toml); leave out with --days.")] = None,
    output: Annotated[str, typer.Option("--output", "-o",
                                        help="report.html or report.pdf")] = "report.html",
    days: Annotated[int | None, typer.Option(
        "--days", min=1, max=3650, help="Report on the journal's last N days.")] = None,
    end: EndOpt = None,
    db: Annotated[str | None, typer.Option("--db", envvar="CRAMPCHECK_DB",
                                            help="The journal file (with --days).")] = None,
    person: Annotated[str, typer.Option("--person", help="Whose journal (with --days).")]
    = "me",
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it "
                                                        "exists.")] = False,
) -> None:
    """A printable report for a clinician (HTML or PDF, A4 and Letter)."""
    from ..report.html import check_output, save_report

    try:
        out = Path(output)
        if out.is_dir():
            raise InputError("is a folder: give a file name ending in .html or .pdf",
                             source=output)
        if out.exists() and not force:
            raise InputError("already exists: choose another name, or add --force to "
                             "replace it", source=output)
        check_output(output)
        written = save_report(output, _report_view(case_file, days, db, person, end))
    except CrampcheckError as exc:
        fail(exc)
        return
    typer.echo(f"wrote {written}")


def _report_view(case_file: str | None, days: int | None, db: str | None, person: str,
                 end: str | None) -> Any:
    """The report's view: a case file's, or the journal's ``days`` days ending ``end`` (the
    CLI opens and closes the journal; ``report/`` only renders what it is given)."""
    from ..report.html import case_report_view, journal_report_view

    if case_file is not None and days is None:
        if end is not None:
            raise InputError("--end goes with --days (the journal), not with a case file")
        return case_report_view(case_file)
    if case_file is not None or days is None:
        raise InputError("give a case file or --days N (the journal), not both or neither")
    from ..journal.db import connect, default_db_path

    path = Path(db) if db is not None else default_db_path()
    if not path.exists():
        raise InputError(f"no journal at {path} (start one with 'crampcheck profile set')")
    conn = connect(path, create=False)
    try:
        return journal_report_view(conn, person, days, end)
    finally:
        conn.close()
