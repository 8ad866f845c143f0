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

from .labels import fmt_amount, human_note, join_sentences, label, sentence, with_amount

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


def _num(v: Any, digits: int | None = None) -> str:
    """A number as the text report writes it (:func:`crampcheck.report.labels.fmt_amount`)."""
    return latin(fmt_amount(v, digits)).replace("?", "-")


class Report(FPDF):
    """fpdf2 with the report's footer: whom it is about, when it was made, page X of Y."""

    footer_text = "crampcheck report"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, latin(f"{self.footer_text} - describes, does not diagnose - page "
                              f"{self.page_no()} of {{nb}}"), align="C")


def _h(pdf: FPDF, text: str, size: float = 12.5, colour: tuple[int, int, int] = BLUE,
       keep: float = 0.0) -> None:
    """A section heading; on a new page when it and the first ``keep`` mm of what follows
    would not fit (no heading alone at the foot of a page)."""
    if pdf.get_y() > pdf.h - 40 or pdf.get_y() + 12 + keep > pdf.h - pdf.b_margin:
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


def _table(pdf: FPDF, head: list[str] | None, rows: list[list[str]], widths: list[float],
           align: str | tuple[str, ...] | None = None) -> None:
    """A table; ``head`` None for a key/value table without a heading row."""
    pdf.set_font("Helvetica", size=8.5)
    pdf.set_draw_color(154, 165, 177)
    with pdf.table(col_widths=widths, text_align=align or "LEFT", line_height=4.2,
                   borders_layout="HORIZONTAL_LINES",
                   first_row_as_headings=head is not None) as table:
        if head is not None:
            row = table.row()
            for h in head:
                row.cell(latin(h))
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(latin(_clip(str(c))))
    pdf.ln(2)


def _finding_body(pdf: FPDF, f: dict[str, Any], colour: tuple[int, int, int]) -> None:
    _p(pdf, f"[{f['severity'].upper()}] {sentence(f['summary'])}", 9.5, "B", colour, indent=3)
    if f.get("detail"):
        _p(pdf, sentence(f["detail"]), 9, indent=3)
    for s in f.get("sources", []):
        bits = [f"({s['grade']}) {s['title']}"]
        if s.get("publisher"):
            bits.append(str(s["publisher"]))
        if s.get("year"):
            bits.append(str(s["year"]))
        _p(pdf, " - ".join(bits), 7.8, colour=MUTED, indent=6)


def _height(pdf: FPDF, draw: Any) -> float:
    """How tall ``draw(pdf)`` would be, measured without drawing."""
    with pdf.offset_rendering() as dummy:
        dummy.set_y(dummy.t_margin)  # measured from the top of a page: no break inside
        y0 = dummy.get_y()
        draw(dummy)
        return float(dummy.get_y() - y0)


def _finding(pdf: FPDF, f: dict[str, Any]) -> None:
    """One finding with its coloured bar, kept on one page (a new page when it does not fit)."""
    colour = SEV_COLOUR.get(f["severity"], MUTED)
    height = _height(pdf, lambda d: _finding_body(d, f, colour))
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if height > room and height < pdf.h - pdf.t_margin - pdf.b_margin:
        pdf.add_page()
    y0, page0 = pdf.get_y(), pdf.page_no()
    _finding_body(pdf, f, colour)
    pdf.set_draw_color(*colour)
    pdf.set_line_width(1.0)
    if pdf.page_no() == page0:
        pdf.line(pdf.l_margin + 0.5, y0, pdf.l_margin + 0.5, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(1.5)


def _svg_for_pdf(svg: str) -> bytes:
    svg = re.sub(r"<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", "", svg, flags=re.S)
    svg = svg.replace('width="100%"', 'width="640"')
    return latin(svg).encode("utf-8")


def _chart_height(pdf: FPDF, svg: str) -> float:
    """Height (mm) a chart takes with its caption and the space after it."""
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    w, h = (int(m[1]), int(m[2])) if m else (640, 240)
    return (pdf.w - pdf.l_margin - pdf.r_margin) * h / w + 10


def _chart(pdf: FPDF, svg: str, caption: str) -> None:
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    w, h = (int(m[1]), int(m[2])) if m else (640, 240)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    height = width * h / w
    if pdf.get_y() + height + 10 > pdf.h - pdf.b_margin:
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
    """The report of an :class:`~crampcheck.report.views.AssessmentView` as PDF bytes."""
    from .. import __version__
    from .html import context

    ctx = context(view)
    pdf = Report(format="A4")
    pdf.footer_text = f"crampcheck report for {ctx['subject']}, generated {ctx['generated']}"
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, 16)
    pdf.set_title(f"crampcheck report: {ctx['subject']}")
    pdf.set_creator(f"crampcheck {__version__}")
    pdf.alias_nb_pages()
    pdf.add_page()
    _title(pdf, ctx, __version__)
    if view.red_flags:
        _h(pdf, f"Red flags ({len(view.red_flags)})", colour=RED,
           keep=_first_finding(pdf, view.red_flags))
        for f in view.red_flags:
            _finding(pdf, f)
    _summary(pdf, view)
    _medicines(pdf, view)
    _intake(pdf, view)
    _h(pdf, "Findings", keep=_first_finding(pdf, view.findings))
    for f in view.findings:
        _finding(pdf, f)
    if not view.findings:
        _p(pdf, "No findings beyond the red flags.")
    _recommendations(pdf, view)
    _h(pdf, "Plan (foods first, then supplements)")
    _plan(pdf, view)
    _charts(pdf, view)
    return bytes(pdf.output())


