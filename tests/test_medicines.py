"""Medication knowledge base: data integrity and free-text matching."""

from __future__ import annotations

import pytest

from crampcheck.knowledge import sources, validate
from crampcheck.knowledge.medicines import (
    all_medication_names,
    count_medication_names,
    get_class,
    match_medication,
    medication_classes,
    normalize,
)


def test_file_validates_and_sources_resolve():
    assert validate("medications") == []
    registry = sources()
    for cls in medication_classes():
        assert cls.citations, cls.id
        for effect in cls.effects:
            for citation in effect.citations:
                assert citation.source_id in registry, (cls.id, citation.source_id)
                assert citation.grade in ("A", "B", "C")


def test_at_least_200_names():
    names = all_medication_names()
    assert count_medication_names() == len(names)
    assert len(names) >= 200
    assert "Lasix" in names and "furosemide" in names and "Zestoretic" in names


def test_every_class_the_article_names_is_covered():
    article = {c.article_class for c in medication_classes() if c.article_class}
    for word in ("birth control pills", "insulin", "antibiotics", "diuretics",
                 "blood pressure medication", "cortisone"):
        assert word in article


def test_lasix_is_a_loop_diuretic_lowering_magnesium_and_potassium():
    match = match_medication("Lasix 40 mg daily")
    assert match is not None
    assert match.name == "furosemide"
    assert match.matched == "Lasix"
    assert match.class_ids() == ["loop_diuretic"]
    loop = match.classes[0]
    assert loop.name == "loop diuretic"
    assert loop.effect_on("magnesium").direction == "lower"
    assert loop.effect_on("potassium").direction == "lower"
    assert {"magnesium", "potassium"} <= set(match.affects())


@pytest.mark.parametrize("text", ["Prilosec", "omeprazole 20mg", "Prilosec OTC 20 mg", "Losec"])
def test_ppi_lowers_magnesium_citing_fda_2011(text):
    match = match_medication(text)
    assert match is not None
    assert match.name == "omeprazole"
    assert match.class_ids() == ["proton_pump_inhibitor"]
    assert match.classes[0].effect_on("magnesium").direction == "lower"
    assert "fda_ppi_mg_2011" in {c.source_id for c in match.citations}
    assert sources()["fda_ppi_mg_2011"]["year"] == 2011


def test_doxycycline_has_spacing_hours():
    match = match_medication("doxycycline 100mg twice daily")
    assert match is not None
    [(cls, interaction)] = match.interactions()
    assert cls.id == "tetracycline"
    assert interaction.take_drug_hours_before == 2.0
    assert interaction.take_drug_hours_after >= 4.0
    assert {"calcium", "magnesium"} <= set(interaction.minerals)
    assert "hours" in interaction.advice


def test_member_specific_spacing_overrides_class_default():
    moxi = match_medication("Avelox 400 mg")
    cipro = match_medication("ciprofloxacin 500 mg")
    assert moxi is not None and cipro is not None
    assert moxi.interactions()[0][1].take_drug_hours_after == 8.0
    assert cipro.interactions()[0][1].take_drug_hours_after == 6.0


@pytest.mark.parametrize("text", ["levothyroxine 50 mcg", "Synthroid", "Eltroxin 100"])
def test_levothyroxine_four_hours_apart(text):
    match = match_medication(text)
    assert match is not None
    interaction = match.interactions()[0][1]
    assert interaction.take_drug_hours_before == 4.0
    assert interaction.take_drug_hours_after == 4.0


@pytest.mark.parametrize(
    "text", ["Zestoretic", "zestoretic 20/12.5", "lisinopril/hydrochlorothiazide",
             "lisinopril + HCTZ"]
)
def test_combination_returns_both_classes(text):
    match = match_medication(text)
    assert match is not None
    assert set(match.class_ids()) == {"ace_inhibitor", "thiazide_diuretic"}
    assert set(match.generics) == {"lisinopril", "hydrochlorothiazide"}
    # the ACE inhibitor raises potassium, the thiazide lowers it: both effects are present
    directions = {c.effect_on("potassium").direction for c in match.classes}
    assert directions == {"lower", "raise"}


