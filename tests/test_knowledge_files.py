"""Every knowledge file loads, and every entry has a known source and a grade."""

import tomllib

import pytest

from crampcheck import knowledge

MINE = ["dri", "supplement_forms", "labs", "calcium_absorption", "claims", "sources_reference"]


def test_validate_all_is_clean():
    assert knowledge.validate_all() == []


@pytest.mark.parametrize("name", knowledge.data_files())
def test_every_file_loads(name):
    assert isinstance(knowledge.load(name), dict)


@pytest.mark.parametrize("name", MINE)
def test_my_files_are_shipped(name):
    assert name in knowledge.data_files()


def test_reference_sources_are_complete():
    registry = knowledge.sources()
    for sid in ("iom_dri_mg_1997", "nasem_dri_na_k_2019", "weaver_1999_ca_absorption",
                "cochrane_mg_cramps_2020", "ods_magnesium_hp"):
        src = registry[sid]
        assert src["url"].startswith("https://")
        assert isinstance(src["year"], int)


def test_validator_catches_a_missing_source(monkeypatch):
    knowledge.sources()  # cache the real registry before replacing the loader
    bad = {"things": [{"name": "x", "grade": "A"}, {"name": "y", "source": "nope", "grade": "Z"}]}
    monkeypatch.setattr(knowledge, "load", lambda name: bad)
    problems = knowledge.validate("fake")
    assert any("no source" in p for p in problems)
    assert any("'nope'" in p for p in problems)
    assert any("grade" in p for p in problems)


def test_claims_cover_the_seed_articles_claims():
    claims = {c["id"]: c for c in knowledge.load("claims")["claims"]}
    assert len(claims) >= 12
    assert all(c["article_source"] == "seed_article" and c["article_grade"] == "C"
               for c in claims.values())
    assert claims["day_calcium_night_magnesium"]["max_severity"] == "low"
    assert claims["olive_coconut_avocado_omega3"]["verdict"] == "wrong"
    assert "cochrane_mg_cramps_2020" in claims["cramps_from_ca_or_mg_deficiency"]["source"]


def test_dri_groups_cover_every_age_without_gaps():
    doc = knowledge.load("dri")
    groups = {g["id"]: g for g in doc["groups"]}
    for key, rows in doc["values"].items():
        if key == "epa_dha_mg":
            continue
        for sex in ("female", "male"):
            spans = sorted(
                (groups[r["group"]]["age_min"], groups[r["group"]]["age_max"])
                for r in rows
                if groups[r["group"]]["stage"] == "general"
                and groups[r["group"]]["sex"] in ("any", sex)
            )
            assert spans[0][0] == 0
            for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
                assert end == start, (key, sex, spans)


def test_raw_files_are_valid_toml():
    from importlib import resources

    data = resources.files("crampcheck.knowledge").joinpath("data")
    for name in MINE:
        tomllib.loads(data.joinpath(f"{name}.toml").read_text(encoding="utf-8"))
