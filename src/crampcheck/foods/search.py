"""Finding the USDA food a person means from the words they wrote, and how sure that is.

Ranking is deterministic and food-aware:

1. Words are normalised (lower case, singular, British/US spellings, abbreviations and
   synonyms from ``data/synonyms.toml``); run-together words are split ("peanutbutter");
   misspelt words are read as the food word with the same consonants ("spinnach") or the
   closest spelling (rapidfuzz) that makes a food with the other words; minor words (sizes,
   shops, brands: ``[minor]``) count little.
2. Candidates are the foods that contain the query's words (an inverted index); each word
   counts by its rarity (inverse document frequency), so "black" in "black beans" matters
   more than "beans".
3. Tie-breaks: the query's head word in the food's own name (its first segment, past class
   heads such as "Nuts," and a chain's name in front); the preparation the text names and,
   when none is named, the form people usually mean; the plainest food (a name's extra words
   count by their rarity, past USDA boilerplate and parentheses); no brand the line does not
   name; "fortified" when asked; foods with household portions; generic before branded.
4. ``data/synonyms.toml`` may also pin a phrase to a food (``[prefer]``): "pumpkin seeds" is
   the dried kernels, "milk" is 2 % fluid milk.

Every candidate has a confidence (0-1): see :meth:`FoodIndex.search`. Branded foods are
searched only on request.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np

from ..lazymod import LazyModule
from .confidence import confidence
from .confidence import method as confidence_method
from .schema import NUTRIENTS
from .store import Food, FoodStore, default_store

# rapidfuzz, imported when a word needs correcting (most lines need none)
fuzz = LazyModule("rapidfuzz.fuzz")
process = LazyModule("rapidfuzz.process")

MINERAL_COLUMNS = (NUTRIENTS.index("calcium_mg"), NUTRIENTS.index("magnesium_mg"))
# confidence by consequence: what a choice between close foods changes (see
# FoodIndex.consequence); two foods are alike when each of these differs by at most
# ALIKE_SHARE of the larger value, or by at most ALIKE_FLOOR mg per 100 g
CONSEQUENCE_COLUMNS = tuple(NUTRIENTS.index(k) for k in
                            ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg"))
ALIKE_SHARE = 0.2
ALIKE_FLOOR = 10.0

PREP_GROUPS: dict[str, str] = {
    "raw": "raw", "fresh": "raw", "uncooked": "raw",
    "cooked": "cooked", "boiled": "cooked", "baked": "cooked", "roasted": "cooked",
    "fried": "cooked", "grilled": "cooked", "steamed": "cooked", "broiled": "cooked",
    "poached": "cooked", "scrambled": "cooked", "stewed": "cooked", "braised": "cooked",
    "microwaved": "cooked", "sauteed": "cooked", "toasted": "cooked", "heat": "cooked",
    "simmered": "cooked", "hard": "cooked",
    "canned": "canned", "frozen": "frozen", "dried": "dried", "dry": "dried",
}
PREP_WORDS = frozenset(PREP_GROUPS)
STOPWORDS = frozenset({"of", "and", "a", "an", "the", "with", "in", "or", "to", "s", "ns", "as",
                       "for", "nfs", "my", "some"})
# Words that stand for a food without naming one ("2 of them", "something sweet"): never read
# as a food word (no "thyme" for "them"), and counted as a word nothing matched
VAGUE_WORDS = frozenset({"them", "it", "this", "that", "these", "those", "thing", "stuff",
                         "something", "anything", "whatever", "lot"})
# Food groups where the unprepared word usually means the cooked food (USDA group names)
COOKED_BY_DEFAULT = ("finfish", "beef", "pork", "poultry", "lamb", "legume", "cereal grains",
                     "pasta", "sausages")
RAW_BY_DEFAULT = ("fruit", "vegetable", "nut and seed")
# How the food was cut or shelled: it rarely changes which food is meant, so these words
# weigh little in matching and are left out of [prefer] keys ("cubed avocado" is avocado).
FORM_WORDS = frozenset({"cubed", "diced", "chopped", "sliced", "halved", "pitted", "shelled",
                        "peeled", "cut", "chunk", "piece", "slice", "floret", "halve",
                        "wedge", "strip", "shredded", "grated", "crumbled", "leaf", "leave",
                        "shell", "hull", "unshelled", "inshell"})
# USDA's boilerplate: words of food names that say little about which food it is. A name's
# other words that the query lacks count against it by their rarity ("Spaghetti, spinach,
# cooked" is not plain spaghetti; "Spaghetti, cooked, enriched, without added salt" is).
NOISE_WORDS = frozenset({"enriched", "unenriched", "commercial", "commercially", "prepared",
                         "variety", "varieties", "all", "average", "year", "round", "regular",
                         "without", "added", "salt", "includes", "include", "type", "style",
                         "n", "nfs", "ns", "mixed", "species", "form", "other", "than",
                         "plain", "whole", "ready", "serve", "eat", "to", "fluid", "vitamin",
                         "a", "d", "usda", "commodity", "fat", "made", "from", "home",
                         "recipe", "solid", "solids", "drained", "liquid", "edible", "portion",
                         "retail", "grade", "choice", "select", "trimmed", "separable",
                         "lean", "only", "fresh", "raw", "cooked", "boiled", "baked",
                         "heat", "dry", "moist", "hot", "cold", "brewed", "peel", "flesh",
                         "tap", "water", "broiler", "fryer"})
FORM_WEIGHT = 0.25
# Words naming a cut or piece of an animal, fish or plant food ("salmon fillet", "tuna steak",
# "chicken breast"): the cut changes how much a piece weighs, not what 100 g of it holds. A
# cut word is never the line's head word while another food word names the food ("tuna" in
# "tuna steak", so "Beef, steak" is no match for it), and a food of that kind whose name lacks
# the cut is not marked down for it in the confidence; the word still counts in the ranking, so
# a food that names the cut ("Chicken, ..., breast, ...") wins when there is one. A cut word
# no USDA name has ("rasher") is left out rather than read as another word ("roasters").
CUT_WORDS = frozenset({"fillet", "filet", "steak", "chop", "breast", "thigh", "drumstick",
                       "wing", "leg", "loin", "rasher", "mince", "cutlet", "portion", "piece",
                       "floret", "half", "slice"})
# Words that say a size, a style or a brand, not which food ([minor] in synonyms.toml): they
# count this much of a food word, matched or not ("double espresso", "oatly oat milk").
MINOR_WEIGHT = 0.15
MISSING_FOOD_WORD = 0.5  # the confidence is multiplied by this for each food word missing
CONTRADICTED_STATE = 0.5  # ... and by this for raw against cooked
# colours are the nouns of a few names ("Turnip greens") but mostly say a variety
COLOURS = frozenset({"green", "red", "white", "black", "yellow", "gold", "golden", "brown",
                     "purple", "pink", "dark", "light"})
WHICH_KIND = 0.5  # ... and by this for a guess between kinds ("curry": beef or chicken?)
UNASKED_FORM = 0.6  # ... and by this for each form the line did not ask for (baby food, a mix)
# a class word ("soup", "juice"): so many foods are named "<food> <word>", so many kinds
CLASS_MIN_KINDS = 8
CLASS_MIN_MODIFIERS = 4
CLASS_MIN_PLAIN = 3  # ... unless this many foods are named by the word alone ("Butter, salted")
CLASS_SPREAD = 0.2  # ... and their minerals differ this much (interquartile range / median)
AMBIGUOUS_GAP = 4.0  # score points: a runner-up this close is a real alternative
PHRASE_BREAKS = frozenset({"in", "with", "without", "on", "from"})
RIVAL_WINDOW = 8.0  # score points: how far behind a runner-up still counts as a rival
# points of likeness (0-100) a correction gains per tenfold more food names using the word
CORRECTION_FREQUENCY = 3.0
CLOSE_SPELLING = 90.0  # likeness at which an unknown word is read as a misspelling, not split
JOIN_MIN_NAMES = 3  # names that must use a joined word ("applesauce") to join two words
MASS_UNITS = frozenset({"g", "mg", "kg", "oz", "lb"})
# a kind of food rather than a food: calcium or magnesium vary this much among its foods
VARIETY_LIMIT = 1.0  # interquartile range over the median
VARIETY_FACTOR = 0.5  # the confidence is multiplied by this
VARIETY_MIN_FOODS = 5
TWIN_RESCORE = 12  # the best this many foods are checked for a twin's measure
HEAD_MODIFIER = 8.0  # score points off a food whose own noun is another: "pita chips"
REVERSED_COMPOUND = 10.0  # score points off a food whose noun is the line's modifier
# class words that are also what the food is ("Soup, beef" is a soup)
HEAD_CLASSES = frozenset({"chicken", "beef", "pork", "lamb", "veal", "turkey", "soup", "fish"})
CATEGORY_NAMES = 5  # a one-word first segment of at least this many names is a category
SHORTLIST = 90  # foods ranked in full for one query
# USDA names that open with a class ("Fish, snapper, …", "Nuts, almonds, …"): the food's
# own head word is in the second segment.
CLASS_HEADS = frozenset({"fish", "nut", "seed", "mollusk", "crustacean", "cereal", "ready",
                         "to", "eat", "beverage", "spice", "snack", "game", "meat",
                         "restaurant", "chinese", "italian", "mexican", "latino", "fast",
                         "food", "entree", "candy", "candie", "dessert", "formulated", "bar",
                         "soup", "beef", "pork", "lamb", "veal", "turkey", "chicken"})

# class words that say no kind ("Fish, salmon"); meats do ("Beef curry", "Chicken curry")
KIND_CLASSES = CLASS_HEADS - {"chicken", "beef", "pork", "lamb", "veal", "turkey"}
UNASKED_FORMS = frozenset({"condensed", "mix", "babyfood", "toddler", "infant", "powder",
                           "dehydrated", "concentrate", "imitation", "substitute"})
SOURCE_RANK = {"SR Legacy": 0, "SR24": 1, "Foundation": 2, "FNDDS": 3, "Branded": 4}
_TOKEN = re.compile(r"[a-z0-9%]+")


IE_PLURALS = frozenset({"cookies", "brownies", "smoothies", "veggies", "pies", "calories",
                        "hoagies", "goodies", "zombies", "sweeties", "pinkies", "ties"})


@cache
def singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-1] if word in IE_PLURALS else word[:-3] + "y"
    if word.endswith("oes") or word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("ves") and word not in ("olives", "chives", "cloves"):
        return word[:-3] + "f"
    if word.endswith("s"):
        return word[:-1]
    return word


@cache
def skeleton(word: str) -> str:
    """The consonants of ``word`` in order, doubled letters once: "spinnach" and "spinach"
    are both "spnch" (misspellings mostly change vowels and double letters)."""
    out = []
    for c in word.rstrip("s") if len(word) > 4 else word:
        if c in "aeiouy":
            continue
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def tokens(text: str) -> list[str]:
    return [singular(t) for t in _TOKEN.findall(text.lower())]


@dataclass(frozen=True)
class Synonyms:
    replace: tuple[tuple[str, str], ...]
    prefer: dict[str, str]
    minor: frozenset[str] = frozenset()


@cache
def synonyms() -> Synonyms:
    path = resources.files("crampcheck.foods").joinpath("data", "synonyms.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs = sorted(doc.get("replace", {}).items(), key=lambda kv: -len(kv[0]))
    prefer = {prefer_key(tokens(apply_replacements(k, pairs))): v
              for k, v in doc.get("prefer", {}).items()}
    minor = frozenset(singular(w.lower()) for w in doc.get("minor", {}).get("words", []))
    return Synonyms(tuple((k.lower(), v.lower()) for k, v in pairs), prefer, minor)


@cache
def _synonym_words() -> frozenset[str]:
    """Single words ``synonyms.toml`` replaces ("wholemeal", "houmous"): never split."""
    return frozenset(singular(old) for old, _ in synonyms().replace if " " not in old) | \
        frozenset(old for old, _ in synonyms().replace if " " not in old)


@cache
def _replacement_pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict]:
    table = {old.lower(): new.lower() for old, new in pairs}
    alts = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9%-])(?:{alts})(?![a-z0-9%-])"), table


def apply_replacements(text: str, pairs) -> str:
    """``text`` with every phrase of ``pairs`` replaced, longest first, in one pass (a
    replacement is never replaced again: "mince pie" -> "pie mince" stays a pie)."""
    out = re.sub(r"[^a-z0-9%-]+", " ", text.lower()).strip()
    pairs = tuple(pairs)
    if not pairs:
        return out
    pattern, table = _replacement_pattern(pairs)
    return pattern.sub(lambda m: table[m.group(0)], out)


def apply_synonyms(text: str) -> str:
    return apply_replacements(text, synonyms().replace)


def prefer_key(toks: list[str], *, minor: bool = True) -> str:
    """Order-free key of a phrase: "baked salmon" and "salmon, baked" are one key. With
    ``minor=False`` the minor words ("plain", a shop's name) are left out too."""
    skip = frozenset() if minor else _minor_words()
    return " ".join(sorted(t for t in toks if t not in STOPWORDS and t not in FORM_WORDS
                           and t not in skip))


@cache
def _minor_words() -> frozenset[str]:
    path = resources.files("crampcheck.foods").joinpath("data", "synonyms.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(singular(w.lower()) for w in doc.get("minor", {}).get("words", []))


@cache
def _usual_preparation(category: str) -> str | None:
    """"cooked" for foods usually eaten cooked (meat, fish, grains…), "raw" for fruit,
    vegetables, nuts and seeds, judged from the USDA food group."""
    cat = category.lower()
    if any(c in cat for c in COOKED_BY_DEFAULT):
        return "cooked"
    if any(c in cat for c in RAW_BY_DEFAULT):
        return "raw"
    return None


PROFILE_COLUMNS = [NUTRIENTS.index(k) for k in ("energy_kcal", "protein_g", "fat_g",
                                                 "carbohydrate_g")]


def _quartiles(values: np.ndarray) -> tuple[float, float, float]:
    """The 25th, 50th and 75th percentiles (linear interpolation, as numpy's default; written
    out because ``np.percentile`` imports a module on first use, ~20 ms)."""
    ordered = np.sort(values)
    last = len(ordered) - 1
    out = []
    for q in (0.25, 0.5, 0.75):
        pos = q * last
        lo = int(pos)
        hi = min(lo + 1, last)
        out.append(float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)))
    return out[0], out[1], out[2]