@pytest.mark.parametrize(
    ("text", "generic", "class_id"),
    [
        ("HCTZ", "hydrochlorothiazide", "thiazide_diuretic"),
        ("frusemide 20mg", "furosemide", "loop_diuretic"),
        ("salbutamol inhaler", "salbutamol", "beta2_agonist"),
        ("albuterol", "salbutamol", "beta2_agonist"),
        ("Ventolin HFA 2 puffs", "salbutamol", "beta2_agonist"),
        ("prednisone 5 mg", "prednisone", "glucocorticoid"),
        ("cyclosporine", "ciclosporin", "calcineurin_inhibitor"),
        ("Erbitux", "cetuximab", "egfr_antibody"),
        ("Fosamax 70 mg weekly", "alendronate", "bisphosphonate"),
        ("Lantus 20 units at night", "insulin glargine", "insulin"),
        ("Microgynon", "levonorgestrel", "combined_oral_contraceptive"),
        ("Aldactone 25mg", "spironolactone", "potassium_sparing_diuretic"),
    ],
)
def test_generic_brand_and_alias_names(text, generic, class_id):
    match = match_medication(text)
    assert match is not None
    assert match.name == generic
    assert class_id in match.class_ids()


@pytest.mark.parametrize(
    ("text", "generic"),
    [("atorvastatn", "atorvastatin"), ("omeprazle", "omeprazole"), ("amlodipin 5mg", "amlodipine"),
     ("spironolacton", "spironolactone")],
)
def test_misspellings_match_approximately(text, generic):
    match = match_medication(text)
    assert match is not None
    assert match.name == generic
    assert match.fuzzy
    assert 85 <= match.score < 100


def test_statin_is_a_cramp_risk_without_mineral_effect():
    match = match_medication("atorvastatin 20 mg")
    assert match is not None and match.cramp_risk
    assert match.affects() == []


@pytest.mark.parametrize(
    ("text", "class_id"),
    [("the pill", "combined_oral_contraceptive"),
     ("birth control pill", "combined_oral_contraceptive"),
     ("water pill", "diuretic_unspecified"), ("antibiotics", "antibiotic_unspecified"),
     ("blood pressure tablets", "blood_pressure_unspecified"), ("steroids", "glucocorticoid"),
     ("cortisone", "glucocorticoid"), ("insulin", "insulin")],
)
def test_class_words_from_the_article(text, class_id):
    match = match_medication(text)
    assert match is not None
    assert class_id in match.class_ids()


def test_potassium_raising_classes():
    for class_id in ("ace_inhibitor", "arb", "potassium_sparing_diuretic", "trimethoprim"):
        assert get_class(class_id).effect_on("potassium").direction == "raise"


def test_blood_pressure_classes_without_mineral_effect_say_so():
    for class_id in ("calcium_channel_blocker", "beta_blocker"):
        cls = get_class(class_id)
        assert cls.effects == ()
        assert "no" in cls.note.lower() and "established" in cls.note.lower()


@pytest.mark.parametrize("text", ["xyzzy", "", "feeling fine", "station",
                                  "Magnesium (as glycinate) 200 mg", "40 mg daily"])
def test_unknown_text_is_none(text):
    assert match_medication(text) is None


def test_matching_is_deterministic():
    first = [match_medication(t) for t in ("atorvastatn", "Zestoretic", "lasix and prilosec")]
    second = [match_medication(t) for t in ("atorvastatn", "Zestoretic", "lasix and prilosec")]
    assert [(m.name, m.class_ids()) for m in first] == [(m.name, m.class_ids()) for m in second]
    assert set(first[2].class_ids()) == {"loop_diuretic", "proton_pump_inhibitor"}


def test_normalize():
    assert normalize("Lasix® 40mg") == "lasix 40 mg"
    assert normalize("Crohn’s") == "crohns"


# --- magnesium and calcium that antacids and laxatives add (supplement_products.toml) -------

from crampcheck.knowledge import validate as _validate  # noqa: E402
from crampcheck.knowledge.medicines import (  # noqa: E402
    find_product,
    mineral_contributions,
    products,
    read_minerals,
)


