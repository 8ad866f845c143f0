"""Tests of the plan (food additions + supplements) on real USDA foods."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from crampcheck import knowledge
from crampcheck.models import Person
from crampcheck.plan import PlanContext, make_plan, plan_for_assessment
from crampcheck.plan.candidates import candidates, everyday_entries
from crampcheck.plan.supplements import whole_tablets

LOW_MG_DIET = ["1 cup whole milk", "2 slices white bread", "3 oz chicken breast",
               "1 cup cooked white rice"]
ANIMAL_CATEGORIES = {"Beef Products", "Pork Products", "Lamb, Veal, and Game Products",
                     "Poultry Products", "Finfish and Shellfish Products", "Dairy and Egg Products",
                     "Fish", "Shellfish", "Cheese", "Sausages and Luncheon Meats"}
ANIMAL_WORDS = ("milk", "cheese", "yogurt", "egg", "beef", "chicken", "fish", "pork", "honey")


def _ctx(**kw) -> PlanContext:
    person = kw.pop("person", Person(45, "female"))
    return PlanContext.build(person, kw.pop("foods", LOW_MG_DIET), kw.pop("supplements", []),
                             **kw)


def test_knowledge_files_valid():
    for name in ("plan_foods", "plan_products", "plan_everyday_foods"):
        assert knowledge.validate(name) == []


def test_candidates_are_real_foods_with_amounts():
    cands = candidates()
    assert len(cands) > 500
    assert not [f for f in cands.foods if f.category.lower().startswith("baby")]
    assert not [f for f in cands.foods if f.category in ("Fast Foods", "Restaurant Foods")]
    assert all(a.grams > 0 for a in cands.amounts)


def test_low_magnesium_omnivore_reaches_rda():
    ctx = _ctx()
    assert ctx.daily_mean["magnesium_mg"] < 320
    plan = make_plan(ctx)
    assert plan.additions
    assert plan.after["magnesium_mg"] >= ctx.targets["magnesium_mg"].rda - 1e-6
    assert len(plan.additions) <= 4
    assert all(a.servings <= 2 for a in plan.additions)
    assert sum(a.nutrients["energy_kcal"] or 0 for a in plan.additions) <= 300 + 1e-6


def test_vegan_gets_no_animal_foods():
    plan = make_plan(_ctx(diet="vegan", foods=["1 cup cooked white rice", "1 medium apple"]))
    assert plan.additions
    for a in plan.additions:
        assert a.food.category not in ANIMAL_CATEGORIES
        name = a.food.name.lower()
        assert not any(w in name for w in ANIMAL_WORDS if w != "milk") or "soy" in name


def test_tree_nut_allergy_excludes_almonds_and_cashews():
    cands = candidates()
    nuts = cands.allergen_excluded["tree_nuts"]
    for j, food in enumerate(cands.foods):
        name = food.name.lower()
        if "almond" in name or "cashew" in name:
            assert nuts[j], food.name
    plan = make_plan(_ctx(avoid=("tree nuts",)))
    for a in plan.additions:
        assert not any(w in a.food.name.lower() for w in ("almond", "cashew", "walnut", "pecan"))


def test_dislike_and_peanut_filters():
    plan = make_plan(_ctx(avoid=("peanuts",), dislikes=("kale", "spinach")))
    for a in plan.additions:
        name = a.food.name.lower()
        assert "peanut" not in name and "kale" not in name and "spinach" not in name


def test_kidney_disease_no_magnesium_or_potassium_supplements():
    ctx = _ctx(foods=["2 slices white bread"], no_supplements={"magnesium", "potassium"},
               potassium_caution=True, max_kcal=50)
    plan = make_plan(ctx)
    assert not [s for s in plan.supplements if s.mineral in ("magnesium", "potassium")]
    assert any(r["nutrient"] == "magnesium_mg" for r in plan.unmet)
    assert any(r.kind == "clinician" for r in plan.recommendations())
    for a in plan.additions:
        assert (a.nutrients["potassium_mg"] or 0) / a.servings <= 200 + 1e-6


def test_ul_never_exceeded_with_existing_magnesium_supplement():
    ctx = _ctx(foods=["2 slices white bread"], supplements=["Magnesium (as glycinate) 300 mg"],
               max_kcal=0)
    plan = make_plan(ctx)
    extra = sum(s.elemental_mg for s in plan.supplements if s.mineral == "magnesium")
    assert 300 + extra <= 350
    ca = ctx.targets["calcium_mg"]
    assert plan.after["calcium_mg"] <= ca.ul


def test_calcium_split_and_citrate_with_acid_suppressant():
    ctx = _ctx(foods=["1 cup cooked white rice"], max_kcal=0, acid_suppressant=True,
               spacing=[{"drug": "levothyroxine", "hours": 4, "minerals": ["calcium"]}])
    plan = make_plan(ctx)
    ca = [s for s in plan.supplements if s.mineral == "calcium"]
    assert ca and ca[0].form == "citrate"
    assert all(s.tablet_mg <= 500 for s in ca)
    assert any("4 hours apart from levothyroxine" in c for c in ca[0].cautions)


@pytest.mark.parametrize("diet", ["omnivore", "vegan", "vegetarian", "pescatarian"])
def test_after_equals_before_plus_contributions(diet):
    plan = make_plan(_ctx(diet=diet, supplements=["calcium carbonate 500 mg"]))
    _assert_after_from_the_food_table(plan)
    d = plan.to_dict()
    assert set(d) == {"additions", "supplements", "before", "after", "ratios", "unmet", "notes",
                      "stopped", "reductions", "blocked", "solver", "targets", "exercise"}
    assert d["stopped"] is False and d["solver"]["status"] == "optimal"
    assert set(d["ratios"]) == {"before", "after"}


def test_whole_tablets_respects_allowance():
    assert whole_tablets(250, 50, [100, 120]) is None
    n, s = whole_tablets(250, 350, [100, 120, 200])
    assert n * s <= 350 and n * s >= 250


# --------------------------------------------------------------------------- bundled examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.json"))
assert EXAMPLES, "the bundled example cases are missing"
MINERALS = {"magnesium_mg": "magnesium", "calcium_mg": "calcium"}


@cache
def _assessment(name: str):
    from crampcheck.assess import assess
    from crampcheck.case import load_case

    return assess(load_case(ROOT / "examples" / f"{name}.json"))


@cache
def _example_plan(name: str, diet: str | None = None):
    return plan_for_assessment(_assessment(name), diet=diet)


def test_everyday_foods_file_resolves_to_candidates():
    entries = everyday_entries()
    assert len(entries) > 80
    cands = candidates()
    ids = {f.id for f, e in zip(cands.foods, cands.everyday, strict=True) if e}
    assert len(ids) >= len(entries) - 2  # an entry lacking Mg/K/Na values is left out
    for entry in entries.values():
        assert entry["grade"] in ("A", "C") and entry["source"]


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("diet", [None, "vegan"])
def test_example_plans_use_everyday_or_eaten_foods(name, diet):
    plan = _example_plan(name, diet)
    eaten = {i.food.id for i in _assessment(name).intake.items}
    everyday = everyday_entries()
    for a in plan.additions:
        assert a.food.id in everyday or a.food.id in eaten, a.food.name
        assert a.servings <= 2


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("diet", [None, "vegan"])
def test_example_plans_reach_mg_and_ca_or_explain(name, diet):
    plan = _example_plan(name, diet)
    if _assessment(name).safety.stopped:  # an urgent finding: no plan, and the notes say why
        assert plan.stopped and not plan.additions and not plan.supplements
        assert plan.notes and "urgent" in plan.notes[0]
        return
    targets = _assessment(name).targets
    unmet = {u["nutrient"] for u in plan.unmet}
    for key in MINERALS:
        goal = targets[key].goal
        # the plan counts a gap of at most 0.5 mg/day as closed (plan/supplements.py)
        assert plan.after[key] >= goal - 0.5 or key in unmet, (key, plan.after[key], goal)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_plans_after_is_before_plus_contributions(name):
    plan = _example_plan(name)
    _assert_after_from_the_food_table(plan)


def _assert_after_from_the_food_table(plan) -> None:
    """``after`` = ``before`` + each reduction + each added food worked out here from the USDA
    table (per 100 g × grams × servings / 100, a missing value as 0; EPA+DHA in mg = 1000 ×
    (EPA g + DHA g)) + each supplement's elemental amount — not with the plan's own sums. The
    table's values are float32 in the committed artefact, hence the relative tolerance."""
    from crampcheck.foods.store import default_store

    store = default_store()
    expected = dict(plan.before)
    for r in plan.reductions:
        expected[r["nutrient"]] += r["intake_change"]
    for a in plan.additions:
        per_100g = store.per_100g(store.get(a.food.id))
        grams = a.amount.grams * a.servings
        added = {k: (per_100g.get(k) or 0.0) * grams / 100 for k in expected
                 if k != "epa_dha_mg"}
        added["epa_dha_mg"] = 1000 * (added["epa_g"] + added["dha_g"])
        for k, v in added.items():
            expected[k] += v
    for s in plan.supplements:
        expected[s.key] += s.elemental_mg
    assert set(plan.after) == set(expected)
    for k, v in plan.after.items():
        assert v == pytest.approx(expected[k], rel=1e-5, abs=1e-3), k


