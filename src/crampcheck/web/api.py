"""The JSON API (``/api/…``), with the CLI's contracts:

- ``POST /api/nutrients`` ``{"lines": [...], "branded": false}`` → ``crampcheck nutrients --json``
  (with the person's food pins)
- ``POST /api/pins`` ``{"phrase": "...", "food_id": "..."}`` → the pin stored (``foods pin``)
- ``POST /api/assess`` (a case file's JSON) → ``crampcheck assess --json --no-plan``
- ``POST /api/plan`` (a case file's JSON) → the plan's ``to_dict()``

Malformed input gets a 4xx with ``{"detail": "..."}`` saying what is wrong. The OpenAPI
schema (``/openapi.json``) gets the case file's schema and links between the operations
(:func:`install_openapi`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from .. import knowledge
from ..errors import InputError
from ..limits import MAX_LINE_CHARS, MAX_REQUEST_LINES, check_request
from ..report import views
from .common import journal, person_of, same_origin

MAX_LINES = MAX_REQUEST_LINES
RATIO_LOW, RATIO_HIGH = knowledge.ratio_band()  # the Ca:Mg band's defaults (plan_foods.toml)


class SafeJSONResponse(JSONResponse):
    """JSON that never holds the non-JSON literals NaN or Infinity (they become null)."""

    def render(self, content: Any) -> bytes:
        from ..jsonsafe import dumps

        return dumps(content, separators=(",", ":")).encode("utf-8")


class PinRequest(BaseModel):
    """A food chosen for a phrase (stored in the journal as a food pin)."""

    model_config = ConfigDict(extra="forbid")
    phrase: Annotated[str, Field(min_length=1, max_length=MAX_LINE_CHARS)] = Field(
        ..., examples=["protein shake"])
    food_id: Annotated[str, Field(min_length=1, max_length=80)] = Field(
        ..., examples=["sr:11458"])


class NutrientsRequest(BaseModel):
    """Food lines, one food each (as ``crampcheck nutrients`` takes them)."""

    model_config = ConfigDict(extra="forbid")
    lines: list[Annotated[str, Field(max_length=MAX_LINE_CHARS)]] = Field(
        ..., min_length=1, max_length=MAX_LINES,
        examples=[["1 cup cooked spinach", "3 oz baked salmon"]])
    branded: bool = False


CASE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A case file (see the README): only person is required.",
    "required": ["person"],
    "properties": {
        "person": {"type": "object", "required": ["age", "sex"], "properties": {
            "age": {"type": "number"}, "sex": {"type": "string", "enum": ["female", "male"]},
            "pregnant": {"type": "boolean"}, "lactating": {"type": "boolean"},
            "weight_kg": {"type": "number"}}},
        "conditions": {"type": "array", "items": {"type": "string"}},
        "medications": {"type": "array", "items": {"type": "string"}},
        "supplements": {"type": "array", "items": {"type": "string"}},
        "symptoms": {"type": "array", "items": {"type": "string"}},
        "diary": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}},
        "cramps": {"type": "array", "items": {"type": "object"}},
        "labs": {"type": "array", "items": {"type": "object"}},
        "exercise": {"type": "object"},
        "preferences": {"type": "object"},
    },
    "example": {"person": {"age": 68, "sex": "female"},
                "medications": ["furosemide 40 mg"],
                "diary": {"2026-11-20": ["1 cup oatmeal", "1 cup whole milk"]},
                "cramps": [{"at": "2026-11-20T02:30", "muscle": "calf"}]},
}
ERRORS = {400: {"description": "The input is not a valid case or food list (detail says why)"},
          413: {"description": "Request body too large"},
          415: {"description": "Content-Type is not application/json"},
          422: {"description": "The JSON does not have the expected shape"}}

router = APIRouter(tags=["api"], responses=ERRORS, dependencies=[Depends(same_origin)],
                   default_response_class=SafeJSONResponse)


def _case_from_json(raw: Any) -> Any:
    from ..case import case_from_dict

    case = case_from_dict(raw)
    texts = [*case.medications, *case.supplements, *case.conditions, *case.symptoms,
             *(lab.test for lab in case.labs)]
    check_request([t for v in case.diary.values() for t in v], what="this case",
                  others=texts)
    return case


@router.post("/api/nutrients",
             summary="Match food lines to USDA foods and add up their nutrients")
def api_nutrients(body: NutrientsRequest, request: Request) -> dict[str, Any]:
    from ..journal.pins import pins_map
    from ..totals import nutrients

    lines = [t for t in body.lines if t.strip()]
    if not lines:
        raise InputError("no food lines given (try \"1 cup cooked spinach\")")
    check_request(lines, branded=body.branded)
    with journal(request) as conn:
        pins = pins_map(conn, person_of(request))
    return nutrients(lines, branded=body.branded, pins=pins).to_dict()


@router.post("/api/pins",
             summary="Remember the food chosen for a phrase (a food pin in the journal)")
def api_pin(body: PinRequest, request: Request) -> dict[str, Any]:
    from ..journal.pins import set_pin

    with journal(request) as conn:
        return set_pin(conn, person_of(request), body.phrase, body.food_id)


@router.post("/api/assess",
             summary="Assess a case (the JSON of a case file), as 'crampcheck assess --json'")
def api_assess(case: Annotated[dict[str, Any], Body(
        openapi_examples={"case": {"value": CASE_SCHEMA["example"]}})],
        ratio_low: Annotated[float, Query(gt=0, le=20)] = RATIO_LOW,
        ratio_high: Annotated[float, Query(gt=0, le=20)] = RATIO_HIGH) -> dict[str, Any]:
    from ..assess import assess

    if not ratio_low < ratio_high:
        raise InputError("ratio_low must be below ratio_high")
    return assess(_case_from_json(case), ratio_band=(ratio_low, ratio_high)).to_dict()


@router.post("/api/plan",
             summary="The food and supplement plan for a case (the JSON of a case file)")
def api_plan(case: Annotated[dict[str, Any], Body(
        openapi_examples={"case": {"value": CASE_SCHEMA["example"]}})]) -> Any:
    from ..assess import assess

    result = assess(_case_from_json(case))
    plan_dict, why = views.plan_for(result, with_sources=False)
    if plan_dict is None:
        return JSONResponse({"detail": why}, status_code=409)
    return plan_dict


def install_openapi(app: FastAPI) -> None:
    """``app.openapi`` with the case file's schema for the bodies of ``/api/assess`` and
    ``/api/plan`` and the links between the operations."""
    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original_openapi()
        for path in ("/api/assess", "/api/plan"):
            body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
            body["schema"] = CASE_SCHEMA
        _add_links(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_links(schema: dict[str, Any]) -> None:
    """OpenAPI links between the operations (what a client may do next with a response):
    the foods just matched can be assessed as a day's diary, and a case just assessed can be
    planned. They document the workflow and let a stateful test (schemathesis) chain calls."""
    paths = schema["paths"]
    ids = {path: paths[path]["post"].get("operationId") for path in paths}
    links = {
        "/api/nutrients": {"AssessTheseFoods": {
            "operationId": ids.get("/api/assess"),
            "description": "Assess the first matched line as one day of a diary.",
            "requestBody": {"person": {"age": 50, "sex": "female"},
                            "diary": {"2026-11-20": ["$response.body#/items/0/text"]}}}},
        "/api/assess": {"PlanThisCase": {
            "operationId": ids.get("/api/plan"),
            "description": "The food and supplement plan for the case just assessed.",
            "requestBody": "$request.body"}},
    }
    for path, link in links.items():
        if path in paths and all(v["operationId"] for v in link.values()):
            paths[path]["post"]["responses"]["200"]["links"] = link
