"""The local web app: FastAPI + Jinja2, server-rendered pages over the journal, and a JSON API.

:func:`create_app` is the app factory: it sets up the templates (the web pages' own in
``web/templates`` and the parts shared with the report in ``report/templates``), the static
files and the error pages, and includes one router per family of pages:

- :mod:`crampcheck.web.pages`: the pages (``GET /diary``, ``/profile``, ``/assessment``,
  ``/plan``, ``/history``)
- :mod:`crampcheck.web.forms`: the diary and profile forms (``POST``)
- :mod:`crampcheck.web.entries`: edit, delete, restore and the trash
- :mod:`crampcheck.web.api`: the JSON API (``/api/…``, the CLI's contracts)

Pages work without JavaScript; ``static/app.js`` only adds the live match preview of food
lines (it calls ``POST /api/nutrients``). Every asset is in this package: the app makes no
external request of any kind. See :mod:`crampcheck.web.security` for the guard.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import CrampcheckError
from ..journal.db import connect, default_db_path, person_id, transaction
from ..report import TEMPLATES as REPORT_TEMPLATES
from ..report import views
from ..report.labels import install as install_labels
from ..report.labels import num
from . import api, entries, forms, pages
from .api import SafeJSONResponse as SafeJSONResponse  # noqa: F401 (imported from here)
from .common import render
from .security import Guard, check_bind, is_loopback, unexpected_message

HERE = Path(__file__).parent


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
    conn = connect(db)
    try:
        with transaction(conn):
            person_id(conn, person)
    finally:
        conn.close()

    app = FastAPI(title="crampcheck", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", default_response_class=SafeJSONResponse,
                  description="Leg cramps and calcium, magnesium and other intake: the JSON "
                              "API of crampcheck (same contracts as the CLI's --json).")
    app.state.db = db
    app.state.person = person
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _add_error_handlers(app)
    for module in (pages, forms, entries, api):
        app.include_router(module.router)
    api.install_openapi(app)
    return Guard(app, token=token, loopback_only=is_loopback(host), fastapi=app)


def _templates() -> Jinja2Templates:
    """The pages' templates, with the report's number and label filters and shared parts."""
    templates = Jinja2Templates(directory=[HERE / "templates", REPORT_TEMPLATES])
    templates.env.filters["num"] = num
    templates.env.globals["disclaimer"] = views.DISCLAIMER
    templates.env.globals["deleted_ref"] = entries.deleted_ref
    install_labels(templates.env)
    return templates


def _add_error_handlers(app: FastAPI) -> None:
    """Errors as ``{"detail": …}`` for the API (and clients asking for JSON), as an error page
    for the pages."""

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
