"""Everyday and British diary lines a reviewer found mismatched (tests/review: messy.txt).

Each expected food is the USDA food named; each weight is a USDA household measure of that food
(SR24/SR Legacy gram weights) or a documented default size the note states.
"""

from __future__ import annotations

import pytest

from crampcheck.foods.store import default_store
from crampcheck.intake.amounts import parse_amount
from crampcheck.totals import Item, analyze_line

FL_OZ_ML = 29.5735295625


def item(text: str) -> Item:
    result = analyze_line(text)
    assert isinstance(result, Item), f"{text!r}: {result}"
    return result


def notes(it: Item) -> str:
    return " | ".join(it.notes)


@pytest.mark.parametrize("text, food_id, grams, method", [
    # SR 14003 beer: 'fl oz' 29.7 g; a US pint is 16 fl oz
    ("2 pints of lager", "sr:14003", 2 * 16 * 29.7, "density"),
    ("pint of beer", "sr:14003", 16 * 29.7, "density"),
    ("1 can beer", "sr:14003", 356.0, "portion"),  # USDA 'can'
    # SR 01117 plain low-fat yogurt: natural yogurt is plain yogurt
    ("200g natural yogurt", "sr:01117", 200.0, "mass"),
    # SR 15088 sardines canned in oil: 'can (3.75 oz)' 92 g
    ("1 tin sardines in olive oil", "sr:15088", 92.0, "portion"),
    # SR 12078 Brazil nuts: 'kernel' 5 g; a range counts as its middle
    ("2-3 brazil nuts", "sr:12078", 2.5 * 5.0, "portion"),
    # SR 42237 Weetabix: 'biscuit' 18 g
    ("2 weetabix", "sr:42237", 36.0, "portion"),
    # SR 01123 raw egg: USDA 'medium' 44 g when no size is given
    ("3x eggs", "sr:01123", 3 * 44.0, "portion"),
    # SR 19135 MILKY WAY (the British Mars bar): 'serving 2.05 oz bar' 58 g, not the fun size
    ("1 Mars bar", "sr:19135", 58.0, "portion"),
    # SR 01079 2 % milk: 'cup' 244 g
    ("1½ cups semi-skimmed milk", "sr:01079", 1.5 * 244.0, "portion"),
    ("40g cornflakes", "fndds:9fc90628", 40.0, "mass"),
    # SR 18001 plain bagel: 'medium bagel' 105 g
    ("1 bagel", "sr:18001", 105.0, "portion"),
    # SR 18173 graham crackers: 'large rectangular piece or 2 squares' 14 g
    ("2 digestive biscuits", "sr:18173", 28.0, "portion"),
    # SR 22401 spaghetti with meat sauce: 'serving' 283 g
    ("spaghetti bolognese", "sr:22401", 283.0, "assumed"),
    # SR 18070 white bread, toasted: 'slice' 27 g (the first slice measure)
    ("1 slice of toast", "sr:18070", 27.0, "portion"),
    # SR 14052 whiskey: 'jigger 1.5 fl oz' 42 g is a shot
    ("1 shot of whisky", "sr:14052", 42.0, "portion"),
    ("1 vodka", "sr:14051", 42.0, "portion"),
])
def test_messy_line_matches_usda_food_and_measure(text, food_id, grams, method):
    it = item(text)
    assert it.food.id == food_id, (text, it.food.name)
    assert it.grams == pytest.approx(grams, rel=0.01)
    assert it.grams_method == method


@pytest.mark.parametrize("text, food_id, grams, says", [
    # a handful of nuts: 1 oz, stated as an assumption
    ("a handful of almonds", "sr:12061", 28.35, "handful taken as 1 oz"),
    ("handful of walnuts", "sr:12155", 28.35, "handful taken as 1 oz"),
    # a glass is 8 fl oz; water's USDA 'fl oz' is 29.6 g
    ("1 glass of water", "sr:14411", 8 * 29.6, "glass taken as 8 fl oz"),
    ("1 glass orange juice", "sr:09206", 8 * 31.0, "glass taken as 8 fl oz"),
    # a bowl is 1 cup: cooked oatmeal's 'cup' 234 g, Cheerios' 'cup' 28 g
    ("bowl of porridge", "sr:08121", 234.0, "bowl taken as 1 cup"),
    ("1 bowl oatmeal", "sr:08121", 234.0, "bowl taken as 1 cup"),
    ("1 bowl of cereal", "sr:08013", 28.0, "bowl taken as 1 cup"),
    # wine: 5 fl oz glass (USDA 'fl oz' 29.4 g), 750 ml bottle
    ("1 glass wine", "sr:14096", 5 * 29.4, "5 fl oz"),
    ("glass of red wine", "sr:14096", 5 * 29.4, "5 fl oz"),
    ("1 large glass white wine", "sr:14106", 5 * 29.4, "5 fl oz"),
    ("1 bottle of wine", "sr:14096", 750 / FL_OZ_ML * 29.4, "750 ml"),
    # crisps: a single-serve 1 oz bag
    ("a packet of crisps", "fndds:3962fc94", 28.35, "1 oz"),
    ("bag of crisps", "fndds:3962fc94", 28.35, "1 oz"),
    # dark chocolate squares: 10 g each, an assumption
    ("2 squares dark chocolate 70%", "sr:19904", 20.0, "square of a chocolate bar"),
    # whey protein: the isolate's one USDA portion (28.7 g)
    ("1 scoop whey protein", "srl:3e7605ae", 28.667, "scoop"),
])
def test_assumed_sizes_are_stated(text, food_id, grams, says):
    it = item(text)
    assert it.food.id == food_id, (text, it.food.name)
    assert it.grams == pytest.approx(grams, rel=0.01)
    assert it.grams_method == "assumed"
    assert says in notes(it)


