"""Editing, deleting and restoring entries in the web app, through httpx and a real journal:
every change needs the form's CSRF token, a delete is asked for first (a page, no JavaScript),
and deleted entries leave the pages. The plan and intake pages use human labels, and a
calcium shortfall gets a food or a reason."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampcheck.journal import connect, store
from crampcheck.web.app import create_app

BASE = "http://127.0.0.1"
TODAY = dt.date.today().isoformat()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    conn = connect(path)
    store.set_profile(conn, "me", age=55, sex="female")
    store.add_listed(conn, "medicines", "me", "furosemide 40 mg", "2026-01-01")
    store.add_listed(conn, "conditions", "me", "crohn's disease")
    store.add_listed(conn, "supplements", "me", "Magnesium (as glycinate) 100 mg", TODAY)
    store.add_lab(conn, "me", "serum magnesium", 1.6, "mg/dL", TODAY)
    store.add_symptom(conn, "me", "tired legs", TODAY)
    store.add_cramp(conn, "me", f"{TODAY} 02:30", "calf", "left", 3, 6, None)
    conn.close()
    return path


@pytest.fixture
def client(db: Path) -> TestClient:
    c = TestClient(create_app(db, "me"), base_url=BASE,
                   headers={"sec-fetch-site": "same-origin"})  # as a browser sends it
    csrf = csrf_of(c)
    r = c.post("/diary/food", data={"csrf": csrf, "day": TODAY,
                                    "lines": "1 cup whole milk\n1 cup cooked spinach"})
    assert r.status_code == 200
    return c


def csrf_of(client: TestClient, path: str = "/diary") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def foods_table(html: str) -> str:
    m = re.search(r'<table class="entries">.*?</table>', html, flags=re.S)
    return m[0] if m else ""


def test_every_row_has_edit_and_delete(client: TestClient) -> None:
    diary = client.get("/diary").text
    for ref in ("f1", "f2", "c1", "s1", "y1"):
        assert f'href="/entry/{ref}/edit"' in diary and f'href="/entry/{ref}/delete"' in diary
    profile = client.get("/profile").text
    for ref in ("m1", "d1", "l1"):
        assert f'href="/entry/{ref}/edit"' in profile and f'href="/entry/{ref}/delete"' in profile
    assert 'action="/profile/conditions/stop"' in profile  # a condition can end


def test_edit_a_food_line_matches_it_again(client: TestClient, db: Path) -> None:
    page = client.get("/entry/f1/edit")
    assert page.status_code == 200 and 'value="1 cup whole milk"' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    r = client.post("/entry/f1/edit", data={"csrf": csrf, "text": "2 cups whole milk",
                                            "date": TODAY, "time": "", "meal": ""},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/diary?day={TODAY}&changed=f1"
    conn = connect(db)
    row = store.food_entries(conn, "me", TODAY, TODAY)[0]
    conn.close()
    # USDA SR 01077: 113 mg calcium per 100 g; 2 cups = 2 x 244 g
    assert row["text"] == "2 cups whole milk" and row["grams"] == pytest.approx(488)
    assert row["nutrients"]["calcium_mg"] == pytest.approx(113 * 4.88, rel=1e-6)
    assert "Saved the changes to f1" in client.get(r.headers["location"]).text


def test_edit_errors_show_the_form_again(client: TestClient) -> None:
    csrf = csrf_of(client, "/entry/c1/edit")
    r = client.post("/entry/c1/edit", data={"csrf": csrf, "date": TODAY, "time": "02:30",
                                            "severity": "12"})
    assert r.status_code == 400 and "between 0 and 10" in r.text and 'value="12"' in r.text
    assert client.get("/entry/f99/edit").status_code == 404
    assert client.get("/entry/zz/delete").status_code == 404


def test_changes_need_the_csrf_token(client: TestClient, db: Path) -> None:
    for path in ("/entry/f1/delete", "/entry/f1/edit", "/entry/f1/restore"):
        r = client.post(path, data={"text": "x"})
        assert r.status_code == 403, path
    conn = connect(db)
    assert len(store.food_entries(conn, "me", TODAY, TODAY)) == 2
    conn.close()


def test_delete_asks_first_then_moves_to_the_trash_and_undo_restores(client: TestClient,
                                                                    db: Path) -> None:
    confirm = client.get("/entry/f2/delete")
    assert confirm.status_code == 200
    assert "Delete this food entry?" in confirm.text and "1 cup cooked spinach" in confirm.text
    assert 'method="post" action="/entry/f2/delete"' in confirm.text
    conn = connect(db)
    assert len(store.food_entries(conn, "me", TODAY, TODAY)) == 2  # asking deletes nothing
    conn.close()
    csrf = re.search(r'name="csrf" value="([^"]+)"', confirm.text)[1]
    r = client.post("/entry/f2/delete", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/diary?day={TODAY}&deleted=f2"
    diary = client.get(r.headers["location"]).text
    assert "Moved f2 to the" in diary and 'action="/entry/f2/restore"' in diary
    assert "1 cup cooked spinach" not in foods_table(diary)
    assert "1 cup whole milk" in foods_table(diary)
    trash = client.get("/trash").text
    assert "f2" in trash and "1 cup cooked spinach" in trash
    r = client.post("/entry/f2/restore", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert "1 cup cooked spinach" in foods_table(client.get(r.headers["location"]).text)
    assert "The trash is empty" in client.get("/trash").text


def test_deleted_entries_leave_the_assessment_and_history(client: TestClient) -> None:
    csrf = csrf_of(client)
    assert "1 cramp(s)" in client.get("/assessment?days=7").text
    client.post("/entry/c1/delete", data={"csrf": csrf})
    client.post("/entry/m1/delete", data={"csrf": csrf})
    page = client.get("/assessment?days=7").text
    assert "0 cramp(s)" in page and "furosemide" not in page
    assert "0 cramp(s)" in client.get("/history?days=14").text
    assert "furosemide" not in client.get("/profile").text
    r = client.post("/entry/m1/restore", data={"csrf": csrf, "next": "trash"},
                    follow_redirects=False)
    assert r.headers["location"] == "/trash?restored=m1"
    assert "furosemide" in client.get("/profile").text


def test_plan_and_intake_pages_use_human_labels(client: TestClient) -> None:
    for path in ("/plan?days=7", "/assessment?days=7"):
        html = client.get(path).text
        visible = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
        keys = re.findall(r"\b(?:calcium|magnesium|potassium|sodium|vitamin_d|ala|epa|dha|"
                          r"epa_dha|omega3)_(?:mg|ug|g)\b", visible)
        assert keys == [], (path, keys)
        assert "shown as null" not in visible
    plan = client.get("/plan?days=7").text
    assert "Magnesium (mg)" in plan and "Calcium (mg)" in plan
    assert "Magnesium <span class=\"muted\">(mg)</span>" in client.get("/assessment?days=7").text


def test_the_plan_names_the_food_that_closes_the_calcium_gap() -> None:
    # The web page shows the plan's own words: the food and amount that closes calcium come
    # from the plan (unmet[].closes_with), not from a second search of the foods (issue 16).
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict
    from crampcheck.plan import plan_for_assessment
    from crampcheck.report.plan_text import plan_words

    case = case_from_dict({
        "person": {"age": 40, "sex": "female"},
        "diary": {"2026-11-20": ["2 oz pumpkin seeds", "1 cup cooked black beans",
                                 "1 cup cooked brown rice", "3 oz chicken breast",
                                 "1 cup cooked spinach"]},
        "preferences": {"diet": "vegan"}})
    result = assess(case)
    plan = plan_for_assessment(result, max_kcal=60).to_dict()
    short = next(u for u in plan["unmet"] if u["nutrient"] == "calcium_mg")
    close = short["closes_with"]
    assert close is not None and close["closes"] and close["brings"] >= short["short"] - 0.5
    assert f"{close['amount']} of " in short["reason"] and "closes it" in short["reason"]
    shown = next(u for u in plan_words(plan)["unmet"]
                 if u["nutrient"] == "calcium_mg")
    assert shown["reason"] == short["reason"]


def test_an_empty_window_says_where_the_food_is(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = connect(db)
    store.set_profile(conn, "me", age=50, sex="male")
    conn.close()
    c = TestClient(create_app(db, "me"), base_url=BASE,
                   headers={"sec-fetch-site": "same-origin"})  # as a browser sends it
    old = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    csrf = csrf_of(c)
    c.post("/diary/food", data={"csrf": csrf, "day": old, "lines": "1 cup cooked spinach"})
    for path in ("/assessment?days=14", "/plan?days=14"):
        page = c.get(path).text
        assert f"your last food entry is {old}: look back 41 days or more" in page, path
    assert "window-note" not in c.get("/assessment?days=90").text
