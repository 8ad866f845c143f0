"""Dietary Reference Intakes (DRIs) for a person's life-stage group.

The values live in ``knowledge/data/dri.toml`` (one row per life-stage group and nutrient, each
with its source and evidence grade); this module only picks the right row.

Nutrient keys carry their unit: ``calcium_mg``, ``magnesium_mg``, ``potassium_mg``,
``sodium_mg`` (mg/day), ``vitamin_d_ug`` (µg/day; 1 µg = 40 IU), ``ala_g`` (g/day) and
``epa_dha_mg`` (mg/day; an EFSA Adequate Intake, *not* a DRI).

References
----------
.. [1] Institute of Medicine (2011). *Dietary Reference Intakes for Calcium and Vitamin D*.
   National Academies Press. https://doi.org/10.17226/13050
.. [2] Institute of Medicine (1997). *Dietary Reference Intakes for Calcium, Phosphorus,
   Magnesium, Vitamin D, and Fluoride*. https://doi.org/10.17226/5776
.. [3] National Academies of Sciences, Engineering, and Medicine (2019). *Dietary Reference
   Intakes for Sodium and Potassium*. https://www.ncbi.nlm.nih.gov/books/NBK545430/
.. [4] Institute of Medicine (2005). *Dietary Reference Intakes for Energy, Carbohydrate, Fiber,
   Fat, Fatty Acids, Cholesterol, Protein, and Amino Acids*. https://doi.org/10.17226/10490
.. [5] EFSA NDA Panel (2010). Scientific Opinion on Dietary Reference Values for fats.
   EFSA Journal 8(3):1461. https://www.efsa.europa.eu/en/efsajournal/pub/1461
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .. import knowledge
from ..errors import InputError, KnowledgeError
from ..models import Citation, Person
from ..nutrient_registry import DRI_KEYS

#: Nutrient keys returned by :func:`targets_for`, in display order.
NUTRIENT_KEYS: tuple[str, ...] = DRI_KEYS  # the registry's nutrients with a dri.toml row


@dataclass(frozen=True)
class Target:
    """Reference intakes of one nutrient for one life-stage group (amounts per day).

    Attributes
    ----------
    nutrient : str
        Plain nutrient name, e.g. ``"magnesium"``.
    unit : str
        Unit of every amount: ``"mg"``, ``"µg"`` or ``"g"`` per day.
    ear, rda, ai : float or None
        Estimated Average Requirement, Recommended Dietary Allowance, Adequate Intake.
        A group has either EAR and RDA, or an AI.
    ul : float or None
        Tolerable Upper Intake Level; ``None`` when none was set.
    ul_applies_to : {"total", "supplements", None}
        What the UL covers: all sources, or only supplements and medicines (magnesium).
    cdrr : float or None
        Chronic Disease Risk Reduction intake (sodium): reduce intake if above it.
    group : str
        Life-stage group label, e.g. ``"females 51–70"``.
    citations : list of Citation
        Where the values come from, with their evidence grade.
    key : str
        The nutrient key with unit, e.g. ``"magnesium_mg"``.
    is_dri : bool
        ``False`` for the EPA+DHA guideline (EFSA), which is not a Dietary Reference Intake.
    note : str
        A caveat worth showing next to the numbers.
    """

    nutrient: str
    unit: str
    ear: float | None
    rda: float | None
    ai: float | None
    ul: float | None
    ul_applies_to: str | None
    cdrr: float | None
    group: str
    citations: list[Citation] = field(default_factory=list)
    key: str = ""
    is_dri: bool = True
    note: str = ""

    @property
    def goal(self) -> float | None:
        """The intake to aim for: the RDA, or the AI when there is no RDA."""
        return self.rda if self.rda is not None else self.ai

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data


def _groups() -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in knowledge.load("dri")["groups"]}


def _matches(group: dict[str, Any], person: Person, stage: str) -> bool:
    if group["stage"] != stage:
        return False
    if group["sex"] not in ("any", person.sex):
        return False
    return float(group["age_min"]) <= person.age < float(group["age_max"])


def _stages(person: Person) -> list[str]:
    """Stages to try, most specific first (pregnancy wins over lactation if both are set)."""
    stages = []
    if person.sex == "female" and person.pregnant:
        stages.append("pregnancy")
    if person.sex == "female" and person.lactating:
        stages.append("lactation")
    stages.append("general")
    return stages


def _check_person(person: Person) -> None:
    if not isinstance(person.age, int | float) or not 0 <= person.age <= 130:
        raise InputError("person.age must be a number of years between 0 and 130")
    if person.sex not in ("female", "male"):
        raise InputError('person.sex must be "female" or "male"')


def group_for(person: Person, nutrient_key: str = "calcium_mg") -> str:
    """Label of the life-stage group whose values apply to ``person`` for one nutrient."""
    row, group = _row_for(person, nutrient_key)
    return group["label"]


def _row_for(person: Person, nutrient_key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    _check_person(person)
    doc = knowledge.load("dri")
    rows = doc["values"].get(nutrient_key)
    if rows is None:
        raise KnowledgeError(f"dri.toml has no values for {nutrient_key!r}")
    groups = _groups()
    for stage in _stages(person):
        for row in rows:
            group = groups.get(row["group"])
            if group is None:
                raise KnowledgeError(f"dri.toml: unknown group {row['group']!r}")
            if _matches(group, person, stage):
                return row, group
    raise LookupError(f"no {nutrient_key} reference value for this age")


def targets_for(person: Person) -> dict[str, Target]:
    """Reference intakes for ``person``, keyed by nutrient key (see :data:`NUTRIENT_KEYS`).

    Parameters
    ----------
    person : Person
        ``age`` in years (float; infants are ``age < 1``), ``sex``, and the ``pregnant`` /
        ``lactating`` flags. Pregnancy and lactation groups win over the age/sex group when the
        flag is set and a group exists for the age (the DRI tables have pregnancy and lactation
        groups for ≤18, 19–30 and 31–50 years); otherwise the age/sex group is used.

    Returns
    -------
    dict of str to Target
        One entry per nutrient that has a value for this age. ``epa_dha_mg`` is missing for
        infants under 6 months (EFSA sets no value; breast milk or formula supplies it).

    Raises
    ------
    InputError
        If the age is outside 0–130 years or the sex is not ``"female"``/``"male"``.

    References
    ----------
    See the module docstring: IOM 2011 (calcium, vitamin D), IOM 1997 (magnesium),
    NASEM 2019 (sodium, potassium), IOM 2005 (ALA), EFSA 2010 (EPA+DHA).
    """
    doc = knowledge.load("dri")
    meta = doc.get("nutrients", {})
    out: dict[str, Target] = {}
    for key in NUTRIENT_KEYS:
        try:
            row, group = _row_for(person, key)
        except LookupError:
            continue
        info = meta.get(key, {})
        ul = row.get("ul")
        notes = [n for n in (row.get("note"), info.get("note")) if n]
        out[key] = Target(
            nutrient=key.rsplit("_", 1)[0],
            unit=info.get("unit", key.rsplit("_", 1)[1]),
            ear=_num(row.get("ear")),
            rda=_num(row.get("rda")),
            ai=_num(row.get("ai")),
            ul=_num(ul),
            ul_applies_to=info.get("ul_applies_to") if ul is not None else None,
            cdrr=_num(row.get("cdrr")),
            group=group["label"],
            citations=knowledge.citations(row),
            key=key,
            is_dri=bool(info.get("is_dri", True)),
            note=" ".join(notes),
        )
    return out


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
