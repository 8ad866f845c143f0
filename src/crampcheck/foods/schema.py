"""The nutrient columns of the food table (per 100 g of food; unit in the key)."""

from __future__ import annotations

NUTRIENTS: tuple[str, ...] = (
    "energy_kcal",
    "protein_g",
    "fat_g",
    "carbohydrate_g",
    "fiber_g",
    "water_g",
    "calcium_mg",
    "magnesium_mg",
    "potassium_mg",
    "sodium_mg",
    "phosphorus_mg",
    "vitamin_d_ug",
    "ala_g",
    "epa_g",
    "dha_g",
    "omega3_g",
    "caffeine_mg",
    "alcohol_g",
)
