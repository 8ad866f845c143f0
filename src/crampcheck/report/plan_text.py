"""The plan in words, once: every output (terminal, web page, HTML and PDF report) shows these.

:func:`plan_words` turns the plan's JSON (``Plan.to_dict()``) into the sentences and table rows
the outputs print, so the four outputs cannot drift apart: each addition with when to eat it,
the targets it serves and what it costs; each supplement with its dose and cautions; every
target before → after with the part from food and from supplements; what is still short, with
the plan's own reason and the food that closes it; the sweat, salt and fluid section.
"""

from __future__ import annotations

from typing import Any

from ..nutrient_registry import DRI_KEYS
from .labels import fmt_amount, human_note, label, name, sentence, short_name

#: target rows in this order (EPA and DHA are shown together)
ROWS = DRI_KEYS


def _amount(value: Any, unit: str) -> str:
    text = fmt_amount(value)
    return text if text == "–" or not unit else f"{text} {unit}"


def addition_words(a: dict[str, Any]) -> dict[str, Any]:
    """An addition as people read it: when, what and how much, what it serves and costs."""
    serves = []
    for s in a.get("serves") or []:
        what = short_name(s["nutrient"])
        what = what if what[:3].isupper() else what[:1].lower() + what[1:]
        share = s.get("share_of_gap")
        serves.append(f"{what} {_amount(s.get('counted', s['amount']), s['unit'])}"
                      + (f" ({share:.0%} of the gap)" if share is not None else ""))
    cost = a.get("cost") or {}
    when = str(a.get("when") or "")
    return {
        "when": when[:1].upper() + when[1:],
        "amount": a.get("amount", ""),
        "food": str(a.get("label") or (a.get("food") or {}).get("name", "")),
        "usda": (a.get("food") or {}).get("name", ""),
        "grams": a.get("grams"),
        "serves": ", ".join(serves) if serves else "",
        "cost": f"{fmt_amount(cost.get('energy_kcal'))} kcal, "
                f"{fmt_amount(cost.get('sodium_mg'))} mg sodium",
        "nutrients": a.get("nutrients") or {},
    }


def supplement_words(s: dict[str, Any]) -> dict[str, Any]:
    who = s.get("name") or f"{str(s.get('mineral', '')).capitalize()} {s.get('form') or ''}"
    text = s.get("text") or f"{fmt_amount(s.get('elemental_mg'))} mg elemental {s.get('mineral')}"
    return {"title": f"{who.strip()}: {text} a day",
            "schedule": s.get("schedule") or "", "cautions": list(s.get("cautions") or []),
            "sources": s.get("sources") or []}


def target_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    targets = plan.get("targets") or {}
    for key in ROWS:
        t = targets.get(key)
        if not t:
            continue
        unit = t.get("unit", "")
        goal = f"{t.get('goal_kind', '')} {_amount(t.get('goal'), unit)}".strip()
        after = _amount(t.get("after"), unit)
        if key == "calcium_mg" and t.get("after_counted") is not None and \
                abs(t["after_counted"] - t["after"]) > 0.5:
            after += f" (counts as {fmt_amount(t['after_counted'])})"
        rows.append({"key": key, "label": label(key), "goal": goal,
                     "before": t.get("before"), "after": t.get("after"),
                     "before_text": fmt_amount(t.get("before")), "after_text": after,
                     "food_text": fmt_amount(t.get("after_from_food")),
                     "supplements_text": fmt_amount(t.get("after_from_supplements")),
                     "met": bool(t.get("met")),
                     "status": "met" if t.get("met") else "short"})
    return rows


def exercise_words(ex: dict[str, Any] | None) -> dict[str, Any] | None:
    if not ex:
        return None
    s, na, day = (ex["sweat_l_per_session"], ex["sodium_mg_per_session"],
                  ex["sodium_mg_per_day"])
    summary = (f"Each {fmt_amount(ex['session_minutes'])}-minute session: about "
               f"{s['central']:.1f} L of sweat ({s['low']:.1f}–{s['high']:.1f} L) with about "
               f"{na['central']:,} mg of sodium ({na['low']:,}–{na['high']:,} mg); about "
               f"{day['central']:,} mg of sodium a day averaged over your "
               f"{fmt_amount(ex['sessions_per_week'])} sessions a week.")
    advice = []
    for a in ex.get("advice") or []:
        grades = sorted({e.get("grade") for e in a.get("evidence") or [] if e.get("grade")})
        advice.append({"text": a["text"], "grade": "/".join(grades),
                       "sources": [e.get("source") for e in a.get("evidence") or []]})
    return {"summary": summary, "basis": "Estimate: " + sentence(ex.get("basis", "")),
            "assumptions": [sentence(x, capital=True) for x in ex.get("assumptions") or []],
            "advice": advice, "salt_withheld": ex.get("salt_withheld")}


def unmet_words(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for u in plan.get("unmet") or []:
        if not isinstance(u, dict):
            out.append({"nutrient": None, "label": "", "reason": human_note(u),
                        "closes_with": None})
            continue
        out.append({"nutrient": u.get("nutrient"),
                    "label": name(u["nutrient"]) if u.get("nutrient") else "",
                    "reason": human_note(u.get("reason") or ""),
                    "closes_with": u.get("closes_with")})
    return out


def reduction_words(r: dict[str, Any]) -> str:
    what = name(r["nutrient"]).lower() if "_" in r["nutrient"] else r["nutrient"]
    change = "stop" if r["to"] <= 0 else f"at most {fmt_amount(r['to'])}"
    return f"{what} from supplements: {fmt_amount(r['from'])} → {change} a day ({r['reason']})"


def plan_words(plan: dict[str, Any] | None) -> dict[str, Any]:
    """Everything the outputs print about ``plan`` (``Plan.to_dict()``)."""
    if not plan:
        return {"additions": [], "supplements": [], "rows": [], "unmet": [], "notes": [],
                "exercise": None, "reductions": [], "stopped": False}
    return {
        "stopped": bool(plan.get("stopped")),
        "reductions": [reduction_words(r) for r in plan.get("reductions") or []],
        "additions": [addition_words(a) for a in plan.get("additions") or []
                      if isinstance(a, dict)],
        "supplements": [supplement_words(s) for s in plan.get("supplements") or []],
        "rows": target_rows(plan),
        "unmet": unmet_words(plan),
        "exercise": exercise_words(plan.get("exercise")),
        "notes": [human_note(n) for n in plan.get("notes") or []
                  if not str(n).startswith("Sweat: ")],
    }
