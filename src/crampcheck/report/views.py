"""What the pages and the report show, gathered from the journal, the assessment and the plan.

No web framework here: the web app (:mod:`crampcheck.web`) and the report (HTML, PDF) both
call these functions; :mod:`crampcheck.report` never imports :mod:`crampcheck.web`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..assess import Assessment, assess
from ..case import Case
from ..errors import CrampcheckError
from ..journal import store
from ..journal.trends import trends
from ..journal.window import case_for_window, daily_intake, window_entries
from ..models import Person
from ..nutrient_registry import epa_dha_mg_of
from . import charts, labels
from .plan_text import plan_words

SEVERITY_LABEL = {"urgent": "Urgent", "high": "High", "moderate": "Moderate", "low": "Low",
                  "info": "Info"}
DISCLAIMER = ("crampcheck describes your intake and your records; it does not diagnose or "
              "treat. Talk with a clinician before you change medicines or start supplements, "
              "and get help at once for a red flag.")
PLAN_UNAVAILABLE = ("The plan is not available in this version of crampcheck yet: the "
                    "assessment's recommendations above still apply.")


def person_from_profile(profile: dict[str, Any]) -> Person | None:
    """The :class:`Person` of a journal profile, or ``None`` without age and sex."""
    if profile.get("age") is None or profile.get("sex") is None:
        return None
    return Person(age=float(profile["age"]), sex=profile["sex"],
                  pregnant=bool(profile.get("pregnant")), lactating=bool(profile.get("lactating")),
                  weight_kg=profile.get("weight_kg"))


def sources_for(evidence: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Evidence entries (``{"source", "grade"}``) with the registry's title, publisher, year."""
    registry = knowledge.sources()
    out = []
    for e in evidence:
        s = registry.get(e.get("source", ""), {})
        out.append({"id": e.get("source"), "grade": e.get("grade"),
                    "title": s.get("title", e.get("source")), "publisher": s.get("publisher"),
                    "year": s.get("year"), "url": s.get("url")})
    return out


def findings_view(result: Assessment) -> dict[str, Any]:
    """Findings split into red flags and the rest (severity order kept), with sources."""
    d = result.to_dict()
    findings = []
    for f in d["findings"]:
        extra = {k: v for k, v in f.items()
                 if k not in ("topic", "severity", "summary", "detail", "evidence")}
        findings.append({**f, "summary": labels.words(f.get("summary") or ""),
                         "detail": labels.words(f["detail"]) if f.get("detail") else f.get(
                             "detail"),
                         "sources": sources_for(f.get("evidence", [])),
                         "data_items": _flat(extra)})
    red = [f for f in findings if f["topic"] == "red_flag"]
    rest = [f for f in findings if f["topic"] != "red_flag"]
    recs = [{**r, "text": labels.words(r.get("text") or "")} for r in d["recommendations"]]
    return {"red_flags": red, "findings": rest, "recommendations": recs, "dict": d}