def _same_profiles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which rows of ``b`` are alike food ``a`` (energy, protein, fat, carbohydrate per
    100 g): energy within a quarter, the others within a third or 3 g (unknown ones pass)."""
    if np.isnan(a[0]):
        return np.zeros(len(b), dtype=bool)
    with np.errstate(invalid="ignore"):
        energy = np.abs(b[:, 0] - a[0]) <= 0.25 * np.maximum(np.maximum(b[:, 0], a[0]), 1.0)
        rest = np.abs(b[:, 1:] - a[1:]) <= np.maximum(3.0, np.maximum(b[:, 1:], a[1:]) / 3.0)
    rest |= np.isnan(b[:, 1:]) | np.isnan(a[1:])
    return energy & rest.all(axis=1)


@dataclass(frozen=True)
class Candidate:
    """A food for the words searched: ``score`` ranks candidates; ``confidence`` (0-1) says
    how sure crampcheck is that the food is what the words mean (see :meth:`FoodIndex.search`)."""

    food: Food
    score: float
    confidence: float = 1.0
    # the evidence the confidence is worked out from (crampcheck.foods.confidence)
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # close foods the choice barely changes the answer for (FoodIndex.consequence)
    alike: tuple[Food, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class FoodInfo:
    """What the ranking needs to know of one food's name (worked out on first use)."""

    tokens: frozenset[str]  # its words, less a brand in front and words after "without"
    all_tokens: frozenset[str]  # its words, less a brand in front
    first_segment: frozenset[str]  # the food's own words: first segment past class heads
    first_plain: frozenset[str]  # ... less class heads and words in capitals
    front: frozenset[str]  # words of the first two segments (not after "from")
    caps: frozenset[str]  # product names in capitals ("CHEERIOS")
    paren_only: frozenset[str]  # words only inside parentheses
    brand_first: bool  # "McDONALD'S, ...", "TACO BELL, ..."
    brands: frozenset[str]
    with_salt: bool
    preps: frozenset[str]
    unasked: frozenset[str]
    # the nouns the food is (English compounds end in their noun): "Snacks, pita chips" is a
    # chip, "Croissants, cheese" a croissant, "Bread, pita" (a category first) bread and pita
    heads: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()  # ... of the first segment alone ("Bread, pita": bread)
    modifiers: frozenset[str] = frozenset()  # the other words of that segment ("peanut")


_CONJUNCT = re.compile(r"\b(?:with|in|on|from|without|w/)\b.*$")


def _segment_heads(segment: str) -> set[str]:
    """The last word of each "and"/"or" part of a name segment, before "with", "in", "on"…:
    "beans and rice" -> bean, rice; "tuna salad sandwich on white" -> sandwich."""
    out = set()
    for part in re.split(r"\b(?:and|or|&)\b|/", _CONJUNCT.sub("", segment)):
        words = [singular(w) for w in _TOKEN.findall(part) if not w.isdigit()]
        words = [w for w in words if w not in STOPWORDS]
        if words:
            out.add(words[-1])
    return out


