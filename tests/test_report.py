"""crampcheck report: one document for a clinician, as HTML (print CSS) or PDF (fpdf2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcheck.cli import app

pytest.importorskip("fpdf")

EXAMPLES = Path(__file__).parent.parent / "examples"
runner = CliRunner()


def test_html_report_has_every_section_and_no_external_reference(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(EXAMPLES / "red_flag.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for heading in ("Red flags", "Patient summary", "Medicines, supplements and conditions",
                    "Intake against the Dietary Reference Intakes", "Findings",
                    "Recommendations", "Plan (foods first, then supplements)", "Charts"):
        assert heading in html, heading
    assert html.index("Red flags") < html.index("Patient summary")
    assert "simvastatin" in html and "blood clot" in html
    assert html.count("<svg") == 4
    assert "@page" in html and "break-inside: avoid" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html


def test_pdf_report(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = runner.invoke(app, ["report", str(EXAMPLES / "night_cramps_diuretic.json"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 3  # summary, findings, charts


def test_report_from_the_journal(tmp_path: Path) -> None:
    from crampcheck.journal import connect, store
    from crampcheck.report.views import today

    db = tmp_path / "j.db"
    conn = connect(db)
    store.set_profile(conn, "me", age=68, sex="female")
    store.add_listed(conn, "medicines", "me", "furosemide 40 mg", "2026-01-01")
    store.add_cramp(conn, "me", f"{today()} 02:30", "calf", None, 2, 6, None)
    conn.close()
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--days", "30", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "furosemide 40 mg" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "r.html"], "case file or --days"),
    (["examples/red_flag.json", "-o", "r.docx"], ".html or .pdf"),
    (["nope.json", "-o", "r.html"], "no such file"),
    (["examples/red_flag.json", "-o", "no/such/dir/r.html"], "folder does not exist"),
])
def test_report_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert message in result.output
