"""A bounded schemathesis run over /openapi.json: no input makes the API answer 5xx."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from crampcheck.web.app import create_app

TOKEN = "fuzz-token-0123456789abcdef"
APP = create_app(Path(__import__("tempfile").mkdtemp()) / "fuzz.db", token=TOKEN,
                 host="0.0.0.0")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP,
                                       headers={"Authorization": f"Bearer {TOKEN}"})


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (case.path, case.body, response.text[:300])
    if response.status_code >= 400:
        assert response.json()["detail"]  # a message saying what is wrong