def food_info(name: str, categories: frozenset[str] = frozenset()) -> FoodInfo:
    low = name.lower()
    segments = low.split(",", 2)
    seg_toks = [[singular(w) for w in _TOKEN.findall(seg)] for seg in segments]
    toks = [t for seg in seg_toks for t in seg]
    # "Caesar Salad without chicken" has no chicken in it
    negated = {singular(w) for part in re.findall(r"\b(?:without|no|non-dairy|nondairy) "
                                                  r"([^,(]+)", low)
               for w in _TOKEN.findall(part)} - {"salt"}
    seg0 = name.split(",", 1)[0]
    letters = [c for c in seg0 if c.isalpha()]
    brand_first = len(segments) > 1 and bool(letters) and \
        sum(c.isupper() for c in letters) >= 0.6 * len(letters)
    rest_toks = {t for seg in seg_toks[1:] for t in seg}
    # a brand in front ("TACO BELL, BURRITO ...") names no food of the query
    brand = set(seg_toks[0]) - rest_toks if brand_first else set()
    tset = frozenset(toks) - negated - brand
    first: set[str] = set()
    for k, seg in enumerate(seg_toks):
        first |= set(seg)
        if not (set(seg) <= CLASS_HEADS or (k == 0 and brand_first)) or k >= 2:
            if len(seg) == 1 and seg[0] in categories and k + 1 < len(segments):
                # a category in front ("Bread, pita"): the kind is the food's own name too
                kind = re.split(r"\bfrom\b|\(", segments[k + 1])[0]
                first |= {singular(w) for w in _TOKEN.findall(kind)} - NOISE_WORDS - \
                    PREP_WORDS - FORM_WORDS
            break
    first -= brand
    # a segment's words after "from" say where the food came from ("from school lunch")
    second = re.split(r"\bfrom\b", segments[1])[0] if len(segments) > 1 else ""
    front = frozenset(first | {singular(w) for w in _TOKEN.findall(second)}) - brand
    caps = {singular(w.lower()) for w in re.findall(r"[A-Za-z]+", name)
            if len(w) > 1 and w.isupper()} - brand
    paren = {singular(w) for part in re.findall(r"\(([^)]*)\)", low)
             for w in _TOKEN.findall(part)}
    outside = {singular(w) for w in _TOKEN.findall(re.sub(r"\([^)]*\)", " ", low))}
    heads: set[str] = set()
    nouns: set[str] = set()
    modifiers: set[str] = set()
    for k, seg in enumerate(seg_toks):
        if set(seg) <= CLASS_HEADS or (k == 0 and brand_first):
            heads |= set(seg) & HEAD_CLASSES  # "Chicken, broilers or fryers, thigh"
            continue
        own = _segment_heads(segments[k] if k < len(segments) else "")
        heads |= own
        nouns = set(heads)
        modifiers = set(seg) - own - STOPWORDS - NOISE_WORDS - PREP_WORDS - FORM_WORDS
        if len(seg) == 1 and seg[0] in categories and k + 1 < len(segments) and \
                not (k + 1 < len(seg_toks) and set(seg_toks[k + 1]) & caps):
            heads |= _segment_heads(re.split(r"\bfrom\b", segments[k + 1])[0]) - \
                NOISE_WORDS - PREP_WORDS - FORM_WORDS
        break
    return FoodInfo(
        heads=frozenset(heads - brand), nouns=frozenset(nouns - brand),
        modifiers=frozenset(modifiers - brand),
        tokens=tset, all_tokens=frozenset(toks) - brand, first_segment=frozenset(first),
        first_plain=frozenset(first - caps - STOPWORDS - CLASS_HEADS), front=front,
        caps=frozenset(caps), paren_only=frozenset(paren - outside), brand_first=brand_first,
        brands=frozenset(brand), with_salt="with salt" in low and "without salt" not in low,
        preps=frozenset(PREP_GROUPS[t] for t in tset & PREP_WORDS),
        unasked=frozenset(tset & UNASKED_FORMS))


@dataclass
class _Query:
    """A search's words as :meth:`FoodIndex._read_query` reads them."""

    spaced: str  # the text with run-together words split ("peanutbutter")
    was_split: bool
    words: list[str]  # every word, after synonyms
    qtoks: list[str]  # the words past stop words, singular
    preps: set[str]  # the preparations named (groups: "cooked", "raw", …)
    minor: frozenset[str]  # words that weigh less (forms, minor words)
    core: list[str]  # the food words, as read (spelling corrected)
    likeness: dict[str, float]  # food word -> how alike to what was written (0-1)
    unknown: int  # words no food has
    read: dict[str, str]  # a word of the line -> the food word it is read as
    # set by FoodIndex._weigh_words and FoodIndex.search
    idf: dict[str, float] = field(default_factory=dict)  # food word -> weight (rarity)
    weight: dict[str, float] = field(default_factory=dict)  # idf, less for a respelt word
    total_idf: float = 0.0  # all words' weight, a word no food has as the rarest
    head: str = ""  # the head word (see FoodIndex._head_word)
    written: list[str] = field(default_factory=list)  # see FoodIndex._written_nouns
    noun: str | None = None  # the compound's noun as written
    qset: set[str] = field(default_factory=set)  # every word of the line and food word


