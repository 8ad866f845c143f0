"""The clinician report as a PDF, drawn with fpdf2 (pure Python, installs from PyPI alone).

fpdf2 needs no system library (WeasyPrint needs Pango/Cairo, a browser route needs a
browser), so ``pip install crampcheck`` is enough on a fresh machine. It draws the same
content as :mod:`crampcheck.report.html` — summary, medicines, intake table against the
DRIs, ratio, findings with sources, recommendations, plan — and embeds the same SVG charts
(fpdf2 renders SVG paths, shapes and text). The page is A4 width with margins that also fit
US Letter. Text uses the built-in Helvetica (Latin-1): characters outside it are replaced
by close ASCII equivalents (``–`` → ``-``, ``≥`` → ``>=``).
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from fpdf import FPDF

REPLACE = {"–": "-", "—": "-", "−": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...",
           "≥": ">=", "≤": "<=", "→": "->", "←": "<-", "•": "-", "⚠": "!", "×": "x",
           "≈": "~", "\u00a0": " ", "\u2009": " ", "\u202f": " "}
MARGIN = 16.0  # mm: 210 - 2*16 = 178 mm wide, fits Letter's 215.9 mm too
RED = (166, 27, 27)
BLUE = (29, 95, 140)
MUTED = (82, 96, 109)
INK = (31, 41, 51)
SEV_COLOUR = {"urgent": RED, "high": (194, 65, 12), "moderate": (183, 121, 31),
              "low": BLUE, "info": MUTED}


def latin(text: Any) -> str:
    s = "" if text is None else str(text)
    for a, b in REPLACE.items():
        s = s.replace(a, b)
    return s.encode("latin-1", "replace").decode("latin-1")


MAX_CELL_CHARS = 600  # a table row must fit on one page: longer text is cut, and says so


def _clip(text: str, limit: int = MAX_CELL_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters not shown)"


def _num(v: Any, digits: int = 0) -> str:
    from ..web.app import _num as web_num

    return latin(web_num(v, digits))


class Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, latin(f"crampcheck report - describes, does not diagnose - page "
                              f"{self.page_no()}/{{nb}}"), align="C")


def _h(pdf: FPDF, text: str, size: float = 12.5, colour: tuple[int, int, int] = BLUE) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*colour)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.ln(2)
    pdf.set_text_color(*INK)


def _p(pdf: FPDF, text: str, size: float = 9.5, style: str = "",
       colour: tuple[int, int, int] = INK, indent: float = 0.0) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.w - pdf.l_margin - pdf.r_margin - indent, size * 0.45, latin(text),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _table(pdf: FPDF, head: list[str], rows: list[list[str]], widths: list[float],
           align: str | None = None) -> None:
    pdf.set_font("Helvetica", size=8.5)
    pdf.set_draw_color(154, 165, 177)
    with pdf.table(col_widths=widths, text_align=align or "LEFT", line_height=4.2,
                   borders_layout="HORIZONTAL_LINES", first_row_as_headings=True) as table:
        row = table.row()
        for h in head:
            row.cell(latin(h))
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(latin(_clip(str(c))))
    pdf.ln(2)


def _finding(pdf: FPDF, f: dict[str, Any]) -> None:
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    colour = SEV_COLOUR.get(f["severity"], MUTED)
    y0 = pdf.get_y()
    _p(pdf, f"[{f['severity'].upper()}] {f['summary']}", 9.5, "B", colour, indent=3)
    if f.get("detail"):
        _p(pdf, f["detail"], 9, indent=3)
    for s in f.get("sources", []):
        bits = [f"({s['grade']}) {s['title']}"]
        if s.get("publisher"):
            bits.append(str(s["publisher"]))
        if s.get("year"):
            bits.append(str(s["year"]))
        _p(pdf, " - ".join(bits), 7.8, colour=MUTED, indent=6)
    pdf.set_draw_color(*colour)
    pdf.set_line_width(1.0)
    pdf.line(pdf.l_margin + 0.5, y0, pdf.l_margin + 0.5, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(1.5)


def _svg_for_pdf(svg: str) -> bytes:
    svg = re.sub(r"<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", "", svg, flags=re.S)
    svg = svg.replace('width="100%"', 'width="640"')
    return latin(svg).encode("utf-8")


def _chart(pdf: FPDF, svg: str, caption: str) -> None:
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    w, h = (int(m[1]), int(m[2])) if m else (640, 240)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    height = width * h / w
    if pdf.get_y() + height + 10 > pdf.h - 15:
        pdf.add_page()
    _p(pdf, caption, 9, "B")
    logger = logging.getLogger("fpdf.svg")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        pdf.image(io.BytesIO(_svg_for_pdf(svg)), x=pdf.l_margin, y=pdf.get_y(), w=width)
    finally:
        logger.setLevel(level)
    pdf.set_y(pdf.get_y() + height + 3)


def render_pdf(view: Any) -> bytes:
    """The report of an :class:`~crampcheck.web.views.AssessmentView` as PDF bytes."""
    from .. import __version__
    from ..web.views import DISCLAIMER

    pdf = Report(format="A4")
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, 16)
    pdf.set_title("crampcheck report")
    pdf.set_creator(f"crampcheck {__version__}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Leg cramps: intake, medicines and findings", new_x="LMARGIN",
                   new_y="NEXT")
    period = f" - period {view.start} to {view.end}" if view.start else ""
    _p(pdf, f"crampcheck {__version__}{period}", 8.5, colour=MUTED)
    pdf.ln(1)
    _p(pdf, "For the clinician. " + DISCLAIMER + " Intake is computed from the patient's diary "
       "matched to USDA food data; a nutrient without a USDA value is not counted (totals "
       "with gaps are lower bounds).", 8.5, colour=BLUE)

    if view.red_flags:
        _h(pdf, f"Red flags ({len(view.red_flags)})", colour=RED)
        for f in view.red_flags:
            _finding(pdf, f)

    case, p = view.case, view.case.person
    _h(pdf, "Patient summary")
    who = f"{p.age:g} years, {p.sex}" + (", pregnant" if p.pregnant else "") + (
        ", lactating" if p.lactating else "") + (f", {p.weight_kg:g} kg" if p.weight_kg else "")
    night = sum(1 for c in case.cramps if c.at is not None and c.at.hour in
                (22, 23, 0, 1, 2, 3, 4, 5))
    group = view.intake_rows[0]["group"] if view.intake_rows else "-"
    rows = [["Age, sex", who], ["Reference group", group],
            ["Diary", f"{view.result.intake.days} day(s) with food"],
            ["Cramps", f"{len(case.cramps)} recorded ({night} at night)"],
            ["Symptoms", "; ".join(case.symptoms) or "none recorded"]]
    if case.exercise:
        rows.append(["Exercise", f"{case.exercise.hours_per_week:g} h/week, "
                                 f"{case.exercise.intensity}"])
    _table(pdf, ["", ""], rows, [35, 143])

    _h(pdf, "Medicines, supplements and conditions")
    meds = getattr(view, "medicines", None)
    rows = ([["medicine", f"{m['text']} ({m['since'] or 'start not given'} -> "
                          f"{m['until'] or 'now'})"]
             for m in meds] if meds else [["medicine", m] for m in case.medications])
    rows += [["supplement", s] for s in case.supplements]
    rows += [["condition", c] for c in case.conditions]
    rows += [["lab", f"{lab.test} {lab.value:g} {lab.unit} ({lab.date or 'date not given'})"]
             for lab in case.labs]
    _table(pdf, ["Kind", "As recorded"], rows or [["-", "none recorded"]], [28, 150])

    _h(pdf, "Intake against the Dietary Reference Intakes")
    rows = []
    for r in view.intake_rows:
        target = (_num(r["rda"]) if r["rda"] is not None else
                  (_num(r["ai"]) + f" ({r['kind']})" if r["ai"] is not None else "-"))
        ul = (_num(r["ul"]) + (" (suppl.)" if r["ul_applies_to"] == "supplements" else "")
              if r["ul"] is not None else (_num(r["cdrr"]) + " (CDRR)" if r["cdrr"] else "-"))
        rows.append([f"{r['label']} ({r['unit']})", _num(r["intake"], 1 if r["unit"] == "g"
                                                         else 0),
                     _num(r["ear"]), target, ul, r["state"]])
    _table(pdf, ["Nutrient", "Intake/day", "EAR", "RDA / AI", "UL", "Status"], rows,
           [40, 24, 20, 26, 30, 38])
    ratio = view.result.ratios.get("calcium_to_magnesium")
    _p(pdf, f"Calcium:magnesium ratio (mean intake): {_num(ratio, 2)} : 1 (band 1.5-2.5 "
       "around the often-quoted 2:1, which is not a DRI).", 9)

    _h(pdf, "Findings")
    for f in view.findings:
        _finding(pdf, f)
    if not view.findings:
        _p(pdf, "No findings beyond the red flags.")

    _h(pdf, "Recommendations")
    for i, r in enumerate(view.recommendations, 1):
        text = f"{i}. [{r['kind'].replace('_', ' ')}] {r['text']}" + (
            f" {r['amount']}" if r.get("amount") else "")
        _p(pdf, text, 9, indent=2)
        for c in r.get("cautions") or []:
            _p(pdf, f"- {c}", 8, colour=MUTED, indent=8)

    _h(pdf, "Plan (foods first, then supplements)")
    plan = view.plan
    if plan is None:
        _p(pdf, view.plan_note or "The plan is not available.")
    else:
        adds = [[a["food"]["name"] if isinstance(a.get("food"), dict) else str(a.get("food")),
                 str(a.get("amount", "")), _num((a.get("nutrients") or {}).get("calcium_mg")),
                 _num((a.get("nutrients") or {}).get("magnesium_mg")),
                 _num((a.get("nutrients") or {}).get("potassium_mg"))]
                for a in plan.get("additions") or []]
        if adds:
            _table(pdf, ["Food to add per day", "Amount", "Ca mg", "Mg mg", "K mg"], adds,
                   [82, 36, 20, 20, 20])
        else:
            _p(pdf, "No food additions needed or possible.")
        for s in plan.get("supplements") or []:
            _p(pdf, f"Supplement: {s.get('mineral', '')} ({s.get('form') or 'any form'}), "
                    f"{_num(s.get('elemental_mg'))} mg elemental per day"
                    + (f", {s['schedule']}" if s.get("schedule") else ""), 9, "B")
            for c in s.get("cautions") or []:
                _p(pdf, f"- {c}", 8, colour=MUTED, indent=6)
        before, after = plan.get("before") or {}, plan.get("after") or {}
        rows = [[k, _num(v, 1), _num(after.get(k), 1)] for k, v in before.items()
                if k in after and k != "energy_kcal"]
        if rows:
            _table(pdf, ["Nutrient", "Now", "With the plan"], rows, [60, 40, 40])
        for u in plan.get("unmet") or []:
            _p(pdf, f"Still short: {u.get('reason') if isinstance(u, dict) else u}", 8.5,
               colour=MUTED)
        for n in plan.get("notes") or []:
            _p(pdf, f"Note: {n}", 8, colour=MUTED)

    pdf.add_page()
    _h(pdf, "Charts")
    captions = {"intake": "Intake per day as % of the RDA/AI, with EAR and UL marked",
                "ratio": "Calcium:magnesium ratio per day with the target band",
                "timeline": "Cramps over time (height = severity) with medicine and supplement "
                            "changes",
                "hours": "Cramps by hour of day"}
    for key, caption in captions.items():
        if view.charts.get(key):
            _chart(pdf, view.charts[key], caption)
    return bytes(pdf.output())
