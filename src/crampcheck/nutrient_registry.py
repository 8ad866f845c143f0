"""The nutrient registry: every nutrient key crampcheck tracks, its names and unit, its DRI row
and how a derived value is computed, in one place.

A key carries its unit (``calcium_mg``, ``vitamin_d_ug``, ``ala_g``). The assessment, the plan,
the report, the web pages and the journal trends take names and units from here
(:func:`get`), and the two derived amounts are computed only here:

- EPA + DHA in mg from the EPA and DHA grams (:func:`epa_dha_mg`, :func:`epa_dha_mg_of`);
- calcium counted as absorbable, relative to milk (:func:`absorbable_calcium_mg`; the factor
  comes from ``knowledge/data/calcium_absorption.toml`` via ``plan/candidates.py``).

Bottom layer: it imports only :mod:`crampcheck.wording` (itself free of crampcheck imports) and
no numpy (the derived-value functions work on plain numbers and on numpy arrays alike). Not
named ``crampcheck.nutrients``: that name is the public function ``from crampcheck import
nutrients``, which a submodule of the same name would shadow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .wording import lower_first

#: Milligrams in a gram (EPA and DHA are stored in g, their guideline is in mg). An int, as
#: the code has always multiplied: EPA+DHA of two unknown-as-0 parts is written ``0``.
MG_PER_G = 1000


@dataclass(frozen=True)
class Nutrient:
    """One tracked nutrient key.

    Attributes
    ----------
    key : str
        The key with its unit, as in food values, intakes and targets (``"magnesium_mg"``).
    name : str
        Display name, capitalised: table rows and chart labels ("Magnesium").
    unit : str
        Unit as printed ("mg", "µg", "g", "kcal"; "" for a ratio).
    short : str
        Shorter display name where space is tight (chart rows); ``name`` when not set.
    symbol : str
        Chemical symbol for narrow columns ("Mg"), or "".
    plain : str
        The name inside a sentence ("magnesium", "vitamin D", "ALA (plant omega-3)").
    topic : str
        The finding topic / mineral name used by blocks, reductions and supplement checks
        ("magnesium", "vitamin_d", "omega3"), or "".
    dri_key : str
        The row in ``knowledge/data/dri.toml`` that holds this nutrient's reference
        intakes, or "" when there is none.
    derived_from : tuple of str
        The keys this value is computed from (empty for a value read from the food table).
    how : str
        How it is computed, in words (the function that does it is named).
    plan_plain, plan_short : str
        How the plan's sentences name it, where they spell it differently from ``plain``
        and from ``short`` in lower case ("EPA+DHA"). Kept so that the outputs stay as they
        were; empty means "the same".
    """

    key: str
    name: str
    unit: str
    short: str = ""
    symbol: str = ""
    plain: str = ""
    topic: str = ""
    dri_key: str = ""
    derived_from: tuple[str, ...] = ()
    how: str = ""
    plan_plain: str = ""
    plan_short: str = ""

    @property
    def short_name(self) -> str:
        return self.short or self.name

    @property
    def in_sentence(self) -> str:
        """``plain``, else the name with a lower-case first letter."""
        return self.plain or lower_first(self.name)

    @property
    def plan_name(self) -> str:
        """The plan's sentence name ("EPA+DHA (fish omega-3)")."""
        return self.plan_plain or self.in_sentence

    @property
    def plan_label(self) -> str:
        """The plan's short name in a list of gains ("ALA omega-3", "EPA+DHA omega-3")."""
        return self.plan_short or lower_first(self.short_name)


