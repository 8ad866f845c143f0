"""From lines of text to nutrient totals: the ``crampcheck nutrients`` job.

Each line is parsed (:mod:`crampcheck.intake.amounts`), matched to a USDA food
(:mod:`crampcheck.foods.search`), weighed (:mod:`crampcheck.intake.grams`) and scaled from the
food's per-100 g values. Totals add what is known; a nutrient a food has no value for is listed
under ``missing`` with the item's text, never counted as zero. Lines that match no food are
returned under ``unmatched`` with the reason.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

from .errors import InputError
from .foods.confidence import confidence as model_confidence
from .foods.schema import NUTRIENTS
from .foods.search import Candidate, search
from .foods.store import Food, default_store
from .intake.amounts import parse_amount
from .intake.diary import DiaryLine
from .intake.grams import LAST_RESORT_NOTE, Grams, container_size, piece_of_kin, resolve_grams

MAX_GRAMS_PER_ITEM = 5000.0  # above 5 kg of one food in one line is taken as a typing error
BRAND_SIGN = re.compile(r"®|™|\bbrand\b", re.IGNORECASE)
RARE_IN_GENERIC = 8  # a capitalised word in at most this many generic food names is a brand


def names_brand(food_text: str) -> bool:
    """Whether the words name a brand.

    Yes for a trademark sign or the word "brand"; otherwise a word generic USDA food names
    hardly use (in at most ``RARE_IN_GENERIC`` of them) that is written like a name: all
    capitals ("KIND bar"), a capital inside ("McVitie's"), capitalised parts joined by a hyphen
    ("Coca-Cola"), or capitalised among lower-case words ("2 Oreo cookies"). Title Case lines
    ("1 Cup Cooked Quinoa") are not read as brands; ``--branded`` asks for brands outright.
    """
    if BRAND_SIGN.search(food_text):
        return True
    from .foods.search import default_index, singular

    postings = default_index().postings
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", food_text)
    has_lower = any(w[0].islower() for w in words)
    for word in words:
        name_like = (
            (len(word) >= 3 and word.isupper())
            or any(c.isupper() for c in word[1:].replace("-", "").replace("'", ""))
            or ("-" in word and all(p[:1].isupper() for p in word.split("-") if p))
            or (word[0].isupper() and has_lower)
        )
        if not name_like:
            continue
        parts = [singular(w) for w in re.split(r"[-']", word.lower()) if len(w) >= 3]
        if any(len(postings.get(w, ())) <= RARE_IN_GENERIC for w in parts):
            return True
    return False


def _prefer_portion(hits: list[Candidate], unit: str | None, words: str) -> list[Candidate]:
    """Among equally good branded hits, those with a label serving in the unit written."""
    wanted = {unit} if unit else set(re.findall(r"[a-z]+", words.lower()))
    wanted |= {w.rstrip("s") for w in wanted}

    def key(ic: tuple[int, Candidate]) -> tuple[int, int, int]:
        i, c = ic
        fits = any(p.unit in wanted for p in c.food.portions)
        return (0 if c.score >= 70 else 1, 0 if fits else 1, i)

    return [c for _, c in sorted(enumerate(hits), key=key)]


@dataclass
class Item:
    text: str
    food: Food
    quantity: float
    unit: str | None
    grams: float
    grams_method: str
    day: str | None
    alternatives: list[Food]
    nutrients: dict[str, float | None]
    notes: list[str] = field(default_factory=list)
    meal: str | None = None
    time: str | None = None
    line: int | None = None
    confidence: float = 1.0
    parts: list[Item] = field(default_factory=list)  # a meal's items when combined
    phrase: str | None = None  # the food words a pin of this item is stored under
    # the evidence its confidence was worked out from (crampcheck.foods.confidence)
    features: dict[str, float] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "food": self.food.ref(),
            "confidence": round(self.confidence, 2),
            "phrase": self.phrase,
            "quantity": round(self.quantity, 4),
            "unit": self.unit,
            "grams": round(self.grams, 2),
            "grams_method": self.grams_method,
            "day": self.day,
            "alternatives": [{"id": f.id, "name": f.name} for f in self.alternatives],
            "nutrients": {k: _round(v) for k, v in self.nutrients.items()},
            "notes": self.notes,
        }


@dataclass
class Unmatched:
    text: str
    reason: str
    day: str | None = None
    line: int | None = None
    suggestions: list[Food] = field(default_factory=list)
    confidence: float | None = None  # of the best guess, when there was one
    phrase: str | None = None  # the food words a pin would be stored under

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text, "reason": self.reason,
            "suggestions": [{"id": f.id, "name": f.name} for f in self.suggestions]}
        if self.phrase is not None:
            out["phrase"] = self.phrase
        return out


@dataclass
class NutrientReport:
    items: list[Item]
    unmatched: list[Unmatched]
    diary: bool = False

    @property
    def total(self) -> dict[str, float]:
        return sum_items(self.items)

    @property
    def missing(self) -> dict[str, list[str]]:
        return missing_items(self.items)

    def days(self) -> dict[str, dict[str, float]]:
        by_day: dict[str, list[Item]] = {}
        for item in self.items:
            if item.day is not None:
                by_day.setdefault(item.day, []).append(item)
        return {d: sum_items(by_day[d]) for d in sorted(by_day)}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "items": [i.to_dict() for i in self.items],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "total": {k: _round(v) for k, v in self.total.items()},
            "missing": self.missing,
        }
        if self.diary:
            out["days"] = {d: {k: _round(v) for k, v in t.items()}
                           for d, t in self.days().items()}
        return out


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def sum_items(items: list[Item]) -> dict[str, float]:
    total = dict.fromkeys(NUTRIENTS, 0.0)
    for item in items:
        for k, v in item.nutrients.items():
            if v is not None:
                total[k] += v
    return total


def missing_items(items: list[Item]) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for item in items:
        for k, v in item.nutrients.items():
            if v is None:
                missing.setdefault(k, []).append(item.text)
    return missing


def scale(per_100g: dict[str, float | None], grams: float) -> dict[str, float | None]:
    f = grams / 100.0
    return {k: (None if v is None else v * f) for k, v in per_100g.items()}


@dataclass(frozen=True)
class MatchSettings:
    """``foods/data/matching.toml``: the confidence threshold and what lowers confidence."""

    threshold: float
    last_resort: float
    assumed_size: float
    side_default: float
    not_a_drink: float
    suggestions: int


@cache
def match_settings() -> MatchSettings:
    from importlib import resources

    path = resources.files("crampcheck.foods").joinpath("data", "matching.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return MatchSettings(float(doc["threshold"]), float(doc["last_resort"]),
                         float(doc["assumed_size"]), float(doc["side_default"]),
                         float(doc["not_a_drink"]), int(doc["suggestions"]))


PIN_NOTE = "your choice"
DRINK_UNITS = frozenset({"glass", "mug", "bottle", "carton", "pint", "shot", "jigger"})
_DRINK_WORDS = re.compile(r"beverage|drink|juice|milk|water|coffee|tea\b|soda|wine|beer|"
                          r"liquor|cocktail|smoothie|shake|soup|cocoa|chocolate|broth|kefir|"
                          r"alcohol|lemonade|spirit|whiskey|vodka|gin\b|rum\b|cider|nectar|"
                          r"kombucha|yogurt|ensure|latte|cappuccino|espresso", re.IGNORECASE)


def _is_drink(food: Food) -> bool:
    return bool(_DRINK_WORDS.search(f"{food.name} {food.category}"))
_SPLIT = re.compile(r"\s*(?:\s(?:with|on|and)\s|\s?\+\s?|\s&\s)\s*", re.IGNORECASE)
_JOINERS = re.compile(r"\s(with|on|and)\s|\+|\s&\s", re.IGNORECASE)


def pin_key(food_text: str) -> str:
    """The key a phrase is pinned under: its food words after synonyms, in any order
    ("protein shake", "Protein Shakes" and "shake, protein" are one key)."""
    from .foods.search import apply_synonyms, prefer_key, tokens

    return prefer_key(tokens(apply_synonyms(_clean_joiners(food_text))))


def _clean_joiners(text: str) -> str:
    """Abbreviations people use between foods: "w/" is with, "w/o" without, "&" and "+"."""
    text = re.sub(r"(?i)\bw/o\b", " without ", text)
    text = re.sub(r"(?i)\bw/\s*", " with ", text)
    return re.sub(r"\s+", " ", text).strip()


def analyze_text(text: str, *, day: str | None = None, line: int | None = None,
                 source: str | None = None, branded: bool = False,
                 meal: str | None = None, time: str | None = None,
                 pins: dict[str, str] | None = None,
                 min_confidence: float | None = None) -> list[Item | Unmatched]:
    """One line of food text to its items: one, or one per food of a meal ("a bowl of
    cheerios with semi skimmed milk"), each an :class:`Item` with its confidence or an
    :class:`Unmatched` with the reason and suggestions.

    ``pins`` maps :func:`pin_key` of a phrase to the food id the person chose for it
    (confidence 1, note "your choice"). ``min_confidence`` overrides the threshold of
    ``matching.toml`` (0 keeps every best guess).

    Raises
    ------
    InputError
        For an amount that cannot be right: zero, negative, or over 5 kg of one food.
    """
    key = frozenset(pins.items()) if pins else None
    try:
        analysed = _analysis(text, branded, min_confidence, key)
    except InputError:  # (not kept: raised again naming the line and the source)
        return _analyze(text, day, line, source, branded, meal, time, pins, min_confidence)
    return [_fresh(r, day, line, meal, time) for r in analysed]


#: lines whose analysis is kept: a diary repeats its foods, the web preview sends every line
#: again at each keystroke
LINE_CACHE = 8192


@lru_cache(maxsize=LINE_CACHE)
def _analysis(text: str, branded: bool, min_confidence: float | None,
              pins: frozenset[tuple[str, str]] | None) -> tuple[Item | Unmatched, ...]:
    """The analysis of one line, kept by its text and settings (no day, line or meal: those
    are filled in by :func:`_fresh`)."""
    return tuple(_analyze(text, None, None, None, branded, None, None,
                          dict(pins) if pins else None, min_confidence))


def _fresh(result: Item | Unmatched, day: str | None, line: int | None, meal: str | None,
           time: str | None) -> Item | Unmatched:
    """A copy of a kept result for one line of a diary (its own lists and dicts)."""
    if isinstance(result, Item):
        return replace(result, day=day, line=line, meal=meal, time=time,
                       notes=list(result.notes), nutrients=dict(result.nutrients),
                       features=dict(result.features), alternatives=list(result.alternatives),
                       parts=list(result.parts))
    return replace(result, day=day, line=line, suggestions=list(result.suggestions))


def _analyze(text: str, day: str | None, line: int | None, source: str | None, branded: bool,
             meal: str | None, time: str | None, pins: dict[str, str] | None,
             min_confidence: float | None) -> list[Item | Unmatched]:
    if re.match(r"^\s*-\s*\d", text) and not re.match(r"^\s*-\s+\d", text):
        raise InputError(f"negative amount in '{text}'", line=line, source=source)
    parsed = parse_amount(_clean_joiners(text))
    if parsed.quantity_given and parsed.quantity <= 0:
        raise InputError(f"the amount in '{text}' is zero", line=line, source=source)
    if not parsed.food_text:
        return [Unmatched(text, "no food named", day, line)]
    threshold = match_settings().threshold if min_confidence is None else min_confidence
    ctx = _Context(text, day, line, source, branded, meal, time, pins or {}, threshold)
    pinned = _pinned(ctx, parsed)
    if pinned is not None:
        return [pinned]
    parsed = replace(parsed, food_text=_dish_names(parsed.food_text))
    whole = _candidates(ctx, parsed)
    parts = [p for p in _SPLIT.split(parsed.food_text) if p.strip()]
    if len(parts) > 1 and not (whole and whole[0].confidence >= threshold
                               and _is_the_dish(whole[0].food, parsed.food_text, parts)):
        return _meal(ctx, parsed, parts)
    return [_one(ctx, parsed, whole)]


def analyze_line(text: str, *, day: str | None = None, line: int | None = None,
                 source: str | None = None, branded: bool = False,
                 meal: str | None = None, time: str | None = None,
                 pins: dict[str, str] | None = None) -> Item | Unmatched:
    """One line of food text to one :class:`Item` (a meal's foods combined into one item
    whose ``parts`` are the foods and whose nutrients are their sum), or :class:`Unmatched`.

    Raises
    ------
    InputError
        For an amount that cannot be right: zero, negative, or over 5 kg of one food.
    """
    results = analyze_text(text, day=day, line=line, source=source, branded=branded,
                           meal=meal, time=time, pins=pins)
    items = [r for r in results if isinstance(r, Item)]
    if len(results) == 1 or not items:
        return results[0]
    return combine(items, results)


def combine(items: list[Item], results: list[Item | Unmatched]) -> Item:
    """The items of one meal line as one item (the first food's record, the grams and
    nutrients of all; a part that was not matched is named in the notes)."""
    first = items[0]
    nutrients: dict[str, float | None] = {}
    for k in NUTRIENTS:
        known = [i.nutrients.get(k) for i in items if i.nutrients.get(k) is not None]
        nutrients[k] = sum(known) if known else None  # type: ignore[arg-type]
    notes = [f"{i.food.name}: {i.grams:.0f} g" for i in items]
    notes += [n for i in items for n in i.notes]
    notes += [f"not counted: {u.reason}" for u in results if isinstance(u, Unmatched)]
    return replace(first, grams=sum(i.grams for i in items), nutrients=nutrients,
                   notes=notes, parts=items,
                   confidence=min(i.confidence for i in items),
                   grams_method="assumed" if any(i.grams_method == "assumed" for i in items)
                   else first.grams_method)


@dataclass
class _Context:
    text: str
    day: str | None
    line: int | None
    source: str | None
    branded: bool
    meal: str | None
    time: str | None
    pins: dict[str, str]
    threshold: float


def _pinned(ctx: _Context, parsed) -> Item | None:
    if not ctx.pins:
        return None
    food_id = ctx.pins.get(pin_key(parsed.food_text))
    food = default_store().get(food_id) if food_id else None
    if food is None:
        return None
    return _weigh(ctx, parsed, [Candidate(food, 100.0, 1.0)], extra_notes=[PIN_NOTE])


def _candidates(ctx: _Context, parsed) -> list[Candidate]:
    candidates: list[Candidate] = []
    if not ctx.branded:
        from .intake.units import unit_kind

        count = parsed.unit is None or unit_kind(parsed.unit) == "count"
        candidates = search(parsed.food_text, limit=6, unit=parsed.unit, count=count,
                            best_only=True)
    if ctx.branded or names_brand(parsed.food_text):
        brand_hits = _prefer_portion(search(parsed.food_text, limit=8, branded=True),
                                     parsed.unit, parsed.food_text)[:4]
        if brand_hits and (ctx.branded or not candidates or brand_hits[0].score >= 70):
            candidates = [replace(c, confidence=round(min(1.0, c.score / 100.0), 3))
                          for c in brand_hits]
    return candidates


def _dish_names(food_text: str) -> str:
    """Synonyms that span a joiner ("beans on toast" is baked beans; "fish and chips" is
    fried fish and french fries), applied before a meal line is split."""
    pattern, table = _dish_synonyms()
    if pattern is None or not _JOINERS.search(food_text):
        return food_text
    return pattern.sub(lambda m: table[m.group(0).lower()], food_text)


@cache
def _dish_synonyms() -> tuple[re.Pattern | None, dict[str, str]]:
    from .foods.search import synonyms

    table = {old: new for old, new in synonyms().replace if _JOINERS.search(f" {old} ")}
    if not table:
        return None, table
    alts = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?i)(?<![a-z])(?:{alts})(?![a-z])"), table


def _is_the_dish(food: Food, food_text: str, parts: list[str]) -> bool:
    """Whether ``food`` is the whole dish "X with Y" / "X and Y" / "X on Y" itself: its USDA
    name has a word of every part, and for "with" and "on" it joins parts the same way
    ("Chicken curry with rice", "Tea, hot, with milk"), not "Peanut Butter Toast Crunch" for
    toast with butter."""
    from .foods.search import (
        CLASS_HEADS,
        FORM_WORDS,
        NOISE_WORDS,
        PREP_WORDS,
        STOPWORDS,
        apply_synonyms,
        singular,
        synonyms,
        tokens,
    )

    name = set(tokens(food.name))
    sides = [{t for t in tokens(apply_synonyms(part)) if t not in STOPWORDS} for part in parts]
    if not all(side & name for side in sides if side):
        return False
    said = set().union(*sides)
    low = food.name.lower()
    # a side the name negates: "Coffee, Latte, with non-dairy milk" is no coffee with milk
    negated = {singular(w) for m in re.finditer(r"\b(?:non|without|no)[- ]([a-z]+)", low)
               for w in [m.group(1)]}
    if negated & said - {"salt"}:
        return False
    # the dish's own words (first two name segments) the line lacks, past boilerplate and
    # alternatives ("Chicken or turkey and rice")
    segments = low.split(",")
    front = set(tokens(",".join(segments[:2])))
    alternatives = {singular(w) for m in re.finditer(r"\bor ([a-z]+)", low) for w in [m.group(1)]}
    unsaid = (STOPWORDS | PREP_WORDS | NOISE_WORDS | CLASS_HEADS | FORM_WORDS
              | synonyms().minor | alternatives | {"white"})
    if len(front - said - unsaid) > 1:
        return False
    # nor more than one other food in the rest of its name: "Fast foods, bagel, with ham,
    # egg, and cheese" is no bagel with cream cheese ("with calcium sulfate and magnesium
    # chloride" names no food)
    from .foods.search import default_index

    whole = set(tokens(re.sub(r"\([^)]*\)|\bfrom [^,]*", " ", low)))
    if len((whole - said - unsaid) & default_index().heads) > 1:
        return False
    joiners = {m.group(1).lower() if m.group(1) else "and"
               for m in _JOINERS.finditer(food_text)}
    if "with" in joiners:
        return "with" in name
    if "on" in joiners:
        return bool({"on", "with"} & name)
    if not food.branded:
        # two foods listed ("2 eggs and bacon") are no third thing ("Egg burrito, with
        # bacon"): the dish must be named by what was said
        from .foods.search import default_index

        heads = default_index().info(food.index).heads
        if heads and not heads & said:
            return False
    return bool({"and", "with"} & name)  # "crackers and cheese" is no "Crackers, cheese"


def _meal(ctx: _Context, parsed, parts: list[str]) -> list[Item | Unmatched]:
    """A line that is several foods: the first takes the line's amount, each other its own
    amount or the stated default for it (marked ``assumed``)."""
    out: list[Item | Unmatched] = []
    joiner = _JOINERS.search(parsed.food_text)
    if joiner and (joiner.group(1) or "").lower() == "on" and len(parts) == 2 and \
            not parse_amount(parts[0]).quantity_given:
        # "beans on toast", "peanut butter on toast": the second food is the base and takes
        # the line's amount; the topping its stated default
        base = replace(parsed, food_text=parts[1].strip(" ,"))
        base_result = _one(ctx, base, None, part=parts[1])
        base_food = base_result.food if isinstance(base_result, Item) else None
        topping = parse_amount(parts[0])
        return [_side(ctx, topping, base_food, parts[0]), base_result]
    main = replace(parsed, food_text=parts[0].strip(" ,"))
    main_result = _one(ctx, main, None, part=parts[0])
    out.append(main_result)
    main_food = main_result.food if isinstance(main_result, Item) else None
    for part in parts[1:]:
        side = parse_amount(part)
        if not side.food_text:
            continue
        if side.quantity_given:
            out.append(_one(ctx, side, None, part=part))
            continue
        out.append(_side(ctx, side, main_food, part))
    return out


def _side(ctx: _Context, side, main_food: Food | None, part: str) -> Item | Unmatched:
    """The second food of a meal with no amount: the default of ``container_sizes.toml``
    [[sides]] for it (milk on cereal, butter on toast), else one of it."""
    from .intake.units import side_amount

    candidates = _candidates(ctx, side)
    if not candidates:
        return _unmatched(ctx, side.food_text, [], part)
    food = candidates[0].food
    amount = side_amount(food, main_food)
    if amount is None:
        return _one(ctx, side, candidates, part=part,
                    extra_notes=[f"no amount given for '{side.food_text}': counted as one"],
                    side=True)
    sized = replace(side, quantity=amount.quantity, unit=amount.unit, size=None,
                    quantity_given=True)
    return _one(ctx, sized, candidates, part=part, extra_notes=[amount.basis],
                side=True, method="assumed")


def _one(ctx: _Context, parsed, candidates: list[Candidate] | None, *, part: str | None = None,
         extra_notes: list[str] | None = None, side: bool = False,
         method: str | None = None) -> Item | Unmatched:
    if candidates is None:
        pinned = _pinned(ctx, parsed)
        if pinned is not None:
            return pinned
        candidates = _candidates(ctx, parsed)
    if not candidates:
        return _unmatched(ctx, parsed.food_text, [], part)
    return _weigh(ctx, parsed, candidates, extra_notes=extra_notes, side=side,
                  method=method, part=part)


def _suggest(candidates: list[Candidate]) -> list[Food]:
    out: list[Food] = []
    for c in candidates:
        if all(f.name.lower() != c.food.name.lower() for f in out):
            out.append(c.food)
        if len(out) >= match_settings().suggestions:
            break
    return out


def _unmatched(ctx: _Context, food_text: str, candidates: list[Candidate], part: str | None,
               confidence: float | None = None) -> Unmatched:
    what = f"'{part.strip()}'" if part is not None else f"'{food_text}'"
    if not candidates:
        reason = f"no USDA food matches {what}"
    else:
        reason = (f"not sure what {what} is (best guess {candidates[0].food.name}, "
                  f"confidence {confidence:.2f}): pick one of the suggestions, or write it "
                  "more plainly")
    return Unmatched(ctx.text, reason, ctx.day, ctx.line, _suggest(candidates), confidence,
                     phrase=(part or food_text).strip(" ,"))


def _hand_confidence(confidence: float, grams: Grams, not_drink: bool, side: bool) -> float:
    """The first round's hand-set factors (still used for branded products, whose match has
    no features; kept to compare with the model in benchmarks/fit_confidence.py)."""
    settings = match_settings()
    if side:
        confidence *= settings.side_default
    if grams.note == LAST_RESORT_NOTE:
        confidence *= settings.last_resort
    elif grams.method == "assumed":
        confidence *= settings.assumed_size
    if not_drink:
        confidence *= settings.not_a_drink
    return round(min(1.0, confidence), 3)


def _weigh(ctx: _Context, parsed, candidates: list[Candidate], *,
           extra_notes: list[str] | None = None, side: bool = False,
           method: str | None = None, part: str | None = None) -> Item | Unmatched:
    best = candidates[0]
    food = best.food
    grams = _grams(food, parsed)
    notes = list(parsed.notes) + list(extra_notes or [])
    not_drink = parsed.unit in DRINK_UNITS and not _is_drink(food)
    features = dict(best.features)
    if features:
        # the match's evidence and how the grams were found (crampcheck.foods.confidence)
        if grams.note == LAST_RESORT_NOTE:
            features["last_resort"] = 1.0
        elif grams.method == "assumed":
            borrowed = bool(grams.note and ("of a similar USDA food" in grams.note
                                            or "another USDA record of it" in grams.note))
            features["borrowed" if borrowed else "served"] = 1.0
        features["not_drink"] = 1.0 if not_drink else 0.0  # "a glass of squash"
        features["side"] = 1.0 if side else 0.0
        features["_hand"] = _hand_confidence(features["_hand"], grams, not_drink, side)
        confidence = model_confidence(features)
    else:  # a branded product: the share of its words the line has
        confidence = _hand_confidence(best.confidence, grams, not_drink, side)
    if extra_notes and PIN_NOTE in extra_notes:
        confidence = 1.0
    confidence = round(min(1.0, confidence), 3)
    if confidence < ctx.threshold:
        return _unmatched(ctx, parsed.food_text, candidates, part, confidence)
    if not math.isfinite(grams.grams) or grams.grams > MAX_GRAMS_PER_ITEM:
        raise InputError(
            f"'{ctx.text}' comes to {grams.grams:,.0f} g of {food.name}; more than "
            f"{MAX_GRAMS_PER_ITEM:,.0f} g in one line looks like a typing error",
            line=ctx.line, source=ctx.source)
    if grams.note:
        notes.append(grams.note)
    if not parsed.quantity_given:
        notes.append("no amount given: counted as 1")
    if part is not None:
        notes.insert(0, f"'{part.strip()}' of a meal line, counted as its own item")
    notes += _food_notes(food, parsed.food_text)
    if best.alike:
        # confidence by consequence (FoodIndex.consequence): the close foods give about the
        # same minerals, so the best was taken; say which others it could have been
        notes.append("also close, with about the same calcium, magnesium, potassium and "
                     "sodium per 100 g: " + "; ".join(f.name for f in best.alike))
    per100 = default_store().per_100g(food)
    return Item(
        text=ctx.text, food=food, quantity=parsed.quantity, unit=parsed.unit or parsed.size,
        grams=grams.grams, grams_method=method or grams.method, day=ctx.day,
        alternatives=[c.food for c in candidates[1:4]], nutrients=scale(per100, grams.grams),
        notes=notes, meal=ctx.meal, time=ctx.time, line=ctx.line, confidence=confidence,
        phrase=(part or parsed.food_text).strip(" ,"), features=features)


_PLANT_MILK = re.compile(r"\b(soy|soya|oat|almond|rice|coconut|cashew|pea|hemp)\s*milk\b",
                         re.IGNORECASE)


def _food_notes(food: Food, food_text: str) -> list[str]:
    """What a careful reader would want said about the food chosen."""
    low = food.name.lower()
    if _PLANT_MILK.search(food_text) and "unfortified" not in food_text.lower() and (
            "milk" in low and "unfortified" not in low):
        return ["plant milk: the fortified kind on shelves (calcium added) is assumed; write "
                "'unfortified' if yours is not"]
    return []


def _grams(food: Food, parsed) -> Grams:
    from .foods.search import apply_synonyms, tokens

    grams = resolve_grams(food, parsed.quantity, parsed.unit, parsed.size, parsed.food_text,
                          amount_given=parsed.quantity_given)
    usda_words = apply_synonyms(parsed.food_text)
    if usda_words != parsed.food_text and (grams.method == "assumed" and not grams.served
                                           or grams.method == "portion"):
        # the words as USDA names them may name a measure ("fish fingers": fish sticks)
        alt = resolve_grams(food, parsed.quantity, parsed.unit, parsed.size, usda_words,
                            amount_given=parsed.quantity_given)
        if alt.method in ("portion", "density") and (grams.method == "assumed" or (
                _generic_piece(food, grams.portion) and alt.portion
                and set(tokens(alt.portion)) & set(tokens(usda_words)))):
            grams = alt
    if grams.method == "assumed" and not food.branded and not grams.specific:
        # another USDA record of the same food that has the measure ("Croissant", a survey
        # food, weighed by SR's "Croissants, butter")
        twin = _twin_grams(food, parsed)
        if twin is not None:
            return twin
    if grams.measure_missing and not food.branded and not grams.specific:
        # "10 cashews", "4 florets": then a similar USDA food's piece, before a guess
        kin = _piece_of_kin(food, parsed)
        # a serving size taken for the food's kind ("a vegetable: 85 g") is an upper bound
        # for one piece: "3 olives" are 13 g, but a salmon "piece" is no whole USDA fillet
        if kin is not None and (not grams.served or kin.grams < grams.grams):
            return kin
    if grams.method == "assumed" and not food.branded and not grams.served:
        default = container_size(food, parsed.unit)
        if default is None:
            grams = _borrow_measure(food, parsed, grams)
        else:
            # a similar USDA food's own measure of that name first ("1 order" of General
            # Tso's chicken: USDA's restaurant order); then the default size
            borrowed = _borrow_measure(food, parsed, grams)
            if borrowed is not grams and parsed.unit is not None:
                return borrowed
            # "a bowl of cereal" is 1 cup of it: a similar food's cup when this one has none
            expanded = replace(parsed, quantity=parsed.quantity * default.quantity,
                               unit=default.unit, size=None)
            inner = resolve_grams(food, expanded.quantity, expanded.unit, None,
                                  parsed.food_text)
            if inner.method == "assumed":
                borrowed = _borrow_measure(food, expanded, inner)
                if borrowed is not inner:
                    grams = Grams(borrowed.grams, "assumed", borrowed.portion,
                                  f"{default.basis}; {borrowed.note}")
    return grams


def _generic_piece(food: Food, label: str | None) -> bool:
    """The measure used is USDA's generic "piece" or "each" of the food (so a measure the
    line's words name, "stick" for fish fingers, is the better one)."""
    from .intake.grams import PIECE_WORDS

    return any(p.label == label and p.unit in PIECE_WORDS for p in food.portions)


