"""The diary's live preview in headless Chromium: how sure each match is, the suggestions for a
line crampcheck is not sure of, and picking one, which pins it for later lines (issue 11)."""

from __future__ import annotations

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


def test_preview_shows_confidence_and_a_pick_pins_the_food(page: Any, shots: Path) -> None:
    page.goto("/diary")
    box = page.get_by_label("Foods, one per line (or separated by ;)")
    box.fill("1 cup cooked spinach\nmy green smoothie")
    preview = page.locator("#preview")
    # a sure match carries its confidence
    sure = preview.locator("li.item", has_text="Spinach, cooked")
    sure.wait_for(timeout=10_000)
    assert "✓" in sure.locator(".conf").inner_text()
    # a line crampcheck is not sure of is not guessed: it offers suggestions
    unsure = preview.locator("li.miss", has_text="my green smoothie")
    unsure.wait_for()
    assert "not sure" in unsure.inner_text()
    pick = unsure.get_by_role("button", name="Use Fruit smoothie, NFS for 'my green smoothie'")
    page.screenshot(path=str(shots / "preview-suggestions.png"), full_page=False)
    pick.click()
    # the pick is stored and the preview is run again: now a match, "your choice", 100 %
    chosen = preview.locator("li.item", has_text="Fruit smoothie, NFS")
    chosen.wait_for(timeout=10_000)
    assert "your choice" in chosen.inner_text()
    assert "100 %" in chosen.locator(".conf").inner_text()
    page.screenshot(path=str(shots / "preview-pinned.png"), full_page=False)
    # adding the lines stores the pinned food in the journal
    page.get_by_role("button", name="Add to").click()
    page.get_by_text("Added 2 food line(s)").wait_for()
    assert page.locator("table.entries", has_text="Fruit smoothie, NFS").count() == 1
    assert page.external == []