class FoodIndex:
    """Token index over generic food names (:mod:`crampcheck.foods.index`: loaded from a
    build-time artefact). What ranking needs beyond the words of a name is worked out per food
    on first use (:meth:`info`)."""

    def __init__(self, store: FoodStore) -> None:
        self.store = store
        names = store.names
        self._info: list[FoodInfo | None] = [None] * len(names)
        self._posting_arrays: dict[str, np.ndarray] = {}
        self._content: dict[int, tuple[dict[str, float], float]] = {}
        self._twins: dict[int, tuple[Food, ...]] = {}
        self._variety: dict[tuple, float] = {}
        # the names' words (postings, idf, heads, categories...): built at data-build time
        # (foods/index.py, scripts/build_artefacts.py), else worked out here
        from .index import word_index

        words = word_index(names, store.sources)
        self.postings: dict[str, list[int]] = words.postings
        self.n_words: list[int] = words.n_words
        self.n_words_array = np.asarray(self.n_words)
        self.heads: set[str] = words.heads  # words that start a food's name: nouns of foods
        self.categories: frozenset[str] = words.categories
        self.by_name: dict[str, int] = words.by_name
        self.idf: dict[str, float] = words.idf
        self.vocabulary: list[str] = words.vocabulary
        self.skeletons: dict[str, list[str]] = words.skeletons
        self.max_idf: float = words.max_idf
        self._prebuilt_info = words.food_info  # FoodInfo of each food, when built

    def content(self, i: int) -> tuple[dict[str, float], float]:
        """A name's telling words (past boilerplate, prep words and parentheses) with their
        rarity (idf, at most 6), and their sum."""
        found = self._content.get(i)
        if found is None:
            info = self.info(i)
            words = info.all_tokens - STOPWORDS - NOISE_WORDS - PREP_WORDS - info.paren_only
            weights = {t: min(self.idf[t], 6.0) for t in words}
            found = self._content[i] = (weights, math.fsum(weights.values()))
        return found

    def twins(self, i: int) -> tuple[Food, ...]:
        """Other USDA records of the same food that have household measures, plainest first:
        every telling word of food ``i``'s name is in theirs, the same noun, no brand or
        product name in capitals, and energy, protein, fat and carbohydrate alike (so the same
        state, cooked, dry or drained, and not a bun for a burger).
        A survey (FNDDS) food has no measures of its own; "Croissant" is weighed by SR's
        "Croissants, butter", "Cantaloupe, raw" by "Melons, cantaloupe, raw"."""
        found = self._twins.get(i)
        if found is not None:
            return found
        mine_info = self.info(i)
        words = set(self.content(i)[0]) & mine_info.tokens
        out: list[tuple[tuple, Food]] = []
        if words:
            common = None
            for t in sorted(words, key=lambda w: len(self.postings[w])):
                arr = self.posting_array(t)
                common = arr if common is None else np.intersect1d(common, arr,
                                                                   assume_unique=True)
                if len(common) == 0:
                    break
            mine = np.asarray(self.store.values[i, PROFILE_COLUMNS], dtype=float)
            others = np.asarray(common if common is not None else (), dtype=np.int64)
            others = others[others != i]
            if len(others):  # alike in energy and macronutrients (numpy, before any name)
                others = others[_same_profiles(mine, self.store.values[others][:,
                                                                              PROFILE_COLUMNS])]
            for j in (int(x) for x in others):
                if len(out) > 40:
                    break
                food = self.store.food(j)
                if not food.portions or food.branded:
                    continue
                info = self.info(j)
                if info.caps or info.brand_first or \
                        info.unasked - mine_info.unasked or info.preps != mine_info.preps:
                    continue  # (the same state: raw, cooked, canned, dried)
                if not (info.heads & mine_info.heads) or not mine_info.first_plain <= info.tokens:
                    continue  # the same noun: "Corn dogs" is no "Hot dog"
                content, _ = self.content(j)
                extra = math.fsum(w for t, w in content.items() if t not in words)
                out.append(((extra, SOURCE_RANK.get(food.source, 9), len(food.name)), food))
        out.sort(key=lambda r: r[0])
        found = self._twins[i] = tuple(f for _, f in out[:6])
        return found

    def measure_words(self, i: int) -> frozenset[str]:
        """Words of food ``i``'s USDA measures that may name its variety ("cherry" in
        "Tomatoes, red, ripe, raw" 'cup cherry tomatoes'): they match a line's modifier words,
        never its head word."""
        cache_ = self.__dict__.setdefault("_measure_words", {})
        found = cache_.get(i)
        if found is None:
            food = self.store.food(i)
            # a survey food with no measures of its own: those of its twin ("Tomatoes, raw")
            portions = food.portions or (self.twins(i)[0].portions if self.twins(i) else ())
            words = {singular(w) for p in portions
                     for w in _TOKEN.findall(p.label.lower()) if w.isalpha() and len(w) > 2}
            found = cache_[i] = frozenset(words - STOPWORDS - NOISE_WORDS - FORM_WORDS)
        return found

    def _has(self, i: int, word: str, head: str) -> bool:
        """Food ``i``'s name has ``word``, or (a modifier, not the head) one of its measures."""
        return word in self.info(i).tokens or (word != head and word in self.measure_words(i))

    def posting_array(self, word: str) -> np.ndarray:
        found = self._posting_arrays.get(word)
        if found is None:
            found = self._posting_arrays[word] = np.asarray(self.postings.get(word, ()),
                                                            dtype=np.int64)
        return found

    def info(self, i: int) -> FoodInfo:
        cached = self._info[i]
        if cached is None:
            cached = self._info[i] = self._prebuilt_info(i) if self._prebuilt_info else \
                food_info(self.store.names[i], self.categories)
        return cached

    def corrections(self, word: str, original: str | None = None) -> list[tuple[str, float]]:
        """Food-name words ``word`` may have been meant as, best first, with how alike (0-100).

        A word with the same consonants in the same order ("spinnach", "sardeens", "seads":
        vowels and doubled letters are the usual typos) comes first; then rapidfuzz ratio
        (at least 80 for short words, 75 from 6 letters, 70 from 7), then the word more
        food names use."""
        if word in self.postings:
            return [(word, 100.0)]
        if len(word) < 3:
            return []
        if len(word) == 3:  # "mlk": only a word with the same three consonants
            hits = list(self.skeletons.get(skeleton(word), [])) \
                if len(skeleton(word)) == 3 else []
            if not hits:
                # or a doubled letter written once: "egs" is "eggs"
                for k in range(len(original or word)):
                    form = original or word
                    doubled = singular(form[:k + 1] + form[k:])
                    if doubled in self.postings and doubled not in hits:
                        hits.append(doubled)
            return sorted(((h, 85.0) for h in hits), key=lambda kv: -len(self.postings[kv[0]]))
        cutoff = 80.0 if len(word) <= 5 else 75.0 if len(word) == 6 else 70.0
        found: dict[str, float] = {}
        forms = {word, original or word}
        for form in forms:
            for hit, score, _ in process.extract(form, self.vocabulary, scorer=fuzz.ratio,
                                                 score_cutoff=cutoff, limit=5):
                found[hit] = max(found.get(hit, 0.0), score)
        same: dict[str, float] = {}
        for form in forms:
            for hit in self.skeletons.get(skeleton(form), ()):
                if len(skeleton(form)) >= 2 and abs(len(hit) - len(form)) <= 2:
                    real = max(fuzz.ratio(form, hit), fuzz.ratio(form, hit + "s"))
                    same[hit] = max(same.get(hit, 0.0), real)
                    found[hit] = max(found.get(hit, 0.0), real, 85.0)
        # the first letter kept first (typos rarely change it: "almods" is no "limeade"), then
        # the same consonants, then the most alike, a word more food names use counting a
        # little more ("cheries": cherry, not cheerio)
        firsts = {f[:1] for f in forms}

        def rank(kv: tuple[str, float]) -> tuple[bool, bool, float]:
            hit, alike = kv
            common = CORRECTION_FREQUENCY * math.log10(1 + len(self.postings[hit]))
            return (hit[:1] not in firsts, hit not in same, -(same.get(hit, alike) + common))
        return sorted(found.items(), key=rank)

    def correct(self, word: str, original: str | None = None) -> tuple[str, float] | None:
        """The most likely food-name word for ``word`` and how alike they are (0-100)."""
        options = self.corrections(word, original)
        return options[0] if options else None

    def split(self, word: str) -> list[str] | None:
        """A run-together word as two food-name words ("peanutbutter", "oatmilk"), or None.

        Only for a word no food name has; both parts must be words of food names (3+
        letters); among several splits the one whose rarer part is most common wins."""
        if word in self.postings or len(word) < 6 or word in _synonym_words():
            return None
        best: tuple[int, list[str]] | None = None
        for i in range(3, len(word) - 2):
            a, b = word[:i], singular(word[i:])
            if a in self.postings and b in self.postings:
                weight = min(len(self.postings[a]), len(self.postings[b]))
                if best is None or weight > best[0]:
                    best = (weight, [a, b])
        return None if best is None else best[1]

    def split_words(self, text: str) -> str:
        """``text`` with run-together words written apart."""
        return self._split_words(text)[0]

    def _split_words(self, text: str) -> tuple[str, bool]:
        out = []
        split = False
        for raw in re.findall(r"[A-Za-z0-9%'-]+|\S", text):
            low = raw.lower()
            parts = None
            if low.isalpha() and singular(low) not in self.postings and \
                    not self._close_spelling(singular(low), low):
                parts = self.split(singular(low)) or self.split(low)
            split = split or bool(parts)
            out.append(" ".join(parts) if parts else raw)
        return " ".join(self._joined(out)), split

    def _close_spelling(self, word: str, original: str) -> bool:
        """A food word spelt nearly so (same first letter, likeness ``CLOSE_SPELLING`` or
        more): "peacans" is pecans misspelt, not "pea" + "can"."""
        found = self.corrections(word, original)
        return bool(found) and found[0][1] >= CLOSE_SPELLING and found[0][0][:1] == word[:1]

    def _joined(self, words: list[str]) -> list[str]:
        """Two words written apart that food names write as one ("apple sauce" is
        "applesauce", "cup cake" "cupcake"): joined when at least ``JOIN_MIN_NAMES`` names
        use the joined word and more names use it than the two words in that order."""
        out: list[str] = []
        k = 0
        while k < len(words):
            a = words[k].lower()
            b = words[k + 1].lower() if k + 1 < len(words) else ""
            if a.isalpha() and b.isalpha() and len(a) >= 3 and len(b) >= 3:
                one = singular(a + b)
                names = len(self.postings.get(one, ()))
                if names >= JOIN_MIN_NAMES and \
                        names > self._phrase_in_names(singular(a), singular(b)):
                    out.append(a + b)
                    k += 2
                    continue
            out.append(words[k])
            k += 1
        return out

    def _phrase_in_names(self, a: str, b: str) -> int:
        """How many food names have word ``a`` right before word ``b``."""
        if a not in self.postings or b not in self.postings:
            return 0
        both = np.intersect1d(self.posting_array(a), self.posting_array(b),
                              assume_unique=True)
        count = 0
        for i in both[:400]:
            toks = [singular(w) for w in _TOKEN.findall(self.store.names[int(i)].lower())]
            count += any(x == a and y == b for x, y in zip(toks, toks[1:], strict=False))
        return count

    def _read_query(self, text: str) -> _Query:
        """The words of ``text`` as food words: split run-together words, apply the
        synonyms, drop stop words and preparations, and read each other word as the food
        word (or corrected spelling) it most likely is."""
        spaced, was_split = self._split_words(text)
        query = apply_synonyms(spaced)
        words = [w for w in _TOKEN.findall(query.lower())]
        pairs = [(singular(w), w) for w in words if singular(w) not in STOPWORDS]
        qtoks = [t for t, _ in pairs]
        preps = {PREP_GROUPS[t] for t in qtoks if t in PREP_WORDS}
        if "cooked" in preps and "raw" in preps and not {"raw", "uncooked"} & set(qtoks):
            preps.discard("raw")  # "fresh, cooked" kale: fresh means not frozen or canned
        minor = synonyms().minor | FORM_WORDS
        options, origin, unknown = self._word_options(pairs, minor)
        core, likeness, read = self._pick_readings(options, origin)
        return _Query(spaced=spaced, was_split=was_split, words=words, qtoks=qtoks,
                      preps=preps, minor=minor, core=core, likeness=likeness,
                      unknown=unknown, read=read)

    def _word_options(self, pairs: list[tuple[str, str]], minor: frozenset[str]
                      ) -> tuple[list[list[tuple[str, float]]], list[str], int]:
        """For each word of the line that may name a food, the food words it may be read
        as (best first) and the word itself; and how many words no food has."""
        unknown = 0
        options: list[list[tuple[str, float]]] = []
        origin: list[str] = []  # the word of the line each option is for
        for t, original in pairs:
            if t in VAGUE_WORDS:
                unknown += 1
                continue
            if t in PREP_WORDS or ((t in minor or t in CUT_WORDS) and t not in self.postings):
                continue
            found = self.corrections(t, original)
            if not found:
                unknown += 1
            else:
                options.append(found)
                origin.append(t)
        return options, origin, unknown

    def _pick_readings(self, options: list[list[tuple[str, float]]], origin: list[str]
                       ) -> tuple[list[str], dict[str, float], dict[str, str]]:
        """The food words of the line (``core``), how alike each is to what was written,
        and which food word each word of the line is read as."""
        core: list[str] = []
        likeness: dict[str, float] = {}
        # a misspelt word is read as the spelling that makes a food with the other words
        # ("pumpkin seads" is pumpkin seeds, not pumpkin sea)
        sure = {o[0][0] for o in options if o[0][1] >= 100.0}
        read: dict[str, str] = {}  # a word of the line -> the food word it is read as
        for found, said in zip(options, origin, strict=True):
            pick = found[0]
            if pick[1] < 100.0 and len(found) > 1 and sure:
                def together(option: tuple[str, float]) -> tuple[int, float]:
                    hits = set(self.postings[option[0]])
                    return (sum(1 for w in sure if hits & set(self.postings[w])), option[1])
                pick = max(found[:5], key=together)
            read[said] = pick[0]
            if pick[0] not in core:
                core.append(pick[0])
                likeness[pick[0]] = pick[1] / 100.0
        return core, likeness, read

    def _preferred(self, q: _Query) -> str | None:
        """The food name pinned in ``synonyms.toml`` [prefer] for the line's words, if any."""
        prefer = synonyms().prefer
        qtoks, core, preps = q.qtoks, q.core, q.preps
        preferred = prefer.get(prefer_key(qtoks)) or prefer.get(prefer_key(qtoks, minor=False))
        if preferred is None and not q.unknown:
            # (not when a word no food has was left out: "kangaroo steak" is no beef steak)
            grouped = core + sorted(preps)
            preferred = prefer.get(prefer_key(grouped)) or \
                prefer.get(prefer_key(grouped, minor=False))
        if preferred is None and preps and not q.unknown:
            # "cooked white rice": the pin for "white rice" holds if that food is cooked
            plain = prefer.get(prefer_key(core))
            if plain is not None and plain.lower() in self.by_name:
                ptoks = self.info(self.by_name[plain.lower()]).tokens
                if preps <= {PREP_GROUPS[t] for t in ptoks if t in PREP_WORDS}:
                    preferred = plain
        return preferred


    def _weigh_words(self, q: _Query) -> None:
        """Set each food word's weight (its rarity) and the words' total on ``q``."""
        core, likeness = q.core, q.likeness
        # a word no food name has counts as a rare word that nothing matched; a corrected word
        # counts in proportion to how alike it is to what was written
        q.idf = {t: self.idf[t] * (MINOR_WEIGHT if t in q.minor else 1.0) for t in core}
        q.weight = {t: q.idf[t] * (1.0 if likeness[t] >= 1.0 else likeness[t] ** 2)
                    for t in core}
        q.total_idf = math.fsum(q.idf.values()) + q.unknown * self.max_idf

    @staticmethod
    def _head_word(q: _Query) -> str:
        """The line's head word: its last food word, or the last one before "in", "with"…"""
        words = q.words
        heads = [t for t in q.core if t not in q.minor and t not in CUT_WORDS] or \
            [t for t in q.core if t not in q.minor] or q.core
        head = heads[-1]
        # the food is named before "in", "with", "on", "from": "sardines in oil"
        for k, w in enumerate(words):
            if w in PHRASE_BREAKS and k:
                before = {singular(x) for x in words[:k]}
                named = [t for t in heads if t in before and t not in NOISE_WORDS]
                if named:
                    head = named[-1]
                break
        return head

    @staticmethod
    def _written_nouns(q: _Query) -> list[str]:
        """The food words of the compound in the order the person wrote them (before
        synonyms reorder words, and before "in", "with"…); the last is its noun: "milk
        chocolate" is chocolate, "dark chocolate" too."""
        written: list[str] = []
        for w in _TOKEN.findall(q.spaced.lower()):
            if w in PHRASE_BREAKS and written:
                break
            t = q.read.get(singular(w), singular(w))
            if t in q.core and t not in q.minor and t.isalpha():
                written.append(t)
        return written

    def _shortlist(self, q: _Query, preferred: str | None) -> tuple[int | None, list[int]]:
        """The pinned food (if the [prefer] pin holds) and the foods worth ranking in full:
        those that have most of the words or the head word, the plainest first."""
        # every food's share of the words, in one pass over the postings (numpy)
        scores = np.zeros(len(self.n_words))
        for t in q.core:
            scores[self.posting_array(t)] += q.idf[t]
        pinned = None
        if preferred is not None and preferred.lower() in self.by_name:
            pinned = self.by_name[preferred.lower()]
            if self._reversed(pinned, q.noun, q.written):
                pinned = None  # the order-free key of "chocolate milk" is no "milk chocolate"
            else:
                scores[pinned] = q.total_idf
        # first the foods that have most of the words, the plainest first; then the full
        # ranking of those (what a name says beyond its words is worked out only for them)
        keep = scores >= 0.5 * q.total_idf
        keep[self.posting_array(q.head)] = True
        found = np.nonzero(keep)[0]
        order = np.lexsort((self.n_words_array[found], -scores[found]))[:SHORTLIST]
        shortlist = [int(i) for i in found[order]]
        if pinned is not None and pinned not in shortlist:
            shortlist.append(pinned)
        return pinned, shortlist

    def _ranked(self, q: _Query, shortlist: list[int], pinned: int | None, *,
                unit: str | None, count: bool) -> list[tuple[float, int, int, str, int]]:
        """The shortlisted foods scored and sorted, best first: rows of (-score, source
        rank, name length, food id, food index)."""
        out: list[tuple[float, int, int, str, int]] = []
        for i in shortlist:
            s = self._score(i, q, pinned, unit=unit, count=count)
            if s is None:
                continue
            food = self.store.food(i)
            out.append((-s, SOURCE_RANK.get(food.source, 9), len(food.name), food.id, i))
        out.sort()
        return out

    def _score(self, i: int, q: _Query, pinned: int | None, *, unit: str | None,
               count: bool) -> float | None:
        """Food ``i``'s score for the line (``None``: it has too few of the words): its
        share of the words, then points for what its name says beyond them."""
        info = self.info(i)
        ftoks = info.tokens
        head, core, total_idf = q.head, q.core, q.total_idf
        matched = math.fsum(q.idf[t] for t in core if t in ftoks or
                      (t != head and t in self.measure_words(i)))
        coverage = total_idf if i == pinned else matched
        coverage = coverage / total_idf
        if coverage < 0.5 and head not in ftoks:
            return None
        food = self.store.food(i)
        s = 100.0 * coverage
        s = self._name_points(s, i, info, q)
        s = self._product_points(s, info, q.qset)
        if count and not food.portions:
            s -= 4.0  # a count needs a measure to weigh it by
        s = self._preparation_points(s, info, food, q)
        if info.with_salt and "salt" not in core:
            s -= 3.0
        # forms people name when they mean them: "condensed" soup, a soup "mix", baby food
        s -= 6.0 * len(info.unasked - q.qset)
        if food.portions and unit not in MASS_UNITS:  # (grams or ounces weigh any food)
            s += 2.0
            if unit and any(p.unit == unit for p in food.portions):
                s += 3.0
        if food.source == "FNDDS":
            s -= 1.0
        if i == pinned:
            s += 1000.0
        return s

    def _name_points(self, s: float, i: int, info: FoodInfo, q: _Query) -> float:
        """``s`` with points for where the name has the words, less for what else it says."""
        head, qset = q.head, q.qset
        if head in info.first_segment:
            s += 12.0
        elif q.core[0] in info.first_segment:
            s += 6.0
        # the name's words the query lacks count by their rarity, past USDA boilerplate and
        # parentheses: the plainest food of the name wins
        content, content_weight = self.content(i)
        s -= 0.7 * (content_weight - math.fsum(content[t] for t in qset if t in content))
        # another or a more specific food: "Grape leaves" for "grapes"
        s -= 4.0 * len(info.first_plain - qset - PREP_WORDS - FORM_WORDS - NOISE_WORDS)
        if head in info.paren_only:
            s -= 5.0  # "Chicken, skin (drumsticks and thighs)" is no drumstick
        elif head in info.first_segment and info.heads and head not in info.heads and \
                info.heads - qset:
            s -= HEAD_MODIFIER  # "Snacks, pita chips" is a chip, not a pita
        # English compounds end in their noun: a food whose own noun is another word of
        # the line is that other food ("milk chocolate" is no "Milk, chocolate";
        # "cherry tomatoes" are no "Cherries")
        if self._reversed(i, q.noun, q.written):
            s -= REVERSED_COMPOUND
        return s

    @staticmethod
    def _product_points(s: float, info: FoodInfo, qset: set[str]) -> float:
        """``s`` less for a brand's or chain's product the line does not name, more for a
        generic ("NFS") food, and for fortified or unfortified as asked."""
        ftoks = info.tokens
        if info.brand_first and not (info.brands | info.caps) & qset:
            s -= 14.0  # a chain's version only when the chain or product is named
        elif info.caps & info.first_segment and not info.caps & qset:
            s -= 10.0  # "SILK Mocha, soymilk": a brand's product the line does not name
        if "nfs" in ftoks:
            s += 3.0  # FNDDS "not further specified": the generic food
        if "fortified" in qset or "unfortified" in qset:
            # "fortified" selects a fortified food ("added calcium"), "unfortified" not
            fortified = bool({"fortified", "added"} & ftoks) and "unfortified" not in ftoks
            if "unfortified" in qset:
                s += 6.0 if "unfortified" in ftoks else -6.0
            else:
                s += 6.0 if fortified else -6.0
        return s

    @staticmethod
    def _preparation_points(s: float, info: FoodInfo, food: Food, q: _Query) -> float:
        """``s`` with points for the preparation the line names (or, when it names none,
        the food's usual one), less for another."""
        ftoks, fpreps, preps = info.tokens, info.preps, q.preps
        if preps:
            said_preps = set(q.qtoks) & PREP_WORDS
            s += 8.0 * len(preps & fpreps)
            # the very method named: "baked cod" is "baked or broiled", not "fried"
            s += 3.0 * len(said_preps & ftoks)
            s -= 2.0 * len((ftoks & PREP_WORDS) - said_preps - {"raw", "cooked"})
            s -= 3.0 * len(fpreps - preps - {"raw"})
            if "raw" in preps and "cooked" in fpreps:
                s -= 10.0
            if "cooked" in preps and "raw" in fpreps:
                s -= 10.0
            if "cooked" in preps and "cooked" not in fpreps:
                s -= 4.0  # "cooked snapper" is not "Snapper, frozen"
        else:
            usual = _usual_preparation(food.category)
            if usual is not None and usual in fpreps:
                s += 5.0
            s -= 3.0 * len(fpreps & {"canned", "frozen", "dried"})
        return s

    def _rescore_twins(self, out: list[tuple], *, weighed: bool, count: bool) -> None:
        """Re-rank ``out`` in place: a food with no measure of its own (a survey food) that
        another record of the same food can weigh is as good for a count or a cup as that
        record."""
        rescored = False
        for k, row in enumerate(out[:TWIN_RESCORE]):
            food = self.store.food(row[-1])
            if not food.portions and not weighed and self.twins(row[-1]):
                bonus = 2.0 + (4.0 if count else 0.0)
                out[k] = (row[0] - bonus, *row[1:])
                rescored = True
        if rescored:
            out.sort()

    def search(self, text: str, *, limit: int = 5, unit: str | None = None,
               count: bool = False, best_only: bool = False) -> list[Candidate]:
        """Foods for ``text``, best first, each with a confidence (0-1); with ``best_only``
        only the best food's confidence is worked out (the others' is 0: a diary line takes
        the best and lists the others by name).

        The confidence starts from the share of the query's words (weighted by rarity) that
        the food's name has; a word read as another spelling ("spinnach") counts less the
        less alike the two are, and lowers the confidence; a food whose name lacks the
        query's head word (its last food word: "potato" in "jacket potato"), or that only
        shares a corrected word with it, is never confident; words the food's first name
        segment has and the query lacks (a more specific or another food: "Nutella sandwich"
        for "nutella") lower it a little. A phrase pinned in ``synonyms.toml`` [prefer]
        is confident.
        """
        q = self._read_query(text)
        if not q.core:
            return []
        qtoks, preps, minor = q.qtoks, q.preps, q.minor
        core, likeness, was_split = q.core, q.likeness, q.was_split
        preferred = self._preferred(q)
        self._weigh_words(q)
        weight, total_idf = q.weight, q.total_idf
        head = q.head = self._head_word(q)
        q.written = self._written_nouns(q)
        q.noun = q.written[-1] if q.written else None
        qset = q.qset = set(qtoks) | set(core)
        pinned, shortlist = self._shortlist(q, preferred)
        out = self._ranked(q, shortlist, pinned, unit=unit, count=count)
        self._rescore_twins(out, weighed=unit in MASS_UNITS, count=count)
        # the confidence of each food (only the best's when ``best_only``)
        result = []
        for k, row in enumerate(out[:limit]):
            i = row[-1]
            if k and best_only:
                result.append(Candidate(self.store.food(i), -row[0], 0.0))
                continue
            hand = self._confidence(i, core, head, likeness, weight, total_idf, qset,
                                    i == pinned, preps, minor)
            # the evidence in full for the best food only (the one a line takes)
            feats = self._features(i, core, head, likeness, weight, total_idf, qset,
                                   i == pinned, was_split) \
                if k == 0 or confidence_method() == "model" else {}
            alike: tuple[Food, ...] = ()
            if k == 0 and pinned is None:
                hand, alike = self._doubt_best(out, q, hand, feats)
            feats["_hand"] = hand  # the first round's hand-set confidence, for comparison
            result.append(Candidate(self.store.food(i), -row[0], confidence(feats), feats,
                                    alike))
        return result

    def _doubt_best(self, out: list[tuple], q: _Query, hand: float,
                    feats: dict[str, float]) -> tuple[float, tuple[Food, ...]]:
        """The best food's hand-set confidence ``hand`` lowered for the doubts about which
        of the close foods is meant (a close unlike runner-up, a guess between kinds, words
        that name foods of varied minerals), unless every close food gives about the same
        minerals; and those close foods to name. Sets ``rival`` and ``variety`` in
        ``feats``."""
        qset, head, core = q.qset, q.head, q.core
        alike: tuple[Food, ...] = ()
        verdict = self.consequence(out)
        doubt = 1.0  # the doubts about which of the close foods is meant
        if len(out) > 1:
            feats["rival"] = self._rival(out)
            doubt = self._ambiguity(out) * self._which_kind(out, qset)
        # (in the preparation asked for, else the one of the food chosen)
        state = q.preps or self.info(out[0][-1]).preps
        spread = self.variety(tuple(core), head, frozenset(state))
        feats["variety"] = min(spread / 2.0, 1.0)
        if spread >= VARIETY_LIMIT:
            doubt *= VARIETY_FACTOR
        if verdict is not None and verdict[0]:
            # every close food gives about the same minerals: which one it is
            # barely changes the answer, so those doubts are not counted, and the
            # note names the others
            feats["rival"] = feats["variety"] = 0.0
            alike = verdict[1] if doubt < 1.0 else ()
        else:
            hand = round(hand * doubt, 3)
        if len(core) == 1 and self.kind_spread(head) >= CLASS_SPREAD and (
                self.class_word(head) or (verdict is not None and not verdict[0] and
                                          self._adds(out[0][-1], qset))):
            # one word that heads many foods whose minerals differ ("soup": beef soup,
            # tomato soup…; "juice"), or whose best food is one kind of it with an
            # unlike food close ("meat": luncheon meat or a frankfurter?; "bar",
            # "cake"): which one is a guess, whatever the closest foods are
            hand = round(hand * WHICH_KIND, 3)
        return hand, alike

    def _adds(self, i: int, qset: set[str]) -> bool:
        """Whether food ``i``'s first two name segments have a telling word the line lacks
        ("Luncheon meat" for "meat", "Cake, sponge" for "cake")."""
        return bool(self.info(i).front - qset - PREP_WORDS - FORM_WORDS - NOISE_WORDS -
                    STOPWORDS - CLASS_HEADS - COLOURS)

    def alike(self, i: int, j: int) -> bool:
        """Whether foods ``i`` and ``j`` give about the same calcium, magnesium, potassium and
        sodium per 100 g: each differs by at most ``ALIKE_SHARE`` of the larger value, or by
        under ``ALIKE_FLOOR`` mg (1 % of an adult's calcium a day). An unknown value (NaN) is
        never alike."""
        a, b = self.store.values[i], self.store.values[j]
        for col in CONSEQUENCE_COLUMNS:
            x, y = float(a[col]), float(b[col])
            if math.isnan(x) or math.isnan(y):
                return False
            if abs(x - y) > max(ALIKE_SHARE * max(x, y), ALIKE_FLOOR):
                return False
        return True

    def consequence(self, ranked: list[tuple]) -> tuple[bool, tuple[Food, ...]] | None:
        """Confidence by consequence. The close foods are the runners-up scored within
        ``RIVAL_WINDOW`` points of the best. ``None`` when there are none; ``(True, foods)``
        when every one is :meth:`alike` the best (grilled or baked salmon, pork sausage or
        sausage NFS): the choice barely changes the answer, ``foods`` are the other names to
        mention; ``(False, ())`` when one would change it (cheddar or cottage cheese)."""
        best_i, best_s = ranked[0][-1], -ranked[0][0]
        close = [row[-1] for row in ranked[1:6] if best_s - (-row[0]) < RIVAL_WINDOW]
        if not close:
            return None
        if not all(self.alike(best_i, j) for j in close):
            return (False, ())
        names, out = {self.store.names[best_i].lower()}, []
        for j in close:
            if self.store.names[j].lower() not in names:
                names.add(self.store.names[j].lower())
                out.append(self.store.food(j))
        return (True, tuple(out[:3]))

    def _features(self, i: int, core: list[str], head: str, likeness: dict[str, float],
                  weight: dict[str, float], total_idf: float, qset: set[str], pinned: bool,
                  was_split: bool) -> dict[str, float]:
        """The evidence for food ``i`` as the match (see :mod:`crampcheck.foods.confidence`)."""
        info = self.info(i)
        ftoks = info.tokens
        matched = [t for t in core if self._has(i, t, head)]
        content, content_weight = self.content(i)
        said = math.fsum(content[t] for t in qset if t in content)
        extra = info.first_plain - qset - PREP_WORDS - FORM_WORDS - NOISE_WORDS
        respelt = max((1.0 - likeness[t] for t in matched), default=0.0)
        return {
            "cover": math.fsum(weight[t] for t in matched) / total_idf,
            "adds": (content_weight - said) / content_weight if content_weight else 0.0,
            "head": 1.0 if head in info.first_segment and head not in info.paren_only
            else 0.0,
            "no_head": 0.0 if head in ftoks else 1.0,
            "extra": min(len(extra), 3) / 3.0,
            "rival": 0.0,
            "respelt": respelt,
            "split": 1.0 if was_split else 0.0,
            "usual": 1.0 if pinned else 0.0,
            "late": 0.0 if any(t in info.front or t in info.caps for t in matched) else 1.0,
            "one_word": 1.0 if len(core) == 1 else 0.0,
        }

    def variety(self, core: tuple[str, ...], head: str,
                preps: frozenset[str] = frozenset()) -> float:
        """How much the foods the words name differ in calcium and magnesium: among the
        generic foods whose name has every word, whose own noun is the head word and whose
        own name (first segment, past a category) says nothing more ("soup": the soups;
        "butter": no peanut butter), in the preparation asked for, the interquartile range
        of calcium and of magnesium per 100 g over their median (at least 20 mg calcium,
        10 mg magnesium), the larger. 1 or more: the words
        name a kind of food, not a food, and which one matters ("a bowl of soup", "a slice
        of cake")."""
        key = (core, head, preps)
        found = self._variety.get(key)
        if found is not None:
            return found
        common = None
        for t in sorted(core, key=lambda w: len(self.postings.get(w, ()))):
            arr = self.posting_array(t)
            common = arr if common is None else np.intersect1d(common, arr, assume_unique=True)
        ids, kinds = [], []
        for j in (int(x) for x in (common if common is not None else ())):
            info = self.info(j)
            if head not in info.nouns or info.brand_first or info.caps or \
                    not preps <= info.preps:
                continue
            kinds.append(j)
            if info.modifiers - set(core):
                continue  # another food the words are part of: "peanut butter" for "butter"
            ids.append(j)
        if len(ids) < VARIETY_MIN_FOODS:
            # no plain food of that name, or one: the words name a kind ("curry": beef curry,
            # chicken curry, …; "sandwich": only "Sandwich, NFS" is plain)
            ids = kinds
        spread = 0.0
        if len(ids) >= VARIETY_MIN_FOODS:
            values = self.store.values[ids][:, MINERAL_COLUMNS]
            for col, floor in ((0, 20.0), (1, 10.0)):
                known = values[:, col][~np.isnan(values[:, col])]
                if len(known) >= VARIETY_MIN_FOODS:
                    q25, q50, q75 = _quartiles(known)
                    spread = max(spread, float((q75 - q25) / max(q50, floor)))
        self._variety[key] = spread
        return spread

    def _reversed(self, i: int, noun: str | None, written: list[str]) -> bool:
        """Food ``i`` is another word of the line's compound, not its noun: its own name
        (first segment, unless a class such as "Fish,") lacks the noun as written and has
        another word of the line ("Milk, chocolate" for "milk chocolate", "Cherries" for
        "cherry tomatoes", "Fish oil, sardine" for "sardines in oil")."""
        if noun is None or len(written) < 2:
            return False
        segment = self.store.names[i].lower().split(",", 1)[0]
        first_set = {singular(w) for w in _TOKEN.findall(segment)}
        if first_set <= CLASS_HEADS:
            return False
        heads = _segment_heads(segment)
        if noun in heads:
            return False
        others = set(written) - {noun}
        # "Chocolate milk" is milk ("milk chocolate"); "Cherries" has no tomato at all
        return bool(heads & others) or (noun not in first_set and bool(first_set & others))

    def _kinds(self, word: str) -> list[int]:
        """Generic foods whose own noun is ``word`` (no chain or product name)."""
        return [int(j) for j in self.posting_array(word)
                if word in self.info(int(j)).nouns and not self.info(int(j)).brand_first
                and not self.info(int(j)).caps]

    @lru_cache(maxsize=1024)  # noqa: B019 (one index per process)
    def class_word(self, word: str) -> bool:
        """Whether ``word`` names a class of foods rather than a food: at least
        ``CLASS_MIN_KINDS`` foods have it as their noun, most of them with another food's
        name in front ("Soup, beef", "Orange juice", "Sports drink") and at least
        ``CLASS_MIN_MODIFIERS`` different such foods."""
        kinds = self._kinds(word)
        if len(kinds) < CLASS_MIN_KINDS:
            return False
        nouns = self.food_nouns()
        named, others, plain = 0, set(), 0
        for j in kinds:
            found = {t for t in self.info(j).modifiers if t in nouns and t != word}
            if found:
                named += 1
                others |= found
            elif word not in CLASS_HEADS and \
                    {singular(w) for w in _TOKEN.findall(
                        self.store.names[j].lower().split(",", 1)[0])} == {word}:
                plain += 1  # "Butter, salted": the word is a food of its own
        return named >= 0.5 * len(kinds) and len(others) >= CLASS_MIN_MODIFIERS and \
            plain < CLASS_MIN_PLAIN

    @lru_cache(maxsize=1024)  # noqa: B019
    def kind_spread(self, word: str) -> float:
        """How much calcium, magnesium and potassium per 100 g differ among the foods whose
        noun is ``word``: the largest interquartile range over the median."""
        kinds = self._kinds(word)
        spread = 0.0
        if len(kinds) < VARIETY_MIN_FOODS:
            return spread
        columns = [*MINERAL_COLUMNS, NUTRIENTS.index("potassium_mg")]
        values = self.store.values[kinds][:, columns]
        for col, floor in ((0, 20.0), (1, 10.0), (2, 50.0)):
            known = values[:, col][~np.isnan(values[:, col])]
            if len(known) >= VARIETY_MIN_FOODS:
                q25, q50, q75 = _quartiles(known)
                spread = max(spread, float((q75 - q25) / max(q50, floor)))
        return spread

    def _rival(self, ranked: list[tuple]) -> float:
        """How close the closest runner-up is whose calcium or magnesium per 100 g differs by
        more than a third from the best's (1: as good; 0: 8 points or more behind)."""
        best_i, best_s = ranked[0][-1], -ranked[0][0]
        best = self.store.values[best_i]
        for row in ranked[1:6]:
            gap = best_s - (-row[0])
            if gap >= RIVAL_WINDOW:
                break
            other = self.store.values[row[-1]]
            for col in MINERAL_COLUMNS:
                a, b = float(best[col]), float(other[col])
                if math.isnan(a) or math.isnan(b):
                    continue
                if abs(a - b) > max(5.0, max(a, b) / 3.0):
                    return 1.0 - gap / RIVAL_WINDOW
        return 0.0

    def food_nouns(self) -> frozenset[str]:
        """Words that are the noun of some food's name (the last word of a first name
        segment: "beef" in "Beef, ground", "curry" in "Beef curry"): "green" or "gold" are
        not, so "green" against "gold" kiwifruit is no guess between foods."""
        found = getattr(self, "_food_nouns", None)
        if found is None:
            found = set()
            for name in self.store.names:
                head = _TOKEN.findall(name.split(",", 1)[0].lower())
                if head:
                    found.add(singular(head[-1]))
            found = self._food_nouns = frozenset(found) - COLOURS
        return found

    def _which_kind(self, ranked: list[tuple], qset: set[str]) -> float:
        """``WHICH_KIND`` when the best food names a food the line did not ("Beef curry" for
        "curry") and a runner-up as close names another ("Chicken curry"): a guess between
        kinds, whatever their minerals; else 1."""
        def named(i: int) -> frozenset[str]:
            info = self.info(i)
            return frozenset(t for t in info.front - qset - NOISE_WORDS - PREP_WORDS -
                             FORM_WORDS - STOPWORDS - KIND_CLASSES if t in self.food_nouns())

        best_s = -ranked[0][0]
        mine = named(ranked[0][-1])
        if not mine:
            return 1.0
        for row in ranked[1:5]:
            if best_s - (-row[0]) > AMBIGUOUS_GAP:
                break
            theirs = named(row[-1])
            if theirs and not theirs & mine:
                return WHICH_KIND
        return 1.0

    def _ambiguity(self, ranked: list[tuple]) -> float:
        """How much a close runner-up that would change the answer lowers the confidence: a
        food scored within ``AMBIGUOUS_GAP`` points of the best whose calcium or magnesium per
        100 g differs by more than a third ("Bagels, plain, with calcium propionate" or
        "without") makes the best guess less sure, the closer the more."""
        best_i, best_s = ranked[0][-1], -ranked[0][0]
        best = self.store.values[best_i]
        factor = 1.0
        for row in ranked[1:5]:
            gap = best_s - (-row[0])
            if gap > AMBIGUOUS_GAP:
                break
            other = self.store.values[row[-1]]
            for col in MINERAL_COLUMNS:
                a, b = float(best[col]), float(other[col])
                if math.isnan(a) or math.isnan(b):
                    continue
                if abs(a - b) > max(5.0, max(a, b) / 3.0):
                    factor = min(factor, 0.7 + 0.3 * gap / AMBIGUOUS_GAP)
        return factor

    def _confidence(self, i: int, core: list[str], head: str, likeness: dict[str, float],
                    weight: dict[str, float], total_idf: float, qset: set[str],
                    pinned: bool, preps: set[str] = frozenset(),
                    minor: frozenset[str] = frozenset()) -> float:
        if pinned:
            return 0.95
        info = self.info(i)
        ftoks = info.tokens
        matched = [t for t in core if self._has(i, t, head)]
        # a cut the name does not mention, of a food of the line's kind ("Fish, tuna, cooked"
        # for "tuna steak"): the same food, so the cut is left out of the share of words
        cuts = [t for t in core if t in CUT_WORDS and t != head and head in ftoks and
                not self._has(i, t, head)]
        total = total_idf - math.fsum(weight[t] for t in cuts)
        conf = math.fsum(weight[t] for t in matched) / max(total, 1e-9)
        # a food the line names that this food lacks ("cod" in "cod fillet" for "Chicken
        # fillet"): another food, whatever else fits
        for t in core:
            if not self._has(i, t, head) and t in self.heads and t not in minor and \
                    likeness.get(t, 0.0) >= 1.0 and t not in FORM_WORDS and t not in cuts:
                conf *= MISSING_FOOD_WORD
        # the line says cooked and the food is raw, or the other way round
        if ("cooked" in preps and "raw" in info.preps and "cooked" not in info.preps) or \
                ("raw" in preps and "cooked" in info.preps and "raw" not in info.preps):
            conf *= CONTRADICTED_STATE
        if head not in ftoks:
            conf *= 0.5  # the head word is missing: "jacket potato" is no sweetener packet
        elif head in info.paren_only:
            conf *= 0.85  # named only in parentheses: "Cabbage, chinese (pak-choi)"
        if not any(t in info.front or t in info.caps for t in matched):
            conf *= 0.5  # only a word of a later segment: "lunch" is no "..., from school lunch"
        if matched and all(likeness[t] < 0.85 for t in matched):
            conf *= 0.6  # only a doubtful spelling in common
        for t in matched:
            if likeness[t] < 1.0:
                # a misspelling read as a word no food name starts with ("thing" as "thin")
                # or as a brand ("skyr" as SKOR)
                conf *= 0.95 if t in self.heads and t not in info.caps else 0.6
        extra = info.first_plain - qset - PREP_WORDS - FORM_WORDS - NOISE_WORDS
        conf *= 0.9 ** min(len(extra), 3)
        # a form the line did not ask for is another product: baby food, a dry mix, a powder
        conf *= UNASKED_FORM ** len(info.unasked - qset)
        return round(min(1.0, conf), 3)