def _piece_of_kin(food: Food, parsed) -> Grams | None:
    """The piece or part measure of a similar USDA food (:func:`piece_of_kin`): the food's
    twins, then the foods the line's words find."""
    from .foods.search import apply_synonyms, default_index, search

    kin = list(default_index().twins(food.index))
    for text in dict.fromkeys((parsed.food_text, apply_synonyms(parsed.food_text))):
        kin += [c.food for c in search(text, limit=8, count=True)]
    return piece_of_kin(food, parsed.quantity, parsed.unit, parsed.size, parsed.food_text,
                        list({f.id: f for f in kin}.values()))


def _twin_grams(food: Food, parsed) -> Grams | None:
    """Grams from the measure of another USDA record of the same food
    (:meth:`crampcheck.foods.search.FoodIndex.twins`), when the food has none that fits."""
    from .foods.search import default_index

    if food.portions or not parsed.quantity_given:
        return None  # a food with measures of its own; "salmon": one serving, not a fillet
    if parsed.unit is not None and container_size(food, parsed.unit) is not None:
        return None  # a glass, a bowl: the stated default size is the better guess
    for other in default_index().twins(food.index):
        g = resolve_grams(other, parsed.quantity, parsed.unit, parsed.size, parsed.food_text,
                          amount_given=parsed.quantity_given)
        if g.method in ("portion", "density") and not (g.note or "").startswith("no ") \
                and "unit not stated" not in (g.portion or ""):
            note = (f"no USDA measure for this food: used the measure '{g.portion}' of "
                    f"another USDA record of it, {other.name}")
            return Grams(g.grams, "assumed", g.portion, note)
    return None