def _flat(data: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for k, v in data.items():
        if isinstance(v, float):
            v = labels.fmt_amount(v)
        elif isinstance(v, (list, tuple)):
            v = ", ".join(labels.fmt_amount(x) if isinstance(x, float) else str(x)
                          for x in v) if all(not isinstance(x, dict) for x in v) else (
                f"{len(v)} entries")
        elif isinstance(v, dict):
            v = ", ".join(f"{labels.name(a)}: "
                          f"{labels.fmt_amount(b) if isinstance(b, float) else b}"
                          for a, b in list(v.items())[:8])
        out.append((labels.label(k) if k in labels.NUTRIENTS else labels.name(k),
                    labels.words(str(v))))
    return out


def plan_for(result: Assessment, *, with_sources: bool = True
             ) -> tuple[dict[str, Any] | None, str | None]:
    """The plan for an assessment as a dict (``Plan.to_dict()``; with ``with_sources`` each
    supplement also gets its sources' titles), or ``None`` and why not."""
    try:
        from ..plan import plan_for_assessment  # type: ignore[attr-defined]
    except ImportError:
        return None, PLAN_UNAVAILABLE
    try:
        plan = plan_for_assessment(result).to_dict()
    except CrampcheckError as exc:
        return None, f"No plan could be made: {exc}"
    for item in (plan.get("supplements") or []) if with_sources else []:
        if isinstance(item, dict):
            item["sources"] = sources_for(item.get("evidence") or [])
    return plan, None


def intake_table(result: Assessment) -> list[dict[str, Any]]:
    """Rows for the intake table (nutrients with a target): intake, EAR, RDA/AI, UL, state."""
    rows = []
    mean = result.intake.daily_mean
    for key in charts.INTAKE_KEYS:
        t = result.targets.get(key)
        if t is None:
            continue
        v = mean.get(key)
        target = t.rda if t.rda is not None else t.ai
        # the EPA+DHA figure is a guideline (EFSA), not a Dietary Reference Intake
        kind = "RDA" if t.rda is not None else ("AI" if t.is_dri else "guideline")
        supp = result.intake.from_supplements.get(key) or 0.0
        if v is None:
            state = "no data"
        elif t.ul is not None and t.ul_applies_to == "supplements" and supp > t.ul:
            state = "supplements above UL"
        elif t.ear is not None and v < t.ear:
            state = "below EAR"
        elif target is not None and v < target:
            state = f"below {kind}"
        elif t.ul is not None and t.ul_applies_to == "total" and v > t.ul:
            state = "above UL"
        elif key == "sodium_mg" and t.cdrr is not None and v > t.cdrr:
            state = "above CDRR"
        else:
            state = "meets target"
        rows.append({"key": key, "label": labels.name(key), "unit": t.unit, "intake": v,
                     "from_supplements": result.intake.from_supplements.get(key),
                     "ear": t.ear, "rda": t.rda, "ai": t.ai, "ul": t.ul,
                     "ul_applies_to": t.ul_applies_to, "cdrr": t.cdrr, "state": state,
                     "kind": kind,
                     "group": t.group, "missing": len(result.intake.missing.get(key, []))})
    return rows


@dataclass
class AssessmentView:
    result: Assessment
    case: Case
    red_flags: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]
    intake_rows: list[dict[str, Any]]
    charts: dict[str, str]
    plan: dict[str, Any] | None
    plan_note: str | None
    start: str | None = None
    end: str | None = None
    events: list[charts.Event] = field(default_factory=list)
    plan_extra: dict[str, Any] = field(default_factory=dict)  # report.plan_text.plan_words
    window_note: str | None = None  # where the food entries are when the window has none


def ratio_per_day(result: Assessment) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for day, t in result.intake.per_day.items():
        ca, mg = t.get("calcium_mg"), t.get("magnesium_mg")
        out[day] = ca / mg if ca is not None and mg else None
    return out


def cramp_points(case: Case) -> list[tuple[str, float | None]]:
    return [(c.at.isoformat(timespec="minutes"), c.severity) for c in case.cramps
            if c.at is not None]


def _assess(case: Case, recorded_days: dict[str, Any] | None) -> Assessment:
    """``assess``, with the journal's stored per-day numbers when the engine takes them."""
    from ..journal.window import set_aside_findings

    if recorded_days is not None and "recorded_days" in inspect.signature(assess).parameters:
        result = assess(case, recorded_days=recorded_days)
    else:
        result = assess(case)
    set_aside_findings(result)  # stored values the journal's case left out
    return result


def build_assessment_view(case: Case, *, events: list[charts.Event] | None = None,
                          start: str | None = None, end: str | None = None,
                          with_plan: bool = True,
                          recorded_days: dict[str, Any] | None = None) -> AssessmentView:
    """Everything the assessment page and the report show for one case."""
    result = _assess(case, recorded_days)
    fv = findings_view(result)
    days = sorted(case.diary)
    cramp_days = sorted(c.at.date().isoformat() for c in case.cramps if c.at is not None)
    span = sorted(days + cramp_days)
    start = start or (span[0] if span else None)
    end = end or (span[-1] if span else None)
    figs = {"intake": charts.intake_chart(charts.intake_rows(result.intake.daily_mean,
                                                             result.targets))}
    if start and end:
        figs["ratio"] = charts.ratio_chart(start, end, ratio_per_day(result),
                                           band=result.ratio_band)
        figs["timeline"] = charts.cramp_timeline(start, end, cramp_points(case), events or [])
    figs["hours"] = charts.cramp_hours([c.at.hour for c in case.cramps if c.at is not None])
    plan, note = plan_for(result) if with_plan else (None, None)
    return AssessmentView(result, case, fv["red_flags"], fv["findings"], fv["recommendations"],
                          intake_table(result), figs, plan, note, start, end, events or [],
                          plan_words(plan))


