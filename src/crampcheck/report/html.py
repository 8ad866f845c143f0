"""The printable report for a clinician, as one self-contained HTML file (or a PDF).

One document: patient summary, medicines and conditions, intake against the DRIs, the
calcium:magnesium ratio, findings with their sources, the plan and the charts. The HTML has
its CSS inline and its charts as inline SVG (nothing is fetched), and a print stylesheet
whose page box fits both A4 and US Letter (210 × 279 mm usable area with 14 mm margins).
:func:`save_report` writes ``.html`` here and ``.pdf`` through :mod:`crampcheck.report.pdf`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from . import TEMPLATES


def case_report_view(case_file: str | Path) -> Any:
    """The :class:`~crampcheck.report.views.AssessmentView` (with the plan) of a case file;
    its ``subject`` names the file."""
    from ..case import load_case
    from . import views

    view = views.build_assessment_view(load_case(case_file))
    view.subject = f"case file {Path(case_file).name}"  # type: ignore[attr-defined]
    return view


def journal_report_view(conn: Any, person: str, days: int, end: str | None = None) -> Any:
    """The view of the journal's ``days`` days ending ``end`` (default today), read through
    ``conn`` (the caller opens and closes the journal), with the medicines of the window.

    Raises
    ------
    InputError
        The window has no food entries, cramps or symptoms (the message says where the
        entries are).
    """
    from ..journal import store
    from ..journal.entries import where_entries_are
    from . import views

    start, last = store.window(days, end)
    hint = where_entries_are(conn, person, start, last)
    view = views.journal_assessment(conn, person, days, last)
    if hint and not view.case.cramps and not view.case.symptoms:
        raise InputError(hint)
    view.medicines = store.list_listed(  # type: ignore[attr-defined]
        conn, "medicines", person, view.start, view.end)
    view.subject = person  # type: ignore[attr-defined]
    view.window_note = hint  # type: ignore[attr-defined]
    return view


def context(view: Any) -> dict[str, Any]:
    from .views import DISCLAIMER

    case = view.case
    p = case.person
    subject = getattr(view, "subject", None) or "not named"
    return {"view": view, "title": f"crampcheck report: {subject}", "case": case,
            "person_obj": p, "subject": subject, "period": period(view),
            "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "version": __version__,
            "disclaimer": DISCLAIMER, "medicines": getattr(view, "medicines", None),
            "window_note": getattr(view, "window_note", None)}


def period(view: Any) -> str:
    """"2026-11-14 to 2026-11-20 (7 days)", or "no dated entries"."""
    if not view.start or not view.end:
        return "no dated entries"
    days = (dt.date.fromisoformat(view.end) - dt.date.fromisoformat(view.start)).days + 1
    span = view.start if days == 1 else f"{view.start} to {view.end}"
    return f"{span} ({days} day{'s' if days != 1 else ''})"


def render_html(view: Any) -> str:
    """The report as one HTML string (inline CSS and SVG)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html"]))
    from .labels import install as install_labels
    from .labels import num

    env.filters["num"] = num

    install_labels(env)
    env.globals["disclaimer"] = context(view)["disclaimer"]
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env.get_template("report.html").render(css=css, **context(view))


def check_output(output: str | Path) -> Path:
    """The report's path, checked before anything is computed: ``.html``/``.htm`` or
    ``.pdf``, in a folder that exists."""
    out = Path(output)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise InputError("the report must end in .html or .pdf", source=str(out))
    if out.parent and not out.parent.exists():
        raise InputError("its folder does not exist", source=str(out))
    return out


def save_report(output: str | Path, view: Any) -> Path:
    """Write the report of ``view`` to ``output`` (``.html`` or ``.pdf``, see
    :func:`check_output`); return the path written."""
    out = check_output(output)
    try:
        if out.suffix.lower() == ".pdf":
            from .pdf import render_pdf

            out.write_bytes(render_pdf(view))
        else:
            out.write_text(render_html(view), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror})", source=str(out)) from None
    return out
