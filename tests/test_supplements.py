"""Supplement label text → elemental daily amounts (forms from supplement_forms.toml)."""

import pytest

from crampcheck.errors import InputError
from crampcheck.intake.supplements import form_by_id, parse_supplement


def test_calcium_carbonate_as_labelled_is_elemental():
    r = parse_supplement("calcium carbonate 600 mg")
    assert r.recognized
    assert r.contributions == {"calcium_mg": 600.0}
    assert r.doses[0].mineral == "calcium" and r.doses[0].form == "calcium_carbonate"
    assert r.form.elemental_percent == 40.0
    assert "meal" in r.form.absorption and r.form.take_with_food is True
    # The other reading is spelled out.
    assert any("240 mg calcium" in a for a in r.assumptions)


def test_calcium_carbonate_compound_weight_is_240_mg():
    r = parse_supplement("calcium carbonate 600 mg compound")
    assert r.contributions["calcium_mg"] == pytest.approx(240.2, abs=0.1)


def test_magnesium_as_glycinate_label():
    r = parse_supplement("Magnesium (as glycinate) 200 mg")
    assert r.contributions == {"magnesium_mg": 200.0}
    assert r.form.id == "magnesium_glycinate"
    assert r.form.elemental_percent == pytest.approx(14.1)


def test_magnesium_glycinate_compound():
    r = parse_supplement("magnesium glycinate 500 mg compound")
    assert r.contributions["magnesium_mg"] == pytest.approx(70.5, abs=0.1)


def test_magnesium_citrate_powder_compound_weight():
    r = parse_supplement("500 mg of magnesium citrate powder (compound weight)")
    assert r.contributions["magnesium_mg"] == pytest.approx(80.8, abs=0.1)
    assert r.form.id == "magnesium_citrate"


def test_vitamin_d3_iu_to_ug():
    r = parse_supplement("Vitamin D3 2000 IU")
    assert r.contributions == {"vitamin_d_ug": 50.0}
    assert r.doses[0].mineral == "vitamin_d"
    assert r.form.id == "vitamin_d3"


def test_vitamin_d_weekly_is_divided_by_seven():
    r = parse_supplement("vitamin D2 50,000 IU weekly")
    assert r.contributions["vitamin_d_ug"] == pytest.approx(1250 / 7)


def test_fish_oil_typical_capsule():
    r = parse_supplement("fish oil 1000 mg")
    assert r.contributions["epa_g"] == pytest.approx(0.18)
    assert r.contributions["dha_g"] == pytest.approx(0.12)
    assert r.contributions["omega3_g"] == pytest.approx(0.30)
    assert any("typical" in a for a in r.assumptions)


def test_fish_oil_with_stated_epa_dha():
    r = parse_supplement("fish oil 1 g (EPA 360 mg, DHA 240 mg)")
    assert r.contributions["epa_g"] == pytest.approx(0.36)
    assert r.contributions["dha_g"] == pytest.approx(0.24)
    assert {d.mineral for d in r.doses} == {"epa", "dha"}
    assert not any("typical" in a for a in r.assumptions)


def test_count_multiplies():
    r = parse_supplement("2 x calcium citrate 315 mg")
    assert r.contributions["calcium_mg"] == pytest.approx(630)
    assert r.form.id == "calcium_citrate"


def test_multivitamin_is_reported_not_dropped():
    r = parse_supplement("multivitamin")
    assert not r.recognized
    assert r.contributions == {} and r.doses == []
    assert r.assumptions and "label" in r.assumptions[0]


def test_potassium_gluconate():
    r = parse_supplement("potassium gluconate 99 mg")
    assert r.contributions == {"potassium_mg": 99.0}
    assert r.form.elemental_percent == pytest.approx(16.7)


def test_prescription_potassium_in_meq():
    r = parse_supplement("Klor-Con 20 mEq")
    assert r.contributions["potassium_mg"] == pytest.approx(782, abs=1)


