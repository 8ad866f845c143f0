"""What the plan needs to know about one person: intake, targets, limits and preferences.

The assessment (or the CLI) builds a :class:`PlanContext` from a case; :meth:`PlanContext.build`
is a shortcut from food lines and supplement label text, used by tests and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..models import Person
from ..nutrient_registry import epa_dha_mg
from ..reference.dri import Target, targets_for

#: Nutrient keys the plan reports in ``before``/``after`` (units in the key).
PLAN_KEYS: tuple[str, ...] = (
    "energy_kcal",
    "calcium_mg",
    "magnesium_mg",
    "potassium_mg",
    "sodium_mg",
    "vitamin_d_ug",
    "ala_g",
    "epa_g",
    "dha_g",
    "epa_dha_mg",
)


@dataclass
class PlanContext:
    """Inputs of :func:`crampcheck.plan.make_plan`.

    Attributes
    ----------
    person : Person
    daily_mean : dict of str to float
        Mean daily intake from food plus supplements, keyed like ``calcium_mg`` (mg/day),
        ``vitamin_d_ug`` (µg/day), ``ala_g``/``epa_g``/``dha_g`` (g/day). ``epa_dha_mg`` is
        derived from ``epa_g + dha_g`` when absent.
    from_supplements : dict of str to float
        The part of ``daily_mean`` that comes from supplements (same keys and units), as usually
        taken (a compound-or-element label line counts as the compound's element).
    from_supplements_upper : dict of str to float
        The same read for upper-limit checks (ranges at their top, "as needed" at its maximum,
        a compound-or-element line as the element: "calcium carbonate 600 mg" is 240 mg above
        and 600 mg here). Defaults to ``from_supplements``.
    targets : dict of str to Target
        From :func:`crampcheck.reference.dri.targets_for` (pregnancy and age included).
    diet : {"omnivore", "pescatarian", "vegetarian", "vegan"}
    avoid : tuple of str
        Allergens or food groups to avoid ("tree nuts", "milk", "gluten", "fish" …).
    dislikes : tuple of str
        Words; a food whose USDA name contains one is not proposed.
    eaten_food_ids : list of str
        USDA ids of foods the person already eats (similar foods are preferred).
    max_kcal : float
        Energy the food additions may bring, kcal/day.
    ratio_band : tuple of float
        Calcium:magnesium band (mg:mg) around the 2:1 often quoted (not a DRI).
    no_supplements : set of str
        Minerals never to supplement (kidney disease: ``{"magnesium", "potassium"}``).
    potassium_caution : bool
        Kidney disease, a high potassium lab or potassium-raising medicines: no high-potassium
        food additions without a clinician.
    acid_suppressant : bool
        Takes a PPI or H2 blocker (calcium citrate rather than carbonate).
    spacing : list of dict
        ``{"drug": str, "hours": float, "minerals": [str], "advice": str (optional)}`` for
        medicines that minerals interfere with.
    existing_supplements : list
        Parsed supplements (:class:`crampcheck.intake.supplements.SupplementParse`) already
        taken; they count first.
    no_supplements_reason : str
        Why ``no_supplements`` holds, in words that follow "no magnesium supplement is
        proposed" ("with kidney disease", "while some supplements could not be counted").
    blocks : list of dict
        ``{"nutrient", "scope", "reason"}`` from the assessment's safety gate: no food rich in
        the nutrient is added (scope ``"foods_and_supplements"``) and no supplement of it is
        proposed (either scope).
    reductions : list of dict
        ``{"nutrient": key, "to": amount, "reason", "from", "products", "origin"}``: supplement
        and over-the-counter amounts brought down before anything is added (``origin``
        ``"assessment"`` when the assessment already advised it, ``"plan"`` for the plan's own).
    constraints : dict
        ``fluid_limit`` (True or mL/day), ``sodium_cap_mg``, ``no_high_oxalate``,
        ``keep_calcium``, ``no_supplements`` (the reason), ``no_salt_advice`` (the reason).
    meals_logged : list of str
        The plan meals (breakfast, lunch, dinner, snack) the diary names, first seen first.
    eaten_meals : dict of str to str
        USDA id of a food the person eats -> the plan meal it was logged with.
    medicine_classes : dict of str to list of str
        Medicine class id -> the medicine lines of that class (for cautions such as thiazides
        with vitamin D).
    exercise : Exercise or None
        The case's exercise (:class:`crampcheck.case.Exercise`), for the sweat and salt section.
    has_cramps : bool
        The case lists cramps.
    """

    person: Person
    daily_mean: dict[str, float]
    from_supplements: dict[str, float] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    diet: str = "omnivore"
    avoid: tuple[str, ...] = ()
    dislikes: tuple[str, ...] = ()
    eaten_food_ids: list[str] = field(default_factory=list)
    max_kcal: float = 300.0
    ratio_band: tuple[float, float] = field(default_factory=knowledge.ratio_band)
    no_supplements: set[str] = field(default_factory=set)
    potassium_caution: bool = False
    acid_suppressant: bool = False
    spacing: list[dict[str, Any]] = field(default_factory=list)
    existing_supplements: list[Any] = field(default_factory=list)
    no_supplements_reason: str = "with kidney disease"
    blocks: list[dict[str, Any]] = field(default_factory=list)
    reductions: list[dict[str, Any]] = field(default_factory=list)
    constraints: dict[str, Any] = field(default_factory=dict)
    from_supplements_upper: dict[str, float] = field(default_factory=dict)
    meals_logged: list[str] = field(default_factory=list)
    eaten_meals: dict[str, str] = field(default_factory=dict)
    medicine_classes: dict[str, list[str]] = field(default_factory=dict)
    exercise: Any = None
    has_cramps: bool = False

    def upper(self, key: str) -> float:
        """Daily intake of ``key`` as the upper-limit check reads it: ``daily_mean`` with each
        supplement at its upper reading."""
        return float(self.daily_mean.get(key, 0.0)) + max(
            float(self.from_supplements_upper.get(key, 0.0))
            - float(self.from_supplements.get(key, 0.0)), 0.0)

    def food_blocks(self) -> dict[str, str]:
        """Nutrient -> reason, for every nutrient whose food additions are blocked (a potassium
        caution counts as a potassium block)."""
        out = {b["nutrient"]: b["reason"] for b in self.blocks
               if b.get("scope") == "foods_and_supplements"}
        if self.potassium_caution:
            out.setdefault("potassium", "kidney disease, a high potassium level or "
                                        "potassium-raising medicines")
        return out

    def supplement_block(self, nutrient: str) -> str | None:
        """Why no supplement of ``nutrient`` may be proposed, or None."""
        for b in self.blocks:
            if b["nutrient"] == nutrient:
                return b["reason"]
        if nutrient in self.no_supplements:
            return self.no_supplements_reason.removeprefix("with ")
        if self.constraints.get("no_supplements"):
            return str(self.constraints["no_supplements"])
        return None

    def __post_init__(self) -> None:
        if not self.targets:
            self.targets = targets_for(self.person)
        self.daily_mean = _complete(self.daily_mean)
        self.from_supplements = _complete(self.from_supplements)
        self.from_supplements_upper = _complete(self.from_supplements_upper
                                                or self.from_supplements)
        self.avoid = tuple(self.avoid)
        self.dislikes = tuple(self.dislikes)
        self.no_supplements = set(self.no_supplements)

    @classmethod
    def build(
        cls,
        person: Person,
        foods: list[str] | None = None,
        supplements: list[str] | None = None,
        *,
        days: int = 1,
        **options: Any,
    ) -> PlanContext:
        """A context from food lines (eaten over ``days`` days) and supplement label lines.

        Parameters
        ----------
        person : Person
        foods : list of str
            Lines such as ``"1 cup whole milk"``, matched with :func:`crampcheck.totals.nutrients`.
        supplements : list of str
            Label text, read with :func:`crampcheck.intake.supplements.parse_supplement`
            (taken daily).
        days : int
            Number of days the food lines cover (totals are divided by it).
        **options
            Any other :class:`PlanContext` field.
        """
        from ..intake.supplements import parse_supplement
        from ..totals import nutrients

        report = nutrients(foods or [])
        total = report.total
        daily = {k: v / max(days, 1) for k, v in total.items()}
        parsed = [parse_supplement(s) for s in supplements or []]
        from_supp: dict[str, float] = {}
        upper: dict[str, float] = {}
        for p in parsed:
            for key, value in p.contributions.items():
                from_supp[key] = from_supp.get(key, 0.0) + value
                upper[key] = upper.get(key, 0.0) + p.upper_contributions.get(key, value)
        for key, value in from_supp.items():
            daily[key] = daily.get(key, 0.0) + value
        options.setdefault("eaten_food_ids", [i.food.id for i in report.items])
        options.setdefault("existing_supplements", parsed)
        options.setdefault("from_supplements_upper", upper)
        return cls(person=person, daily_mean=daily, from_supplements=from_supp, **options)


def _complete(values: dict[str, float]) -> dict[str, float]:
    """Copy with every :data:`PLAN_KEYS` key (0 when absent) and ``epa_dha_mg`` derived."""
    out = {k: float(v) for k, v in values.items() if v is not None}
    for key in PLAN_KEYS:
        out.setdefault(key, 0.0)
    if not values.get("epa_dha_mg"):
        out["epa_dha_mg"] = epa_dha_mg(out["epa_g"], out["dha_g"])
    return out