def test_us_pint_is_said():
    assert "US pint" in notes(item("2 pints of lager"))
    assert "568 ml" in notes(item("pint of beer"))


def test_alcohol_is_counted_for_beer_wine_and_spirits():
    for text in ("pint of beer", "1 glass wine", "1 large glass white wine", "1 shot of whisky",
                 "1 vodka", "1 gin", "1 rum"):
        it = item(text)
        assert it.food.name.lower().startswith("alcoholic beverage"), (text, it.food.name)
        assert it.nutrients["alcohol_g"] is not None and it.nutrients["alcohol_g"] > 0, text
    # beer: 3.9 g alcohol per 100 g (SR 14003)
    assert item("pint of beer").nutrients["alcohol_g"] == pytest.approx(16 * 29.7 * 0.039,
                                                                        rel=0.01)


def test_a_meal_line_is_two_items_unless_usda_has_the_dish():
    from crampcheck.totals import analyze_text

    toast, butter = analyze_text("1 slice of toast with butter")
    # SR 18070 toasted white bread 'slice' 27 g; butter on bread: USDA's pat, 5 g (assumed)
    assert (toast.food.id, toast.grams) == ("sr:18070", 27.0)
    assert butter.food.name.startswith("Butter") and butter.grams == 5.0
    assert butter.grams_method == "assumed" and "pat" in notes(butter)
    curry = analyze_text("chicken curry with rice")
    assert [i.food.name for i in curry] == ["Chicken curry with rice"]
    tea = analyze_text("cup of tea with milk")
    assert len(tea) == 1 and tea[0].food.name.startswith("Tea")
    assert item("1 cup tea").food.id == "sr:14355"  # brewed black tea, USDA 'cup (8 fl oz)'
    # analyze_line keeps one item per line: the foods of the meal are its parts
    combined = item("1 slice of toast with butter")
    assert [p.food.id for p in combined.parts] == ["sr:18070", butter.food.id]
    assert combined.grams == pytest.approx(32.0)


def test_two_foods_no_usda_dish_is_two_items():
    from crampcheck.totals import analyze_text

    fish, chips = analyze_text("fish and chips")
    assert "fish" in fish.food.name.lower() and "fried" in fish.food.name.lower()
    assert "french fries" in chips.food.name.lower()


@pytest.mark.parametrize("text", ["kebab", "1 portion chips"])
def test_never_taro_chips_or_unmatched(text):
    it = item(text)
    assert "taro" not in it.food.name.lower()


def test_usda_measures_of_the_same_name_are_kept():
    # USDA's dessert-wine glass is 3.5 fl oz: the 5 fl oz default does not replace it
    store = default_store()
    dessert = store.get("sr:14057")
    from crampcheck.intake.grams import resolve_grams

    g = resolve_grams(dessert, 1, "glass", None, "dessert wine")
    assert (g.grams, g.method) == (103.0, "portion")


@pytest.mark.parametrize("text, qty, unit, food", [
    ("3x eggs", 3.0, None, "eggs"),
    ("2 x bananas", 2.0, None, "bananas"),
    ("bowl of porridge", 1.0, "bowl", "porridge"),
    ("pint of beer", 1.0, "pint", "beer"),
    ("handful of walnuts", 1.0, "handful", "walnuts"),
    ("1 bagel", 1.0, None, "bagel"),
    ("2 squares dark chocolate 70%", 2.0, "square", "dark chocolate 70%"),
])
def test_parse_messy_amounts(text, qty, unit, food):
    p = parse_amount(text)
    assert (p.quantity, p.unit, p.food_text) == (qty, unit, food)
