"""Shared helpers of the safety-round tests: a case from a few fields (a diary day and a night
cramp by default) run through assess and the plan, and the parts of the result they check."""

from __future__ import annotations

from crampcheck.assess import assess
from crampcheck.case import case_from_dict
from crampcheck.plan import apply_plan, plan_for_assessment

DIARY = {"2026-11-25": ["1 cup oatmeal", "1 cup skim milk"]}
NIGHT_CRAMP = [{"at": "2026-11-25T02:30", "muscle": "calf", "side": "both", "minutes": 2}]


def run(age=62, sex="male", person=None, **fields):
    """The assessment (as its JSON dict) and the plan of a case made of ``fields``."""
    p = {"age": age, "sex": sex, **(person or {})}
    fields.setdefault("diary", DIARY)
    fields.setdefault("cramps", NIGHT_CRAMP)
    a = assess(case_from_dict({"person": p, **fields}))
    plan = plan_for_assessment(a)
    apply_plan(a, plan)
    return a.to_dict(), plan


def flags(d):
    return {f["flag"]: f["severity"] for f in d["findings"] if f["topic"] == "red_flag"}


def texts(d):
    return " ".join(r["text"] for r in d["recommendations"])
