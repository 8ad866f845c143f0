"""Supplement label text → elemental daily amounts (forms from supplement_forms.toml)."""

import pytest

from crampcheck.errors import InputError
from crampcheck.intake.supplements import form_by_id, parse_supplement


def test_calcium_carbonate_without_saying_which_keeps_both_readings():
    # "calcium carbonate 600 mg" may be 600 mg of calcium (Supplement Facts) or 600 mg of the
    # salt (x 0.4004 = 240.2 mg calcium): intake counts the lower, the UL check the higher.
    r = parse_supplement("calcium carbonate 600 mg")
    assert r.recognized
    assert r.contributions == {"calcium_mg": pytest.approx(240.24)}
    assert r.upper_contributions == {"calcium_mg": 600.0}
    assert r.doses[0].mineral == "calcium" and r.doses[0].form == "calcium_carbonate"
    assert r.form.elemental_percent == 40.0
    assert "meal" in r.form.absorption and r.form.take_with_food is True
    [reading] = r.readings
    assert reading["as_compound_mg"] == pytest.approx(240.2) and reading["as_element_mg"] == 600
    assert any("both readings" in a and "240 mg calcium" in a for a in r.assumptions)


def test_supplement_facts_wording_is_the_element():
    for text in ("Calcium (as carbonate) 600 mg", "calcium 600 mg (from calcium carbonate)",
                 "calcium carbonate 1250 mg (500 mg elemental calcium)"):
        r = parse_supplement(text)
        expected = 500.0 if "1250" in text else 600.0
        assert r.contributions == r.upper_contributions == {"calcium_mg": expected}, text
        assert r.readings == []


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
    r = parse_supplement("2 x calcium (as citrate) 315 mg")
    assert r.contributions["calcium_mg"] == pytest.approx(630)
    assert r.form.id == "calcium_citrate"
    # without "(as citrate)": 2 x 315 mg x 0.2110 (calcium citrate tetrahydrate) for intake
    r = parse_supplement("2 x calcium citrate 315 mg")
    assert r.contributions["calcium_mg"] == pytest.approx(2 * 315 * 0.2108, abs=0.5)
    assert r.upper_contributions["calcium_mg"] == pytest.approx(630)


def test_multivitamin_is_reported_not_dropped():
    r = parse_supplement("multivitamin")
    assert not r.recognized
    assert r.contributions == {} and r.doses == []
    assert r.assumptions and "label" in r.assumptions[0]


def test_potassium_gluconate():
    r = parse_supplement("potassium (as gluconate) 99 mg")
    assert r.contributions == {"potassium_mg": 99.0}
    assert r.form.elemental_percent == pytest.approx(16.7)
    r = parse_supplement("potassium gluconate 99 mg")  # 99 x 0.1669 for intake, 99 for the UL
    assert r.contributions == {"potassium_mg": pytest.approx(16.52, abs=0.01)}
    assert r.upper_contributions == {"potassium_mg": 99.0}


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
    r = parse_supplement("magnesium (as citrate) 150 mg twice daily")
    assert r.contributions["magnesium_mg"] == 300.0
    r = parse_supplement("magnesium citrate 150 mg twice daily")
    assert r.upper_contributions["magnesium_mg"] == 300.0
    assert r.contributions["magnesium_mg"] == pytest.approx(2 * 150 * 0.1616, abs=0.5)


def test_compound_without_known_form_is_not_counted():
    r = parse_supplement("magnesium 500 mg compound")
    assert not r.recognized and "cannot be worked out" in r.assumptions[-1]


def test_unknown_oil_content_is_not_guessed():
    r = parse_supplement("algal oil 500 mg")
    assert not r.recognized and r.form.id == "algal_oil"