def _minerals(text):
    return mineral_contributions(match_medication(text), text)


def test_product_file_validates_and_every_entry_has_contents_or_a_reason():
    assert _validate("supplement_products") == []
    registry = sources()
    for product in products():
        assert product.citations, product.id
        assert all(c.source_id in registry for c in product.citations), product.id
        assert bool(product.contents) != bool(product.unreadable), product.id


def test_milk_of_magnesia_30_ml_is_about_1000_mg_magnesium():
    # 400 mg Mg(OH)2 per 5 mL x 0.4168 = 166.7 mg Mg per 5 mL (DailyMed Drug Facts)
    assert _minerals("milk of magnesia 30 ml daily") == {"magnesium_mg": pytest.approx(1000, abs=1)}
    assert _minerals("Phillips' Milk of Magnesia 2 tbsp at bedtime")["magnesium_mg"] == (
        pytest.approx(1000, abs=1))
    assert _minerals("milk of magnesia 1 tsp")["magnesium_mg"] == pytest.approx(166.7, abs=0.1)


def test_tums_strengths_and_frequency():
    assert _minerals("Tums Regular Strength 2 tablets") == {"calcium_mg": 400.0}
    assert _minerals("Tums Extra Strength 2 tablets twice daily") == {"calcium_mg": 1200.0}
    assert _minerals("Tums Ultra 1 tablet") == {"calcium_mg": 400.0}
    assert _minerals("Tums 2 tablets 750 mg daily") == {"calcium_mg": 600.0}
    reading = read_minerals(match_medication("Tums 500 2 tablets"), "Tums 500 2 tablets")
    assert reading.amounts == {"calcium_mg": 400.0}
    assert any("one dose a day" in a for a in reading.assumptions)
    # which Tums is not said: 200, 300 or 400 mg a tablet, so it is asked, not guessed
    reading = read_minerals(match_medication("Tums 2 tablets"), "Tums 2 tablets")
    assert reading.amounts is None and "Extra Strength" in reading.reason


def test_rennie_adds_calcium_and_magnesium():
    assert _minerals("Rennie 2 tablets 3 times a day") == {"calcium_mg": 1632.0,
                                                           "magnesium_mg": 120.0}


def test_maalox_liquid_counts_and_tablets_need_the_label():
    assert _minerals("Maalox regular 10 ml twice daily") == {"magnesium_mg": 340.0,
                                                             "calcium_mg": 100.0}
    assert _minerals("Maalox 10 ml twice daily") is None
    assert _minerals("Maalox maximum strength 5 ml daily") == {"magnesium_mg": 175.0}
    reading = read_minerals(match_medication("Maalox 4 tablets daily"), "Maalox 4 tablets daily")
    assert reading.amounts is None and "label" in reading.reason
    text = "Maalox 4 tablets daily (magnesium hydroxide 200 mg each)"
    assert _minerals(text) == {"magnesium_mg": pytest.approx(333.4, abs=0.1)}


def test_mylanta_and_generic_compound_weights():
    assert _minerals("Mylanta regular strength 20 ml daily") == {"magnesium_mg": 340.0}
    assert _minerals("magnesium hydroxide 400 mg bid") == {"magnesium_mg": pytest.approx(333.4,
                                                                                         abs=0.1)}
    assert _minerals("calcium carbonate 1250 mg daily") == {"calcium_mg": pytest.approx(500.5,
                                                                                         abs=0.1)}


def test_ranges_weekly_and_bottles():
    assert _minerals("Tums Extra Strength 2-4 tablets daily") == {"calcium_mg": 900.0}
    assert _minerals("magnesium citrate 1 bottle weekly")["magnesium_mg"] == pytest.approx(
        296 / 30 * 290 / 7, abs=0.2)


