"""The local web app: FastAPI + Jinja2, server-rendered pages over the journal, and a JSON API.

Pages work without JavaScript; ``static/app.js`` only adds the live match preview of food
lines (it calls ``POST /api/nutrients``). Every asset is in this package: the app makes no
external request of any kind. See :mod:`crampcheck.web.security` for the guard.

The JSON API has the CLI's contracts:

- ``POST /api/nutrients`` ``{"lines": [...], "branded": false}`` → ``crampcheck nutrients --json``
  (with the person's food pins)
- ``POST /api/pins`` ``{"phrase": "...", "food_id": "..."}`` → the pin stored (``foods pin``)
- ``POST /api/assess`` (a case file's JSON) → ``crampcheck assess --json --no-plan``
- ``POST /api/plan`` (a case file's JSON) → the plan's ``to_dict()``

Malformed input gets a 4xx with ``{"detail": "..."}`` saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from .. import __version__
from ..errors import CrampcheckError, InputError
from ..journal import store
from ..journal.db import connect, default_db_path, person_id, transaction
from ..limits import MAX_LINE_CHARS as _MAX_LINE_CHARS
from ..limits import MAX_REQUEST_LINES, check_request
from ..report import TEMPLATES as REPORT_TEMPLATES
from ..report import views
from ..report.labels import num as _num
from .security import (
    CSRF_COOKIE,
    Guard,
    check_bind,
    csrf_ok,
    is_loopback,
    unexpected_message,
)
from .security import same_origin as _same_origin

HERE = Path(__file__).parent
MAX_LINES = MAX_REQUEST_LINES
MAX_LINE_CHARS = _MAX_LINE_CHARS


class SafeJSONResponse(JSONResponse):
    """JSON that never holds the non-JSON literals NaN or Infinity (they become null)."""

    def render(self, content: Any) -> bytes:
        from ..jsonsafe import dumps

        return dumps(content, separators=(",", ":")).encode("utf-8")
SIDES = ("", "left", "right", "both")
MUSCLES = ("calf", "foot", "thigh", "hamstring", "toes", "hand", "other")


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


def _case_from_json(raw: Any) -> Any:
    from ..case import case_from_dict

    case = case_from_dict(raw)
    texts = [*case.medications, *case.supplements, *case.conditions, *case.symptoms,
             *(lab.test for lab in case.labs)]
    check_request([t for v in case.diary.values() for t in v], what="this case",
                  others=texts)
    return case


def _opt_float(form: dict[str, str], name: str, label: str) -> float | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{label} must be a number, not {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{label} must be a number")
    return value


def _day(text: str | None) -> str:
    if not text:
        return views.today()
    return store.iso_day(text, what="day")


def create_app(db_path: str | Path | None = None, person: str = "me", *,
               token: str | None = None, host: str = "127.0.0.1") -> Guard:
    """The app over the journal at ``db_path`` (default: the CLI's), for ``person``.

    Raises
    ------
    InputError
        ``host`` is not a loopback address and no token is given (see
        :func:`crampcheck.web.security.check_bind`).
    """
    check_bind(host, token)
    db = Path(db_path) if db_path is not None else default_db_path()
    conn0 = connect(db)
    try:
        with transaction(conn0):
            person_id(conn0, person)
    finally:
        conn0.close()

    app = FastAPI(title="crampcheck", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", default_response_class=SafeJSONResponse,
                  description="Leg cramps and calcium, magnesium and other intake: the JSON "
                              "API of crampcheck (same contracts as the CLI's --json).")
    templates = Jinja2Templates(directory=[HERE / "templates", REPORT_TEMPLATES])
    templates.env.filters["num"] = _num
    templates.env.globals["disclaimer"] = views.DISCLAIMER
    from . import entries as web_entries

    templates.env.globals["deleted_ref"] = web_entries.deleted_ref
    from ..report.labels import install as install_labels

    install_labels(templates.env)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.db = db
    app.state.person = person

    @contextmanager
    def journal() -> Iterator[sqlite3.Connection]:
        conn = connect(db)
        try:
            yield conn
        finally:
            conn.close()

    def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        ctx = {"request": request, "csrf": csrf, "person": person, "page": name.split(".")[0],
               **ctx}
        response = templates.TemplateResponse(request, name, ctx, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
        return response

    async def form_of(request: Request) -> dict[str, str]:
        form = await request.form(max_files=0, max_fields=50, max_part_size=64 * 1024)
        data = {k: v for k, v in form.items() if isinstance(v, str)}
        if not csrf_ok(data.get("csrf"), request.cookies.get(CSRF_COOKIE),
                       request.headers.get("origin"), request.headers.get("host"),
                       referer=request.headers.get("referer"),
                       fetch_site=request.headers.get("sec-fetch-site")):
            raise HTTPException(403, "the form's security token is missing or out of date: "
                                     "reload the page and try again")
        return data

    def same_origin(request: Request) -> None:
        """API calls sent by a page on another site are refused (an Origin must be this
        server; clients that send no Origin, such as curl, are not browsers)."""
        if not _same_origin(request.headers.get("origin"), request.headers.get("host"),
                            referer=request.headers.get("referer"),
                            fetch_site=request.headers.get("sec-fetch-site"), require=False):
            raise HTTPException(403, "requests from another site are refused")

    @app.exception_handler(CrampcheckError)
    async def crampcheck_error(request: Request, exc: CrampcheckError) -> Response:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        """The web side of the one error boundary: a 500 without a traceback (Starlette then
        raises the error on, and :class:`~crampcheck.web.security.Guard` logs one line)."""
        msg = unexpected_message(exc)
        if request.url.path.startswith("/api/") or \
                request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"detail": msg}, status_code=500)
        try:
            return render(request, "error.html", {"title": "Something went wrong",
                                                  "message": msg}, 500)
        except Exception:  # the page itself failed: plain text, still no traceback
            return Response(msg, status_code=500, media_type="text/plain")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors()[:5]:
            if e.get("type") == "json_invalid":
                err = (e.get("ctx") or {}).get("error")
                parts.append(f"the body is not valid JSON ({err or e.get('msg')})")
                continue
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where or 'body'}: {e.get('msg')}")
        return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.method != "POST" and \
                request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", {"title": "Something is not right",
                                              "message": exc.detail}, exc.status_code)

    # ---------------------------------------------------------------- pages

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/diary", status_code=303)

    def diary_page(request: Request, day: str, error: str | None = None,
                   status: int = 200, form_lines: str | None = None) -> Response:
        with journal() as conn:
            entries = store.food_entries(conn, person, day, day)
            from ..journal.window import sum_day

            totals = sum_day(day, entries) if entries else None
            cramps = store.cramps(conn, person, day, day)
            supplements = store.list_listed(conn, "supplements", person)
            symptoms = store.symptoms(conn, person, day, day)
            profile = store.get_profile(conn, person)
        d = dt.date.fromisoformat(day)
        return render(request, "diary.html", {
            "day": day, "prev": (d - dt.timedelta(days=1)).isoformat(),
            "next": (d + dt.timedelta(days=1)).isoformat(), "entries": entries,
            "totals": totals, "cramps": cramps, "supplements": supplements,
            "symptoms": symptoms, "error": error, "needs_profile": profile.get("age") is None,
            "muscles": MUSCLES, "sides": SIDES, "now": dt.datetime.now().strftime("%H:%M"),
            "added": request.query_params.get("added"),
            "form_lines": form_lines}, status)  # kept in the form after an error

    @app.get("/diary", include_in_schema=False)
    def diary(request: Request, day: str | None = None) -> Response:
        try:
            iso = _day(day)
        except InputError as exc:
            return diary_page(request, views.today(), str(exc), 400)
        return diary_page(request, iso)

    def _back(path: str, **params: str) -> Response:
        from urllib.parse import urlencode

        return RedirectResponse(f"{path}?{urlencode(params)}" if params else path,
                                status_code=303)

    @app.post("/diary/food", include_in_schema=False)
    async def add_food(request: Request) -> Response:
        form = await form_of(request)
        day = views.today()
        try:
            day = _day(form.get("day"))
            time = (form.get("time") or "").strip() or None
            if time is not None:
                dt.time.fromisoformat(time) if len(time) == 5 else _bad_time(time)
            meal = (form.get("meal") or "").strip() or None
            parts = [p.strip() for chunk in (form.get("lines") or "").splitlines()
                     for p in chunk.split(";") if p.strip()]
            if not parts:
                raise InputError("write at least one food, for example \"1 cup cooked spinach\"")
            check_request(parts, what="this entry")
            with journal() as conn:
                from ..journal.pins import pins_map

                pins = pins_map(conn, person)
                entries = [e for p in parts for e in _entries(p, day, meal, time, pins)]
                store.add_food(conn, person, entries)
        except (InputError, ValueError) as exc:
            return diary_page(request, day, str(exc), 400,
                              form_lines=(form.get("lines") or "")[:20000])
        return _back("/diary", day=day, added=str(len(entries)))

    @app.post("/diary/cramp", include_in_schema=False)
    async def add_cramp(request: Request) -> Response:
        form = await form_of(request)
        day = views.today()
        try:
            day = _day(form.get("day"))
            time = (form.get("time") or "").strip() or "00:00"
            at = f"{day} {time}"
            side = form.get("side") or None
            if side is not None and side not in SIDES:
                raise InputError("side must be left, right or both")
            with journal() as conn:
                store.add_cramp(conn, person, at, (form.get("muscle") or "").strip() or None,
                                side, _opt_float(form, "minutes", "minutes"),
                                _opt_float(form, "severity", "severity"),
                                (form.get("note") or "").strip()[:500] or None)
        except InputError as exc:
            return diary_page(request, day, str(exc), 400)
        return _back("/diary", day=day)

    @app.post("/diary/symptom", include_in_schema=False)
    async def add_symptom(request: Request) -> Response:
        form = await form_of(request)
        day = views.today()
        try:
            day = _day(form.get("day"))
            with journal() as conn:
                store.add_symptom(conn, person, (form.get("text") or "")[:500], day)
        except InputError as exc:
            return diary_page(request, day, str(exc), 400)
        return _back("/diary", day=day)

    def listed_routes(table: str, page: str) -> None:
        @app.post(f"/{page}/{table}", include_in_schema=False, name=f"add_{table}")
        async def add(request: Request) -> Response:
            form = await form_of(request)
            day = form.get("day") or views.today()
            try:
                with journal() as conn:
                    store.add_listed(conn, table, person, (form.get("text") or "")[:300],
                                     (form.get("since") or "").strip() or None)
            except InputError as exc:
                return (diary_page(request, _safe_day(day), str(exc), 400) if page == "diary"
                        else profile_page(request, str(exc), 400))
            return _back(f"/{page}", **({"day": _safe_day(day)} if page == "diary" else {}))

        @app.post(f"/{page}/{table}/stop", include_in_schema=False, name=f"stop_{table}")
        async def stop(request: Request) -> Response:
            form = await form_of(request)
            day = form.get("day") or views.today()
            try:
                with journal() as conn:
                    store.stop_listed(conn, table, person, (form.get("which") or "").strip(),
                                      (form.get("on") or "").strip() or None)
            except InputError as exc:
                return (diary_page(request, _safe_day(day), str(exc), 400) if page == "diary"
                        else profile_page(request, str(exc), 400))
            return _back(f"/{page}", **({"day": _safe_day(day)} if page == "diary" else {}))

    def profile_page(request: Request, error: str | None = None, status: int = 200) -> Response:
        with journal() as conn:
            ctx = {"profile": store.get_profile(conn, person),
                   "medicines": store.list_listed(conn, "medicines", person),
                   "conditions": store.list_listed(conn, "conditions", person),
                   "labs": store.labs(conn, person), "error": error,
                   "today": views.today()}
        return render(request, "profile.html", ctx, status)

    listed_routes("supplements", "diary")
    listed_routes("medicines", "profile")
    listed_routes("conditions", "profile")

    @app.get("/profile", include_in_schema=False)
    def profile(request: Request) -> Response:
        return profile_page(request)

    @app.post("/profile", include_in_schema=False)
    async def set_profile(request: Request) -> Response:
        form = await form_of(request)
        try:
            sex = form.get("sex") or None
            if sex not in (None, "female", "male"):
                raise InputError("sex must be female or male")
            diet = form.get("diet") or None
            if diet not in (None, "omnivore", "pescatarian", "vegetarian", "vegan"):
                raise InputError("diet must be omnivore, pescatarian, vegetarian or vegan")
            intensity = form.get("intensity") or None
            if intensity not in (None, "light", "moderate", "vigorous"):
                raise InputError("intensity must be light, moderate or vigorous")
            avoid = [a.strip() for a in (form.get("avoid") or "").split(",") if a.strip()]
            with journal() as conn:
                store.set_profile(conn, person, age=_opt_float(form, "age", "age"), sex=sex,
                                  pregnant=form.get("pregnant") == "on",
                                  lactating=form.get("lactating") == "on",
                                  weight_kg=_opt_float(form, "weight_kg", "weight"), diet=diet,
                                  avoid=avoid,
                                  exercise_hours_per_week=_opt_float(
                                      form, "exercise_hours", "exercise hours"),
                                  exercise_intensity=intensity)
        except InputError as exc:
            return profile_page(request, str(exc), 400)
        return _back("/profile")

    @app.post("/profile/labs", include_in_schema=False)
    async def add_lab(request: Request) -> Response:
        form = await form_of(request)
        try:
            value = _opt_float(form, "value", "the result")
            if value is None:
                raise InputError("give the result as a number")
            with journal() as conn:
                store.add_lab(conn, person, (form.get("test") or "")[:100], value,
                              (form.get("unit") or "")[:30], (form.get("date") or "") or None)
        except InputError as exc:
            return profile_page(request, str(exc), 400)
        return _back("/profile")

    def window_days(days: int) -> int:
        if not 1 <= days <= 365:
            raise HTTPException(400, "days must be between 1 and 365")
        return days

    def assessment_page(request: Request, template: str, days: int, with_plan: bool
                        ) -> Response:
        """The journal's assessment of the last ``days`` days, rendered with ``template``."""
        days = window_days(days)
        try:
            with journal() as conn:
                view = views.journal_assessment(conn, person, days, with_plan=with_plan)
        except InputError as exc:
            return render(request, template, {"view": None, "error": str(exc), "days": days})
        return render(request, template, {"view": view, "days": days, "error": None})

    @app.get("/assessment", include_in_schema=False)
    def assessment(request: Request, days: int = 14) -> Response:
        return assessment_page(request, "assessment.html", days, with_plan=False)

    @app.get("/plan", include_in_schema=False)
    def plan(request: Request, days: int = 14) -> Response:
        return assessment_page(request, "plan.html", days, with_plan=True)

    @app.get("/history", include_in_schema=False)
    def history(request: Request, days: int = 30) -> Response:
        days = window_days(days)
        with journal() as conn:
            hv = views.history_view(conn, person, days)
        return render(request, "history.html", {"h": hv, "days": days})

    web_entries.add_entry_routes(app, render=render, form_of=form_of, journal=journal,
                                 person=person)  # edit, delete, restore, trash (issue 13)

    # ---------------------------------------------------------------- API

    @app.post("/api/nutrients", tags=["api"], responses=ERRORS,
              dependencies=[Depends(same_origin)],
              summary="Match food lines to USDA foods and add up their nutrients")
    def api_nutrients(body: NutrientsRequest) -> dict[str, Any]:
        from ..journal.pins import pins_map
        from ..totals import nutrients

        lines = [t for t in body.lines if t.strip()]
        if not lines:
            raise InputError("no food lines given (try \"1 cup cooked spinach\")")
        check_request(lines, branded=body.branded)
        with journal() as conn:
            pins = pins_map(conn, person)
        return nutrients(lines, branded=body.branded, pins=pins).to_dict()

    @app.post("/api/pins", tags=["api"], responses=ERRORS,
              dependencies=[Depends(same_origin)],
              summary="Remember the food chosen for a phrase (a food pin in the journal)")
    def api_pin(body: PinRequest) -> dict[str, Any]:
        from ..journal.pins import set_pin

        with journal() as conn:
            return set_pin(conn, person, body.phrase, body.food_id)

    @app.post("/api/assess", tags=["api"], responses=ERRORS,
              dependencies=[Depends(same_origin)],
              summary="Assess a case (the JSON of a case file), as 'crampcheck assess --json'")
    def api_assess(case: Annotated[dict[str, Any], Body(
            openapi_examples={"case": {"value": CASE_SCHEMA["example"]}})],
            ratio_low: Annotated[float, Query(gt=0, le=20)] = 1.5,
            ratio_high: Annotated[float, Query(gt=0, le=20)] = 2.5) -> dict[str, Any]:
        from ..assess import assess

        if not ratio_low < ratio_high:
            raise InputError("ratio_low must be below ratio_high")
        return assess(_case_from_json(case), ratio_band=(ratio_low, ratio_high)).to_dict()

    @app.post("/api/plan", tags=["api"], responses=ERRORS,
              dependencies=[Depends(same_origin)],
              summary="The food and supplement plan for a case (the JSON of a case file)")
    def api_plan(case: Annotated[dict[str, Any], Body(
            openapi_examples={"case": {"value": CASE_SCHEMA["example"]}})]) -> Any:
        from ..assess import assess

        result = assess(_case_from_json(case))
        plan_dict, why = views.plan_for(result, with_sources=False)
        if plan_dict is None:
            return JSONResponse({"detail": why}, status_code=409)
        return plan_dict

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
    return Guard(app, token=token, loopback_only=is_loopback(host), fastapi=app)


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


def _bad_time(text: str) -> None:
    raise InputError(f"time {text!r} must be HH:MM")


def _safe_day(text: str) -> str:
    try:
        return _day(text)
    except InputError:
        return views.today()


def _entries(text: str, day: str, meal: str | None, time: str | None,
             pins: dict[str, str] | None = None) -> list[Any]:
    """Journal food entries for one line: one per food (a meal line gives several), an
    unmatched one kept with the reason."""
    from ..foods.schema import NUTRIENTS
    from ..journal.store import FoodEntry
    from ..totals import Item, analyze_text

    out = []
    for r in analyze_text(text, day=day, meal=meal, time=time, pins=pins):
        if isinstance(r, Item):
            out.append(FoodEntry(day=day, text=text, source="web", nutrients=dict(r.nutrients),
                                 time=time, meal=meal, food_id=r.food.id,
                                 food_name=r.food.name, grams=r.grams,
                                 grams_method=r.grams_method,
                                 note="; ".join(r.notes) or None))
        else:
            out.append(FoodEntry(day=day, text=text, source="web",
                                 nutrients=dict.fromkeys(NUTRIENTS), time=time, meal=meal,
                                 note=f"not matched: {r.reason}"))
    return out
