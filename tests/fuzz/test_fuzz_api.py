"""A stateful schemathesis run over the JSON API: sequences of calls that follow the OpenAPI
links of ``/openapi.json`` (foods just matched -> assessed as a diary; a case just assessed ->
its plan), each answered without a 5xx and, for a 4xx, with a ``detail`` saying what is wrong.

Bounded for CI: a fixed number of scenarios and steps, ``derandomize=True`` (the same inputs
each run), about 15 s on 2 cores. The stateless run with 25 examples per operation is
``tests/test_web_schema.py``.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from crampcheck.web.app import create_app

TOKEN = "stateful-fuzz-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
APP = create_app(Path(tempfile.mkdtemp()) / "stateful.db", token=TOKEN, host="0.0.0.0")


def _schema():
    """The app's own schema; for this test each link replaces the generated body instead of
    being merged into it (schemathesis' extension), so a followed link sends a whole case."""
    raw = copy.deepcopy(APP.fastapi.openapi())
    for item in raw["paths"].values():
        for link in item["post"]["responses"]["200"].get("links", {}).values():
            link["x-schemathesis"] = {"merge_body": False}
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = APP
    return loaded


schema = _schema()


def test_the_schema_declares_the_links() -> None:
    paths = APP.fastapi.openapi()["paths"]
    links = paths["/api/nutrients"]["post"]["responses"]["200"]["links"]
    assert links["AssessTheseFoods"]["operationId"] == paths["/api/assess"]["post"][
        "operationId"]
    assert paths["/api/assess"]["post"]["responses"]["200"]["links"]["PlanThisCase"][
        "requestBody"] == "$request.body"


class APIWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """Follows the links; every answer must be a handled one."""

    calls = 0

    def get_call_kwargs(self, case):  # noqa: ANN001, ANN201
        return {"headers": HEADERS}

    def validate_response(self, response, case, additional_checks=None, **kwargs):  # noqa: ANN001
        APIWorkflow.calls += 1
        assert response.status_code < 500, (case.path, case.body, response.text[:300])
        if response.status_code >= 400:
            assert response.json()["detail"], response.text[:300]


def test_api_workflows_never_answer_5xx() -> None:
    APIWorkflow.calls = 0
    APIWorkflow.run(settings=settings(max_examples=25, stateful_step_count=4, deadline=None,
                                      derandomize=True, database=None,
                                      suppress_health_check=list(HealthCheck)))
    assert APIWorkflow.calls >= 12  # the machine ran calls, not only set-up