def _borrow_measure(food: Food, parsed, fallback):
    """A USDA measure of a closely related food when the matched food has none that fits.

    "1 order" of General Tso chicken matches the survey food "General Tso chicken", which has
    no household measures; SR's "Restaurant, Chinese, general tso's chicken" has an order. Only
    for a measure the line names (not a bare count), and only from a food named with every
    word the person wrote, whose own name starts with the line's head word, with no brand in
    capitals and no form the line did not ask for (a soup mix, a powder). The result stays
    ``assumed`` and its note names the food the measure came from.
    """
    from .foods.search import (
        PREP_WORDS,
        STOPWORDS,
        UNASKED_FORMS,
        default_index,
        search,
        tokens,
    )

    if parsed.unit is None:
        return fallback
    words = {t for t in tokens(parsed.food_text) if t not in STOPWORDS and t not in PREP_WORDS}
    index = default_index()
    from .intake.units import unit_kind

    # the same search as the match's (so it is cached)
    count = unit_kind(parsed.unit) == "count"
    for cand in search(parsed.food_text, limit=6, unit=parsed.unit, count=count,
                       best_only=True):
        other = cand.food
        if other.id == food.id or not other.portions or other.branded:
            continue
        if not words or not words <= set(tokens(other.name)):
            continue  # only a food named with every word the person wrote
        info = index.info(other.index)
        if info.caps or (info.unasked - words) or \
                (set(UNASKED_FORMS) & set(tokens(other.name)) - words):
            continue
        if not words & info.first_segment:
            continue
        g = resolve_grams(other, parsed.quantity, parsed.unit, parsed.size, parsed.food_text)
        if g.method in ("portion", "density"):
            note = (f"no USDA measure for this food: used the measure '{g.portion}' of a "
                    f"similar USDA food, {other.name}")
            return type(fallback)(g.grams, "assumed", g.portion, note)
    return fallback