def _title(pdf: FPDF, ctx: dict[str, Any], version: str) -> None:
    """The title, whom and what period the report is about, and the note for the clinician."""
    from .views import DISCLAIMER

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Leg cramps: intake, medicines and findings", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(1)
    _table(pdf, None, [["Patient", ctx["subject"]], ["Period", ctx["period"]],
                       ["Generated", f"{ctx['generated']} by crampcheck {version}"]],
           [28, 150])
    if ctx.get("window_note"):
        _p(pdf, ctx["window_note"], 8.5, colour=SEV_COLOUR["moderate"])
    _p(pdf, "For the clinician. " + DISCLAIMER + " Intake is computed from the patient's diary "
       "matched to USDA food data; a nutrient without a USDA value is not counted (totals "
       "with gaps are lower bounds).", 8.5, colour=BLUE)


def _first_finding(pdf: FPDF, items: list[dict[str, Any]]) -> float:
    """How much of the first finding must fit under its section's heading (mm)."""
    if not items:
        return 0.0
    f = items[0]
    return min(_height(pdf, lambda d: _finding_body(d, f, SEV_COLOUR.get(f["severity"],
                                                                         MUTED))), 120.0)


def _summary(pdf: FPDF, view: Any) -> None:
    """Age, sex, reference group, how many diary days, cramps and symptoms, exercise."""
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
            ["Symptoms", join_sentences(*case.symptoms) or "none recorded"]]
    if case.exercise:
        rows.append(["Exercise", f"{case.exercise.hours_per_week:g} h/week, "
                                 f"{case.exercise.intensity}"])
    _table(pdf, None, rows, [35, 143])


def _medicines(pdf: FPDF, view: Any) -> None:
    """Medicines (with their dates from the journal), supplements, conditions and labs."""
    case = view.case
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