def test_antacid_drug_label_is_compound_weight():
    assert parse_supplement("Tums 500 mg").contributions["calcium_mg"] == pytest.approx(200, abs=1)
    assert parse_supplement("Mag-Ox 400 mg").contributions["magnesium_mg"] == pytest.approx(
        241, abs=1
    )


def test_combined_label_and_thousands_separator():
    r = parse_supplement("calcium 500 mg, magnesium 250 mg, vitamin D3 1,000 IU")
    assert r.contributions == {"calcium_mg": 500.0, "magnesium_mg": 250.0, "vitamin_d_ug": 25.0}


def test_elemental_amount_in_parentheses_wins():
    r = parse_supplement("calcium carbonate 1250 mg (500 mg elemental calcium)")
    assert r.contributions["calcium_mg"] == 500.0


def test_twice_daily():
    r = parse_supplement("magnesium citrate 150 mg twice daily")
    assert r.contributions["magnesium_mg"] == 300.0


def test_compound_without_known_form_is_not_counted():
    r = parse_supplement("magnesium 500 mg compound")
    assert not r.recognized and "cannot be worked out" in r.assumptions[-1]


def test_unknown_oil_content_is_not_guessed():
    r = parse_supplement("algal oil 500 mg")
    assert not r.recognized and r.form.id == "algal_oil"


@pytest.mark.parametrize(
    "text",
    ["calcium -200 mg", "magnesium 0 mg", "calcium carbonate 20 g", "magnesium 12000 mg",
     "calcium 500 IU", "vitamin D3 1000000 IU", "", "   "],
)
def test_absurd_amounts_raise(text):
    with pytest.raises(InputError):
        parse_supplement(text)


@pytest.mark.parametrize(
    ("form_id", "percent"),
    [("calcium_carbonate", 40.0), ("calcium_citrate", 21.1), ("calcium_lactate", 13.0),
     ("calcium_gluconate", 8.9), ("magnesium_oxide", 60.3), ("magnesium_citrate", 16.2),
     ("magnesium_chloride", 12.0), ("magnesium_sulfate", 9.9), ("potassium_chloride", 52.4)],
)
def test_elemental_percentages_from_formulas(form_id, percent):
    assert form_by_id(form_id).elemental_percent == pytest.approx(percent, abs=0.05)


def test_form_fractions_match_their_formulas():
    import re

    from crampcheck import knowledge

    weights = {"Ca": 40.078, "Mg": 24.305, "K": 39.098, "C": 12.011, "H": 1.008,
               "N": 14.007, "O": 15.999, "P": 30.974, "S": 32.06, "Cl": 35.45}

    def mass(formula: str) -> tuple[float, dict[str, float]]:
        counts: dict[str, float] = {}
        for part in formula.split("·"):
            m = re.match(r"^(\d+)(.*)$", part)
            mult = int(m.group(1)) if m else 1
            body = m.group(2) if m else part
            body = re.sub(r"\(([^)]*)\)(\d*)",
                          lambda g: g.group(1) * int(g.group(2) or 1), body)
            for el, n in re.findall(r"([A-Z][a-z]?)(\d*)", body):
                counts[el] = counts.get(el, 0) + mult * int(n or 1)
        return sum(weights[e] * n for e, n in counts.items()), counts

    symbol = {"calcium": "Ca", "magnesium": "Mg", "potassium": "K"}
    checked = 0
    for entry in knowledge.load("supplement_forms")["forms"]:
        if entry.get("fraction_basis") != "computed" or "formula" not in entry:
            continue
        total, counts = mass(entry["formula"])
        el = symbol[entry["nutrient"]]
        assert entry["molar_mass_g_mol"] == pytest.approx(total, abs=0.01), entry["id"]
        assert entry["elemental_fraction"] == pytest.approx(
            counts[el] * weights[el] / total, abs=0.0001
        ), entry["id"]
        checked += 1
    assert checked >= 25
