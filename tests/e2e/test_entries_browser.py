"""In headless Chromium: correct a food line, delete with confirmation, undo, the trash, and the
same delete without JavaScript; the plan page's labels. Screenshots (entries-*.png) go to
tests/output/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=server)
    external: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(server) or
               r.url.startswith("data:") else external.append(r.url))
    p = context.new_page()
    p.external = external
    yield p
    context.close()


def food_rows(page: Any) -> list[str]:
    return [r.inner_text() for r in page.locator("table.entries tbody tr").all()]


@pytest.fixture(scope="module")
def day_of_food(page: Any) -> Any:
    """A profile, a medicine and three food lines entered through the pages, once per module;
    every test below leaves them as it found them (deletes are undone), so the tests pass in any
    order."""
    page.goto("/profile")
    page.get_by_label("Age (years)").fill("62")
    page.get_by_label("Sex (sets the reference values)").select_option("female")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_label("Medicine, dose and how often").fill("furosemide 40 mg daily")
    page.get_by_role("button", name="Add medicine").click()
    page.goto("/diary")
    page.get_by_label("Foods, one per line (or separated by ;)").fill(
        "1 cup whole milk\n1 cup cooked spinach\n1 oz almonds")
    page.get_by_role("button", name="Add to").click()
    page.get_by_text("Added 3 food line(s)").wait_for()
    return page


def test_a_day_of_food(day_of_food: Any) -> None:
    day_of_food.goto("/diary")
    assert len(food_rows(day_of_food)) == 3


def test_edit_delete_undo_and_trash(day_of_food: Any, shots: Path) -> None:
    """One person's corrections in the order they make them: edit, delete and undo, the trash,
    a medicine's start date."""
    page = day_of_food
    page.goto("/diary")
    page.get_by_role("link", name="Edit 1 cup whole milk").click()
    page.get_by_role("heading", name="Edit food entry f1").wait_for()
    page.get_by_label("What you ate").fill("2 cups whole milk")
    page.screenshot(path=str(shots / "entries-edit.png"), full_page=True)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved the changes to f1").wait_for()
    row = food_rows(page)[0]
    # USDA SR 01077 whole milk: 113 mg calcium per 100 g x 2 cups of 244 g = 551 mg
    assert "2 cups whole milk" in row and "Milk, whole" in row and "551" in row

    page.get_by_role("link", name="Delete 1 cup cooked spinach").click()
    page.get_by_role("heading", name="Delete this food entry?").wait_for()
    assert "restore it for 30 days" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "entries-delete-confirm.png"), full_page=True)
    page.get_by_role("button", name="Move to the trash").click()
    page.get_by_text("Moved f2 to the").wait_for()
    assert not any("cooked spinach" in r for r in food_rows(page))
    page.screenshot(path=str(shots / "entries-deleted.png"), full_page=False)
    page.get_by_role("button", name="Undo").click()
    page.get_by_text("Restored f2").wait_for()
    assert any("cooked spinach" in r for r in food_rows(page))

    page.get_by_role("link", name="Delete 1 oz almonds").click()
    page.get_by_role("button", name="Move to the trash").click()
    page.get_by_text("Moved f3 to the").wait_for()
    page.locator("footer").get_by_role("link", name="trash").click()
    page.get_by_role("heading", name="Trash").wait_for()
    assert "1 oz almonds" in page.locator("table.trash").inner_text()
    page.screenshot(path=str(shots / "entries-trash.png"), full_page=True)
    page.get_by_role("button", name="Restore f3").click()
    page.get_by_text("Restored f3").wait_for()
    assert "The trash is empty" in page.locator("main").inner_text()

    page.goto("/profile")
    page.get_by_role("link", name="Edit furosemide 40 mg daily").click()
    page.get_by_label("Since").fill("2026-10-01")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved the changes to m1").wait_for()
    assert "2026-10-01 → now" in page.locator("#med-h ~ ul").inner_text()


def test_delete_without_javascript(day_of_food: Any, browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto("/diary")
        p.get_by_role("link", name="Delete 1 oz almonds").click()
        p.get_by_role("button", name="Move to the trash").click()
        p.get_by_text("Moved f3 to the").wait_for()
        assert not any("almonds" in r.inner_text()
                       for r in p.locator("table.entries tbody tr").all())
        p.get_by_role("button", name="Undo").click()
        p.get_by_text("Restored f3").wait_for()
    finally:
        context.close()


def test_plan_page_labels(day_of_food: Any, shots: Path) -> None:
    page = day_of_food
    page.goto("/plan?days=7")
    page.get_by_role("heading", name="Plan: foods first, then supplements").wait_for()
    text = page.locator("main").inner_text()
    assert not re.search(r"\b(calcium|magnesium|potassium|sodium|vitamin_d|ala|epa_dha)_"
                         r"(mg|ug|g)\b", text), text
    assert "shown as null" not in text
    assert "Magnesium (mg)" in text
    page.screenshot(path=str(shots / "entries-plan.png"), full_page=True)


def test_no_external_request_was_made(day_of_food: Any) -> None:
    page = day_of_food
    assert page.external == []