@pytest.mark.parametrize(
    ("text", "words"),
    [("Tums as needed", "write which"), ("Lasix 40 mg", "not a magnesium"),
     ("magnesium citrate 200 mg", "supplement"), ("milk of magnesia daily", "volume"),
     ("Tums Extra Strength daily", "how many"), ("Tums daily", "write which")],
)
def test_unreadable_doses_give_none_and_a_reason(text, words):
    reading = read_minerals(match_medication(text), text)
    assert reading.amounts is None and words in reading.reason
    assert mineral_contributions(match_medication(text), text) is None


def test_as_needed_counts_usual_use_for_intake_and_its_maximum_for_the_upper_limit():
    # Tums Extra Strength: 750 mg calcium carbonate = 300 mg calcium per tablet (Drug Facts)
    text = "Tums Extra Strength 2 tablets as needed, up to 5 times a day"
    reading = read_minerals(match_medication(text), text)
    assert reading.amounts == {"calcium_mg": 600.0}          # one dose of 2 tablets a day
    assert reading.upper_amounts == {"calcium_mg": 3000.0}   # 5 doses of 2 tablets
    assert any("as needed" in a and "upper-limit" in a for a in reading.assumptions)
    # no maximum written: the usual use counts for both, and the line is asked for one
    text = "milk of magnesia 15 ml as needed"
    reading = read_minerals(match_medication(text), text)
    assert reading.amounts == reading.upper_amounts == {"magnesium_mg": pytest.approx(500.1)}
    assert any("no maximum" in a for a in reading.assumptions)


@pytest.mark.parametrize(
    ("text", "magnesium_mg"),
    # magnesium hydroxide 400 mg per 5 mL x 0.4168 = 166.7 mg Mg per 5 mL (DailyMed)
    [("milk of magnesia 5 ml qds", 4 * 166.7), ("milk of magnesia 5 ml tds", 3 * 166.7),
     ("milk of magnesia 5 ml bd", 2 * 166.7), ("milk of magnesia 5 ml every other day", 83.35),
     ("milk of magnesia 5 ml 3 times a week", 3 * 166.7 / 7),
     ("milk of magnesia 5 ml every 8 hours", 3 * 166.7),
     ("milk of magnesia 1 tsp four times a day", 4 * 166.7)],
)
def test_medicine_frequencies_use_the_one_dose_grammar(text, magnesium_mg):
    assert _minerals(text)["magnesium_mg"] == pytest.approx(magnesium_mg, abs=0.2)


def test_find_product_picks_the_variant():
    assert find_product("Mag-Ox 400").id == "mag_ox_400"
    assert find_product("Caltrate 600+D3").id == "caltrate_600_d3"
    assert find_product("Caltrate 600").id == "caltrate_600"
    assert find_product("Os-Cal 500 + D").id == "os_cal_500_d3"
    assert find_product("maalox 10 ml", "ml").id == "maalox_liquid_strength_unknown"
    assert find_product("maalox regular 10 ml", "ml").id == "maalox_regular_liquid"
    assert find_product("Tums 750").id == "tums_extra"
    assert find_product("Maalox 4 tablets", "tablet").id == "maalox_tablets"
    assert find_product("lisinopril") is None


# --------------------------------------------------------------------------------------------
# second batch: quinine, metformin, lithium, kidney-bone medicines, steroids, antidepressants,
# HRT and progestogen-only contraception (sources in sources_medicine2.toml)
# --------------------------------------------------------------------------------------------

