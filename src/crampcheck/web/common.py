"""What every router of the web app shares: the journal connection, page rendering with the
CSRF cookie, reading a form (CSRF checked), the same-site check of the API, form values.

The app's journal path, person and templates are on ``request.app.state`` (set by
:func:`crampcheck.web.app.create_app`), so the routers are plain modules.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ..errors import InputError
from ..journal import store
from ..journal.db import connect
from ..report import views
from .security import CSRF_COOKIE, csrf_ok
from .security import same_origin as _same_origin

SIDES = ("", "left", "right", "both")
MUSCLES = ("calf", "foot", "thigh", "hamstring", "toes", "hand", "other")


def person_of(request: Request) -> str:
    """The person the app serves (``create_app(person=...)``)."""
    return str(request.app.state.person)


@contextmanager
def journal(request: Request) -> Iterator[sqlite3.Connection]:
    """A connection to the app's journal, closed afterwards."""
    conn = connect(request.app.state.db)
    try:
        yield conn
    finally:
        conn.close()


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    """Template ``name`` with the CSRF token (set as a cookie when the browser has none)."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    ctx = {"request": request, "csrf": csrf, "person": person_of(request),
           "page": name.split(".")[0], **ctx}
    response = request.app.state.templates.TemplateResponse(request, name, ctx,
                                                             status_code=status)
    if request.cookies.get(CSRF_COOKIE) != csrf:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


async def form_of(request: Request) -> dict[str, str]:
    """The posted form's text fields; 403 when its CSRF token or origin is not right."""
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


def back(path: str, **params: str) -> Response:
    """The redirect after a form is saved (303: the browser then GETs ``path``)."""
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path,
                            status_code=303)


def day_of(text: str | None) -> str:
    """A form's or query's day (``YYYY-MM-DD``), today when empty."""
    if not text:
        return views.today()
    return store.iso_day(text, what="day")


def safe_day(text: str) -> str:
    """:func:`day_of`, or today when ``text`` is not a day."""
    try:
        return day_of(text)
    except InputError:
        return views.today()


def opt_float(form: dict[str, str], name: str, label: str) -> float | None:
    """A form's number, ``None`` when empty; InputError naming ``label`` otherwise."""
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


def window_days(days: int) -> int:
    """The ``?days=`` of a page (1 to 365, a 400 page otherwise)."""
    if not 1 <= days <= 365:
        raise HTTPException(400, "days must be between 1 and 365")
    return days