def journal_events(conn: sqlite3.Connection, person: str, start: str,
                   end: str) -> list[charts.Event]:
    """Medicine and supplement starts and stops between ``start`` and ``end``."""
    events = []
    for table, kind in (("medicines", "medicine"), ("supplements", "supplement")):
        for r in store.list_listed(conn, table, person):
            if r["since"] and start <= r["since"] <= end:
                events.append(charts.Event(r["since"], r["text"], kind, True))
            if r["until"] and start <= r["until"] <= end:
                events.append(charts.Event(r["until"], r["text"], kind, False))
    return sorted(events, key=lambda e: e.day)


def journal_assessment(conn: sqlite3.Connection, person: str, days: int,
                       end: str | None = None, *, with_plan: bool = True) -> AssessmentView:
    """The assessment of the last ``days`` days of the journal (raises InputError without
    a profile)."""
    from ..journal.entries import where_entries_are

    start, last = store.window(days, end)
    entries = window_entries(conn, person, days, last)  # one read of the window
    case = case_for_window(conn, person, days, last, entries=entries)
    view = build_assessment_view(case, events=journal_events(conn, person, start, last),
                                 start=start, end=last, with_plan=with_plan,
                                 recorded_days=dict(daily_intake(conn, person, days, last,
                                                                 entries=entries)))
    view.window_note = where_entries_are(conn, person, start, last, option=None)
    return view


def history_view(conn: sqlite3.Connection, person: str, days: int,
                 end: str | None = None) -> dict[str, Any]:
    """Charts and numbers for the history page, from the journal's own per-day totals."""
    from ..reference.dri import targets_for

    start, last = store.window(days, end)
    intake = daily_intake(conn, person, days, last)
    t = trends(conn, person, days, last, permutations=500, intake=intake)
    profile = store.get_profile(conn, person)
    person_obj = person_from_profile(profile)
    figs: dict[str, str] = {}
    mean: dict[str, float | None] = {}
    if intake:
        for key in ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg", "vitamin_d_ug",
                    "ala_g", "epa_g", "dha_g"):
            vals = [d.totals[key] for d in intake.values() if d.totals.get(key) is not None]
            mean[key] = sum(vals) / len(intake) if vals else None
        epa_dha = epa_dha_mg_of(mean)
        if epa_dha is not None:
            mean["epa_dha_mg"] = epa_dha
    if person_obj is not None and intake:
        figs["intake"] = charts.intake_chart(charts.intake_rows(mean, targets_for(person_obj)))
    daily_ratio = {r["day"]: (r["calcium_mg"] / r["magnesium_mg"]
                              if r["calcium_mg"] is not None and r["magnesium_mg"] else None)
                   for r in t["daily"]}
    rolling = {r["day"]: r["ca_mg_ratio_7d"] for r in t["daily"]}
    band = knowledge.ratio_band()
    figs["ratio"] = charts.ratio_chart(start, last, daily_ratio, rolling, band=band)
    crs = store.cramps(conn, person, start, last)
    figs["timeline"] = charts.cramp_timeline(
        start, last, [(c["at"], c["severity"]) for c in crs],
        journal_events(conn, person, start, last))
    figs["hours"] = charts.cramp_hours([int(c["at"][11:13]) for c in crs if len(c["at"]) >= 13])
    return {"start": start, "end": last, "days": days, "charts": figs, "trends": t,
            "days_with_food": len(intake), "cramps": len(crs), "has_profile": bool(person_obj),
            "band": band}


def today() -> str:
    return dt.date.today().isoformat()
