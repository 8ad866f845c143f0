"""The forms of the diary and profile pages (``POST``; every one carries the CSRF token).

A form saved redirects (303) back to its page; a form that cannot be saved shows its page
again with the error (400). The pages themselves are in :mod:`crampcheck.web.pages`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import InputError
from ..journal import store
from ..limits import check_request
from ..report import views
from .common import SIDES, back, day_of, form_of, journal, opt_float, person_of, safe_day
from .pages import diary_page, profile_page

router = APIRouter(include_in_schema=False)
DIETS = (None, "omnivore", "pescatarian", "vegetarian", "vegan")
INTENSITIES = (None, "light", "moderate", "vigorous")


@router.post("/diary/food")
async def add_food(request: Request) -> Response:
    form = await form_of(request)
    day = views.today()
    try:
        day = day_of(form.get("day"))
        time = (form.get("time") or "").strip() or None
        if time is not None:
            dt.time.fromisoformat(time) if len(time) == 5 else _bad_time(time)
        meal = (form.get("meal") or "").strip() or None
        parts = [p.strip() for chunk in (form.get("lines") or "").splitlines()
                 for p in chunk.split(";") if p.strip()]
        if not parts:
            raise InputError("write at least one food, for example \"1 cup cooked spinach\"")
        check_request(parts, what="this entry")
        with journal(request) as conn:
            from ..journal.pins import pins_map

            pins = pins_map(conn, person_of(request))
            entries = [e for p in parts for e in _entries(p, day, meal, time, pins)]
            store.add_food(conn, person_of(request), entries)
    except (InputError, ValueError) as exc:
        return diary_page(request, day, str(exc), 400,
                          form_lines=(form.get("lines") or "")[:20000])
    return back("/diary", day=day, added=str(len(entries)))


@router.post("/diary/cramp")
async def add_cramp(request: Request) -> Response:
    form = await form_of(request)
    day = views.today()
    try:
        day = day_of(form.get("day"))
        time = (form.get("time") or "").strip() or "00:00"
        at = f"{day} {time}"
        side = form.get("side") or None
        if side is not None and side not in SIDES:
            raise InputError("side must be left, right or both")
        with journal(request) as conn:
            store.add_cramp(conn, person_of(request), at,
                            (form.get("muscle") or "").strip() or None,
                            side, opt_float(form, "minutes", "minutes"),
                            opt_float(form, "severity", "severity"),
                            (form.get("note") or "").strip()[:500] or None)
    except InputError as exc:
        return diary_page(request, day, str(exc), 400)
    return back("/diary", day=day)


@router.post("/diary/symptom")
async def add_symptom(request: Request) -> Response:
    form = await form_of(request)
    day = views.today()
    try:
        day = day_of(form.get("day"))
        with journal(request) as conn:
            store.add_symptom(conn, person_of(request), (form.get("text") or "")[:500], day)
    except InputError as exc:
        return diary_page(request, day, str(exc), 400)
    return back("/diary", day=day)


def listed_routes(table: str, page: str) -> None:
    """Add and stop a supplement (diary), a medicine or a condition (profile)."""

    def again(request: Request, day: str, exc: InputError) -> Response:
        return (diary_page(request, safe_day(day), str(exc), 400) if page == "diary"
                else profile_page(request, str(exc), 400))

    def done(day: str) -> Response:
        return back(f"/{page}", **({"day": safe_day(day)} if page == "diary" else {}))

    @router.post(f"/{page}/{table}", name=f"add_{table}")
    async def add(request: Request) -> Response:
        form = await form_of(request)
        day = form.get("day") or views.today()
        try:
            with journal(request) as conn:
                store.add_listed(conn, table, person_of(request), (form.get("text") or "")[:300],
                                 (form.get("since") or "").strip() or None)
        except InputError as exc:
            return again(request, day, exc)
        return done(day)

    @router.post(f"/{page}/{table}/stop", name=f"stop_{table}")
    async def stop(request: Request) -> Response:
        form = await form_of(request)
        day = form.get("day") or views.today()
        try:
            with journal(request) as conn:
                store.stop_listed(conn, table, person_of(request),
                                  (form.get("which") or "").strip(),
                                  (form.get("on") or "").strip() or None)
        except InputError as exc:
            return again(request, day, exc)
        return done(day)


listed_routes("supplements", "diary")
listed_routes("medicines", "profile")
listed_routes("conditions", "profile")


@router.post("/profile")
async def set_profile(request: Request) -> Response:
    form = await form_of(request)
    try:
        sex = form.get("sex") or None
        if sex not in (None, "female", "male"):
            raise InputError("sex must be female or male")
        diet = form.get("diet") or None
        if diet not in DIETS:
            raise InputError("diet must be omnivore, pescatarian, vegetarian or vegan")
        intensity = form.get("intensity") or None
        if intensity not in INTENSITIES:
            raise InputError("intensity must be light, moderate or vigorous")
        avoid = [a.strip() for a in (form.get("avoid") or "").split(",") if a.strip()]
        with journal(request) as conn:
            store.set_profile(conn, person_of(request), age=opt_float(form, "age", "age"),
                              sex=sex, pregnant=form.get("pregnant") == "on",
                              lactating=form.get("lactating") == "on",
                              weight_kg=opt_float(form, "weight_kg", "weight"), diet=diet,
                              avoid=avoid,
                              exercise_hours_per_week=opt_float(
                                  form, "exercise_hours", "exercise hours"),
                              exercise_intensity=intensity)
    except InputError as exc:
        return profile_page(request, str(exc), 400)
    return back("/profile")


@router.post("/profile/labs")
async def add_lab(request: Request) -> Response:
    form = await form_of(request)
    try:
        value = opt_float(form, "value", "the result")
        if value is None:
            raise InputError("give the result as a number")
        with journal(request) as conn:
            store.add_lab(conn, person_of(request), (form.get("test") or "")[:100], value,
                          (form.get("unit") or "")[:30], (form.get("date") or "") or None)
    except InputError as exc:
        return profile_page(request, str(exc), 400)
    return back("/profile")


def _bad_time(text: str) -> None:
    raise InputError(f"time {text!r} must be HH:MM")


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