def test_kidney_example_has_no_mg_or_k_supplements():
    plan = _example_plan("kidney_disease")
    assert not [s for s in plan.supplements if s.mineral in ("magnesium", "potassium")]
    for a in plan.additions:
        assert (a.nutrients["potassium_mg"] or 0) / a.servings <= 200 + 1e-6


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_vegan_variant_has_no_animal_foods(name):
    plan = _example_plan(name, "vegan")
    vegan_out = candidates().diet_excluded["vegan"]
    index = {f.id: j for j, f in enumerate(candidates().foods)}
    for a in plan.additions:
        assert not vegan_out[index[a.food.id]], a.food.name
        assert a.food.category not in ANIMAL_CATEGORIES
        name_l = a.food.name.lower()
        assert not any(w in name_l for w in ANIMAL_WORDS if w != "milk") or "soy" in name_l


def test_no_calcium_tablet_or_intake_above_500_mg_at_once():
    from crampcheck.assess import assess
    from crampcheck.case import load_case
    from crampcheck.plan import plan_for_assessment

    a = assess(load_case(ROOT / "examples" / "kidney_disease.json"))
    plan = plan_for_assessment(a, max_kcal=0)  # food can add nothing: a supplement is needed
    calcium = [s for s in plan.supplements if s.mineral == "calcium"]
    assert calcium
    for s in calcium:
        assert s.tablet_mg <= 500
        for part in s.schedule.split(";"):
            mg = float(part.split("(")[1].split(" mg")[0])
            assert mg <= 500, s.schedule


def test_acid_suppressant_means_calcium_citrate():
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict
    from crampcheck.plan import plan_for_assessment

    for drug in ("Pepcid 20 mg", "omeprazole 20 mg"):
        case = case_from_dict({"person": {"age": 60, "sex": "female"},
                               "medications": [drug],
                               "diary": {"2026-11-20": ["1 cup cooked white rice",
                                                        "3 oz chicken breast"]}})
        plan = plan_for_assessment(assess(case), max_kcal=0)
        calcium = [s for s in plan.supplements if s.mineral == "calcium"]
        assert calcium and calcium[0].form == "citrate", drug
