"""DRI lookups against values printed in the DRI reports (IOM 1997, 2005, 2011; NASEM 2019)."""

import pytest

from crampcheck.errors import InputError
from crampcheck.models import Person
from crampcheck.reference import NUTRIENT_KEYS, Target, targets_for


def t(age, sex, **kw) -> dict[str, Target]:
    return targets_for(Person(age=age, sex=sex, **kw))


def test_woman_68_magnesium_and_calcium():
    targets = t(68, "female")
    mg = targets["magnesium_mg"]
    assert (mg.ear, mg.rda, mg.ai, mg.ul) == (265, 320, None, 350)
    assert mg.ul_applies_to == "supplements"
    assert mg.group == "females 51–70"
    assert [c.source_id for c in mg.citations] == ["iom_dri_mg_1997", "ods_magnesium_hp"]
    ca = targets["calcium_mg"]
    assert (ca.ear, ca.rda, ca.ul, ca.ul_applies_to) == (1000, 1200, 2000, "total")


def test_calcium_ul_drops_to_2000_at_51_and_men_keep_rda_1000_until_70():
    assert t(50.9, "male")["calcium_mg"].ul == 2500
    assert t(51, "male")["calcium_mg"].ul == 2000
    assert t(65, "male")["calcium_mg"].rda == 1000
    assert t(71, "male")["calcium_mg"].rda == 1200


def test_men_magnesium_by_age():
    assert t(25, "male")["magnesium_mg"].rda == 400
    assert t(35, "male")["magnesium_mg"].rda == 420
    assert t(16, "male")["magnesium_mg"].rda == 410


def test_children_magnesium_ul_is_supplemental_and_smaller():
    assert t(2, "female")["magnesium_mg"].ul == 65
    assert t(6, "male")["magnesium_mg"].ul == 110
    assert t(10, "male")["magnesium_mg"].ul == 350


def test_infants_have_ai_and_no_magnesium_ul():
    targets = t(0.3, "male")
    assert targets["calcium_mg"].ai == 200 and targets["calcium_mg"].rda is None
    assert targets["magnesium_mg"].ai == 30 and targets["magnesium_mg"].ul is None
    assert targets["magnesium_mg"].ul_applies_to is None
    assert targets["vitamin_d_ug"].ul == 25
    assert "epa_dha_mg" not in targets
    assert t(0.75, "female")["potassium_mg"].ai == 860


def test_pregnancy_and_lactation_groups_win():
    preg = t(28, "female", pregnant=True)
    assert preg["magnesium_mg"].rda == 350 and preg["magnesium_mg"].group == "pregnancy 19–30"
    assert preg["potassium_mg"].ai == 2900
    assert preg["ala_g"].ai == 1.4
    assert t(17, "female", pregnant=True)["calcium_mg"].rda == 1300
    lact = t(35, "female", lactating=True)
    assert lact["magnesium_mg"].rda == 320 and lact["potassium_mg"].ai == 2800
    # No pregnancy group above 50: falls back to the age/sex group.
    assert t(52, "female", pregnant=True)["calcium_mg"].group == "females 51–70"


def test_potassium_sodium_2019():
    men = t(40, "male")
    assert men["potassium_mg"].ai == 3400 and men["potassium_mg"].ul is None
    assert men["sodium_mg"].ai == 1500 and men["sodium_mg"].cdrr == 2300
    assert t(5, "female")["sodium_mg"].cdrr == 1500
    assert t(2, "male")["sodium_mg"].cdrr == 1200
    assert t(12, "female")["sodium_mg"].cdrr == 1800


def test_vitamin_d_and_ala():
    assert t(45, "female")["vitamin_d_ug"].rda == 15
    assert t(75, "female")["vitamin_d_ug"].rda == 20
    assert t(75, "female")["vitamin_d_ug"].ul == 100
    assert t(3, "male")["vitamin_d_ug"].ul == 63
    assert t(30, "male")["ala_g"].ai == 1.6
    assert t(30, "female")["ala_g"].ai == 1.1


def test_epa_dha_is_not_a_dri():
    target = t(40, "female")["epa_dha_mg"]
    assert target.ai == 250 and target.is_dri is False
    assert target.citations[0].source_id == "efsa_drv_fats_2010"
    assert t(30, "female", pregnant=True)["epa_dha_mg"].ai == 350


@pytest.mark.parametrize("age", [0.1, 1, 5, 10, 15, 20, 40, 60, 90])
@pytest.mark.parametrize("sex", ["female", "male"])
def test_every_age_has_cited_targets(age, sex):
    targets = t(age, sex)
    expected = set(NUTRIENT_KEYS) - ({"epa_dha_mg"} if age < 0.5 else set())
    assert set(targets) == expected
    for target in targets.values():
        assert target.citations and all(c.grade in "ABC" for c in target.citations)
        assert (target.rda is not None) or (target.ai is not None)


def test_to_dict_shape():
    d = t(68, "female")["magnesium_mg"].to_dict()
    assert d["ear"] == 265 and d["rda"] == 320 and d["ai"] is None
    assert d["citations"][0] == {"source": "iom_dri_mg_1997", "grade": "A"}


def test_bad_age_is_input_error():
    with pytest.raises(InputError, match="age"):
        t(-1, "female")