def _intake(pdf: FPDF, view: Any) -> None:
    """The intake table against the DRIs and the calcium:magnesium ratio with its band."""
    _h(pdf, "Intake against the Dietary Reference Intakes")
    rows = []
    for r in view.intake_rows:
        target = (_num(r["rda"]) if r["rda"] is not None else
                  (_num(r["ai"]) + f" ({r['kind']})" if r["ai"] is not None else "-"))
        ul = (_num(r["ul"]) + (" (suppl.)" if r["ul_applies_to"] == "supplements" else "")
              if r["ul"] is not None else (_num(r["cdrr"]) + " (CDRR)" if r["cdrr"] else "-"))
        rows.append([label(r["key"]), _num(r["intake"]), _num(r["ear"]), target, ul,
                     r["state"]])
    _table(pdf, ["Nutrient", "Intake/day", "EAR", "RDA / AI", "UL", "Status"], rows,
           [48, 22, 18, 26, 28, 36], align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"))
    ratio = view.result.ratios.get("calcium_to_magnesium")
    band = view.result.ratio_band
    _p(pdf, f"Calcium:magnesium ratio (mean intake): {_num(ratio, 2)} : 1 (band {band[0]:g}-"
       f"{band[1]:g} around the often-quoted 2:1, which is not a DRI).", 9)


def _recommendations(pdf: FPDF, view: Any) -> None:
    """The numbered recommendations with their cautions."""
    _h(pdf, "Recommendations")
    for i, r in enumerate(view.recommendations, 1):
        text = f"{i}. [{r['kind'].replace('_', ' ')}] " + with_amount(r["text"], r.get("amount"))
        _p(pdf, text, 9, indent=2)
        for c in r.get("cautions") or []:
            _p(pdf, f"- {sentence(c)}", 8, colour=MUTED, indent=8)


def _plan(pdf: FPDF, view: Any) -> None:
    """The plan in its own words (:func:`crampcheck.report.plan_text.plan_words`)."""
    plan = view.plan
    extra = getattr(view, "plan_extra", None) or {}
    if plan is None:
        _p(pdf, view.plan_note or "The plan is not available.")
    elif plan.get("stopped"):  # the safety gate: no plan while an urgent finding stands
        _p(pdf, "No food or supplement plan.", 10, "B")
        for n in plan.get("notes") or []:
            _p(pdf, n, 9)
    else:
        for r in extra.get("reductions", []):
            _p(pdf, f"First, take less: {r}", 9)
        adds = [[a["when"], f"{a['food']} ({a['amount']})", a["serves"] or "-", a["cost"]]
                for a in extra.get("additions", [])]
        if adds:
            _table(pdf, ["When", "Food to add per day", "Serves", "Costs"], adds,
                   [26, 62, 58, 34], align=("LEFT", "LEFT", "LEFT", "LEFT"))
        else:
            _p(pdf, "No food additions needed or possible.")
        for s in extra.get("supplements", []):
            _p(pdf, f"Supplement: {s['title']}" + (f", {s['schedule']}" if s["schedule"] else ""),
               9, "B")
            for c in s["cautions"]:
                _p(pdf, f"- {sentence(c)}", 8, colour=MUTED, indent=6)
        rows = [[r["label"], r["goal"], r["before_text"], r["after_text"], r["food_text"],
                 r["supplements_text"]] for r in extra.get("rows", [])]
        if rows:
            _table(pdf, ["Nutrient per day", "Target", "Now", "With the plan", "From food",
                         "From supplements"], rows, [46, 30, 20, 36, 24, 24],
                   align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
        for u in extra.get("unmet", []):
            lead = f"Still short - {u['label']}: " if u.get("label") else "Still short: "
            _p(pdf, lead + sentence(u["reason"]), 8.5, colour=MUTED)
        ex = extra.get("exercise")
        if ex:
            _p(pdf, "Sweat, salt and fluid", 9.5, "B")
            _p(pdf, " ".join([ex["summary"], ex["basis"], *ex["assumptions"]]), 8.5)
            for a in ex["advice"]:
                grade = f" (evidence grade {a['grade']})" if a["grade"] else ""
                _p(pdf, f"- {sentence(a['text'])}{grade}", 8.5, indent=4)
        for n in extra.get("notes", []):
            _p(pdf, f"Note: {sentence(human_note(n))}", 8, colour=MUTED)


def _charts(pdf: FPDF, view: Any) -> None:
    """The charts, each placed where it fits (the first one in order that fits goes next)."""
    captions = {"intake": "Intake per day as % of the RDA/AI, with EAR and UL marked",
                "ratio": "Calcium:magnesium ratio per day with the target band",
                "timeline": "Cramps over time (height = severity) with medicine and supplement "
                            "changes",
                "hours": "Cramps by hour of day"}
    waiting = [(k, c) for k, c in captions.items() if view.charts.get(k)]
    if waiting:
        _h(pdf, "Charts", keep=min(_chart_height(pdf, view.charts[k]) for k, _ in waiting))
    while waiting:  # fill the page: the first chart (in order) that fits goes next
        room = pdf.h - pdf.b_margin - pdf.get_y()
        fits = [kc for kc in waiting if _chart_height(pdf, view.charts[kc[0]]) <= room]
        if not fits:
            pdf.add_page()
            fits = waiting[:1]
        key, caption = fits[0]
        waiting.remove(fits[0])
        _chart(pdf, view.charts[key], caption)
