"""Drug–drug interactions (interactions.toml, assess/rules/interactions.py).

Expectations come from the labels: Zocor (simvastatin) is contraindicated with strong CYP3A4
inhibitors such as clarithromycin and is capped at 20 mg a day with amlodipine and 10 mg with
diltiazem or verapamil; pravastatin is capped at 40 mg a day with clarithromycin; atorvastatin
at 20 mg with clarithromycin; rosuvastatin at 10 mg with gemfibrozil. Azithromycin is not a
CYP3A4 inhibitor and appears in no statin label's list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crampcheck.assess import assess
from crampcheck.assess.rules.interactions import daily_mg, interaction_findings, interactions
from crampcheck.case import case_from_dict
from crampcheck.knowledge import sources, validate
from crampcheck.knowledge.medicines import drug_dictionary, get_class, match_medication

ROOT = Path(__file__).resolve().parents[1]


def found(*lines: str) -> dict[str, object]:
    meds = [match_medication(t) for t in lines]
    assert all(m is not None for m in meds), lines
    return {f.data["interaction"]: f for f, _ in interaction_findings(meds)}


def test_file_validates_and_every_named_generic_is_known():
    assert validate("interactions") == []
    dictionary = set(drug_dictionary().generics)
    for rule in interactions():
        assert all(c.source_id in sources() for c in rule.citations), rule.id
        for group in rule.groups:
            for generic in group.generics:
                known = bool(match_medication(generic)) or generic in dictionary
                assert known, (rule.id, generic)
            for class_id in group.classes:
                assert get_class(class_id)


def test_simvastatin_with_clarithromycin_is_contraindicated_and_names_both():
    hits = found("simvastatin 40 mg at night", "clarithromycin 500 mg twice daily")
    finding = hits["simvastatin_strong_cyp3a4"]
    assert finding.severity == "high"
    assert finding.data["drugs"] == ["simvastatin 40 mg at night",
                                     "clarithromycin 500 mg twice daily"]
    assert "simvastatin" in finding.summary and "clarithromycin" in finding.summary
    assert "must not be taken together" in finding.summary
    assert "prescriber" in finding.detail
    assert {c.source_id for c in finding.evidence} == {"openfda_zocor"}


@pytest.mark.parametrize("other", ["Biaxin", "itraconazole 200 mg", "ketoconazole",
                                   "posaconazole 300 mg", "Paxlovid", "Norvir 100 mg",
                                   "erythromycin 250 mg qds"])
def test_simvastatin_and_lovastatin_with_strong_inhibitors(other):
    assert found("Zocor 20 mg", other)["simvastatin_strong_cyp3a4"].severity == "high"
    assert found("lovastatin 20 mg", other)["lovastatin_strong_cyp3a4"].severity == "high"


@pytest.mark.parametrize(
    "lines",
    [("simvastatin 40 mg", "azithromycin 500 mg"),       # azithromycin: not CYP3A4
     ("pravastatin 40 mg", "clarithromycin 500 mg bd"),   # label cap 40 mg: within it
     ("rosuvastatin 10 mg", "clarithromycin 500 mg bd"),  # not in the rosuvastatin label
     ("atorvastatin 20 mg", "clarithromycin 500 mg bd"),  # label cap 20 mg: within it
     ("simvastatin 20 mg", "amlodipine 10 mg"),           # cap 20 mg: within it
     ("simvastatin 10 mg", "diltiazem 120 mg"),           # cap 10 mg: within it
     ("lithium 400 mg", "furosemide 40 mg"),              # loop diuretics: not listed
     ("digoxin 125 mcg", "spironolactone 25 mg"),         # keeps potassium
     ("ferrous sulfate 200 mg",),                         # one medicine alone
     ("Caduet 5/10",)],                                   # amlodipine + atorvastatin
)
def test_quiet_where_the_label_says_so(lines):
    assert found(*lines) == {}


def test_dose_caps_from_the_labels():
    over = found("pravastatin 80 mg", "clarithromycin 500 mg bd")["pravastatin_clarithromycin"]
    assert over.severity == "high" and over.data["daily_mg"] == 80
    assert "above the label's limit of 40 mg" in over.summary
    over = found("simvastatin 40 mg at night", "amlodipine 10 mg")["simvastatin_amlodipine_20"]
    assert over.severity == "high" and over.data["max_daily_mg"] == 20
    # 20 mg twice a day is 40 mg a day
    assert found("simvastatin 20 mg bd", "amlodipine 5 mg")["simvastatin_amlodipine_20"]
    assert found("simvastatin 20 mg", "verapamil 80 mg tds")[
        "simvastatin_calcium_channel_blocker_10"].severity == "high"
    unknown = found("simvastatin", "Norvasc")["simvastatin_amlodipine_20"]
    assert unknown.severity == "moderate" and unknown.data["daily_mg"] is None
    assert "your dose was not given" in unknown.summary
    assert found("rosuvastatin 20 mg", "gemfibrozil 600 mg bd")["rosuvastatin_gemfibrozil"]
    assert found("Lipitor 40 mg", "clarithromycin 500 mg")[
        "atorvastatin_clarithromycin_itraconazole"].severity == "high"


def test_simvastatin_gemfibrozil_and_ciclosporin():
    assert found("simvastatin 20 mg", "Lopid 600 mg bd")[
        "simvastatin_gemfibrozil_ciclosporin_danazol"].severity == "high"
    assert found("simvastatin 10 mg", "Neoral 100 mg bd")[
        "simvastatin_gemfibrozil_ciclosporin_danazol"].severity == "high"


def test_daily_mg_reads_the_statin_line():
    assert daily_mg(match_medication("simvastatin 40 mg at night")) == 40
    assert daily_mg(match_medication("simvastatin 20mg twice daily")) == 40
    assert daily_mg(match_medication("simvastatin")) is None
    assert daily_mg(match_medication("Caduet 5 mg/10 mg")) is None  # two ingredients


@pytest.mark.parametrize("other", ["hydrochlorothiazide 25 mg", "bendroflumethiazide 2.5 mg",
                                   "ibuprofen 400 mg tds", "Aleve", "ramipril 5 mg",
                                   "losartan 50 mg"])
def test_lithium_with_what_raises_its_level_is_one_rule(other):
    # lithium label (DailyMed): thiazides, NSAIDs, ACE inhibitors and ARBs raise lithium levels;
    # one finding from the lithium rule in safety_rules.toml, not a second pairwise one
    from crampcheck.assess import assess
    from crampcheck.case import case_from_dict

    result = assess(case_from_dict({"person": {"age": 50, "sex": "female"},
                                    "medications": ["Priadel 400 mg", other]}))
    lithium = [f for f in result.findings if f.data.get("rule") == "lithium_interaction"]
    assert len(lithium) == 1 and lithium[0].severity == "high"
    assert other in lithium[0].data["risks"]
    assert not any(f.data.get("interaction", "").startswith("lithium") for f in result.findings)


def test_digoxin_with_a_diuretic():
    finding = found("digoxin 125 mcg daily", "Lasix 40 mg")["digoxin_loop_thiazide"]
    assert finding.severity == "moderate" and "potassium" in finding.summary


def test_nsaid_triple_whammy_replaces_the_pair():
    pair = found("ibuprofen 400 mg tds", "lisinopril 10 mg")
    assert set(pair) == {"nsaid_acei_arb"}
    triple = found("ibuprofen 400 mg tds", "lisinopril 10 mg", "furosemide 40 mg")
    assert set(triple) == {"nsaid_acei_arb_diuretic"}
    assert triple["nsaid_acei_arb_diuretic"].severity == "high"
    # a combination product covers two groups: Zestoretic is lisinopril + hydrochlorothiazide
    assert set(found("Advil 200 mg", "Zestoretic 20/12.5")) == {"nsaid_acei_arb_diuretic"}


def test_iron_spacing_and_sglt2_with_diuretics():
    assert found("ferrous sulfate 200 mg", "levothyroxine 100 mcg")["iron_levothyroxine"]
    assert found("Galfer", "doxycycline 100 mg")["iron_tetracycline_quinolone"]
    assert found("Jardiance 10 mg", "furosemide 40 mg")["sglt2_diuretic"].severity == "low"


def test_assess_names_the_interaction():
    case = case_from_dict({"person": {"age": 70, "sex": "female"},
                           "medications": ["simvastatin 40 mg", "clarithromycin 500 mg bd"]})
    result = assess(case).to_dict()
    hits = [f for f in result["findings"] if f["topic"] == "interaction"]
    assert [f["interaction"] for f in hits] == ["simvastatin_strong_cyp3a4"]
    assert hits[0]["severity"] == "high"
    assert any("simvastatin" in r["text"] and r["kind"] == "clinician"
               for r in result["recommendations"])


def test_cli_assess_on_a_case_file_names_the_interaction():
    case = ROOT / "tests" / "data" / "case_simvastatin_clarithromycin.json"
    out = subprocess.run(
        [sys.executable, "-m", "crampcheck.cli", "assess", str(case), "--json", "--no-plan"],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    result = json.loads(out.stdout)
    ids = {f["interaction"]: f for f in result["findings"] if f["topic"] == "interaction"}
    assert set(ids) == {"simvastatin_strong_cyp3a4", "simvastatin_amlodipine_20"}
    assert ids["simvastatin_strong_cyp3a4"]["drugs"] == ["simvastatin 40 mg at night",
                                                         "clarithromycin 500 mg twice daily"]
    # 40 mg is above the 20 mg a day the label allows with amlodipine
    assert ids["simvastatin_amlodipine_20"]["daily_mg"] == 40