@pytest.mark.parametrize(
    "text",
    ["calcium -200 mg", "magnesium 0 mg", "calcium carbonate 20 g", "magnesium 12000 mg",
     "vitamin D3 1000000 IU", "", "   "],
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


# --- reviewer's cases: abbreviations, brands, pairs, fractions, ranges, warnings -------------


def test_mg_abbreviation_is_magnesium_but_300_mg_stays_a_unit():
    r = parse_supplement("Mg glycinate 300mg")
    assert r.upper_contributions == {"magnesium_mg": 300.0}
    assert r.form.id == "magnesium_glycinate"
    assert parse_supplement("Ca citrate 500 MG").upper_contributions == {"calcium_mg": 500.0}
    assert parse_supplement("MAGNESIUM GLYCINATE 200 MG").upper_contributions == {
        "magnesium_mg": 200.0}


def test_mag_ox_400_is_241_mg_per_tablet():
    # DailyMed: magnesium oxide 400 mg (241.3 mg elemental magnesium) per tablet
    for text in ("Mag-Ox 400", "Mag-Ox 400 mg", "1 Mag-Ox 400 tablet"):
        r = parse_supplement(text)
        assert r.contributions == {"magnesium_mg": pytest.approx(241.3)}, text
        assert r.form.id == "magnesium_oxide"
        assert any(c.source_id == "dailymed_mag_ox_400" for c in r.citations)


def test_slow_mag_tablets_count_magnesium_and_calcium():
    r = parse_supplement("Slow-Mag 2 tablets")
    assert r.recognized
    assert r.contributions == {"magnesium_mg": 128.0, "calcium_mg": 212.0}
    assert any("older version" in a for a in r.assumptions)


def test_paired_amounts_go_to_their_nutrients():
    r = parse_supplement("Calcium + D3 (600 mg/400 IU)")
    assert r.contributions == {"calcium_mg": 600.0, "vitamin_d_ug": 10.0}
    r = parse_supplement("Calcium carbonate + Magnesium 500 mg/250 mg")
    assert r.upper_contributions == {"calcium_mg": 500.0, "magnesium_mg": 250.0}
    assert r.contributions == {"calcium_mg": pytest.approx(200.2), "magnesium_mg": 250.0}


def test_half_tablet_and_ranges():
    assert parse_supplement("1/2 tab magnesium 500 mg").contributions == {"magnesium_mg": 250.0}
    assert parse_supplement("half a tablet magnesium 400 mg").contributions == {
        "magnesium_mg": 200.0}
    r = parse_supplement("magnesium 200-400 mg")
    assert r.contributions == {"magnesium_mg": 300.0}
    assert any("middle" in a and "300" in a for a in r.assumptions)
    assert parse_supplement("1-2 tablets calcium 500 mg").contributions == {"calcium_mg": 750.0}


def test_caltrate_600_plus_d_counts_the_vitamin_d():
    r = parse_supplement("Caltrate 600+D")
    assert r.contributions == {"calcium_mg": 600.0, "vitamin_d_ug": 20.0}
    assert any("400 IU" in a for a in r.assumptions)  # the other label is named
    # the line's own amount wins
    assert parse_supplement("Caltrate 600 mg + D3 400 IU").contributions == {
        "calcium_mg": 600.0, "vitamin_d_ug": 10.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Tums Regular", {"calcium_mg": 200.0}),
     ("Tums Extra Strength 2 tablets", {"calcium_mg": 600.0}),
     ("Tums Ultra", {"calcium_mg": 400.0}), ("Tums 500 mg", {"calcium_mg": 200.0}),
     ("Rennie", {"calcium_mg": 272.0, "magnesium_mg": 20.0}),
     ("Os-Cal 500", {"calcium_mg": 500.0}),
     ("Os-Cal 500 + D", {"calcium_mg": 500.0, "vitamin_d_ug": 5.0}),
     ("Citracal 2 caplets", {"calcium_mg": 630.0}),
     ("milk of magnesia 15 ml", {"magnesium_mg": pytest.approx(500.1)})],
)
def test_products_from_the_label_table(text, expected):
    r = parse_supplement(text)
    assert r.recognized and r.contributions == expected
    assert r.product_citations


@pytest.mark.parametrize("text", ["Centrum", "multivitamin", "Centrum Silver 1 tablet",
                                  "One A Day Women's"])
def test_multivitamins_are_reported_with_what_to_write(text):
    r = parse_supplement(text)
    assert not r.recognized and r.contributions == {}
    assert "calcium and magnesium amounts from its label" in r.assumptions[-1]


def test_potassium_over_99_mg_a_dose_warns():
    r = parse_supplement("potassium chloride 2000 mg")
    # 2000 mg of the salt is 1049 mg potassium; as the element, 2000 mg: both over 99 mg
    assert r.contributions == {"potassium_mg": pytest.approx(1049.0)}
    assert r.upper_contributions == {"potassium_mg": 2000.0}
    assert len(r.warnings) == 1 and "99 mg" in r.warnings[0] and "prescription" in r.warnings[0]
    assert r.warnings[0] in r.assumptions
    assert any(c.source_id == "ecfr_21_cfr_201_306" for c in r.citations)
    assert parse_supplement("Klor-Con 20 mEq").warnings
    assert parse_supplement("potassium gluconate 99 mg twice daily").warnings == []


@pytest.mark.parametrize(
    "text",
    ["calcium 500 IU", "Maalox 2 tablets", "fish oil 1000 mg (EPA 300 IU)", "Tums 2 tablets",
     "magnesium", "Mg", "vitamin D3 (600 mg/400 IU) with calcium"],
)
def test_ambiguous_labels_never_raise(text):
    r = parse_supplement(text)
    assert r.assumptions


def test_errors_name_the_line():
    for text in ("calcium -200 mg", "magnesium 0 mg", "magnesium 12000 mg", "Slow-Mag 200 tablets",
                 "0 tablets magnesium 200 mg"):
        with pytest.raises(InputError) as info:
            parse_supplement(text)
        assert text in str(info.value), text


def test_tums_without_its_strength_is_asked_for():
    r = parse_supplement("Tums 2 tablets")
    assert not r.recognized and "Extra Strength" in r.assumptions[-1]
