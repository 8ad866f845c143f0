"""Edit, delete (into the trash) and restore journal entries from the web app.

Every diary and profile row links to ``/entry/{id}/edit`` and ``/entry/{id}/delete`` (ids as
in :mod:`crampcheck.journal.entries`: ``f12``, ``c3`` …). Both are plain pages with a form,
so they work without JavaScript: the delete page asks for confirmation and its button posts
the form; the change is made only by that ``POST``, which carries the CSRF token like every
other form. After a delete the page the entry was on says so and offers "Undo" (a restore
from the trash); ``/trash`` lists what was deleted in the last 30 days.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ..errors import InputError
from ..journal import entries as je
from .common import form_of, journal, person_of, render

# form field -> edit option, by kind (fields left empty clear optional values)
CLEARABLE = {"time", "meal", "side", "minutes", "severity", "note", "muscle", "until", "since"}


def home_of(entry: dict[str, Any]) -> str:
    """The page an entry is shown on (where to go back to)."""
    if entry["kind"] in ("food", "cramp", "symptom", "supplement"):
        day = entry.get("day")
        if entry["kind"] == "supplement":
            return "/diary"
        return f"/diary?{urlencode({'day': day})}" if day else "/diary"
    return "/profile"


def deleted_ref(request: Request) -> str | None:
    """The id in ``?deleted=`` when it is a well-formed entry id (for the "Undo" notice)."""
    value = request.query_params.get("deleted")
    if not value:
        return None
    try:
        kind, row_id = je.parse_ref(value)
    except InputError:
        return None
    return je.ref(kind, row_id)


def _current(entry: dict[str, Any]) -> dict[str, str]:
    """The entry's values as the edit form shows them."""
    kind = entry["kind"]
    def s(v: Any) -> str:
        return "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
    if kind == "food":
        return {"text": s(entry["text"]), "date": s(entry["day"]), "time": s(entry["time"]),
                "meal": s(entry["meal"])}
    if kind == "cramp":
        at = str(entry["at"])
        return {"date": at[:10], "time": at[11:16], "muscle": s(entry["muscle"]),
                "side": s(entry["side"]), "minutes": s(entry["minutes"]),
                "severity": s(entry["severity"]), "note": s(entry["note"])}
    if kind == "symptom":
        return {"text": s(entry["text"]), "date": s(entry["day"])}
    if kind == "lab":
        return {"test": s(entry["test"]), "value": s(entry["value"]), "unit": s(entry["unit"]),
                "date": s(entry["date"])}
    return {"text": s(entry["text"]), "since": s(entry["since"]), "until": s(entry["until"])}


def changes_from_form(entry: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The edit options for what the form changed (unchanged fields are left out, so an
    unchanged food line is not matched again)."""
    now = _current(entry)
    changed: dict[str, Any] = {}
    for key, old in now.items():
        if key not in form:
            continue
        new = form[key].strip()[:500]
        if new == old:
            continue
        changed[key] = "none" if new == "" and key in CLEARABLE else new
    if entry["kind"] == "cramp" and ("date" in changed or "time" in changed):
        date = form.get("date", now["date"]).strip() or now["date"]
        time = form.get("time", now["time"]).strip() or "00:00"
        changed.pop("date", None)
        changed.pop("time", None)
        changed["at"] = f"{date} {time}"
    return changed


router = APIRouter(include_in_schema=False)


def _load(request: Request, entry: str) -> dict[str, Any]:
    with journal(request) as conn:
        return je.get_entry(conn, person_of(request), entry)


def _not_found(request: Request, exc: InputError, title: str = "No such entry") -> Response:
    return render(request, "error.html", {"title": title, "message": str(exc)}, 404)


def _back_with(row: dict[str, Any], what: str) -> Response:
    """Back to the page the entry is on, saying what was done (``?changed=f12``)."""
    back = home_of(row)
    return RedirectResponse(back + ("&" if "?" in back else "?") + urlencode({what: row["ref"]}),
                            status_code=303)


def _edit_page(request: Request, entry: dict[str, Any], values: dict[str, str] | None = None,
               error: str | None = None, status: int = 200) -> Response:
    return render(request, "entry_edit.html", {
        "entry": entry, "values": values or _current(entry), "error": error,
        "back": home_of(entry), "sides": ("left", "right", "both"),
        "meals": ("breakfast", "lunch", "dinner", "snack")}, status)


@router.get("/entry/{entry}/edit")
def edit_form(request: Request, entry: str) -> Response:
    try:
        row = _load(request, entry)
    except InputError as exc:
        return _not_found(request, exc)
    return _edit_page(request, row)


@router.post("/entry/{entry}/edit")
async def edit_save(request: Request, entry: str) -> Response:
    form = await form_of(request)
    try:
        row = _load(request, entry)
    except InputError as exc:
        return _not_found(request, exc)
    try:
        changes = changes_from_form(row, form)
        if changes:
            with journal(request) as conn:
                row = je.edit_entry(conn, person_of(request), entry, changes)
    except InputError as exc:
        values = {**_current(row), **{k: v for k, v in form.items() if k != "csrf"}}
        return _edit_page(request, row, values, str(exc), 400)
    return _back_with(row, "changed")


@router.get("/entry/{entry}/delete")
def delete_form(request: Request, entry: str) -> Response:
    try:
        row = _load(request, entry)
    except InputError as exc:
        return _not_found(request, exc)
    return render(request, "entry_delete.html", {"entry": row, "back": home_of(row),
                                                 "days": je.TRASH_DAYS})


@router.post("/entry/{entry}/delete")
async def delete_now(request: Request, entry: str) -> Response:
    await form_of(request)
    try:
        with journal(request) as conn:
            row = je.delete_entries(conn, person_of(request), [entry])[0]
    except InputError as exc:
        return _not_found(request, exc)
    return _back_with(row, "deleted")


@router.post("/entry/{entry}/restore")
async def restore_now(request: Request, entry: str) -> Response:
    form = await form_of(request)
    try:
        with journal(request) as conn:
            row = je.restore(conn, person_of(request), entry)
    except InputError as exc:
        return _not_found(request, exc, "Not restored")
    if form.get("next") == "trash":
        return RedirectResponse("/trash?" + urlencode({"restored": row["ref"]}),
                                status_code=303)
    return _back_with(row, "restored")


@router.get("/trash")
def trash_page(request: Request) -> Response:
    with journal(request) as conn:
        rows = je.trash(conn, person_of(request))
    return render(request, "trash.html", {"rows": rows, "days": je.TRASH_DAYS,
                                          "restored": request.query_params.get("restored")})
