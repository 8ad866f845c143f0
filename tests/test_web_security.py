"""Security of the web app: loopback by default, a token for anything else, CSRF, limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crampcheck.errors import InputError
from crampcheck.web.app import create_app
from crampcheck.web.security import csrf_ok, is_loopback
from crampcheck.web.serve import login_url, plan_bind

TOKEN = "s3cret-token-for-tests-0123456789"


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.3.4.5") and is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("example.org")


def test_non_loopback_bind_without_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs a token"):
        create_app(tmp_path / "j.db", host="0.0.0.0")
    with pytest.raises(InputError, match="at least 16"):
        create_app(tmp_path / "j.db", host="0.0.0.0", token="short")


def test_serve_generates_and_prints_a_token_for_a_public_bind() -> None:
    token, generated = plan_bind("0.0.0.0", None)
    assert generated and token and len(token) >= 16
    assert plan_bind("127.0.0.1", None) == (None, False)
    assert login_url("0.0.0.0", 8765, "abc") == "http://0.0.0.0:8765/login?token=abc"


def test_cli_serve_refuses_a_short_token() -> None:
    from typer.testing import CliRunner

    from crampcheck.cli import app

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--token", "x"])
    assert result.exit_code == 2
    assert "at least 16" in result.output


@pytest.fixture
def guarded(tmp_path: Path) -> TestClient:
    app = create_app(tmp_path / "j.db", token=TOKEN, host="0.0.0.0")
    return TestClient(app, base_url="http://192.0.2.1:8765")


def test_requests_without_the_token_are_refused(guarded: TestClient) -> None:
    for path in ("/diary", "/static/style.css", "/openapi.json"):
        assert guarded.get(path).status_code == 401, path
    r = guarded.post("/api/nutrients", json={"lines": ["1 egg"]})
    assert r.status_code == 401 and "token" in r.json()["detail"]
    assert guarded.get("/diary", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/login?token=wrong").status_code == 401


def test_the_token_in_a_header_or_the_login_cookie_is_accepted(guarded: TestClient) -> None:
    assert guarded.get("/diary", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.post("/api/nutrients", json={"lines": ["1 egg"]},
                        headers={"X-Crampcheck-Token": TOKEN}).status_code == 200
    r = guarded.get(f"/login?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and "HttpOnly" in r.headers["set-cookie"]
    assert "SameSite=Strict" in r.headers["set-cookie"]
    assert guarded.get("/diary").status_code == 200  # the cookie now carries it


def test_loopback_server_answers_only_to_loopback_host_names(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "j.db"), base_url="http://127.0.0.1:8765")
    assert client.get("/diary").status_code == 200
    assert client.get("/diary", headers={"host": "localhost:8765"}).status_code == 200
    # a DNS-rebinding page would send its own name
    assert client.get("/diary", headers={"host": "evil.example:8765"}).status_code == 400


def test_forms_without_a_valid_csrf_token_are_rejected(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "j.db"), base_url="http://127.0.0.1")
    page = client.get("/diary")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    data = {"lines": "1 egg"}
    own = {"origin": "http://127.0.0.1"}
    assert client.post("/diary/food", data=data, headers=own).status_code == 403
    assert client.post("/diary/food", data={**data, "csrf": "forged"},
                       headers=own).status_code == 403
    r = client.post("/diary/food", data={**data, "csrf": csrf},
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/diary/food", data={**data, "csrf": csrf}, headers=own,
                    follow_redirects=False)
    assert r.status_code == 303


def test_form_posts_need_the_form_content_type(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "j.db"), base_url="http://127.0.0.1")
    r = client.post("/diary/food", json={"lines": "1 egg"})
    assert r.status_code == 415


def test_csrf_ok_rules() -> None:
    same = "same-origin"
    assert csrf_ok("a", "a", "http://h", "h")
    assert csrf_ok("a", "a", None, "h", fetch_site=same)
    assert csrf_ok("a", "a", None, "h", referer="http://h/diary", fetch_site=same)
    assert csrf_ok("a", "a", "null", "h", fetch_site=same)
    assert not csrf_ok("a", "a", "http://other", "h")
    # issue 14: no Origin, no Sec-Fetch-Site: a made-up cookie and field pair is refused
    assert not csrf_ok("a", "a", None, "h")
    assert not csrf_ok("a", "a", "null", "h")
    assert not csrf_ok("a", "a", None, "h", fetch_site="cross-site")
    assert not csrf_ok("a", "a", "http://h", "h", fetch_site="same-site")
    assert not csrf_ok("a", "a", None, "h", referer="http://other/x", fetch_site=same)
    assert not csrf_ok("a", "a", "http://h", "h", referer="http://other/x")
    assert not csrf_ok("a", "b", "http://h", "h")
    assert not csrf_ok(None, "a", "http://h", "h")


def test_api_refuses_a_foreign_origin_and_accepts_its_own(tmp_path: Path) -> None:
    import json as _json

    root = Path(__file__).resolve().parents[1]
    body = _json.loads((root / "examples" / "athlete.json").read_text())
    client = TestClient(create_app(tmp_path / "j.db"), base_url="http://127.0.0.1:8765")
    bad = client.post("/api/assess", json=body, headers={"Origin": "http://evil.example"})
    assert bad.status_code == 403
    ok = client.post("/api/assess", json=body, headers={"Origin": "http://127.0.0.1:8765"})
    assert ok.status_code == 200