@cache
def default_index() -> FoodIndex:
    return FoodIndex(default_store())


@cache
def _branded_blob() -> tuple[str, list[int]]:
    """Every branded name in lower case, one per line, and where each line starts."""
    names = default_store().branded.names
    starts, pos = [], 0
    for name in names:
        starts.append(pos)
        pos += len(name) + 1
    return "\n".join(n.lower() for n in names), starts


@cache
def _branded_vocabulary() -> list[str]:
    """The words of branded names (3 letters or more), for correcting a misspelt brand."""
    return sorted(set(re.findall(r"[a-z][a-z0-9]{2,}", _branded_blob()[0])))


@lru_cache(maxsize=512)
def _branded_word_hits(word: str) -> frozenset[int]:
    """Branded names that have ``word`` as a word, or its plural ("cheerio": "Cheerios")."""
    from bisect import bisect_right

    blob, starts = _branded_blob()
    pattern = re.compile(r"(?<![a-z0-9])" + re.escape(word) + r"(?:s|es)?(?![a-z0-9])")
    return frozenset(bisect_right(starts, m.start()) - 1 for m in pattern.finditer(blob))


def search_branded(text: str, *, limit: int = 5) -> list[Candidate]:
    """Branded foods by name (~264,000 names), ranked by the words present, then similarity.

    A product is a candidate when its name has one of the query's words (singular or plural,
    case ignored: "cheerios" finds "Honey Nut Cheerios"; a word no name has is corrected
    against the branded names' words, "cherios" -> "cheerios"). Candidates rank first by the
    share of the query's words they contain, then by rapidfuzz similarity of the whole name,
    then by the shorter name: "cheerios" lists Cheerios products, not "CHEESE TRIOS". The
    score is 70 % word share and 30 % similarity (0-100).
    """
    branded = default_store().branded
    names = branded.names
    qwords = list(dict.fromkeys(singular(w) for w in _TOKEN.findall(text.lower())
                                if w not in STOPWORDS))
    present: dict[int, int] = defaultdict(int)
    words = []
    for w in qwords:
        hits = _branded_word_hits(w)
        if not hits and len(w) >= 4:
            fix = process.extractOne(w, _branded_vocabulary(), scorer=fuzz.ratio,
                                     score_cutoff=80)
            if fix is not None:
                w = singular(fix[0])
                hits = _branded_word_hits(w)
        words.append(w)
        for i in hits:
            present[i] += 1
    if not present:
        return []
    query = " ".join(words)
    pool = sorted(present, key=lambda i: (-present[i], len(names[i]), i))[:5000]
    ranked = []
    for idx in pool:
        covered = present[idx] / len(qwords)
        similarity = fuzz.token_sort_ratio(query, names[idx].lower())
        ranked.append((-covered, -similarity, len(names[idx]), idx))
    ranked.sort()
    return [Candidate(branded.food(idx), 70.0 * -cov + 0.3 * -sim)
            for cov, sim, _n, idx in ranked[:limit]]


def search(text: str, *, limit: int = 5, branded: bool = False,
           unit: str | None = None, count: bool = False,
           best_only: bool = False) -> list[Candidate]:
    """Ranked foods for ``text``: generic foods, or branded ones when ``branded``.
    ``count``: the line counts pieces ("2 kiwis"), so foods with a USDA measure come first.
    ``best_only``: only the best food's confidence is worked out (the others' is 0).

    Generic results are kept for the last few thousand queries: a diary repeats its foods and
    the live preview sends every line again at each keystroke."""
    if branded:
        return search_branded(text, limit=limit)
    return list(_generic(text, limit, unit, count, best_only))


@lru_cache(maxsize=4096)
def _generic(text: str, limit: int, unit: str | None, count: bool,
             best_only: bool = False) -> tuple[Candidate, ...]:
    return tuple(default_index().search(text, limit=limit, unit=unit, count=count,
                                        best_only=best_only))
