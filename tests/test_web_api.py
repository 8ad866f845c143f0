"""The web app through a real HTTP client (httpx via Starlette's TestClient) and a real
journal file: pages, forms, the JSON API's contracts and its errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampcheck.assess import assess
from crampcheck.case import load_case
from crampcheck.totals import nutrients
from crampcheck.web.app import create_app

EXAMPLES = Path(__file__).parent.parent / "examples"
BASE = "http://127.0.0.1"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    # a browser sends Sec-Fetch-Site with every request; the CSRF check needs it (or Origin)
    return TestClient(create_app(tmp_path / "journal.db", "me"), base_url=BASE,
                      headers={"sec-fetch-site": "same-origin"})


def csrf_of(client: TestClient, path: str = "/diary") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def test_every_page_renders_on_an_empty_journal(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/diary"
    for path in ("/diary", "/profile", "/assessment", "/plan", "/history"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "<label" in r.text or path in ("/assessment", "/plan", "/history")
        assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", r.text)
    assert "age and sex" in client.get("/assessment").text


def test_assets_are_local_and_headers_strict(client: TestClient) -> None:
    r = client.get("/diary")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', r.text)
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_a_day_in_the_diary_then_the_assessment(client: TestClient) -> None:
    csrf = csrf_of(client)
    r = client.post("/profile", data={"csrf": csrf, "age": "55", "sex": "female"},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post("/diary/food", data={"csrf": csrf, "day": "2026-11-20", "meal": "lunch",
                                         "lines": "1 cup whole milk\n1 oz almonds; "
                                                  "1 cup cooked spinach\nqqzx blorf"})
    assert r.status_code == 200 and "Added 4 food line(s)" in r.text
    assert "Spinach, cooked" in r.text and "not matched" in r.text  # unmatched kept, shown
    r = client.post("/diary/cramp", data={"csrf": csrf, "day": "2026-11-20", "time": "02:30",
                                          "muscle": "calf", "side": "left", "severity": "7"})
    assert r.status_code == 200 and "02:30" in r.text
    r = client.post("/diary/symptom", data={"csrf": csrf, "day": "2026-11-20",
                                            "text": "calf swelling on one side"})
    assert r.status_code == 200
    r = client.post("/diary/supplements", data={"csrf": csrf, "day": "2026-11-20",
                                                "text": "Magnesium (as glycinate) 100 mg",
                                                "since": "2026-11-20"})
    assert r.status_code == 200 and "glycinate" in r.text
    page = client.get("/assessment?days=365").text
    assert page.index('class="redflags"') < page.index("Findings, most important first")
    assert "blood clot" in page
    assert page.count("Not a diagnosis.") == 2  # disclaimer above and below
    assert "Sources:" in page and "NHS" in page
    assert "<svg" in page
    assert client.get("/history?days=365").text.count("<svg") == 4


def test_form_errors_are_shown_not_500(client: TestClient) -> None:
    csrf = csrf_of(client)
    r = client.post("/diary/cramp", data={"csrf": csrf, "time": "02:30", "severity": "eleven"})
    assert r.status_code == 400 and "severity must be a number" in r.text
    r = client.post("/diary/food", data={"csrf": csrf, "lines": "-2 cups milk"})
    assert r.status_code == 400 and "negative amount" in r.text
    r = client.post("/profile", data={"csrf": csrf, "age": "500", "sex": "female"})
    assert r.status_code == 400 and "person.age" in r.text
    assert client.get("/diary?day=notaday").status_code == 400
    assert client.get("/assessment?days=0").status_code == 400


def test_api_nutrients_has_the_cli_contract(client: TestClient) -> None:
    lines = ["1 cup cooked spinach", "3 oz baked salmon", "xqzt blorp"]
    r = client.post("/api/nutrients", json={"lines": lines})
    assert r.status_code == 200
    assert r.json() == json.loads(json.dumps(nutrients(lines).to_dict()))


def test_api_assess_has_the_cli_contract(client: TestClient) -> None:
    raw = json.loads((EXAMPLES / "red_flag.json").read_text())
    r = client.post("/api/assess", json=raw)
    assert r.status_code == 200
    body = r.json()
    assert body == json.loads(json.dumps(assess(load_case(EXAMPLES / "red_flag.json")).to_dict()))
    assert body["findings"][0]["topic"] == "red_flag"


def test_api_plan(client: TestClient) -> None:
    # this case has no urgent finding, so a plan is made: 200 with the plan's own JSON
    from crampcheck.plan import plan_for_assessment

    raw = json.loads((EXAMPLES / "night_cramps_diuretic.json").read_text())
    r = client.post("/api/plan", json=raw)
    assert r.status_code == 200
    body = r.json()
    assert not body["stopped"] and body["additions"]
    expected = plan_for_assessment(assess(load_case(EXAMPLES / "night_cramps_diuretic.json")))
    assert body == json.loads(json.dumps(expected.to_dict()))


def test_api_plan_is_409_when_no_plan_can_be_made(client: TestClient, monkeypatch) -> None:
    # the planner refusing the case (a CrampcheckError) is a 409 with its reason
    import crampcheck.plan
    from crampcheck.errors import InputError

    def refuse(result):
        raise InputError("no target can be reached with these foods")

    monkeypatch.setattr(crampcheck.plan, "plan_for_assessment", refuse)
    raw = json.loads((EXAMPLES / "night_cramps_diuretic.json").read_text())
    r = client.post("/api/plan", json=raw)
    assert r.status_code == 409
    assert r.json() == {"detail": "No plan could be made: no target can be reached with "
                                  "these foods"}


@pytest.mark.parametrize(("body", "ctype", "status", "message"), [
    (b"{not json", "application/json", 422, "not valid JSON"),
    (b"[1, 2]", "application/json", 422, "dictionary"),
    (b'{"person": {"age": 300, "sex": "female"}}', "application/json", 400, "person.age"),
    (b'{"person": {"age": 30, "sex": "female"}, "pets": 2}', "application/json", 400,
     "unknown top-level fields"),
    (b'{"person": {"age": 30, "sex": "female"}}', "text/plain", 415, "application/json"),
    (b"person=1", "application/x-www-form-urlencoded", 415, "application/json"),
])
def test_api_assess_rejects_bad_input_with_a_clear_4xx(client: TestClient, body: bytes,
                                                        ctype: str, status: int,
                                                        message: str) -> None:
    r = client.post("/api/assess", content=body, headers={"content-type": ctype})
    assert r.status_code == status
    assert message in r.json()["detail"]


def test_api_nutrients_rejects_bad_input(client: TestClient) -> None:
    assert client.post("/api/nutrients", json={"lines": []}).status_code == 422
    assert client.post("/api/nutrients", json={"lines": ["   "]}).status_code == 400
    assert client.post("/api/nutrients", json={"lines": ["1 egg"], "x": 1}).status_code == 422
    r = client.post("/api/nutrients", json={"lines": ["0 cups milk"]})
    assert r.status_code == 400 and "zero" in r.json()["detail"]
    r = client.post("/api/nutrients", content=b"x" * 300_000,
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {"/api/nutrients", "/api/assess", "/api/plan",
                                    "/api/pins"}
    body = schema["paths"]["/api/assess"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["person"]


def test_api_plan_with_an_urgent_flag_is_a_stopped_plan(client: TestClient) -> None:
    case = json.loads((EXAMPLES / "red_flag.json").read_text(encoding="utf-8"))
    r = client.post("/api/plan", json=case, headers={"Origin": BASE})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["stopped"] is True and plan["additions"] == [] and plan["supplements"] == []
    assert "urgent" in plan["notes"][0]