# text, generic, class, (nutrient, direction) or None when no mineral effect is established
SECOND_BATCH = [
    ("quinine 300 mg at night", "quinine", "quinine", None),
    ("Qualaquin", "quinine", "quinine", None),
    ("quinine sulphate", "quinine", "quinine", None),
    ("metformin 500 mg twice daily", "metformin", "metformin", None),
    ("Glucophage", "metformin", "metformin", None),
    ("lithium", "lithium", "lithium", ("calcium", "raise")),
    ("lithium carbonate 400 mg", "lithium", "lithium", ("sodium", "lower")),
    ("Priadel", "lithium", "lithium", ("calcium", "raise")),
    ("calcitriol 0.25 mcg", "calcitriol", "active_vitamin_d", ("calcium", "raise")),
    ("Rocaltrol", "calcitriol", "active_vitamin_d", ("calcium", "raise")),
    ("alfacalcidol", "alfacalcidol", "active_vitamin_d", ("calcium", "raise")),
    ("sevelamer 800 mg tds", "sevelamer", "non_calcium_phosphate_binder", None),
    ("Renvela", "sevelamer", "non_calcium_phosphate_binder", None),
    ("cinacalcet 30 mg", "cinacalcet", "calcimimetic", ("calcium", "lower")),
    ("Sensipar", "cinacalcet", "calcimimetic", ("calcium", "lower")),
    ("Mimpara", "cinacalcet", "calcimimetic", ("calcium", "lower")),
    ("fludrocortisone 0.1 mg", "fludrocortisone", "mineralocorticoid", ("potassium", "lower")),
    ("Florinef", "fludrocortisone", "mineralocorticoid", ("potassium", "lower")),
    ("acetazolamide 250 mg", "acetazolamide", "carbonic_anhydrase_inhibitor",
     ("potassium", "lower")),
    ("Diamox", "acetazolamide", "carbonic_anhydrase_inhibitor", ("potassium", "lower")),
    ("theophylline 200 mg bd", "theophylline", "methylxanthine", ("potassium", "lower")),
    ("Uniphyllin Continus", "theophylline", "methylxanthine", ("potassium", "lower")),
    ("sertraline 50 mg", "sertraline", "ssri_snri", ("sodium", "lower")),
    ("Zoloft", "sertraline", "ssri_snri", ("sodium", "lower")),
    ("Lustral", "sertraline", "ssri_snri", ("sodium", "lower")),
    ("venlafaxine 75 mg", "venlafaxine", "ssri_snri", ("sodium", "lower")),
    ("Effexor XR", "venlafaxine", "ssri_snri", ("sodium", "lower")),
    ("estradiol 1 mg", "estradiol", "estrogen_hrt", None),
    ("Estrace", "estradiol", "estrogen_hrt", None),
    ("Evorel patch", "estradiol", "estrogen_hrt", None),
    ("medroxyprogesterone injection", "medroxyprogesterone", "progestogen_only", None),
    ("Depo-Provera", "medroxyprogesterone", "progestogen_only", None),
    ("desogestrel progestin-only pill", "desogestrel", "progestogen_only", None),
    ("desogestrel 75 mcg", "desogestrel", "progestogen_only", None),
    ("Cerazette", "desogestrel", "progestogen_only", None),
]


@pytest.mark.parametrize(("text", "generic", "class_id", "effect"), SECOND_BATCH)
def test_second_batch_is_recognised_with_its_class_and_effect(text, generic, class_id, effect):
    match = match_medication(text)
    assert match is not None, text
    assert match.name == generic
    assert match.class_ids() == [class_id]
    assert not match.fuzzy
    cls = match.classes[0]
    if effect is None:
        assert cls.effects == ()
        assert cls.severity in ("info", "high")
    else:
        nutrient, direction = effect
        assert cls.effect_on(nutrient).direction == direction
    registry = sources()
    assert all(c.source_id in registry for c in match.citations)


def test_second_batch_names_are_counted():
    names = set(all_medication_names())
    for name in ("quinine", "Qualaquin", "metformin", "lithium", "calcitriol", "sevelamer",
                 "cinacalcet", "fludrocortisone", "acetazolamide", "theophylline", "sertraline",
                 "venlafaxine", "estradiol", "medroxyprogesterone", "Depo-Provera", "Cerazette"):
        assert name in names, name


def test_quinine_is_high_severity_and_says_not_for_cramps():
    cls = get_class("quinine")
    assert cls.severity == "high"
    assert "fda_quinine_leg_cramps_2010" in {c.source_id for c in cls.citations}
    assert sources()["fda_quinine_leg_cramps_2010"]["year"] == 2010
    for text in (cls.name, cls.note, cls.cramp_risk.note):
        assert "cramps" in text and ("do not take" in text.lower())
    assert not cls.cramp_risk.flag  # it does not cause cramps; it was taken for them


