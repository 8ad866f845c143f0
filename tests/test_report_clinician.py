"""The report a clinician keeps: what its PDF says (read back with pypdf), what each page looks
like (rendered with pdftoppm: no half-empty pages), and its charts' geometry (no label on a
reference line, no two labels on each other, every point inside its axes)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest

from crampcheck.report.labels import NUTRIENTS, label

EXAMPLES = Path(__file__).parent.parent / "examples"
PAGES = Path(__file__).parent / "output" / "report_pages"
TODAY = dt.date.today()
SVG = "{http://www.w3.org/2000/svg}"


def day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture(scope="module")
def journal(cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two weeks of a person on a loop diuretic, with night cramps and a supplement start."""
    db = tmp_path_factory.mktemp("report") / "j.db"

    def run(*args: str) -> None:
        cli(*args, "--db", str(db), "--person", "Ann Example")

    run("profile", "set", "--age", "71", "--sex", "female")
    run("meds", "add", "furosemide 40 mg daily", "--since", "-12")
    run("supplements", "add", "Magnesium (as glycinate) 100 mg", "--since", "-5")
    run("symptoms", "add", "calf tight in the morning", "--date", "-3")
    run("labs", "add", "serum magnesium", "1.7", "mg/dL", "--date", "-8")
    foods = ["1 cup oatmeal; 1 cup whole milk", "2 slices whole wheat bread; 1 oz cheddar",
             "3 oz baked salmon; 1 cup cooked rice", "1 banana; 1 cup plain yogurt"]
    for n in range(13, -1, -1):
        run("log", foods[n % 4], "--date", f"-{n}")
    for n, (clock, sev) in enumerate([("02:30", 6), ("23:10", 10), ("03:05", 4), ("14:00", 0)]):
        run("cramp", "--at", f"-{2 + 3 * n} {clock}", "--severity", str(sev), "--muscle", "calf")
    return db


@pytest.fixture(scope="module")
def pdf_path(cli, journal: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    cli("report", "--days", "14", "--end", "today", "--db", str(journal), "--person", "Ann Example",
        "-o", str(out))
    return out


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def test_pdf_says_whom_when_and_which_period(pdf_path: Path) -> None:
    pages = pdf_text(pdf_path)
    first = pages[0]
    assert "Ann Example" in first
    assert f"{day(13)} to {day(0)} (14 days)" in first
    assert f"Generated {TODAY.isoformat()}" in first or TODAY.isoformat() in first
    for i, text in enumerate(pages, 1):  # a footer on every page
        assert f"page {i} of {len(pages)}" in text, i
        assert "crampcheck report for Ann Example" in text


def test_pdf_uses_human_labels_and_plain_sentences(pdf_path: Path) -> None:
    text = "\n".join(pdf_text(pdf_path))
    for key in ("calcium_mg", "magnesium_mg", "potassium_mg", "vitamin_d_ug", "ala_g"):
        assert label(key) in text, label(key)
    keys = [k for k in re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text) if k in NUTRIENTS]
    assert keys == [], keys
    assert "epa_dha" not in text and "(shown as null)" not in text
    # the diuretic's effects and its note are two sentences, not "… urine Muscle spasm"
    assert "urine Muscle" not in text.replace("\n", " ")
    assert "in the urine. Muscle spasm" in text.replace("\n", " ")
    # an amount the recommendation already says is not repeated after it
    flat = text.replace("\n", " ")
    assert not re.search(r"\(about ([\d,]+ [a-zµ]+) more\)\.? \1", flat)
    assert not re.search(r"\(about ([\d,]+) mg more\)\. \1 mg/day", flat)
    # numbers as the text report writes them: from 10 up whole and thousands separated
    # ("1,276"), below 10 two significant digits ("0.055", "3.4")
    assert not re.search(r"\((?:mg|µg|g)\) \d[\d,]*\d\.\d", flat)
    # sodium for women 71+: AI 1,500 mg, CDRR 2,300 mg (NASEM 2019)
    assert "1,500 (AI) 2,300 (CDRR)" in flat


