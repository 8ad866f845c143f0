"""Branded search ranks by the words present (issue: "cheerios" listed CHEESE TRIOS and
CHURRITOS), and omega-3 totals are never shown smaller than their parts."""

from __future__ import annotations

import json
import re

import pytest

from crampcheck.foods.search import search
from crampcheck.report.labels import omega3_total


def names(query: str, limit: int = 10) -> list[str]:
    return [c.food.name for c in search(query, branded=True, limit=limit)]


def test_cheerios_lists_cheerios_products(cli) -> None:
    result = cli.invoke("foods", "search", "cheerios", "--branded", "--json")
    assert result.exit_code == 0, result.output
    found = [f["name"] for f in json.loads(result.output)["foods"]]
    assert len(found) == 10
    assert all(re.search(r"\bcheerios\b", n, re.I) for n in found), found
    assert not {"CHEESE TRIOS", "CHURRITOS", "CHERRIES"} & {n.upper() for n in found}


def test_every_word_counts_before_similarity() -> None:
    top = names("honey nut cheerios", 5)
    assert all(all(w in n.lower() for w in ("honey", "nut", "cheerios")) for n in top), top
    assert all(re.search(r"\bmilk\b", n, re.I) for n in names("milk", 5))  # not "MILKIS"
    assert all("oreo" in n.lower() and "cookie" in n.lower() for n in names("oreo cookies", 5))


def test_a_misspelt_brand_is_corrected_against_branded_words() -> None:
    assert all("cheerios" in n.lower() for n in names("cherios", 5))


def test_no_word_found_gives_nothing() -> None:
    assert names("qqqqzzzz") == []


# --- omega-3 -------------------------------------------------------------------------------------

def test_omega3_total_is_never_smaller_than_its_parts() -> None:
    # FNDDS "Scallops, steamed or boiled": EPA 0.053 g, DHA 0.077 g per 100 g, no total
    value, why = omega3_total({"epa_g": 0.053, "dha_g": 0.077, "ala_g": None,
                               "omega3_g": None})
    assert value == pytest.approx(0.130) and why and "USDA gives no total" in why
    # SR "Fish, scup, raw": total 0 g while EPA 0.104 g and DHA 0.53 g
    value, why = omega3_total({"epa_g": 0.104, "dha_g": 0.53, "omega3_g": 0.0})
    assert value == pytest.approx(0.634) and "smaller than its parts" in why
    # SR "Nuts, walnuts, english": total 9.08 g = ALA 9.08 g: USDA's own total stands
    assert omega3_total({"ala_g": 9.08, "epa_g": 0.0, "dha_g": 0.0, "omega3_g": 9.08}) == (
        9.08, None)
    assert omega3_total({"omega3_g": None}) == (None, None)


def test_foods_show_gives_the_total_from_its_parts(cli) -> None:
    out = cli.invoke("foods", "show", "fndds:00681d6a", env={"COLUMNS": "120"})
    assert out.exit_code == 0, out.output
    assert "≥ 0.13" in out.output and "USDA gives no total" in out.output
    data = json.loads(cli.invoke("foods", "show", "sr:15090", "--json").output)
    assert data["per_100g"]["omega3_g"] == 0.0  # USDA's value stays as it is
    assert data["omega3_total"]["grams"] == pytest.approx(0.634, abs=1e-3)
    assert data["omega3_total"]["lower_bound"] is True
    plain = json.loads(cli.invoke("foods", "show", "sr:12155", "--json").output)
    assert plain["omega3_total"] == {"grams": pytest.approx(9.08, abs=1e-3),
                                     "lower_bound": False, "basis": "USDA total"}


def test_nutrient_totals_count_omega3_parts(cli) -> None:
    out = cli.invoke("nutrients", "100 g Fish, scup, raw", "1 oz walnuts", env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    row = next(line for line in out.output.splitlines() if "Omega-3, total (g)" in line)
    # scup 100 g: EPA 0.104 + DHA 0.53 = 0.634 g (its USDA total, 0 g, is smaller);
    # walnuts 1 oz = 28.35 g x 9.08 g/100 g = 2.574 g: together at least 3.2 g
    assert "≥ 3.2" in row, row
