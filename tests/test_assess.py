"""The assessment on the bundled example cases, and the safety rules (docs/ARCHITECTURE.md,
section 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crampcheck import knowledge
from crampcheck.assess import assess
from crampcheck.case import case_from_dict, load_case
from crampcheck.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(name: str) -> dict:
    return assess(load_case(EXAMPLES / f"{name}.json")).to_dict()


def topics(result: dict, severity: str | None = None) -> list[str]:
    return [f["topic"] for f in result["findings"]
            if severity is None or f["severity"] == severity]


def test_json_has_exactly_the_contract_keys():
    result = run_example("night_cramps_diuretic")
    assert list(result) == ["person", "intake", "targets", "ratios", "findings",
                            "recommendations", "unrecognized", "safety"]
    assert set(result["safety"]) == {"plan", "stopped_by", "blocked", "reductions",
                                     "constraints"}
    assert set(result["intake"]) == {"days", "daily_mean", "from_supplements",
                                     "from_supplements_upper", "missing"}
    assert set(result["unrecognized"]) == {"diary", "medications", "conditions", "symptoms",
                                           "supplements"}
    order = ["info", "low", "moderate", "high", "urgent"]
    ranks = [order.index(f["severity"]) for f in result["findings"]]
    assert ranks == sorted(ranks, reverse=True)


def test_night_cramps_on_a_diuretic():
    result = run_example("night_cramps_diuretic")
    # magnesium RDA for a 68-year-old woman: 320 mg, EAR 265 mg (IOM 1997)
    assert result["targets"]["magnesium_mg"]["rda"] == 320
    assert result["targets"]["magnesium_mg"]["ul_applies_to"] == "supplements"
    meds = {f["drug_class"]: f for f in result["findings"] if f["topic"] == "medication"}
    assert "loop diuretic" in meds
    assert {"magnesium", "potassium"} <= set(meds["loop diuretic"]["affects"])
    ppi = [c for c in meds if "proton" in c]
    assert ppi and "magnesium" in meds[ppi[0]]["affects"]
    lab = [f for f in result["findings"] if f["topic"] == "lab"][0]
    # 1.6 mg/dL = 0.66 mmol/L: mildly low (Merck: symptoms usually below 0.5 mmol/L)
    assert lab["status"] == "low" and lab["severity"] == "moderate"
    assert "condition" in topics(result)
    mg = [f for f in result["findings"] if f["topic"] == "magnesium" and "daily_mean" in f][0]
    assert mg["severity"] == "moderate"  # below the EAR
    # "calcium carbonate 600 mg" does not say whether 600 mg is the calcium or the salt:
    # intake counts the salt reading (600 x 0.4004), the UL check the element reading
    assert result["intake"]["from_supplements"]["calcium_mg"] == pytest.approx(240.24)
    assert result["intake"]["from_supplements_upper"]["calcium_mg"] == 600
    assert result["ratios"]["calcium_to_magnesium"] > 2.5
    timing = [f for f in result["findings"] if f["topic"] == "symptom_timing"][0]
    assert timing["severity"] in ("info", "low")
    assert any(r["kind"] == "clinician" for r in result["recommendations"])


def test_athlete():
    result = run_example("athlete")
    ex = [f for f in result["findings"] if f["topic"] == "exercise"][0]
    assert ex["severity"] == "moderate"
    assert any(r["kind"] == "lifestyle" for r in result["recommendations"])
    assert "red_flag" not in topics(result)


def test_pregnancy_uses_pregnancy_dris_and_reports_unknown_supplement():
    result = run_example("pregnancy")
    # pregnancy 31-50: magnesium RDA 360 mg, calcium RDA 1,000 mg (IOM)
    assert result["targets"]["magnesium_mg"]["rda"] == 360
    assert result["targets"]["calcium_mg"]["rda"] == 1000
    assert result["unrecognized"]["supplements"] == ["prenatal vitamin"]
    assert result["intake"]["from_supplements"]["vitamin_d_ug"] == pytest.approx(10.0)


def test_kidney_disease_stops_magnesium_and_potassium():
    a = assess(load_case(EXAMPLES / "kidney_disease.json"))
    assert {"magnesium", "potassium"} <= a.stops
    result = a.to_dict()
    safety = [f for f in result["findings"] if f["topic"] == "supplement_safety"
              and f["severity"] == "high"]
    assert safety, "a magnesium supplement with kidney disease must be flagged"
    assert not any(r["kind"] in ("food", "supplement") and r["nutrient"] == "potassium"
                   for r in result["recommendations"])
    assert not any(r["kind"] == "supplement" and r["nutrient"] == "magnesium"
                   and r.get("action") not in ("stop", "reduce")
                   for r in result["recommendations"])
    # an over-the-counter magnesium supplement with kidney disease: stop it (not "discuss")
    assert any(r["nutrient"] == "magnesium" and r.get("action") == "stop"
               and r["text"].startswith("Stop") for r in result["recommendations"])
    assert result["unrecognized"]["medications"] == []  # metformin: known, no mineral effect


def test_unknown_medicine_is_reported_back():
    case = case_from_dict({"person": {"age": 40, "sex": "male"},
                           "medications": ["zorblax 10 mg", "Lasix 20 mg"]})
    assert assess(case).to_dict()["unrecognized"]["medications"] == ["zorblax 10 mg"]


def test_red_flags_come_first():
    result = run_example("red_flag")
    first = result["findings"][0]
    assert first["topic"] == "red_flag" and first["severity"] == "urgent"
    assert result["recommendations"][0]["kind"] == "urgent_care"
    flags = [f["flag"] for f in result["findings"] if f["topic"] == "red_flag"]
    assert "one_sided_calf_swelling" in flags
    assert len(flags) >= 2  # also the new statin and the 30-minute cramp


@pytest.mark.parametrize("muscle", ["chest", "arm", "abdomen"])
def test_cramps_outside_the_legs_are_red_flags(muscle):
    case = case_from_dict({"person": {"age": 50, "sex": "male"},
                           "cramps": [{"at": "2026-11-20T10:00", "muscle": muscle}]})
    result = assess(case).to_dict()
    assert result["findings"][0]["topic"] == "red_flag"
    assert result["findings"][0]["severity"] in ("urgent", "high")
    assert result["recommendations"][0]["kind"] in ("urgent_care", "clinician")


def test_heavy_fluid_loss_and_weakness_are_red_flags():
    for symptom in ("cramps after vomiting and diarrhoea for two days",
                    "weakness and numbness in my leg"):
        case = case_from_dict({"person": {"age": 40, "sex": "female"}, "symptoms": [symptom]})
        result = assess(case).to_dict()
        assert result["findings"][0]["topic"] == "red_flag", symptom


def test_supplemental_magnesium_above_ul_is_flagged():
    case = case_from_dict({"person": {"age": 45, "sex": "female"},
                           "diary": {"2026-11-20": ["1 cup cooked spinach"]},
                           "supplements": ["Magnesium (as glycinate) 400 mg"]})
    result = assess(case).to_dict()
    high = [f for f in result["findings"] if f["topic"] == "supplement_safety"
            and f["severity"] == "high"]
    assert high and high[0]["ul"] == 350


def test_spacing_from_interacting_drug_is_in_the_finding():
    case = case_from_dict({"person": {"age": 45, "sex": "female"},
                           "medications": ["doxycycline 100 mg", "levothyroxine 50 mcg"],
                           "supplements": ["calcium citrate 500 mg"]})
    result = assess(case).to_dict()
    meds = [f for f in result["findings"] if f["topic"] == "medication"]
    assert len(meds) == 2
    for f in meds:
        assert f["spacing"], f
        assert "hour" in " ".join(f["spacing"]) or " h" in " ".join(f["spacing"])


def test_missing_data_is_shown_not_zero():
    case = case_from_dict({"person": {"age": 45, "sex": "female"},
                           "diary": {"2026-11-20": ["1 oz dark chocolate", "1 cup whole milk"]}})
    result = assess(case).to_dict()
    assert result["intake"]["missing"]["vitamin_d_ug"] == ["1 oz dark chocolate"]


def test_no_diary_is_said_not_scored():
    result = assess(case_from_dict({"person": {"age": 45, "sex": "male"}})).to_dict()
    assert result["intake"]["days"] == 0
    assert "data_quality" in topics(result)
    assert "magnesium" not in [f["topic"] for f in result["findings"]
                               if f["severity"] in ("moderate", "high")]


def test_every_finding_is_sourced_and_describes_not_diagnoses():
    registry = knowledge.sources()
    for name in ("night_cramps_diuretic", "athlete", "pregnancy", "kidney_disease", "red_flag"):
        for f in run_example(name)["findings"]:
            assert f["evidence"], f
            for e in f["evidence"]:
                assert e["source"] in registry and e["grade"] in "ABC"
            text = f["summary"].lower()
            assert "you have " not in text and "diagnos" not in text, f["summary"]


@pytest.mark.parametrize(
    "raw,message",
    [
        ({"person": {"age": 0, "sex": "female"}},
         "person.age must be a number of years between 1 and 120"),
        ({"person": {"age": 40}}, "person.sex"),
        ({}, "person is required"),
        ({"person": {"age": 40, "sex": "male", "pregnant": True}}, "female"),
        ({"person": {"age": 40, "sex": "male"}, "diary": {"yesterday": []}}, "not a date"),
        ({"person": {"age": 40, "sex": "male"}, "labs": [{"test": "Mg", "value": "low"}]},
         "labs[0].value must be a number"),
    ],
)
def test_invalid_cases(raw, message):
    with pytest.raises(InputError) as err:
        case_from_dict(raw)
    assert message in str(err.value)


def test_cli_assess_json_text_toml_and_errors(tmp_path):
    def run(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "crampcheck.cli", *args], input=stdin,
                              capture_output=True, cwd=ROOT, timeout=120)

    out = run("assess", "examples/red_flag.json", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["findings"][0]["topic"] == "red_flag"
    text = run("assess", "examples/red_flag.json").stdout.decode()
    assert "URGENT" in text and "red_flag" in text
    toml = tmp_path / "case.toml"
    toml.write_text('[person]\nage = 30\nsex = "male"\n\n[diary]\n"2026-11-20" = ["1 banana"]\n')
    assert json.loads(run("assess", str(toml), "--json").stdout)["intake"]["days"] == 1
    bad = run("assess", "-", stdin=b'{"person": {"age": 0, "sex": "female"}}')
    assert bad.returncode == 2
    assert "person.age must be a number of years between 1 and 120" in bad.stderr.decode()
    broken = run("assess", "-", stdin=b'{"person": ')
    assert broken.returncode == 2 and "line 1" in broken.stderr.decode()


def test_known_symptoms_are_recognised_unknown_reported():
    case = case_from_dict({"person": {"age": 60, "sex": "female"},
                           "symptoms": ["leg cramps at night", "muscle twitching",
                                        "tingling fingers", "my elbow feels odd"]})
    result = assess(case).to_dict()
    assert result["unrecognized"]["symptoms"] == ["my elbow feels odd"]
    by_symptom = {f.get("symptom"): f for f in result["findings"] if f.get("symptom")}
    assert set(by_symptom) == {"cramps", "muscle_twitching", "tingling_limbs", "unreadable"}
    # what crampcheck cannot read is not waved through: moderate, with a clinician
    assert by_symptom["unreadable"]["severity"] == "moderate"
    assert any(r["kind"] == "clinician" and "my elbow feels odd" in r["text"]
               and "new, severe or getting worse" in r["text"]
               for r in result["recommendations"])
    assert by_symptom["tingling_limbs"]["severity"] == "moderate"
    assert "red_flag" not in topics(result)


def test_supplements_show_the_elemental_amount_used_or_why_not():
    case = case_from_dict({"person": {"age": 50, "sex": "male"},
                           "supplements": ["calcium carbonate 600 mg",
                                           "500 mg magnesium citrate powder (compound weight)",
                                           "Tums 2 tablets"]})
    result = assess(case).to_dict()
    readings = {f["supplement"]: f for f in result["findings"]
                if f["topic"] == "supplement_safety" and f["severity"] == "info"}
    # either reading: 600 mg x 0.4004 for intake, 600 mg elemental for the UL; the finding
    # names both. Compound weight x 16.2 % Mg (anhydrous citrate).
    carbonate = readings["calcium carbonate 600 mg"]
    assert carbonate["doses"][0]["elemental_mg"] == pytest.approx(240.24)
    assert "240.24 mg calcium" in carbonate["summary"] and "or 600 mg" in carbonate["summary"]
    citrate = readings["500 mg magnesium citrate powder (compound weight)"]["doses"][0]
    assert citrate["elemental_mg"] == pytest.approx(500 * 0.162, rel=0.02)
    assert result["unrecognized"]["supplements"] == ["Tums 2 tablets"]
    assert any(f.get("supplement") == "Tums 2 tablets" and f["topic"] == "data_quality"
               for f in result["findings"])