def test_quinine_finding_in_assess_is_high_and_warns_against_use_for_cramps():
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict

    case = case_from_dict({"person": {"age": 74, "sex": "female"},
                           "medications": ["quinine sulfate 300 mg at night", "Qualaquin"],
                           "cramps": [{"at": "2026-11-20T03:00", "muscle": "calf"}]})
    result = assess(case).to_dict()
    assert result["unrecognized"]["medications"] == []
    findings = [f for f in result["findings"] if f["topic"] == "medication"]
    assert len(findings) == 2
    for finding in findings:
        assert finding["severity"] == "high"
        assert "do not take it for leg cramps" in finding["summary"]
        assert "FDA" in finding["summary"]


def test_cinacalcet_lists_cramps_and_lowers_calcium():
    match = match_medication("Sensipar 30 mg")
    assert match is not None and match.cramp_risk
    assert "fda_sensipar_labeling_2014" in {c.source_id for c in match.citations}


def test_progestogen_only_pill_is_not_called_a_combined_pill():
    for text in ("Cerazette", "desogestrel", "the mini pill", "Nexplanon", "Depo-Provera"):
        match = match_medication(text)
        assert match is not None
        assert match.class_ids() == ["progestogen_only"], text
    for text in ("Marvelon", "desogestrel and ethinyl estradiol", "desogestrel/ethinylestradiol"):
        match = match_medication(text)
        assert match is not None
        assert match.class_ids() == ["combined_oral_contraceptive"], text
        assert match.name == "ethinylestradiol/desogestrel"
    # "estradiol" (HRT) is not the ethinylestradiol of the combined pill
    assert match_medication("ethinyl estradiol").class_ids() == ["combined_oral_contraceptive"]
    assert match_medication("estradiol").class_ids() == ["estrogen_hrt"]


def test_classes_without_mineral_effect_say_so():
    for class_id in ("metformin", "estrogen_hrt", "progestogen_only", "quinine"):
        cls = get_class(class_id)
        assert cls.effects == ()
        assert "no established effect" in cls.note.lower()


def test_lithium_note_keeps_salt_and_ssri_note_names_older_people():
    assert "salt" in get_class("lithium").note
    assert "older people" in get_class("ssri_snri").note


# --------------------------------------------------------------------------------------------
# issue 10: the offline drug dictionary, supply, medicine lines that are supplements
# --------------------------------------------------------------------------------------------

import re as _re  # noqa: E402
import subprocess as _subprocess  # noqa: E402
import sys as _sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

from crampcheck.knowledge import load as _load  # noqa: E402
from crampcheck.knowledge.medicines import (  # noqa: E402
    count_dictionary_names,
    drug_dictionary,
    read_medicine,
)

_ROOT = _Path(__file__).resolve().parents[1]


def test_dictionary_provenance_matches_the_file():
    provenance = (_ROOT / "src/crampcheck/knowledge/drugs/PROVENANCE.md").read_text()
    assert "drug-named-entity-recognition` 2.0.9" in provenance
    assert "MIT License" in provenance
    names = int(_re.search(r"normalised: ([\d,]+)", provenance).group(1).replace(",", ""))
    generics = int(_re.search(r"generic ingredients: ([\d,]+)", provenance).group(1)
                   .replace(",", ""))
    assert count_dictionary_names() == names > 40_000
    assert len(drug_dictionary().generics) == generics


def test_every_combination_member_is_known():
    generics = set(drug_dictionary().generics)
    for combo in _load("medications")["combinations"]:
        for member in combo["members"]:
            assert match_medication(member) is not None or member in generics, member


def test_dictionary_is_read_only_for_words_the_own_table_does_not_explain():
    code = ("from crampcheck.knowledge.medicines import match_medication, drug_dictionary\n"
            "assert match_medication('Lasix 40 mg daily twice a day').name == 'furosemide'\n"
            "assert match_medication('omeprazole 20 mg').name == 'omeprazole'\n"
            "assert drug_dictionary.cache_info().currsize == 0\n"
            "assert match_medication('Tylenol 500 mg').name == 'acetaminophen'\n"
            "assert drug_dictionary.cache_info().currsize == 1\n")
    _subprocess.run([_sys.executable, "-c", code], check=True, cwd=_ROOT,
                    env={"PYTHONPATH": str(_ROOT / "src"), "PATH": "/usr/bin:/bin"})