def nutrients(lines: list[str] | None = None, *, diary: list[DiaryLine] | None = None,
              branded: bool = False, source: str | None = None,
              pins: dict[str, str] | None = None,
              min_confidence: float | None = None) -> NutrientReport:
    """Nutrients in ``lines`` (one food each) or in a parsed diary.

    Parameters
    ----------
    lines : list of str
        Food lines such as ``"1 cup cooked spinach"``.
    diary : list of DiaryLine
        Items from :func:`crampcheck.intake.diary.parse_diary` (day, meal, line number).
    branded : bool
        Match branded products instead of generic foods.
    pins : dict
        The person's own choices (:func:`pin_key` of a phrase -> food id), from the journal.
    min_confidence : float
        Overrides the confidence threshold of ``foods/data/matching.toml``.

    Returns
    -------
    NutrientReport
        Items (grams, nutrients in the units of their keys, confidence), unmatched lines with
        reasons and suggestions, totals (g, mg, µg, kcal per key) and, per nutrient, the items
        that had no value. A meal line ("cereal with milk") gives one item per food.
    """
    items: list[Item] = []
    unmatched: list[Unmatched] = []
    entries = diary if diary is not None else [
        DiaryLine(t, i + 1) for i, t in enumerate(lines or [])]
    for entry in entries:
        for result in analyze_text(entry.text, day=entry.day, line=entry.line, source=source,
                                   branded=branded, meal=entry.meal, time=entry.time,
                                   pins=pins, min_confidence=min_confidence):
            (items if isinstance(result, Item) else unmatched).append(result)
    return NutrientReport(items, unmatched, diary=diary is not None)
