"""Issue 14 through the web app (httpx via Starlette's TestClient, a real journal file): the
rows of its table that reach the web, the request limits, CSRF with Origin/Referer/
Sec-Fetch-Site, any loopback address, and a 500 without a traceback."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampcheck.limits import (
    BRAND_LINE_WEIGHT,
    MAX_LINE_CHARS,
    MAX_REQUEST_CHARS,
    MAX_REQUEST_LINES,
)
from crampcheck.web.app import create_app

BASE = "http://127.0.0.1:8765"
BROWSER = {"sec-fetch-site": "same-origin"}
CASE = {"person": {"age": 60, "sex": "female"}}


def _no_constant(name: str) -> None:
    raise AssertionError(f"non-JSON literal {name}")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "j.db"), base_url=BASE, headers=BROWSER)


def csrf_of(client: TestClient, path: str = "/diary") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)[1]


def _poison(db: Path) -> None:
    from crampcheck.journal import connect, store

    conn = connect(db)
    store.set_profile(conn, "me", age=60, sex="female")
    store.add_cramp(conn, "me")
    today = time.strftime("%Y-%m-%d")
    conn.execute("INSERT INTO medicines (person_id, text, since, created) VALUES "
                 "(1, 'Lasix', '0001-01-01', 'x')")
    conn.execute("INSERT INTO labs (person_id, test, value, unit, date, created) VALUES "
                 "(1, 'serum creatinine', 0.000001, 'mg/dL', ?, 'x')", (today,))
    conn.execute("INSERT INTO food_entries (person_id, day, text, source, nutrients, created) "
                 "VALUES (1, ?, 'milk', 'log', '{\"calcium_mg\": Infinity}', 'x')", (today,))
    conn.close()


def test_pages_over_a_poisoned_journal_answer_not_500(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    _poison(db)
    client = TestClient(create_app(db), base_url=BASE, headers=BROWSER)
    for path in ("/history", "/assessment", "/plan", "/profile", "/diary"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert "Traceback" not in r.text
    assert "Left out of this assessment" in client.get("/assessment").text
    for day in ("0001-01-01", "9999-12-31"):
        r = client.get(f"/diary?day={day}")
        assert r.status_code == 400 and "is outside 1900-01-01" in r.text


def test_an_invalid_age_from_the_form_keeps_the_stored_one(client: TestClient) -> None:
    csrf = csrf_of(client)
    r = client.post("/profile", data={"csrf": csrf, "age": "60", "sex": "female"},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post("/profile", data={"csrf": csrf, "age": "nan", "sex": "female"})
    assert r.status_code == 400
    r = client.post("/profile", data={"csrf": csrf, "age": "60", "sex": "other"})
    assert r.status_code == 400 and "sex must be female or male" in r.text
    assert 'value="60' in client.get("/profile").text
    r = client.post("/profile/labs", data={"csrf": csrf, "test": "serum creatinine",
                                           "value": "0.000001", "unit": "mg/dL"})
    assert r.status_code == 400 and "outside what a living person" in r.text
    r = client.post("/profile/labs", data={"csrf": csrf, "test": "serum creatinine",
                                           "value": "1e309", "unit": "mg/dL"})
    assert r.status_code == 400
    assert "<td>serum creatinine</td>" not in client.get("/profile").text  # nothing stored


def test_the_issue_request_is_refused_at_once(client: TestClient) -> None:
    lines = [("Kind bar " + "almond cashew walnut " * 20)[:300] for _ in range(200)]
    t0 = time.process_time()
    r = client.post("/api/nutrients", json={"lines": lines})
    assert r.status_code == 422 and "at most 40 items" in r.json()["detail"]
    r = client.post("/api/nutrients", json={"lines": lines[:MAX_REQUEST_LINES]})
    assert r.status_code == 422 and "at most 200 characters" in r.json()["detail"]
    assert time.process_time() - t0 < 30  # it was 150 s; a limit, not a speed test


def test_request_limits(client: TestClient) -> None:
    def api(lines: list[str], **extra: object):
        return client.post("/api/nutrients", json={"lines": lines, **extra})

    assert api(["1 egg"] * (MAX_REQUEST_LINES + 1)).status_code == 422
    r = api(["x" * (MAX_LINE_CHARS + 1)])
    assert r.status_code == 422
    r = api([("1 cup milk " * 40)[:190]] * (MAX_REQUEST_CHARS // 190 + 1))
    assert r.status_code == 400 and "characters of text" in r.json()["detail"]
    r = api(["2 Oreo cookies", "1 can Coca-Cola"])
    assert r.status_code == 400 and "2 lines naming a brand" in r.json()["detail"]
    assert api(["2 Oreo cookies"]).status_code == 200
    r = api(["2 Oreo cookies"] + ["1 egg"] * (MAX_REQUEST_LINES - BRAND_LINE_WEIGHT + 1))
    assert r.status_code == 400 and f"counts as {BRAND_LINE_WEIGHT} lines" in r.json()["detail"]
    r = api(["1 egg", "1 cup milk"], branded=True)
    assert r.status_code == 400 and "naming a brand" in r.json()["detail"]
    r = api(["1/0 cup spinach"])
    assert r.status_code == 400 and "divides by zero" in r.json()["detail"]
    case = {**CASE, "diary": {"2026-11-20": ["1 egg"] * (MAX_REQUEST_LINES + 1)}}
    r = client.post("/api/assess", json=case)
    assert r.status_code == 400 and "at most" in r.json()["detail"]
    r = client.post("/api/assess", json={**CASE, "medications": ["x" * 600]})
    assert r.status_code == 400 and "at most 500" in r.json()["detail"]


def test_the_diary_form_keeps_what_was_typed_after_an_error(client: TestClient) -> None:
    csrf = csrf_of(client)
    typed = "2 Oreo cookies\n1 can Coca-Cola\n1 cup cooked spinach"
    r = client.post("/diary/food", data={"csrf": csrf, "lines": typed})
    assert r.status_code == 400 and "naming a brand" in r.text
    assert "2 Oreo cookies\n1 can Coca-Cola\n1 cup cooked spinach</textarea>" in r.text


def test_json_bodies_are_checked_before_parsing(client: TestClient) -> None:
    def raw(path: str, text: str | bytes):
        return client.post(path, content=text, headers={"content-type": "application/json"})

    r = raw("/api/assess", "[" * 100_000 + "]" * 100_000)
    assert r.status_code == 422 and "nested 100000 levels deep" in r.json()["detail"]
    r = raw("/api/assess", '{"person": {"age": 60, "sex": "female"}, "diary": {"2026-11-20": '
                           '["1 cup milk"], "2026-11-20": ["1 egg"]}}')
    assert r.status_code == 422 and "'2026-11-20' is given twice" in r.json()["detail"]
    r = raw("/api/assess", '{"person": {"age": Infinity, "sex": "female"}}')
    assert r.status_code == 400 and "person.age" in r.json()["detail"]
    r = raw("/api/assess", '{"person": {"age": 60, "sex": "female"}, "labs": [{"test": '
                           '"serum creatinine", "value": 0.000001, "unit": "mg/dL"}]}')
    assert r.status_code == 400 and "labs[0].value" in r.json()["detail"]
    r = raw("/api/nutrients", b'{"lines": ["\xff"]}')
    assert r.status_code == 422 and "not UTF-8" in r.json()["detail"]


def test_api_json_never_holds_nan_or_infinity() -> None:
    from crampcheck.web.app import SafeJSONResponse

    body = SafeJSONResponse({"a": float("inf"), "b": [float("nan")]}).body
    assert json.loads(body, parse_constant=_no_constant) == {"a": None, "b": [None]}


def test_any_loopback_address_works(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "j.db", host="127.0.0.2"),
                        base_url="http://127.0.0.2:8765")
    assert client.get("/diary").status_code == 200
    assert client.get("/diary", headers={"host": "[::1]:8765"}).status_code == 200
    assert client.get("/diary", headers={"host": "evil.example"}).status_code == 400
    from typer.testing import CliRunner

    from crampcheck.web.serve import plan_bind

    assert plan_bind("127.0.0.2", None) == (None, False)  # no token needed
    result = CliRunner().invoke(__import__("crampcheck.cli").cli.app,
                                ["serve", "--host", "127.0.0.2", "--port", "0", "--help"])
    assert result.exit_code == 0


def test_csrf_needs_a_same_origin_signal(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "j.db"), base_url=BASE)
    data = {"lines": "1 egg", "csrf": "made-up"}
    forged = {"cc_csrf": "made-up"}
    client.cookies.update(forged)
    # issue 14: no Origin, a made-up cookie and field pair used to be accepted
    assert client.post("/diary/food", data=data).status_code == 403
    assert client.post("/diary/food", data=data, headers={
        "referer": "http://evil.example/page", "sec-fetch-site": "same-origin"}
        ).status_code == 403
    assert client.post("/diary/food", data=data, headers={
        "sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/diary/food", data=data, headers={"origin": "null"}).status_code == 403
    # what a browser sends from this app's own page
    for headers in ({"origin": BASE}, {"sec-fetch-site": "same-origin"},
                    {"origin": BASE, "referer": BASE + "/diary",
                     "sec-fetch-site": "same-origin"}):
        r = client.post("/diary/food", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 303, headers
    r = client.post("/api/nutrients", json={"lines": ["1 egg"]},
                    headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403


def test_an_unexpected_error_is_a_500_without_traceback(client: TestClient,
                                                        monkeypatch) -> None:
    import crampcheck.report.views as views
    import crampcheck.totals

    def boom(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(crampcheck.totals, "nutrients", boom)
    monkeypatch.setattr(views, "history_view", boom)
    r = client.post("/api/nutrients", json={"lines": ["1 egg"]})
    assert r.status_code == 500
    assert r.json()["detail"].startswith("crampcheck hit an unexpected error: "
                                         "ZeroDivisionError: float division by zero")
    r = client.get("/history")
    assert r.status_code == 500 and "crampcheck hit an unexpected error" in r.text
    assert "Traceback" not in r.text and "File \"" not in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