def test_cold_assess_of_the_example_does_not_load_the_dictionary():
    code = ("from crampcheck.case import load_case\n"
            "from crampcheck.assess import assess\n"
            "from crampcheck.knowledge.medicines import drug_dictionary\n"
            "assess(load_case('examples/night_cramps_diuretic.json'))\n"
            "assert drug_dictionary.cache_info().currsize == 0\n")
    _subprocess.run([_sys.executable, "-c", code], check=True, cwd=_ROOT,
                    env={"PYTHONPATH": str(_ROOT / "src"), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize(
    ("text", "generics", "class_ids"),
    [("Eliquis", ["apixaban"], ["anticoagulant"]),
     ("Paxlovid", ["nirmatrelvir", "ritonavir"], []),       # combination -> both
     ("Jardiance 25 mg", ["empagliflozin"], ["sglt2_inhibitor"]),
     ("Advil Liqui-Gels 200 mg", ["ibuprofen"], ["nsaid"]),
     ("cyclosporine", ["ciclosporin"], ["calcineurin_inhibitor"])],  # keyed to own spelling
)
def test_dictionary_names_resolve_to_generics_and_classes(text, generics, class_ids):
    m = match_medication(text)
    assert m is not None
    assert m.generics == generics and m.class_ids() == class_ids


def test_nutrient_lines_are_not_medicines_and_are_counted_as_supplements():
    for text in ("vitamin D3 1000 IU", "Magnesium (as glycinate) 200 mg",
                 "calcium citrate 500 mg"):
        reading = read_medicine(text)
        assert reading.match is None and reading.nutrient_only, text
    # prescription potassium is a medicine (class potassium_chloride) whose potassium counts too
    assert read_medicine("Klor-Con 20 mEq").match.class_ids() == ["potassium_chloride"]
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict

    result = assess(case_from_dict({
        "person": {"age": 60, "sex": "female"},
        "medications": ["vitamin D3 1000 IU daily", "Klor-Con 20 mEq"]})).to_dict()
    assert result["unrecognized"]["medications"] == []
    # 1000 IU / 40 = 25 ug; 20 mEq x 39.098 = 782 mg potassium
    assert result["intake"]["from_supplements"]["vitamin_d_ug"] == 25
    assert result["intake"]["from_supplements"]["potassium_mg"] == pytest.approx(782, abs=0.5)


def _recs(medications: list[str]) -> list[str]:
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict

    result = assess(case_from_dict({
        "person": {"age": 66, "sex": "male"}, "medications": medications,
        "cramps": [{"at": "2026-11-20T03:00", "muscle": "calf"}]})).to_dict()
    return [r["text"] for r in result["recommendations"]]


def test_do_not_stop_on_your_own_is_said_only_of_prescribed_medicines():
    [statin] = [t for t in _recs(["atorvastatin 20 mg"]) if "cramps while taking" in t]
    assert statin.endswith("do not stop it on your own.")
    # omeprazole is sold both ways: the advice is conditional
    [ppi] = [t for t in _recs(["omeprazole 20 mg"]) if "cramps while taking" in t]
    assert "if it was prescribed, do not stop it on your own" in ppi
    # bought over the counter: no "do not stop"
    # bought over the counter: a dose to reduce to, or stop; no "do not stop"
    [otc] = [t for t in _recs(["Prilosec OTC 20 mg"]) if "Cramps can be a side effect" in t]
    assert "do not stop" not in otc and "take less of it or stop it" in otc
    [misuse] = [t for t in _recs(["laxatives every day"]) if "Cramps can be a side effect" in t]
    assert "do not stop" not in misuse and "take less of it or stop it" in misuse
    assert get_class("statin").supply == "prescription"
    assert get_class("laxative_misuse").supply == "otc"
    assert match_medication("Prilosec OTC 20 mg").supply(get_class("proton_pump_inhibitor")) \
        == "otc"
