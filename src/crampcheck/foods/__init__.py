"""USDA food table: search names, household portions, nutrients per 100 g."""

from __future__ import annotations

from .search import Candidate, search
from .store import Food, FoodStore, Portion, default_store

__all__ = ["Candidate", "Food", "FoodStore", "Portion", "default_store", "search"]