_ALL = (
    Nutrient("energy_kcal", "Energy", "kcal"),
    Nutrient("protein_g", "Protein", "g"),
    Nutrient("fat_g", "Fat", "g"),
    Nutrient("carbohydrate_g", "Carbohydrate", "g"),
    Nutrient("fiber_g", "Fibre", "g"),
    Nutrient("water_g", "Water", "g"),
    Nutrient("calcium_mg", "Calcium", "mg", symbol="Ca", topic="calcium",
             dri_key="calcium_mg"),
    Nutrient("magnesium_mg", "Magnesium", "mg", symbol="Mg", topic="magnesium",
             dri_key="magnesium_mg"),
    Nutrient("potassium_mg", "Potassium", "mg", symbol="K", topic="potassium",
             dri_key="potassium_mg"),
    Nutrient("sodium_mg", "Sodium", "mg", symbol="Na", topic="sodium", dri_key="sodium_mg"),
    Nutrient("phosphorus_mg", "Phosphorus", "mg", symbol="P", topic="phosphorus"),
    Nutrient("vitamin_d_ug", "Vitamin D", "µg", topic="vitamin_d", dri_key="vitamin_d_ug"),
    Nutrient("ala_g", "ALA, plant omega-3", "g", short="ALA omega-3",
             plain="ALA (plant omega-3)", topic="omega3", dri_key="ala_g"),
    Nutrient("epa_g", "EPA, fish omega-3", "g", short="EPA"),
    Nutrient("dha_g", "DHA, fish omega-3", "g", short="DHA"),
    Nutrient("omega3_g", "Omega-3, total", "g"),
    Nutrient("epa_dha_mg", "EPA + DHA, fish omega-3", "mg", short="EPA + DHA",
             plain="EPA + DHA (fish omega-3)", topic="omega3", dri_key="epa_dha_mg",
             derived_from=("epa_g", "dha_g"),
             how="1000 × (EPA g + DHA g); unknown only when both are unknown (epa_dha_mg)",
             plan_plain="EPA+DHA (fish omega-3)", plan_short="EPA+DHA omega-3"),
    Nutrient("caffeine_mg", "Caffeine", "mg"),
    Nutrient("alcohol_g", "Alcohol", "g"),
    Nutrient("calcium_to_magnesium", "Calcium:magnesium ratio", "", short="Ca:Mg ratio",
             derived_from=("calcium_mg", "magnesium_mg"), how="calcium mg / magnesium mg"),
    Nutrient("ca_mg_ratio", "Calcium:magnesium ratio", "", short="Ca:Mg ratio",
             derived_from=("calcium_mg", "magnesium_mg"),
             how="calcium mg / magnesium mg (the journal's name for the ratio)"),
)

#: Every registered key, in display order.
NUTRIENTS: dict[str, Nutrient] = {n.key: n for n in _ALL}

#: The nutrients with reference intakes (``dri.toml``), in display order: the targets the
#: assessment judges, the plan closes and the charts draw.
DRI_KEYS: tuple[str, ...] = tuple(n.key for n in _ALL if n.dri_key)

#: The key of each topic that names one nutrient ("magnesium" -> "magnesium_mg"); blocks,
#: reductions and supplement checks name minerals this way.
KEY_OF_TOPIC: dict[str, str] = {n.topic: n.key for n in _ALL if n.topic and n.topic != "omega3"}


def get(key: str) -> Nutrient:
    """The registry entry of ``key``; ``KeyError`` for a key that is not registered."""
    return NUTRIENTS[key]


def topic_words(topic: str) -> str:
    """A topic or mineral name as words in a sentence ("vitamin_d" -> "vitamin D"); the topic
    itself when no single nutrient has it ("omega3")."""
    key = KEY_OF_TOPIC.get(topic)
    return NUTRIENTS[key].in_sentence if key else topic


def epa_dha_mg(epa_g: Any, dha_g: Any) -> Any:
    """EPA + DHA in mg from EPA and DHA in g (numbers or numpy arrays; no ``None``)."""
    return MG_PER_G * (epa_g + dha_g)


def epa_dha_mg_of(values: Mapping[str, Any]) -> float | None:
    """EPA + DHA in mg from the ``epa_g`` and ``dha_g`` of ``values``: ``None`` when both are
    unknown (absent or ``None``); one unknown counts as 0 (a lower bound)."""
    epa, dha = values.get("epa_g"), values.get("dha_g")
    if epa is None and dha is None:
        return None
    return epa_dha_mg(epa or 0, dha or 0)


def absorbable_calcium_mg(calcium_mg: Any, factor: Any) -> Any:
    """Calcium counted as absorbable, relative to milk: ``calcium_mg`` × the food's absorption
    ``factor`` (≤ 1; 1 for milk and for supplements). Numbers or numpy arrays."""
    return calcium_mg * factor
