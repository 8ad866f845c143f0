"""Finding the USDA food a person means from the words they wrote.

Ranking is deterministic and food-aware:

1. Words are normalised (lower case, singular, British/US spellings and synonyms from
   ``data/synonyms.toml``); misspelt words are corrected against the food vocabulary with
   rapidfuzz.
2. Candidates are the foods that contain the query's words (an inverted index); each word
   counts by its rarity (inverse document frequency), so "black" in "black beans" matters
   more than "beans".
3. Tie-breaks: the query's head word in the food's first segment ("Beans, black, …" for
   "black beans"); the preparation the text names (cooked, raw, canned…) and, when none is
   named, the form people usually mean (raw fruit and vegetables, cooked meat, fish, grains
   and legumes); "without salt" over "with salt"; fewer extra words (the plain form); foods
   with household portions; generic before branded.
4. ``data/synonyms.toml`` may also pin a phrase to a food (``[prefer]``): "pumpkin seeds" is
   the dried kernels, "milk" is 2 % fluid milk.

Branded foods are searched only on request.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from .store import Food, FoodStore, default_store

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
# Food groups where the unprepared word usually means the cooked food (USDA group names)
COOKED_BY_DEFAULT = ("finfish", "beef", "pork", "poultry", "lamb", "legume", "cereal grains",
                     "pasta", "sausages")
RAW_BY_DEFAULT = ("fruit", "vegetable", "nut and seed")
# How the food was cut or shelled: it rarely changes which food is meant, so these words
# weigh little in matching and are left out of [prefer] keys ("cubed avocado" is avocado).
FORM_WORDS = frozenset({"cubed", "diced", "chopped", "sliced", "mashed",
                        "halved", "pitted", "shelled", "peeled", "cut"})
FORM_WEIGHT = 0.25
# USDA names that open with a class ("Fish, snapper, …", "Nuts, almonds, …"): the food's
# own head word is in the second segment.
CLASS_HEADS = frozenset({"fish", "nut", "seed", "mollusk", "crustacean", "cereal", "ready",
                         "to", "eat", "beverage", "spice", "snack", "game", "meat"})

UNASKED_FORMS = frozenset({"condensed", "mix", "babyfood", "toddler", "infant"})
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


def tokens(text: str) -> list[str]:
    return [singular(t) for t in _TOKEN.findall(text.lower())]


@dataclass(frozen=True)
class Synonyms:
    replace: tuple[tuple[str, str], ...]
    prefer: dict[str, str]


@cache
def synonyms() -> Synonyms:
    path = resources.files("crampcheck.foods").joinpath("data", "synonyms.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs = sorted(doc.get("replace", {}).items(), key=lambda kv: -len(kv[0]))
    prefer = {prefer_key(tokens(apply_replacements(k, pairs))): v
              for k, v in doc.get("prefer", {}).items()}
    return Synonyms(tuple((k.lower(), v.lower()) for k, v in pairs), prefer)


def apply_replacements(text: str, pairs) -> str:
    out = " " + re.sub(r"[^a-z0-9%-]+", " ", text.lower()) + " "
    for old, new in pairs:
        out = out.replace(f" {old.lower()} ", f" {new.lower()} ")
    return out.strip()


def apply_synonyms(text: str) -> str:
    return apply_replacements(text, synonyms().replace)


def prefer_key(toks: list[str]) -> str:
    """Order-free key of a phrase: "baked salmon" and "salmon, baked" are one key."""
    return " ".join(sorted(t for t in toks if t not in STOPWORDS and t not in FORM_WORDS))


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


@dataclass(frozen=True)
class Candidate:
    food: Food
    score: float


class FoodIndex:
    """Token index over generic food names (built once, ~0.1 s)."""

    def __init__(self, store: FoodStore) -> None:
        self.store = store
        names = store.names
        self.food_tokens: list[frozenset[str]] = []
        self.first_segment: list[frozenset[str]] = []
        self.n_words: list[int] = []
        self.with_salt: list[bool] = []
        self.preps: list[frozenset[str]] = []
        self.unasked: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        postings = self.postings
        for i, name in enumerate(names):
            low = name.lower()
            segments = low.split(",", 2)
            # tokens of the whole name; the first segment's are a prefix of them
            seg_words = [_TOKEN.findall(seg) for seg in segments[:2]]
            words = _TOKEN.findall(low)
            toks = [singular(w) for w in words]
            tset = frozenset(toks)
            self.food_tokens.append(tset)
            first = frozenset(toks[: len(seg_words[0])])
            if len(segments) > 1 and first <= CLASS_HEADS:
                first = first | frozenset(toks[len(seg_words[0]): len(seg_words[0])
                                               + len(seg_words[1])])
            self.first_segment.append(first)
            self.n_words.append(len(tset - STOPWORDS))
            self.with_salt.append("with salt" in low and "without salt" not in low)
            self.preps.append(frozenset(PREP_GROUPS[t] for t in tset & PREP_WORDS))
            self.unasked.append(frozenset(tset & UNASKED_FORMS))
            for t in tset:
                postings[t].append(i)
        self.by_name: dict[str, int] = {}
        sources = store.sources
        for i in sorted(range(len(names)), key=lambda j: SOURCE_RANK.get(sources[j], 9),
                        reverse=True):
            self.by_name[names[i].lower()] = i
        n = len(names)
        self.idf = {t: math.log(1 + n / len(p)) for t, p in self.postings.items()}
        self.vocabulary = sorted(self.postings)
        self.max_idf = math.log(1 + n)

    def correct(self, word: str) -> str | None:
        if word in self.postings:
            return word
        if len(word) < 4:
            return None
        hit = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        return hit[0] if hit else None

    def search(self, text: str, *, limit: int = 5, unit: str | None = None) -> list[Candidate]:
        query = apply_synonyms(text)
        qtoks = [t for t in tokens(query) if t not in STOPWORDS]
        preps = {PREP_GROUPS[t] for t in qtoks if t in PREP_WORDS}
        if "cooked" in preps and "raw" in preps and not {"raw", "uncooked"} & set(qtoks):
            preps.discard("raw")  # "fresh, cooked" kale: fresh means not frozen or canned
        core_raw = [t for t in qtoks if t not in PREP_WORDS]
        core: list[str] = []
        unknown = 0
        for t in core_raw:
            if t in FORM_WORDS and t not in self.postings:
                continue
            c = self.correct(t)
            if c is None:
                unknown += 1
            elif c not in core:
                core.append(c)
        if not core:
            return []
        prefer = synonyms().prefer
        preferred = prefer.get(prefer_key(qtoks))
        if preferred is None:
            grouped = core + sorted(preps)
            preferred = prefer.get(prefer_key(grouped))
        if preferred is None and preps:
            # "cooked white rice": the pin for "white rice" holds if that food is cooked
            plain = prefer.get(prefer_key(core))
            if plain is not None and plain.lower() in self.by_name:
                ptoks = self.food_tokens[self.by_name[plain.lower()]]
                if preps <= {PREP_GROUPS[t] for t in ptoks if t in PREP_WORDS}:
                    preferred = plain
        # a word no food name has counts as a rare word that nothing matched
        total_idf = sum(self.idf[t] for t in core) + unknown * self.max_idf
        head = core[-1]
        scores: dict[int, float] = defaultdict(float)
        for t in core:
            for i in self.postings[t]:
                scores[i] += self.idf[t]
        if preferred is not None and preferred.lower() in self.by_name:
            scores[self.by_name[preferred.lower()]] = total_idf
        qset = set(qtoks) | set(core)
        out: list[tuple[float, int, int, str, int]] = []
        for i, matched in scores.items():
            coverage = matched / total_idf
            if coverage < 0.5:
                continue
            food = self.store.food(i)
            ftoks = self.food_tokens[i]
            s = 100.0 * coverage
            if head in self.first_segment[i]:
                s += 12.0
            elif core[0] in self.first_segment[i]:
                s += 6.0
            extra = self.n_words[i] - len([t for t in core if t in ftoks])
            s -= 1.5 * max(0, extra)
            fpreps = self.preps[i]
            if preps:
                s += 8.0 * len(preps & fpreps)
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
            if self.with_salt[i] and "salt" not in core:
                s -= 3.0
            # forms people name when they mean them: "condensed" soup, a soup "mix", baby food
            s -= 6.0 * len((self.unasked[i]) - qset)
            if food.portions:
                s += 2.0
                if unit and any(p.unit == unit for p in food.portions):
                    s += 3.0
            if food.source == "FNDDS":
                s -= 1.0
            if preferred and food.name.lower() == preferred.lower():
                s += 1000.0
            out.append((-s, SOURCE_RANK.get(food.source, 9), len(food.name), food.id, i))
        out.sort()
        return [Candidate(self.store.food(i), -row[0]) for row in out[:limit]
                for i in (row[-1],)]


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
           unit: str | None = None) -> list[Candidate]:
    """Ranked foods for ``text``: generic foods, or branded ones when ``branded``."""
    if branded:
        return search_branded(text, limit=limit)
    return default_index().search(text, limit=limit, unit=unit)
