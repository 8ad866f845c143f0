"""How sure a match is: a small logistic model over evidence that generalises.

Each matched item has a few *features*, each from 0 to 1, worked out by the search
(:mod:`crampcheck.foods.search`) and the weighing (:mod:`crampcheck.totals`):

``cover``
    the share of the line's food words (weighted by rarity) that the food's name has, a word
    read as another spelling counting less the less alike the two are;
``adds``
    the share of the name's own telling words (by rarity, past USDA boilerplate) that the line
    did not say: "Croissants, cheese" adds "cheese" to "croissant";
``head``
    1 when the line's head word (its last food word: "potato" in "jacket potato") is in the
    food's own name (the first segment of the USDA name, past a class such as "Nuts,");
``no_head``
    1 when the food's name lacks the head word altogether;
``extra``
    words of the food's own name (first segment) that the line lacks, 1/3 each, at most 1;
``rival``
    1 minus the score gap (in points, over 8) to the closest runner-up whose calcium or
    magnesium per 100 g differs by more than a third: a real alternative that would change the
    answer;
``respelt``
    1 minus the likeness of the least alike word read as another spelling ("spinnach");
``split``
    1 when a run-together word was split ("peanutbutter");
``usual``
    1 when the phrase is one that ``synonyms.toml`` [prefer] pins to a food;
``late``
    1 when the line's words are found only in a later segment of the name ("lunch" in
    "Chicken nuggets, from school lunch");
``one_word``
    1 when the line names the food in one word ("cake", "soup"): many foods fit;
``variety``
    how much calcium and magnesium vary among the foods the words name (interquartile range
    over the median, halved, at most 1): "soup" names 296 soups;
    (``rival`` and ``variety`` are 0 when every close food gives about the same minerals:
    confidence by consequence, :meth:`crampcheck.foods.search.FoodIndex.consequence`);
``served``
    1 when the grams came from a stated default size (a glass, a can of cola, one serving of a
    survey food) rather than the food's own USDA measure or a mass the line gives;
``borrowed``
    1 when the grams came from a similar USDA food's measure;
``last_resort``
    1 when nothing fitted and 100 g was assumed;
``not_drink``
    1 when a drink's measure (glass, bottle) was given to a food that is no drink;
``side``
    1 for the second food of a meal whose amount was not written ("with milk").

The model's confidence is ``1 / (1 + exp(-(intercept + sum(weight * feature))))``. The
weights are in ``data/matching.toml`` [model]; ``benchmarks/fit_confidence.py`` fits them on
the *tune* part of the labelled lines only (never on the held-out part) and compares the model
with the hand-set factors on both parts.

The hand-set factors (``_hand``, see :meth:`crampcheck.foods.search.FoodIndex.search` and
:func:`crampcheck.totals._hand_confidence`) use the same evidence: the share of the line's
words the name has, halved for a missing head word or a match only in a later name segment,
lowered for doubtful spellings, extra words of the food's own name, a close runner-up with
other calcium or magnesium, and for assumed grams. ``matching.toml`` ``method`` says which one
crampcheck uses: the model only where it beats the hand-set factors on the held-out lines
(issue 11's second round: it did not, so ``method = "hand"``).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

FEATURES = ("cover", "adds", "head", "no_head", "extra", "rival", "respelt", "split", "usual",
            "late", "one_word", "variety", "served", "borrowed", "last_resort", "not_drink", "side")


@dataclass(frozen=True)
class Model:
    intercept: float
    weights: dict[str, float]

    def logit(self, features: dict[str, float]) -> float:
        return self.intercept + sum(w * features.get(k, 0.0) for k, w in self.weights.items())

    def predict(self, features: dict[str, float]) -> float:
        z = self.logit(features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


@cache
def _settings() -> dict:
    path = resources.files("crampcheck.foods").joinpath("data", "matching.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def method() -> str:
    """``matching.toml`` ``method``: "hand" (the hand-set factors) or "model" (the fitted
    logistic model)."""
    found = _settings().get("method", "hand")
    if found not in ("hand", "model"):
        raise RuntimeError(f"matching.toml: unknown confidence method {found!r}")
    return found


@cache
def model() -> Model:
    doc = _settings()["model"]
    weights = {k: float(v) for k, v in doc["weights"].items()}
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise RuntimeError(f"matching.toml [model] has unknown features: {sorted(unknown)}")
    return Model(float(doc["intercept"]), weights)


def confidence(features: dict[str, float]) -> float:
    """The confidence (0-1, three decimals) of a match with these features: the fitted model's
    or, with ``method = "hand"``, the hand-set factors' (``features["_hand"]``, worked out
    by the search and the weighing)."""
    if method() == "hand":
        return round(features["_hand"], 3)
    return round(model().predict(features), 3)
