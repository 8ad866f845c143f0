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
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InputError
from .foods.schema import NUTRIENTS
from .foods.search import Candidate, search
from .foods.store import Food, default_store
from .intake.amounts import parse_amount
from .intake.diary import DiaryLine
from .intake.grams import container_size, resolve_grams

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "food": self.food.ref(),
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

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason}


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


def analyze_line(text: str, *, day: str | None = None, line: int | None = None,
                 source: str | None = None, branded: bool = False,
                 meal: str | None = None, time: str | None = None) -> Item | Unmatched:
    """One line of food text to an :class:`Item`, or :class:`Unmatched` with the reason.

    Raises
    ------
    InputError
        For an amount that cannot be right: zero, negative, or over 5 kg of one food.
    """
    if re.match(r"^\s*-\s*\d", text) and not re.match(r"^\s*-\s+\d", text):
        raise InputError(f"negative amount in '{text}'", line=line, source=source)
    parsed = parse_amount(text)
    if parsed.quantity_given and parsed.quantity <= 0:
        raise InputError(f"the amount in '{text}' is zero", line=line, source=source)
    if not parsed.food_text:
        return Unmatched(text, "no food named", day, line)
    candidates: list[Candidate] = []
    extra_notes: list[str] = []
    if not branded:
        candidates = search(parsed.food_text, limit=4, unit=parsed.unit)
        joined = _JOINED.search(parsed.food_text)
        if joined and candidates and not _names_both(candidates[0].food, parsed.food_text,
                                                     joined.group(1).lower()):
            head, rest = parsed.food_text[:joined.start()], parsed.food_text[joined.end():]
            if joined.group(1).lower() == "and":
                return Unmatched(
                    text, f"'{parsed.food_text}' names two foods and no USDA food is both: "
                    f"write '{head}' and '{rest}' on lines of their own", day, line)
            head_hits = search(head, limit=4, unit=parsed.unit)
            if head_hits:
                candidates = head_hits
                parsed = replace(parsed, food_text=head)
                extra_notes.append(f"'with {rest}' is not counted: write '{rest}' on a line "
                                   "of its own to count it")
    if branded or names_brand(parsed.food_text):
        brand_hits = _prefer_portion(search(parsed.food_text, limit=8, branded=True),
                                     parsed.unit, parsed.food_text)[:4]
        if brand_hits and (branded or not candidates or brand_hits[0].score >= 70):
            candidates = brand_hits
    if not candidates:
        return Unmatched(text, f"no USDA food matches '{parsed.food_text}'", day, line)
    food = candidates[0].food
    grams = resolve_grams(food, parsed.quantity, parsed.unit, parsed.size, parsed.food_text)
    if grams.method == "assumed" and not food.branded:
        default = container_size(food, parsed.unit)
        if default is None:
            grams = _borrow_measure(food, parsed, grams)
        else:
            # "a bowl of cereal" is 1 cup of it: a similar food's cup when this one has none
            expanded = replace(parsed, quantity=parsed.quantity * default.quantity,
                               unit=default.unit, size=None)
            inner = resolve_grams(food, expanded.quantity, expanded.unit, None,
                                  parsed.food_text)
            if inner.method == "assumed":
                borrowed = _borrow_measure(food, expanded, inner)
                if borrowed is not inner:
                    grams = type(grams)(borrowed.grams, "assumed", borrowed.portion,
                                        f"{default.basis}; {borrowed.note}")
    if not math.isfinite(grams.grams) or grams.grams > MAX_GRAMS_PER_ITEM:
        raise InputError(
            f"'{text}' comes to {grams.grams:,.0f} g of {food.name}; more than "
            f"{MAX_GRAMS_PER_ITEM:,.0f} g in one line looks like a typing error",
            line=line, source=source)
    notes = list(parsed.notes) + extra_notes
    if grams.note:
        notes.append(grams.note)
    if not parsed.quantity_given:
        notes.append("no amount given: counted as 1")
    per100 = default_store().per_100g(food)
    return Item(
        text=text, food=food, quantity=parsed.quantity, unit=parsed.unit or parsed.size,
        grams=grams.grams, grams_method=grams.method, day=day,
        alternatives=[c.food for c in candidates[1:]], nutrients=scale(per100, grams.grams),
        notes=notes, meal=meal, time=time, line=line)


_JOINED = re.compile(r"\s(with|and)\s", re.IGNORECASE)


def _names_both(food: Food, food_text: str, joiner: str) -> bool:
    """Whether ``food`` may be the dish "X with Y" / "X and Y" itself.

    "with": its USDA name joins parts with "with" too ("Chicken curry with rice", "Tea, hot,
    with milk", "Tofu, …, prepared with calcium sulfate"), not "Peanut Butter Toast Crunch"
    for toast with butter. "and": its name has a word from each side ("fish and chips" is not
    "Snacks, taro chips").
    """
    from .foods.search import STOPWORDS, apply_synonyms, tokens

    name = set(tokens(food.name))
    if joiner == "with":
        return "with" in name
    sides = [{t for t in tokens(apply_synonyms(part)) if t not in STOPWORDS}
             for part in _JOINED.split(food_text, maxsplit=1)[::2]]
    return all(side & name for side in sides if side)


def _borrow_measure(food: Food, parsed, fallback):
    """A USDA measure of a closely related food when the matched food has none that fits.

    "1 fillet salmon" matches the survey food "Fish, salmon, baked or broiled", which has no
    household measures; SR's "Fish, salmon, sockeye, cooked" has a fillet. The result stays
    ``assumed`` and its note names the food the measure came from.
    """
    from .foods.search import PREP_WORDS, STOPWORDS, search, tokens

    words = {t for t in tokens(parsed.food_text) if t not in STOPWORDS and t not in PREP_WORDS}
    for cand in search(parsed.food_text, limit=30, unit=parsed.unit):
        other = cand.food
        if other.id == food.id or not other.portions:
            continue
        if not words or not words <= set(tokens(other.name)):
            continue  # only a food named with every word the person wrote
        g = resolve_grams(other, parsed.quantity, parsed.unit, parsed.size, parsed.food_text)
        if g.method in ("portion", "density"):
            note = (f"no USDA measure for this food: used the measure '{g.portion}' of a "
                    f"similar USDA food, {other.name}")
            return type(fallback)(g.grams, "assumed", g.portion, note)
    return fallback


def nutrients(lines: list[str] | None = None, *, diary: list[DiaryLine] | None = None,
              branded: bool = False, source: str | None = None) -> NutrientReport:
    """Nutrients in ``lines`` (one food each) or in a parsed diary.

    Parameters
    ----------
    lines : list of str
        Food lines such as ``"1 cup cooked spinach"``.
    diary : list of DiaryLine
        Items from :func:`crampcheck.intake.diary.parse_diary` (day, meal, line number).
    branded : bool
        Match branded products instead of generic foods.

    Returns
    -------
    NutrientReport
        Items (grams, nutrients in the units of their keys), unmatched lines with reasons,
        totals (g, mg, µg, kcal per key) and, per nutrient, the items that had no value.
    """
    items: list[Item] = []
    unmatched: list[Unmatched] = []
    entries = diary if diary is not None else [
        DiaryLine(t, i + 1) for i, t in enumerate(lines or [])]
    for entry in entries:
        result = analyze_line(entry.text, day=entry.day, line=entry.line, source=source,
                              branded=branded, meal=entry.meal, time=entry.time)
        (items if isinstance(result, Item) else unmatched).append(result)
    return NutrientReport(items, unmatched, diary=diary is not None)
