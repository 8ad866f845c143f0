"""Drug–drug interactions that cause muscle harm or mineral danger.

The pairs (and one triple) are data, in ``knowledge/data/interactions.toml``: statins with
strong CYP3A4 inhibitors, gemfibrozil, ciclosporin and the calcium-channel blockers whose labels
cap the statin dose; lithium with thiazides, NSAIDs, ACE inhibitors and ARBs; digoxin with
loop or thiazide diuretics; NSAIDs with ACE inhibitors or ARBs (and a diuretic); iron with
levothyroxine, tetracyclines, quinolones and acid suppressants; SGLT2 inhibitors with
diuretics. A finding names both medicines as the person wrote them, the effect, and what to ask
the prescriber; its severity is the label's (contraindicated, avoid, or a dose above the label's
cap: high). A dose-limited pair stays quiet when the line's daily dose is within the cap.

References
----------
Prescribing information of simvastatin (Zocor), lovastatin, atorvastatin (Lipitor),
pravastatin, rosuvastatin (Crestor), lithium, digoxin and ibuprofen; NICE KTT17 (medicines and
acute kidney injury); NIH ODS iron fact sheet; Jardiance SmPC. Each entry cites its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ... import knowledge
from ...errors import KnowledgeError
from ...knowledge.medicines import MedicationMatch, daily_dose, get_class
from ...models import SEVERITIES, Citation, Finding

KNOWLEDGE_FILE = "interactions"
ACTIONS = ("contraindicated", "avoid", "dose_limit", "monitor", "space")
ACTION_WORDS = {
    "contraindicated": "The label says they must not be taken together.",
    "avoid": "The label says to avoid taking them together.",
    "dose_limit": "",
    "monitor": "",
    "space": "",
}


@dataclass(frozen=True)
class DrugGroup:
    """One side of an interaction: any of ``generics`` or any member of ``classes``."""

    generics: frozenset[str]
    classes: frozenset[str]
    label: str

    def matches(self, m: MedicationMatch) -> list[str]:
        """The generics of ``m`` that belong to this group (a class word counts as its
        class: "water pill" is no loop diuretic, but "thiazide" is a thiazide)."""
        out = [g for g in m.generics if g in self.generics]
        out += [g for g in m.generics for c in self.classes if g in get_class(c).members]
        if not m.generics and any(c.id in self.classes for c in m.classes):
            out.append(m.name)
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class DrugInteraction:
    id: str
    groups: tuple[DrugGroup, ...]
    action: str
    severity: str
    severity_unknown_dose: str
    max_daily_mg: float | None
    dose_group: int
    effect: str
    ask: str
    replaces: tuple[str, ...]
    citations: tuple[Citation, ...]


def _parse(raw: dict[str, Any]) -> DrugInteraction:
    where = f"{KNOWLEDGE_FILE}.toml {raw.get('id', '?')}"
    groups = []
    for g in raw["drugs"]:
        classes = frozenset(g.get("classes", []))
        for c in classes:
            try:
                get_class(c)
            except KeyError:
                raise KnowledgeError(f"{where}: unknown class {c!r}") from None
        groups.append(DrugGroup(frozenset(g.get("generics", [])), classes, g["label"]))
    if len(groups) < 2:
        raise KnowledgeError(f"{where}: an interaction needs at least two drug groups")
    action = raw["action"]
    if action not in ACTIONS:
        raise KnowledgeError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    severity = raw["severity"]
    unknown = raw.get("severity_unknown_dose", severity)
    for value in (severity, unknown):
        if value not in SEVERITIES[:4]:
            raise KnowledgeError(f"{where}: severity must be info, low, moderate or high")
    if action == "contraindicated" and severity != "high":
        raise KnowledgeError(f"{where}: a contraindicated combination is high severity")
    cap = raw.get("max_daily_mg")
    if (action == "dose_limit") != (cap is not None):
        raise KnowledgeError(f"{where}: dose_limit needs max_daily_mg, and only dose_limit")
    return DrugInteraction(
        id=raw["id"], groups=tuple(groups), action=action, severity=severity,
        severity_unknown_dose=unknown, max_daily_mg=None if cap is None else float(cap),
        dose_group=int(raw.get("dose_group", 0)), effect=raw["effect"], ask=raw["ask"],
        replaces=tuple(raw.get("replaces", [])), citations=tuple(knowledge.citations(raw)))


@cache
def interactions() -> tuple[DrugInteraction, ...]:
    """Every interaction in ``interactions.toml``, in file order."""
    return knowledge.parse_entries(KNOWLEDGE_FILE, "interactions", _parse, "interaction")


def daily_mg(m: MedicationMatch) -> float | None:
    """The most mg a day a one-ingredient medicine line says is taken ("simvastatin 40 mg at
    night" → 40; "20 mg twice daily" → 40), by :func:`~crampcheck.knowledge.medicines.
    daily_dose`; None when it cannot be read."""
    dose = daily_dose(m)
    return None if dose is None else dose.max_mg


def _assign(groups: Sequence[DrugGroup], meds: Sequence[MedicationMatch]
            ) -> list[tuple[MedicationMatch, list[str]]] | None:
    """One medicine line per group (different lines where possible; a combination product may
    cover two groups), or None when a group is not covered."""
    chosen: list[tuple[MedicationMatch, list[str]]] = []
    used: set[int] = set()
    for group in groups:
        options = [(i, m, group.matches(m)) for i, m in enumerate(meds)]
        options = [(i, m, g) for i, m, g in options if g]
        if not options:
            return None
        fresh = [o for o in options if o[0] not in used] or options
        i, m, generics = fresh[0]
        used.add(i)
        chosen.append((m, generics))
    if len({id(m) for m, _ in chosen}) == 1 and len(chosen[0][0].generics) < len(groups):
        return None  # one line naming one medicine cannot interact with itself
    return chosen


def _all_in_groups(groups: Sequence[DrugGroup], meds: Sequence[MedicationMatch],
                   chosen: list[tuple[MedicationMatch, list[str]]]
                   ) -> list[list[tuple[MedicationMatch, list[str]]]]:
    """Every medicine line of each group, the chosen one first: digoxin with furosemide *and*
    bendroflumethiazide names both diuretics. A line chosen for another group is not repeated."""
    taken = {id(m) for m, _ in chosen}
    out = []
    for group, first in zip(groups, chosen, strict=True):
        lines = [first]
        for m in meds:
            generics = group.matches(m)
            if generics and id(m) not in taken:
                lines.append((m, generics))
                taken.add(id(m))
        out.append(lines)
    return out


def interaction_findings(meds: Sequence[MedicationMatch]) -> list[tuple[Finding, str]]:
    """Findings for every listed interaction among the person's medicines.

    Parameters
    ----------
    meds : sequence of MedicationMatch
        The recognised medicine lines.

    Returns
    -------
    list of (Finding, str)
        Each finding (topic ``interaction``) with the clinician recommendation to give.
    """
    hits: list[tuple[DrugInteraction, list[tuple[MedicationMatch, list[str]]]]] = []
    if len(meds) < 2 and not any(len(m.generics) > 1 for m in meds):
        return []  # one single-ingredient medicine cannot interact: the file is not even read
    for rule in interactions():
        chosen = _assign(rule.groups, meds)
        if chosen is not None:
            hits.append((rule, chosen))
    replaced = {r for rule, _ in hits for r in rule.replaces}
    out: list[tuple[Finding, str]] = []
    for rule, chosen in hits:
        if rule.id in replaced:
            continue
        severity = rule.severity
        dose_text = ""
        data: dict[str, Any] = {}
        if rule.action == "dose_limit" and rule.max_daily_mg is not None:
            capped, capped_generics = chosen[rule.dose_group]
            mg = daily_mg(capped)
            data = {"max_daily_mg": rule.max_daily_mg, "daily_mg": mg}
            if mg is not None and mg <= rule.max_daily_mg:
                continue  # within the label's limit: nothing to say
            if mg is None:
                severity = rule.severity_unknown_dose
                dose_text = (f" The label's limit is {rule.max_daily_mg:g} mg of "
                             f"{capped_generics[0]} a day; your dose was not given.")
            else:
                dose_text = (f" Your dose reads as {mg:g} mg a day, above the label's limit of "
                             f"{rule.max_daily_mg:g} mg a day.")
        chosen = _all_in_groups(rule.groups, meds, chosen)
        names = [" and ".join(f"{m.text} ({', '.join(g)})" if m.text.lower() != ", ".join(g)
                              else m.text for m, g in group) for group in chosen]
        summary = (f"{' with '.join(names)}: {rule.effect} "
                   f"{ACTION_WORDS[rule.action]}{dose_text}").strip()
        finding = Finding("interaction", severity, " ".join(summary.split()), rule.ask,
                          list(rule.citations),
                          {"interaction": rule.id, "action": rule.action,
                           "drugs": [m.text for group in chosen for m, _ in group],
                           "generics": [g for group in chosen for _, gs in group for g in gs],
                           **data})
        out.append((finding, rule.ask))
    return out


def review(b: Any, meds: Sequence[MedicationMatch]) -> None:
    """Add each interaction's finding and its ask-the-prescriber recommendation to the
    assessment being built (``b``: :class:`crampcheck.assess.builder.Builder`)."""
    for finding, advice in interaction_findings(meds):
        b.findings.append(finding)
        b.rec("clinician", None, advice, severity=finding.severity)
