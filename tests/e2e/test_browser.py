"""End to end in headless Chromium: a day of food, a cramp, an assessment with a red flag
first, the plan, the history charts; screenshots under tests/output/screenshots/.

Each test stands alone (any order, or alone with ``-k``): the pages that show an assessment
read a journal written directly by :func:`seeded` (yesterday: a profile, food, a cramp and
a swollen calf); the tests that fill in forms write to today or another day of their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 900},
                                  base_url=server, java_script_enabled=True)
    external: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(server) or
               r.url.startswith("data:") else external.append(r.url))
    p = context.new_page()
    p.external = external
    yield p
    context.close()


@pytest.fixture(scope="module")
def seeded(e2e_db: Path) -> str:
    """Yesterday in the journal, written with the journal's own functions: a 55-year-old
    woman, a day of food, a cramp of severity 8 and one swollen calf (a red flag for a blood
    clot, so the plan is stopped). Returns that day."""
    from crampcheck.journal import store
    from crampcheck.journal.db import connect
    from crampcheck.web.forms import _entries

    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    conn = connect(e2e_db)
    try:
        store.set_profile(conn, "me", age=55, sex="female")
        store.add_food(conn, "me", [e for line in ("1 cup oatmeal", "1 cup whole milk",
                                                   "1 oz almonds", "1 cup cooked spinach",
                                                   "3 oz baked salmon")
                                    for e in _entries(line, day, None, None)])
        store.add_cramp(conn, "me", f"{day} 14:00", "calf", "left", 30, 8)
        store.add_symptom(conn, "me", "calf swelling on one side", day)
    finally:
        conn.close()
    return day


def test_1_profile(page: Any) -> None:
    page.goto("/profile")
    page.get_by_label("Age (years)").fill("55")
    page.get_by_label("Sex (sets the reference values)").select_option("female")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_label("Age (years)").input_value() == "55"
    page.get_by_label("Medicine, dose and how often").fill("simvastatin 20 mg daily")
    page.get_by_label("Started on").fill((dt.date.today() - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Add medicine").click()
    assert page.get_by_text("simvastatin 20 mg daily").is_visible()


def test_2_a_day_of_food_with_live_preview(page: Any, shots: Path) -> None:
    page.goto("/diary")
    box = page.get_by_label("Foods, one per line (or separated by ;)")
    box.fill("1 cup oatmeal\n1 cup whole milk\n1 oz almonds\n1 cup cooked spinach\n"
             "3 oz baked salmon")
    preview = page.locator("#preview")
    preview.get_by_text("Spinach, cooked").wait_for(timeout=10_000)  # the JS preview
    page.get_by_role("button", name="Add to").click()
    page.get_by_text("Added 5 food line(s)").wait_for()
    assert page.locator("table.entries tbody tr").count() == 5


def test_3_log_a_cramp_and_a_symptom(page: Any, shots: Path) -> None:
    page.goto("/diary")
    form = page.locator("#cramp-form")
    form.get_by_label("Time").fill("14:00")
    form.get_by_label("Muscle").select_option("calf")
    form.get_by_label("Side").select_option("left")
    form.get_by_label("Minutes").fill("30")
    form.get_by_label("Severity (0–10)").fill("8")
    form.get_by_role("button", name="Log cramp").click()
    page.get_by_text("severity 8/10").wait_for()
    page.get_by_role("textbox", name="Symptom").fill("calf swelling on one side")
    page.get_by_role("button", name="Add symptom").click()
    page.locator("#sym-h ~ ul").get_by_text("calf swelling on one side").wait_for()
    page.screenshot(path=str(shots / "diary.png"), full_page=True)


def test_4_assessment_puts_the_red_flag_first(page: Any, shots: Path, seeded: str) -> None:
    page.goto("/assessment?days=7")
    red = page.locator("section.redflags")
    assert red.is_visible()
    assert "blood clot" in red.inner_text()
    first_heading = page.locator("main h2").first.inner_text()  # before the disclaimer
    assert "See a clinician first" in first_heading
    assert page.locator(".disclaimer").first.is_visible()
    assert page.locator("svg.chart").count() == 1
    page.screenshot(path=str(shots / "assessment.png"), full_page=False)
    page.screenshot(path=str(shots / "assessment-full.png"), full_page=True)


def test_5_plan(page: Any, shots: Path, seeded: str) -> None:
    page.goto("/plan?days=7")
    page.get_by_role("heading", name="Plan: foods first, then supplements").wait_for()
    text = page.locator("main").inner_text()
    # the diary holds an urgent red flag (one swollen calf): the safety gate stops the plan
    assert "No food or supplement plan" in text and "Foods to add each day" not in text
    assert page.locator("#plan-stopped").is_visible()
    page.screenshot(path=str(shots / "plan.png"), full_page=True)


def test_6_history_charts(page: Any, shots: Path, seeded: str) -> None:
    page.goto("/history?days=14")
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for i in range(4):
        assert charts.nth(i).bounding_box()["height"] > 100
    page.screenshot(path=str(shots / "history.png"), full_page=True)


def test_7_phone_width_has_no_horizontal_scroll(browser: Any, server: str,
                                                 shots: Path, seeded: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=server,
                                  device_scale_factor=1)
    p = context.new_page()
    try:
        for path in ("/diary", "/profile", "/assessment?days=7", "/plan?days=7",
                     "/history?days=14"):
            p.goto(path)
            width = p.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
        p.goto("/assessment?days=7")
        p.screenshot(path=str(shots / "assessment-375.png"), full_page=False)
    finally:
        context.close()


def test_8_pages_work_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(f"/diary?day={(dt.date.today() - dt.timedelta(days=10)).isoformat()}")
        p.get_by_label("Foods, one per line (or separated by ;)").fill("2 large eggs")
        p.get_by_role("button", name="Add to").click()
        p.get_by_text("Added 1 food line(s)").wait_for()
    finally:
        context.close()


def test_9_no_external_request_was_made(browser: Any, server: str, seeded: str) -> None:
    # every page, with its scripts, styles and charts: no request leaves this server
    context = browser.new_context(base_url=server, java_script_enabled=True)
    external: list[str] = []
    local: list[str] = []
    context.on("request", lambda r: (local if r.url.startswith(server) or
                                     r.url.startswith("data:") else external).append(r.url))
    p = context.new_page()
    try:
        for path in ("/diary", "/profile", "/assessment?days=7", "/plan?days=7",
                     "/history?days=14", "/trash"):
            p.goto(path)
            p.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert any(u.endswith("/static/app.js") for u in local)  # the listener saw requests
    assert external == []