def test_pdf_pages_as_pictures(pdf_path: Path) -> None:
    """Each page rendered with pdftoppm (kept under tests/output/report_pages/): every page but
    the last is used to below its middle (no blank gaps), and no page is blank."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    import numpy as np
    from PIL import Image

    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("journal-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_path), str(PAGES / "journal")],
                   check=True, timeout=120)
    pngs = sorted(PAGES.glob("journal-*.png"))
    n_pages = len(pypdf.PdfReader(str(pdf_path)).pages)
    assert len(pngs) == n_pages >= 3
    for i, png in enumerate(pngs, 1):
        pixels = np.asarray(Image.open(png).convert("L"))
        h = pixels.shape[0]
        body = pixels[: int(h * 0.94)]  # leave the footer out
        rows = np.flatnonzero(body.min(axis=1) < 200).tolist()
        assert rows, f"page {i} is blank"
        if i < n_pages:
            assert rows[-1] > 0.55 * h, f"page {i} ends at {rows[-1] / h:.0%} of its height"


def test_html_report_has_the_same_header_and_a_print_footer(cli, journal: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    cli("report", "--days", "14", "--db", str(journal), "--person", "Ann Example", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert '<dd id="subject">Ann Example</dd>' in html
    assert f'<dd id="period">{day(13)} to {day(0)} (14 days)</dd>' in html
    assert 'counter(page) " of " counter(pages)' in html
    assert "Magnesium <span class=\"muted\">(mg)</span>" in html
    assert "magnesium_mg" not in re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


# --- chart geometry ----------------------------------------------------------------------------

def _f(el: ET.Element, name: str) -> float:
    return float(el.get(name, "0"))


def text_boxes(svg: ET.Element) -> list[tuple[str, float, float, float, float]]:
    from crampcheck.report.charts import text_width

    boxes = []
    for t in svg.iter(f"{SVG}text"):
        size = float(t.get("font-size", "12"))
        x, y, w = _f(t, "x"), _f(t, "y"), text_width(t.text or "", size)
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
        boxes.append((t.text or "", x0, x0 + w, y - 0.8 * size, y + 0.2 * size))
    return boxes


def reference_lines(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    """Lines that carry meaning (not the light grid)."""
    from crampcheck.report.charts import GRID

    return [(_f(ln, "x1"), _f(ln, "y1"), _f(ln, "x2"), _f(ln, "y2"))
            for ln in svg.iter(f"{SVG}line") if ln.get("stroke") != GRID]


def crosses(box: tuple[str, float, float, float, float],
            line: tuple[float, float, float, float]) -> bool:
    _, bx0, bx1, by0, by1 = box
    x1, y1, x2, y2 = line
    if x1 == x2:  # vertical
        return bx0 < x1 < bx1 and min(y1, y2) < by1 and max(y1, y2) > by0
    if y1 == y2:  # horizontal
        return by0 < y1 < by1 and min(x1, x2) < bx1 and max(x1, x2) > bx0
    return False


def charts_of(journal: Path) -> dict[str, str]:
    from crampcheck.journal import connect
    from crampcheck.report.views import journal_assessment

    conn = connect(journal)
    try:
        return journal_assessment(conn, "Ann Example", 14).charts
    finally:
        conn.close()


@pytest.mark.parametrize("case", ["journal", "red_flag.json", "athlete.json",
                                  "pregnancy.json", "kidney_disease.json"])
def test_chart_labels_keep_off_reference_lines_and_each_other(journal: Path,
                                                              case: str) -> None:
    if case == "journal":
        figs = charts_of(journal)
    else:
        from crampcheck.case import load_case
        from crampcheck.report.views import build_assessment_view

        figs = build_assessment_view(load_case(EXAMPLES / case), with_plan=False).charts
    svg = ET.fromstring(figs["intake"])
    boxes, lines = text_boxes(svg), reference_lines(svg)
    assert lines, "the intake chart has its EAR/RDA/UL marks"
    for box in boxes:
        for line in lines:
            assert not crosses(box, line), (box, line)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]
            assert not overlap, (a, b)


def test_every_point_is_inside_its_axes(journal: Path) -> None:
    from crampcheck.report.charts import GRID

    figs = charts_of(journal)
    for key in ("ratio", "timeline"):
        svg = ET.fromstring(figs[key])
        grid = [ln for ln in svg.iter(f"{SVG}line") if ln.get("stroke") == GRID]
        ys = [_f(ln, "y1") for ln in grid]
        xs = [_f(ln, "x1") for ln in grid] + [_f(ln, "x2") for ln in grid]
        circles = list(svg.iter(f"{SVG}circle"))
        assert circles, key
        for c in circles:
            cx, cy = _f(c, "cx"), _f(c, "cy")
            assert min(xs) <= cx <= max(xs), (key, cx)
            assert min(ys) <= cy <= max(ys), (key, cy)
    # the severity-10 cramp sits on the top line, the severity-0 one on the axis
    svg = ET.fromstring(figs["timeline"])
    cys = sorted(_f(c, "cy") for c in svg.iter(f"{SVG}circle"))
    ys = sorted(_f(ln, "y1") for ln in svg.iter(f"{SVG}line") if ln.get("stroke") == GRID)
    assert cys[0] == ys[0] and cys[-1] == ys[-1]


def test_a_ratio_beyond_the_axis_stays_inside_it() -> None:
    from crampcheck.report.charts import GRID, ratio_chart

    svg = ET.fromstring(ratio_chart("2026-11-01", "2026-11-07",
                                    {"2026-11-01": 25.0, "2026-11-07": 0.2}))
    ys = [_f(ln, "y1") for ln in svg.iter(f"{SVG}line") if ln.get("stroke") == GRID]
    for c in svg.iter(f"{SVG}circle"):
        assert min(ys) <= _f(c, "cy") <= max(ys)
    assert "25.00:1 (above the axis)" in ET.tostring(svg, encoding="unicode")
    width = float(svg.get("viewBox").split()[2])
    assert all(0 < _f(c, "cx") < width for c in svg.iter(f"{SVG}circle"))


def test_a_mark_beyond_the_intake_axis_is_named_at_its_end() -> None:
    from crampcheck.report.charts import IntakeRow, intake_chart

    # vitamin D for adults 19-70: RDA 15 ug, UL 100 ug (IOM 2011): the UL is at 667 %
    svg = intake_chart([IntakeRow("vitamin_d_ug", "Vitamin D", "µg", 5.0, 10.0, 15.0, "RDA",
                                  100.0)])
    assert "UL 667% →" in svg
    assert '400%' not in svg  # the axis is not stretched for a mark it cannot show
