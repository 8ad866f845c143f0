"""Food matching you can trust (issue 11): confidence and "not sure", words, meals, serving
sizes, one portion table per food, learned corrections (pins).

Expected foods are USDA foods of the committed table; expected grams are a USDA household
measure of that food or a documented serving size of ``container_sizes.toml`` (named in the
comment), times the amount written.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crampcheck.foods.search import default_index, search
from crampcheck.foods.store import default_store
from crampcheck.totals import Item, analyze_text, match_settings, nutrients, pin_key

ROOT = Path(__file__).resolve().parents[1]
FL_OZ = 29.5735295625  # ml
OZ = 28.349523125  # g


def one(text: str, **kw) -> Item:
    results = analyze_text(text, **kw)
    assert len(results) == 1, results
    assert isinstance(results[0], Item), results[0]
    return results[0]


def notes(item: Item) -> str:
    return " | ".join(item.notes)


# --- the issue's examples -------------------------------------------------------------------

@pytest.mark.parametrize("text, food_id, grams", [
    # SR 11674 baked potato, 'potato medium' 173 g (a jacket potato is a baked potato)
    ("1 jacket potato", "sr:11674", 173.0),
    # SR 14400 cola, 'can 12 fl oz' 368 g ("coke" is cola, never cockles)
    ("1 can of coke", "sr:14400", 368.0),
    # SR 14209 brewed coffee, 'cup (8 fl oz)' 237 g ("black" coffee is coffee)
    ("1 cup black coffee", "sr:14209", 237.0),
    # SR 15088 sardines canned in oil, 'can (3.75 oz)' 92 g ("sardeens")
    ("sardeens in oil, 1 tin", "sr:15088", 92.0),
    # FNDDS "General Tso chicken" (the survey food, named as written) weighed by another USDA
    # record of it, SR 36618 Chinese restaurant General Tso's chicken, 'order' 535 g
    ("general tso's chicken, 1 order", "fndds:8d3803ec", 535.0),
    # Foundation Greek yogurt, plain, nonfat: 'container' 156 g (a pot is a container)
    ("greek yoghurt 1 pot", "fdn:a5f24b50", 156.0),
    # SR 12036 sunflower seed kernels 'cup' 140 g / 4: kernels, not the in-shell cup (46 g)
    ("1/4 cup sunflower seeds", "sr:12036", 35.0),
    # SR Legacy 11233 kale, raw: SR28's own 'cup, chopped' 21 g with SR28's composition
    ("1 cup chopped kale, raw", "sr:11233", 21.0),
    # SR 09211 orange juice fortified with calcium, 'cup' 249 g
    ("1 cup orange juice, fortified", "sr:09211", 249.0),
    # SR 16158 hummus, 'tbsp' 15 g; SR 16398 peanut butter '2 tbsp' 32 g
    ("2 tbsp houmous", "sr:16158", 30.0),
    ("2 tbsp peanutbutter", "sr:16398", 32.0),
    # SR 09040 banana 'medium' 118 g; SR 11458 cooked spinach 'cup' 180 g
    ("1 bananna", "sr:09040", 118.0),
    ("1 cup cooked spinnach", "sr:11458", 180.0),
])
def test_issue_lines_match_the_usda_food_and_measure(text, food_id, grams):
    it = one(text)
    assert it.food.id == food_id, (text, it.food.name)
    assert it.grams == pytest.approx(grams, rel=1e-3)
    assert it.confidence >= match_settings().threshold


@pytest.mark.parametrize("text, grams, says", [
    # container_sizes.toml: a regular coffee-shop cup 12 fl oz; water density for a survey
    # food with no volume measure
    ("1 cappuccino", 12 * FL_OZ, "12 fl oz"),
    ("large latte", 20 * FL_OZ, "20 fl oz"),
    # SR 14210 espresso 'fluid ounce' 30 g: a double is two 1 fl oz shots
    ("double espresso", 60.0, "double espresso"),
    # Abbott label: 8 fl oz bottle; SR 43528 Ensure plus 'cup' 252 g
    ("1 bottle of ensure", 252.0, "8 fl oz"),
    # a 5 oz retail salmon fillet (USDA Branded Foods labels 4-6 oz)
    ("1 baked salmon fillet", 5 * OZ, "5 oz"),
    # a handful of nuts: 1 oz
    ("handfull of walnuts", OZ, "handful taken as 1 oz"),
    # a string cheese: the 24 g median label stick (USDA Branded Foods)
    ("1 string cheese", 24.0, "24 g stick"),
    # a UK can of baked beans, 415 g (label)
    ("a can of heinz baked beans", 415.0, "415 g"),
    # FDA reference amount for mixed dishes measurable with a cup: 1 cup
    ("pad thai", 8 * FL_OZ, "1 cup"),
])
def test_serving_sizes_people_mean_are_stated(text, grams, says):
    it = one(text)
    assert it.grams == pytest.approx(grams, rel=1e-3), (text, it.grams, it.notes)
    assert it.grams_method == "assumed"
    assert says in notes(it)
    assert "100 g" not in notes(it)


def test_a_nonsense_line_is_never_a_confident_match():
    report = nutrients(["xyzzy frob", "qwerty uiop", "1 thing"])
    assert report.items == []
    assert len(report.unmatched) == 3
    assert all("not sure" in u.reason or "no USDA food" in u.reason for u in report.unmatched)


def test_a_candidate_sharing_only_a_misspelt_or_minor_word_is_not_confident():
    # "packets" for "jacket", "cockles" for "coke", "Rob Roy" for "frob": a corrected word or
    # a word of a later name segment alone never makes a confident match
    threshold = match_settings().threshold
    for text in ("jackets potatoes pie", "xyzzy frob", "lunch", "leftovers"):
        hits = search(text, limit=3)
        assert not hits or hits[0].confidence < threshold, (text, hits[0])


def test_unsure_lines_suggest_foods_in_the_json():
    data = nutrients(["my green smoothie"]).to_dict()
    assert data["items"] == []
    (u,) = data["unmatched"]
    assert "not sure" in u["reason"]
    assert 1 <= len(u["suggestions"]) <= match_settings().suggestions
    assert all(set(s) == {"id", "name"} for s in u["suggestions"])
    assert default_store().get(u["suggestions"][0]["id"]).name == u["suggestions"][0]["name"]
    assert u["phrase"] == "my green smoothie"


def test_the_last_resort_100_g_is_said_and_lowers_confidence():
    # FNDDS "Samosa" has no household measure and its category no serving size: 100 g,
    # said in the note, and the match's confidence times matching.toml's last_resort
    (it,) = analyze_text("1 samosa", min_confidence=0.0)
    assert it.food.name == "Samosa" and it.grams == 100.0 and it.grams_method == "assumed"
    assert "assumed 100 g" in notes(it)
    best = search("samosa", limit=3, count=True)[0]
    assert best.food.id == it.food.id
    assert it.confidence == pytest.approx(best.confidence * match_settings().last_resort,
                                          abs=1e-3)


# --- words ------------------------------------------------------------------------------------

def test_run_together_words_are_split_and_misspellings_read():
    index = default_index()
    assert index.split("peanutbutter") == ["peanut", "butter"]
    assert index.split("oatmilk") == ["oat", "milk"]
    assert index.split("pineapple") is None  # a word of food names is never split
    assert index.correct("spinnach")[0] == "spinach"
    assert index.correct("sardeens")[0] == "sardine"
    assert index.correct("canteloupe")[0] == "cantaloupe"


def test_fortified_selects_a_fortified_food_and_plant_milk_defaults_to_fortified():
    # SR 16139 soymilk with added calcium; SR 16120 unfortified soymilk
    assert one("1 cup soy milk").food.id == "sr:16139"
    assert "fortified kind" in notes(one("1 cup soy milk"))
    assert one("1 cup unfortified soy milk").food.id == "sr:16120"
    assert "fortified kind" not in notes(one("1 cup unfortified soy milk"))
    almond = one("1 cup almond milk")
    assert "fortified kind" in notes(almond)
    # FNDDS almond milk, unsweetened: 173 mg calcium per 100 g (the fortified product)
    assert default_store().per_100g(almond.food)["calcium_mg"] == pytest.approx(173.0)


def test_brand_words_that_are_no_food_are_read_past():
    latte = one("1 starbucks grande latte")
    assert latte.food.name == "Coffee, Latte"
    assert latte.grams == pytest.approx(16 * FL_OZ, rel=1e-3)  # a grande is 16 fl oz


# --- meals --------------------------------------------------------------------------------------

def test_cereal_with_milk_counts_the_milk():
    cereal, milk = analyze_text("a bowl of cheerios with semi skimmed milk")
    # SR 08013 Cheerios 'cup' 28 g (a bowl is a cup); milk on cereal: USDA FNDDS guideline
    # amount per cup of cold cereal, 122 g (1/2 cup of SR 01079 2 % milk, 'cup' 244 g)
    assert (cereal.food.id, cereal.grams) == ("sr:08013", 28.0)
    assert (milk.food.id, milk.grams) == ("sr:01079", 122.0)
    assert milk.grams_method == "assumed" and "cold cereal" in notes(milk)
    # SR 01079: 120 mg calcium per 100 g
    assert milk.nutrients["calcium_mg"] == pytest.approx(146.4)


def test_toast_w_butter_and_beans_on_toast():
    toast, butter = analyze_text("2 slices wholemeal toast w/ butter")
    # SR 18076 whole-wheat bread, toasted, 'slice' 25 g; a pat of butter 5 g
    assert (toast.food.id, toast.grams) == ("sr:18076", 50.0)
    assert butter.food.name.startswith("Butter") and butter.grams == 5.0
    beans, bread = analyze_text("beans on toast")
    assert beans.food.id == "sr:16006" and bread.food.id == "sr:18070"
    # the topping takes its stated default: 1/2 cup of baked beans (SR 16006 'cup' 254 g)
    assert beans.grams == pytest.approx(127.0) and beans.grams_method == "assumed"


def test_a_food_named_measure_before_with_is_the_food():
    bagel, cream_cheese = analyze_text("a bagel with cream cheese")
    # SR 18001 plain bagel 'medium bagel' 105 g; cream cheese spread 2 tbsp (SR 01017
    # 'tbsp' 14.5 g), FDA reference amount
    assert (bagel.food.id, bagel.grams) == ("sr:18001", 105.0)
    assert (cream_cheese.food.id, cream_cheese.grams) == ("sr:01017", 29.0)


def test_a_dish_usda_has_is_matched_whole():
    (salad,) = analyze_text("chicken caesar salad")
    assert "with Grilled Chicken" in salad.food.name
    (latte,) = analyze_text("oat milk latte")
    assert latte.food.name == "Coffee, Latte, with non-dairy milk"
    (curry,) = analyze_text("chicken curry with rice")
    assert curry.food.name == "Chicken curry with rice"


# --- one food record, one portion table -----------------------------------------------------------

def test_portions_and_values_come_from_the_same_release():
    provenance = (ROOT / "src/crampcheck/foods/data/PROVENANCE.md").read_text()
    assert "- Kale, raw: 'cup, chopped' 67 g -> 21 g" in provenance
    kale = default_store().get("sr:11233")
    assert [(p.label, p.grams) for p in kale.portions if p.unit == "cup"] == [
        ("cup, chopped", 21.0)]
    # no food keeps FDC's unlabelled copy of a measure SR24 already names
    for food_id in ("sr:11457", "sr:09040", "sr:12061"):
        labels = [p.label for p in default_store().get(food_id).portions]
        assert not any(lab.startswith("USDA portion (unit not stated") for lab in labels)


def test_in_shell_measures_only_when_the_line_says_so():
    kernels = one("1 cup sunflower seeds")
    shelled = one("1 cup sunflower seeds in shell")
    # SR 12036: 'cup' 140 g of kernels; 'cup, with hulls, edible yield' 46 g
    assert (kernels.grams, shelled.grams) == (140.0, 46.0)


# --- pins ---------------------------------------------------------------------------------------

def test_a_pin_is_used_with_confidence_one(tmp_path):
    from crampcheck.journal import connect
    from crampcheck.journal.pins import list_pins, pins_map, remove_pin, set_pin

    conn = connect(tmp_path / "j.db")
    try:
        set_pin(conn, "me", "protein shake", "srl:3e7605ae")
        pins = pins_map(conn, "me")
        assert pins == {pin_key("protein shake"): "srl:3e7605ae"}
        it = one("1 scoop Protein Shakes", pins=pins)
        assert it.food.id == "srl:3e7605ae" and it.confidence == 1.0
        assert "your choice" in it.notes
        # whey protein isolate, one USDA portion 28.7 g
        assert it.grams == pytest.approx(28.667, rel=1e-3)
        with pytest.raises(Exception, match="no food with id"):
            set_pin(conn, "me", "shake", "sr:00000")
        assert [p["phrase"] for p in list_pins(conn, "me")] == ["protein shake"]
        remove_pin(conn, "me", "protein shake")
        assert pins_map(conn, "me") == {}
    finally:
        conn.close()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crampcheck.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_pin_commands_and_later_lines(tmp_path):
    db = str(tmp_path / "j.db")
    out = run("foods", "pin", "my green smoothie", "fndds:ee4003ab", "--db", db)
    assert out.returncode == 0, out.stderr
    assert "Fruit smoothie, NFS" in out.stdout
    listed = json.loads(run("foods", "pins", "--db", db, "--json").stdout)
    assert [(p["phrase"], p["food_id"]) for p in listed] == [("my green smoothie",
                                                              "fndds:ee4003ab")]
    data = json.loads(run("nutrients", "1 my green smoothie", "--db", db, "--json").stdout)
    (item,) = data["items"]
    assert item["food"]["id"] == "fndds:ee4003ab" and item["confidence"] == 1.0
    assert "your choice" in item["notes"]
    logged = run("log", "my green smoothie", "--db", db, "--json")
    assert json.loads(logged.stdout)["entries"][0]["food"] == "Fruit smoothie, NFS"
    out = run("foods", "unpin", "my green smoothie", "--db", db)
    assert out.returncode == 0 and "unpinned" in out.stdout
    data = json.loads(run("nutrients", "my green smoothie", "--db", db, "--json").stdout)
    assert data["items"] == [] and data["unmatched"][0]["suggestions"]
    bad = run("foods", "unpin", "nothing pinned", "--db", db)
    assert bad.returncode == 2 and "no pin" in bad.stderr


def test_an_older_journal_gets_the_pins_table(tmp_path):
    import sqlite3

    from crampcheck.journal import connect
    from crampcheck.journal.db import MIGRATIONS

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0])
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    conn = connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "food_pins" in tables
    finally:
        conn.close()


# --- second round: the food's own noun, records of the same food, kinds of food --------------

def test_a_survey_food_is_weighed_by_another_record_of_the_same_food():
    # FNDDS "Muffin, English" (no household measures of its own) is weighed by SR 18264
    # "English muffins, wheat", 'muffin' 57 g: the same food, energy and macronutrients alike
    it = one("1 english muffin", min_confidence=0.0)
    assert it.food.id == "fndds:28497217"
    assert it.grams == pytest.approx(57.0)
    assert "another USDA record of it, English muffins, wheat" in notes(it)
    assert it.features["borrowed"] == 1.0
    index = default_index()
    twins = index.twins(default_store().get("fndds:28497217").index)
    assert "sr:18264" in [t.id for t in twins]
    # never a bun for a burger, nor a canned or cooked record for a raw food
    burger = [t.name for t in index.twins(default_store().get("fndds:cef7488e").index)]
    assert not any(n.startswith("Rolls") for n in burger)
    raw = default_store().get("fndds:8bc79b1c")  # Mushrooms, raw
    assert all("raw" in t.name.lower() for t in index.twins(raw.index))


def test_the_food_is_its_own_noun_not_a_modifier():
    # "pita chips" are chips: "1 pita" is pita bread (SR 18041 'pita, large' 60 g, the
    # measure of another record of FNDDS "Bread, pita")
    it = one("1 pita", min_confidence=0.0)
    assert it.food.name.startswith("Bread, pita")
    assert it.grams == pytest.approx(60.0)
    info = default_index().info(default_index().by_name["snacks, pita chips, salted"])
    assert info.heads == frozenset({"chip"})
    assert {"bread", "pita"} <= default_index().info(default_index().by_name[
        "bread, pita, white, enriched"]).heads


def test_the_cooking_method_named_is_preferred_and_a_misspelt_doubled_letter_read():
    # FNDDS "Fish, cod, baked or broiled", 3 oz = 85.05 g (not "Fish, cod, fried")
    assert one("3 oz baked cod").food.name == "Fish, cod, baked or broiled"
    assert one("2 boiled egs").food.name.startswith("Egg, whole")


def test_words_standing_for_a_food_name_none():
    report = nutrients(["2 of them", "something sweet"])
    assert report.items == []
    assert len(report.unmatched) == 2


def test_a_kind_of_food_is_not_sure_when_calcium_varies_among_its_foods():
    index = default_index()
    # crackers: the middle half of USDA's crackers spans more calcium than the median cracker
    assert index.variety(("cracker",), "cracker") >= 1.0
    # butter is butter: peanut or almond butter are other foods ("peanut" names them)
    assert index.variety(("butter",), "butter") < 1.0
    (u,) = analyze_text("4 crackers")
    assert "not sure" in u.reason and u.suggestions
    (guess,) = analyze_text("4 crackers", min_confidence=0.0)
    assert guess.features["variety"] >= 0.5
    toast, butter = analyze_text("toast with butter")
    assert butter.food.name.startswith("Butter")


def test_two_foods_listed_are_no_third_dish():
    # "2 eggs and bacon" is eggs and bacon, not FNDDS "Egg burrito, with bacon"
    eggs, bacon = analyze_text("2 eggs and bacon")
    assert eggs.food.id == "sr:01123" and eggs.grams == pytest.approx(88.0)  # 2 x 'medium' 44 g
    assert "bacon" in bacon.food.name.lower()


def test_confidence_model_is_committed_data_and_fits_on_tune_only():
    from crampcheck.foods.confidence import FEATURES, method, model

    m = model()
    assert set(m.weights) == set(FEATURES)
    assert method() in ("hand", "model")
    spec = importlib.util.spec_from_file_location("fit_confidence",
                                                  ROOT / "benchmarks" / "fit_confidence.py")
    fit = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec.loader.exec_module(fit)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    # the fitting recovers the sign of a feature that separates right from wrong
    import numpy as np

    x = np.array([[1.0], [1.0], [1.0], [0.0], [0.0], [0.0], [1.0], [0.0]])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    intercept, weights = fit.fit(x, y, 0.1)
    assert weights[0] > 0 > intercept
    # the items a line gives carry their features
    (it,) = analyze_text("1 cup cooked spinach")
    assert it.features["cover"] == pytest.approx(1.0) and it.features["head"] == 1.0


# --- the labelled set -----------------------------------------------------------------------------

def _bench():
    spec = importlib.util.spec_from_file_location("matching_bench",
                                                  ROOT / "benchmarks" / "matching_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["matching_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_complete_and_read_from_usda_data():
    bench = _bench()
    lines = bench.load()
    assert len(lines) >= 300
    held_out = [ln for ln in lines if ln["part"] == "held-out"]
    assert len(held_out) >= len(lines) // 3
    for ln in lines:
        for it in ln["items"]:
            assert it["foods"] and it["source"] and it["grams"][0] <= it["grams"][1]
    assert bench.check_labels(lines) == []


def test_matching_benchmark_floor():
    # a regression guard, not the aim (the aim is 92 % right, 3 % confidently wrong; the
    # figures are in the benchmark's output and docs/notes)
    bench = _bench()
    outcomes = bench.run(bench.load())
    for part, floor in (("tune", 0.88), ("held-out", 0.80)):
        sub = [o for o in outcomes if o.part == part]
        right = sum(o.verdict == "right" for o in sub) / len(sub)
        assert right >= floor, (part, right)


# --- honesty (issue 11, round 3) -------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "150g plaice fillet",  # no USDA plaice; "Chicken fillet" lacks it
    "1 kangaroo steak",  # no USDA kangaroo: the pin for "steak" must not be used
    "a bowl of curry",  # beef, chicken or fish curry?
    "red lentils, 1 cup cooked",  # USDA has red lentils raw only
])
def test_a_line_that_names_another_food_is_not_a_confident_match(line):
    results = analyze_text(line)
    assert not [r for r in results if hasattr(r, "food")], results
    assert any(getattr(r, "suggestions", None) for r in results)


def test_a_food_word_the_line_has_and_the_food_lacks_lowers_the_confidence():
    from crampcheck.foods.search import default_index

    ix = default_index()
    # (not a cut word such as "fillet": "cod fillet" is cod, see the cut tests below)
    (plain,) = ix.search("chicken nuggets", limit=1)
    (other,) = ix.search("cod nuggets", limit=1)
    assert "cod" not in other.food.name.lower()
    assert other.confidence < 0.5 <= plain.confidence


def test_a_compound_is_its_last_word_as_written():
    # "milk chocolate" is chocolate, "chocolate milk" milk (the [prefer] key is order-free)
    best = search("milk chocolate", limit=1)[0].food
    assert best.id == "sr:19120", best.name
    assert search("chocolate milk", limit=1)[0].food.name.lower().split(",")[0] in (
        "milk", "chocolate milk")
    # "cherry tomatoes" are tomatoes, not cherries; "sardines in oil" no sardine oil
    assert "omato" in search("cherry tomatoes", limit=1)[0].food.name
    assert search("sardines in oil", limit=1)[0].food.name.startswith("Fish, sardine")


def test_misspellings_keep_their_first_letter_and_are_not_split():
    ix = default_index()
    assert ix.corrections("almod", "almods")[0][0] == "almond"  # never "limeade"
    assert ix.split_words("peacans") == "peacans"  # pecans misspelt, not pea + can
    assert "ecan" in search("peacans", limit=1)[0].food.name
    assert ix.split_words("apple sauce") == "applesauce"


def test_a_class_word_alone_is_not_sure_unless_a_default_is_documented():
    for word in ("soup", "juice", "a drink", "dessert"):
        assert search(word, limit=1)[0].confidence < match_settings().threshold, word
    # "butter" is a food of its own (not peanut butter); "bread" has a documented default
    for word in ("butter", "bread"):
        assert search(word, limit=1)[0].confidence >= match_settings().threshold, word


# --- cuts and pieces (issue 11 round 4): "fillet", "steak", "breast"… name the piece, not the
# food; USDA's salmon or tuna is the right food for a salmon fillet or a tuna steak

@pytest.mark.parametrize("text, food_id", [
    # SR 15082 coho salmon, cooked moist heat (no USDA salmon name says "fillet")
    ("salmon fillet grilled", "sr:15082"),
    # FNDDS "Fish, tuna, NFS"; never "Beef, steak"
    ("tuna steak 6 oz", "fndds:4eb66057"),
    # SR 15111 swordfish, cooked, dry heat
    ("swordfish steak 150g", "sr:15111"),
    # SR 15016 Atlantic cod, cooked, dry heat (round 3 took "Chicken fillet" and was unsure)
    ("150g cod fillet", "sr:15016"),
    # SR 15034 haddock, cooked, dry heat
    ("haddock fillet baked", "sr:15034"),
    # SR 10124 bacon, cooked ("rasher" is no USDA word and is not read as "roasters")
    ("2 bacon rashers", "sr:10124"),
    # a food that names the cut still wins: SR 05097 chicken thigh, meat only, cooked
    ("2 chicken thighs", "sr:05097"),
    # the head noun tells beef steak from tuna steak: FNDDS "Beef, steak, NFS"
    ("beef steak 8oz", "fndds:c46fb9f6"),
])
def test_a_cut_word_does_not_make_the_right_food_unsure(text, food_id):
    it = one(text)
    assert it.food.id == food_id, (text, it.food.name)
    assert it.confidence >= match_settings().threshold, (text, it.confidence)


def test_a_cut_of_a_food_usda_lacks_stays_unsure():
    # no kangaroo or plaice in USDA: the cut word alone is no match for beef steak or a
    # chicken fillet
    report = nutrients(["kangaroo steak", "plaice fillet"])
    assert report.items == []
    assert len(report.unmatched) == 2
