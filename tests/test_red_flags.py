"""Red flags: data integrity and symptom/cramp-event matching."""

from __future__ import annotations

import pytest

from crampcheck.knowledge import validate
from crampcheck.knowledge.red_flags import all_red_flags, match_symptom, red_flags_for_cramp


def _ids(matches):
    return [m.flag.id for m in matches]


def test_file_validates_and_covers_the_required_flags():
    assert validate("red_flags") == []
    ids = {f.id for f in all_red_flags()}
    assert {"one_sided_calf_swelling", "weakness_or_numbness", "chest_cramp",
            "arm_or_abdomen_cramp", "cramps_after_fluid_loss",
            "cramps_with_new_medicine"} <= ids
    for flag in all_red_flags():
        assert flag.severity in ("urgent", "high")
        assert flag.recommendation_kind in ("urgent_care", "clinician")
        assert flag.citations and flag.advice and flag.summary


@pytest.mark.parametrize(
    "text",
    ["calf swelling on one side", "my left calf is swollen and warm", "swolen calf",
     "one leg swollen and red", "Calf swelling on one side (left)"],
)
def test_one_sided_calf_swelling_is_urgent(text):
    matches = match_symptom(text)
    assert matches, text
    first = matches[0]
    assert first.flag.id == "one_sided_calf_swelling"
    assert first.severity == "urgent"
    assert first.recommendation_kind == "urgent_care"
    assert "blood clot" in first.flag.advice


@pytest.mark.parametrize(
    "text", ["feeling thirsty", "calf cramps at night", "I am fit and healthy", "no calf swelling",
             "no chest pain", ""]
)
def test_no_flag(text):
    assert match_symptom(text) == []


def test_both_legs_swollen_is_not_the_clot_flag():
    ids = _ids(match_symptom("both legs swollen"))
    assert "one_sided_calf_swelling" not in ids
    assert "swelling_both_legs" in ids


@pytest.mark.parametrize(
    ("text", "flag_id", "severity"),
    [
        ("tingling around my mouth", "tingling_around_mouth_or_tetany", "urgent"),
        ("dark cola-coloured urine and sore muscles", "dark_urine_muscle_pain", "urgent"),
        ("cramps in my chest", "chest_cramp", "urgent"),
        ("numbness in my feet", "weakness_or_numbness", "high"),
        ("vomiting for 2 days", "cramps_after_fluid_loss", "high"),
        ("heavy sweating at work", "cramps_after_fluid_loss", "high"),
        ("muscle pain since starting a new statin", "cramps_with_new_medicine", "high"),
        ("confused", "confusion_or_seizure", "urgent"),
        ("palpitations", "palpitations", "urgent"),
        ("calf pain when walking that stops when I rest", "walking_calf_pain", "high"),
    ],
)
def test_symptom_flags(text, flag_id, severity):
    matches = match_symptom(text)
    assert flag_id in _ids(matches)
    assert next(m for m in matches if m.flag.id == flag_id).severity == severity


def test_results_sorted_most_severe_first():
    matches = match_symptom("vomiting and now confused")
    assert _ids(matches)[0] == "confusion_or_seizure"
    assert "cramps_after_fluid_loss" in _ids(matches)


@pytest.mark.parametrize(
    ("muscle", "flag_id"),
    [("chest", "chest_cramp"), ("left forearm", "arm_or_abdomen_cramp"),
     ("hand", "arm_or_abdomen_cramp"), ("abdomen", "arm_or_abdomen_cramp"),
     ("stomach", "arm_or_abdomen_cramp")],
)
def test_cramp_outside_the_legs(muscle, flag_id):
    assert _ids(red_flags_for_cramp(muscle)) == [flag_id]


def test_ordinary_calf_cramp_raises_nothing():
    assert red_flags_for_cramp("calf", minutes=3) == []
    assert red_flags_for_cramp(None) == []


def test_long_cramp_and_new_statin():
    assert "long_lasting_cramp" in _ids(red_flags_for_cramp("calf", minutes=15))
    matches = red_flags_for_cramp("calf", new_medicines=["Lipitor 20 mg"])
    assert _ids(matches) == ["cramps_with_new_medicine"]
    assert matches[0].recommendation_kind == "clinician"
    assert red_flags_for_cramp("calf", new_medicines=["paracetamol"]) == []


@pytest.mark.parametrize("text", [
    "denies chest pain and shortness of breath",   # a negated list joined by "and"
    "no chest pain, breathlessness or calf swelling",  # carried over a comma by "or"
    "calf swelling absent", "chest pain free"])
def test_negated_lists_raise_nothing(text):
    assert match_symptom(text) == []


@pytest.mark.parametrize(("text", "flag_id"), [
    ("no fever and my calf is swollen", "one_sided_calf_swelling"),  # a new statement
    ("no chest pain but short of breath", "shortness_of_breath"),
    ("not peeing since yesterday", "severe_dehydration"),  # the negation word is the symptom
    ("no fever, swollen calf", "one_sided_calf_swelling"),  # a comma without "or" ends it
])
def test_what_follows_a_negated_clause_is_present(text, flag_id):
    assert flag_id in _ids(match_symptom(text))


def test_contextual_flags_need_their_context():
    from crampcheck.knowledge.red_flags import FlagContext, flags_from_labs

    assert "digoxin_toxicity_signs" not in _ids(match_symptom("nausea"))
    ctx = FlagContext(medication_classes=frozenset({"digoxin"}))
    assert "digoxin_toxicity_signs" in _ids(match_symptom("nausea", ctx))
    assert red_flags_for_cramp("chest") and all(
        not m.flag.contextual for m in red_flags_for_cramp("chest"))
    labs = FlagContext(texts=("stopped drinking 4 days ago",), labs={"phosphate": "low"})
    assert _ids(flags_from_labs(labs)) == ["alcohol_withdrawal_refeeding"]
    assert flags_from_labs(FlagContext(labs={"phosphate": "low"})) == []
