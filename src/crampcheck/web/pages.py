"""The pages that show the journal: the diary of a day, the profile, the assessment, the plan
and the history (``GET``; the forms they post to are in :mod:`crampcheck.web.forms`)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ..errors import InputError
from ..journal import store
from ..report import views
from .common import MUSCLES, SIDES, day_of, journal, person_of, render, window_days

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/diary", status_code=303)


def diary_page(request: Request, day: str, error: str | None = None,
               status: int = 200, form_lines: str | None = None) -> Response:
    """The diary of ``day``; with ``error`` (and the lines typed, kept in the form) after a
    form that could not be saved."""
    person = person_of(request)
    with journal(request) as conn:
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


@router.get("/diary")
def diary(request: Request, day: str | None = None) -> Response:
    try:
        iso = day_of(day)
    except InputError as exc:
        return diary_page(request, views.today(), str(exc), 400)
    return diary_page(request, iso)


def profile_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    """The profile with medicines, conditions and labs; with ``error`` after a bad form."""
    person = person_of(request)
    with journal(request) as conn:
        ctx = {"profile": store.get_profile(conn, person),
               "medicines": store.list_listed(conn, "medicines", person),
               "conditions": store.list_listed(conn, "conditions", person),
               "labs": store.labs(conn, person), "error": error,
               "today": views.today()}
    return render(request, "profile.html", ctx, status)


@router.get("/profile")
def profile(request: Request) -> Response:
    return profile_page(request)


def assessment_page(request: Request, template: str, days: int, with_plan: bool) -> Response:
    """The journal's assessment of the last ``days`` days, rendered with ``template``."""
    days = window_days(days)
    try:
        with journal(request) as conn:
            view = views.journal_assessment(conn, person_of(request), days,
                                            with_plan=with_plan)
    except InputError as exc:
        return render(request, template, {"view": None, "error": str(exc), "days": days})
    return render(request, template, {"view": view, "days": days, "error": None})


@router.get("/assessment")
def assessment(request: Request, days: int = 14) -> Response:
    return assessment_page(request, "assessment.html", days, with_plan=False)


@router.get("/plan")
def plan(request: Request, days: int = 14) -> Response:
    return assessment_page(request, "plan.html", days, with_plan=True)


@router.get("/history")
def history(request: Request, days: int = 30) -> Response:
    days = window_days(days)
    with journal(request) as conn:
        hv = views.history_view(conn, person_of(request), days)
    return render(request, "history.html", {"h": hv, "days": days})
