"""Medicines: match free text ("Lasix 40 mg daily", "HCTZ", "the pill") to medication classes.

The classes, their generic members, brand names and effects live in
``knowledge/data/medications.toml``; this module loads them once, checks them, and matches text
against every name (generic, other spelling, brand, combination product, class word).

Matching is deterministic:

1. the text is normalised (lower case, accents and punctuation removed, letters split from
   digits, so ``"40mg"`` becomes ``"40 mg"``);
2. every known name that occurs in it as whole words is taken, longest names first and without
   overlap, so ``"Prilosec OTC 20mg"`` matches ``Prilosec OTC`` and ``"lisinopril/HCTZ"``
   matches both lisinopril and hydrochlorothiazide;
3. words left over (not doses, units or frequency words) are compared with the names by
   rapidfuzz's normalised Indel similarity (``fuzz.ratio``), keeping the best score of at least
   :data:`FUZZY_CUTOFF`; this catches misspellings such as ``"atorvastatn"``.

References
----------
.. [1] U.S. Food and Drug Administration. FDA Drug Safety Communication: Low magnesium levels
   can be associated with long-term use of Proton Pump Inhibitor drugs (PPIs). 2011.
.. [2] NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals,
   interactions with medications.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import KnowledgeError
from ..models import SEVERITIES, Citation
from . import by_id, citations, load, parse_entries

KNOWLEDGE_FILE = "medications"
NUTRIENTS: tuple[str, ...] = ("calcium", "magnesium", "potassium", "sodium", "vitamin_d")
DIRECTIONS: tuple[str, ...] = ("lower", "raise")
STRENGTHS: tuple[str, ...] = ("strong", "moderate", "weak")

#: Minimum rapidfuzz ``fuzz.ratio`` (0-100) for a misspelled word to count as a name.
FUZZY_CUTOFF = 85.0
#: Words shorter than this are never matched approximately (too many near neighbours).
FUZZY_MIN_LENGTH = 5

# Words that describe how a medicine is taken, not which one it is.
NOISE_WORDS: frozenset[str] = frozenset(
    """
    mg mcg ug µg g gram grams ml milligram milligrams microgram micrograms iu unit units
    mmol meq percent tab tabs tablet tablets cap caps capsule capsules pill pills dose doses
    daily day days a an the per each every once twice thrice times x qd od bd bid tid qid qds
    tds prn qhs hs nocte mane am pm morning mornings evening evenings night nights bedtime
    at in on of with without and plus or for my to as needed when before after food meal
    meals weekly week month monthly year years injection injections inhaled inhaler puff
    puffs spray oral po iv im sc subcut patch cream gel drops liquid solution suspension
    extended release er xr xl sr cr dr la ec mr hr otc generic take takes taking taken
    half quarter one two three four five six seven eight nine ten about approx approximately
    """.split()
)


# --------------------------------------------------------------------------------------------
# text helpers (also used by conditions.py and red_flags.py)
# --------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    Accents are dropped, apostrophes removed (``"Crohn's"`` → ``"crohns"``), any other
    non-alphanumeric character becomes a space, and letters are split from digits
    (``"40mg"`` → ``"40 mg"``, ``"CKD3a"`` → ``"ckd 3 a"``).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = ascii_text.lower()
    lowered = re.sub(r"['`\u2019]", "", lowered)
    lowered = re.sub(r"[^a-z0-9]+", " ", lowered)
    lowered = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", lowered)
    return " ".join(lowered.split())


def _is_noise(token: str) -> bool:
    return token in NOISE_WORDS or bool(re.fullmatch(r"[0-9]+", token))


def find_names(
    tokens: Sequence[str], keys: dict[tuple[str, ...], Any]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Whole-word occurrences of known names in ``tokens``, longest first, without overlap.

    Parameters
    ----------
    tokens : sequence of str
        The normalised words of the text.
    keys : dict
        Known names, each as a tuple of normalised words.

    Returns
    -------
    list of (start, end, key)
        Token spans (``end`` exclusive), in text order.
    """
    by_length = sorted(keys, key=lambda k: (-len(k), k))
    used = [False] * len(tokens)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for key in by_length:
        n = len(key)
        for start in range(len(tokens) - n + 1):
            if tuple(tokens[start : start + n]) != key:
                continue
            if any(used[start : start + n]):
                continue
            for i in range(start, start + n):
                used[i] = True
            found.append((start, start + n, key))
    found.sort()
    return found


def fuzzy_name(
    tokens: Sequence[str], choices: Sequence[str], cutoff: float = FUZZY_CUTOFF
) -> tuple[str, float, int, int] | None:
    """Best approximate match of a run of 1-3 ``tokens`` against ``choices``.

    Runs shorter than :data:`FUZZY_MIN_LENGTH` characters are skipped. Ties are broken by the
    longer run, then by the earlier run, then by the choice's position (``choices`` should be
    sorted for a deterministic answer).

    Returns
    -------
    (choice, score, start, end) or None
        ``score`` is rapidfuzz ``fuzz.ratio`` (0-100); ``end`` is exclusive.
    """
    best: tuple[float, int, int, int, str] | None = None
    for n in (3, 2, 1):
        for start in range(len(tokens) - n + 1):
            run = " ".join(tokens[start : start + n])
            if len(run.replace(" ", "")) < FUZZY_MIN_LENGTH:
                continue
            hit = process.extractOne(run, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit is None:
                continue
            choice, score, _ = hit
            rank = (score, n, -start)
            if best is None or rank > (best[0], best[1], -best[2]):
                best = (score, n, start, start + n, choice)
    if best is None:
        return None
    score, _n, start, end, choice = best
    return choice, score, start, end


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    out: list[Any] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# --------------------------------------------------------------------------------------------
# data classes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What a medicine (or condition) does to one nutrient.

    Attributes
    ----------
    nutrient : str
        ``calcium``, ``magnesium``, ``potassium``, ``sodium`` or ``vitamin_d``.
    direction : str
        ``lower`` (the body's level tends to fall) or ``raise``.
    mechanism : str
        How, in plain words.
    strength : str
        ``strong``, ``moderate`` or ``weak``: how well established and how large.
    citations : tuple of Citation
        The evidence for this effect (the entry's own, unless the effect names its own source).
    """

    nutrient: str
    direction: str
    mechanism: str
    strength: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Interaction:
    """Minerals that block a medicine's absorption, and how many hours apart to take them.

    Attributes
    ----------
    minerals : tuple of str
        Minerals that bind the medicine in the gut.
    take_drug_hours_before : float or None
        Take the medicine at least this many hours (h) before the mineral; None: not given.
    take_drug_hours_after : float or None
        Or at least this many hours (h) after it; None: not given.
    advice : str
        The spacing advice in plain words, as it should appear in a finding.
    """

    minerals: tuple[str, ...]
    take_drug_hours_before: float | None
    take_drug_hours_after: float | None
    advice: str


@dataclass(frozen=True)
class CrampRisk:
    """Whether the class itself is linked to cramps or muscle symptoms (``flag``) and how."""

    flag: bool
    note: str = ""


@dataclass(frozen=True)
class MedicationClass:
    """One medication class from ``medications.toml`` with its fields typed."""

    id: str
    name: str
    members: tuple[str, ...]
    brands: dict[str, str]
    aliases: dict[str, str]
    terms: tuple[str, ...]
    severity: str
    note: str
    article_class: str | None
    effects: tuple[Effect, ...]
    cramp_risk: CrampRisk
    interaction: Interaction | None
    interaction_by_member: dict[str, Interaction]
    citations: tuple[Citation, ...]
    grade: str

    def affects(self) -> list[str]:
        """Nutrients this class changes, in file order."""
        return _unique(e.nutrient for e in self.effects)

    def effect_on(self, nutrient: str) -> Effect | None:
        """The effect on one nutrient, or None."""
        for effect in self.effects:
            if effect.nutrient == nutrient:
                return effect
        return None

    def interaction_for(self, generic: str | None = None) -> Interaction | None:
        """The spacing advice for one member (its own override if it has one)."""
        if generic is not None and generic in self.interaction_by_member:
            return self.interaction_by_member[generic]
        return self.interaction


@dataclass(frozen=True)
class MedicationMatch:
    """The result of matching one free-text medicine.

    Attributes
    ----------
    text : str
        The text as given.
    name : str
        Canonical generic name (``"furosemide"``); several joined by ``" / "`` for a combination
        or several medicines; the class name when only a class word matched (``"the pill"``).
    matched : str
        The name in the knowledge base that matched, as written there (``"Lasix"``).
    classes : list of MedicationClass
        Every class the medicine(s) belong to.
    citations : list of Citation
        Evidence for the classes (and the combination product, if any).
    generics : list of str
        The generic names found (empty when only a class word matched).
    fuzzy : bool
        True when the match came from approximate spelling.
    score : float
        100 for exact matches; the rapidfuzz score otherwise.
    """

    text: str
    name: str
    matched: str
    classes: list[MedicationClass]
    citations: list[Citation]
    generics: list[str] = field(default_factory=list)
    fuzzy: bool = False
    score: float = 100.0

    def affects(self) -> list[str]:
        """Nutrients changed by any of the matched classes."""
        return _unique(n for c in self.classes for n in c.affects())

    def class_ids(self) -> list[str]:
        return [c.id for c in self.classes]

    def interactions(self) -> list[tuple[MedicationClass, Interaction]]:
        """Spacing advice that applies, resolved for the matched generics."""
        out: list[tuple[MedicationClass, Interaction]] = []
        for cls in self.classes:
            members = [g for g in self.generics if g in cls.members] or [None]
            for generic in members:
                interaction = cls.interaction_for(generic)
                if interaction is not None and (cls, interaction) not in out:
                    out.append((cls, interaction))
        return out

    @property
    def cramp_risk(self) -> bool:
        """True when any matched class is itself linked to cramps or muscle symptoms."""
        return any(c.cramp_risk.flag for c in self.classes)

    @property
    def severity(self) -> str:
        """The highest severity hint among the matched classes."""
        return max((c.severity for c in self.classes), key=SEVERITIES.index, default="info")


@dataclass(frozen=True)
class _Name:
    display: str
    generics: tuple[str, ...]
    class_ids: tuple[str, ...]
    kind: str  # generic | alias | brand | combination | term
    citations: tuple[Citation, ...] = ()


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def parse_effects(raw: list[dict[str, Any]], parent: dict[str, Any], where: str) -> tuple:
    """Build :class:`Effect` objects, checking the vocabulary (shared with conditions.py)."""
    effects = []
    for i, item in enumerate(raw):
        nutrient, direction, strength = item["nutrient"], item["direction"], item["strength"]
        if nutrient not in NUTRIENTS:
            raise KnowledgeError(f"{where}.effects[{i}]: unknown nutrient {nutrient!r}")
        if direction not in DIRECTIONS:
            raise KnowledgeError(f"{where}.effects[{i}]: direction must be lower or raise")
        if strength not in STRENGTHS:
            raise KnowledgeError(f"{where}.effects[{i}]: strength must be strong|moderate|weak")
        own = {"source": item.get("source", parent.get("source")),
               "grade": item.get("grade", parent.get("grade"))}
        effects.append(
            Effect(nutrient, direction, item["mechanism"], strength, tuple(citations(own)))
        )
    return tuple(effects)


def _hours(value: Any) -> float | None:
    return None if value is None else float(value)


def _parse_interaction(raw: dict[str, Any] | None, base: Interaction | None = None):
    if raw is None:
        return None
    return Interaction(
        minerals=tuple(raw.get("minerals", base.minerals if base else ())),
        take_drug_hours_before=_hours(
            raw.get("take_drug_hours_before", base.take_drug_hours_before if base else None)
        ),
        take_drug_hours_after=_hours(
            raw.get("take_drug_hours_after", base.take_drug_hours_after if base else None)
        ),
        advice=raw.get("advice", base.advice if base else ""),
    )


def _parse_class(raw: dict[str, Any]) -> MedicationClass:
    where = f"{KNOWLEDGE_FILE}.toml {raw.get('id', '?')}"
    members = tuple(raw.get("members", []))
    brands = dict(raw.get("brands", {}))
    aliases = dict(raw.get("aliases", {}))
    for kind, table in (("brand", brands), ("alias", aliases)):
        for key, generic in table.items():
            if generic not in members:
                raise KnowledgeError(f"{where}: {kind} {key!r} names {generic!r}, not a member")
    severity = raw.get("severity", "info")
    if severity not in SEVERITIES[:4]:
        raise KnowledgeError(f"{where}: severity must be info, low, moderate or high")
    interaction = _parse_interaction(raw.get("interaction"))
    by_member_raw = (raw.get("interaction") or {}).get("by_member", {})
    by_member = {}
    for generic, override in by_member_raw.items():
        if generic not in members:
            raise KnowledgeError(f"{where}: interaction override for non-member {generic!r}")
        by_member[generic] = _parse_interaction(override, interaction)
    cramp = raw.get("cramp_risk", {})
    return MedicationClass(
        id=raw["id"],
        name=raw["name"],
        members=members,
        brands=brands,
        aliases=aliases,
        terms=tuple(raw.get("terms", [])),
        severity=severity,
        note=raw.get("note", ""),
        article_class=raw.get("article_class"),
        effects=parse_effects(raw.get("effects", []), raw, where),
        cramp_risk=CrampRisk(bool(cramp.get("flag", False)), cramp.get("note", "")),
        interaction=interaction,
        interaction_by_member=by_member,
        citations=tuple(citations(raw)),
        grade=raw["grade"],
    )


@cache
def medication_classes() -> tuple[MedicationClass, ...]:
    """Every medication class, in file order."""
    return parse_entries(KNOWLEDGE_FILE, "classes", _parse_class, "class")


def get_class(class_id: str) -> MedicationClass:
    """One class by id; raises KeyError for an unknown id."""
    return by_id(medication_classes(), class_id)


def _classes_of(generic: str) -> tuple[str, ...]:
    return tuple(c.id for c in medication_classes() if generic in c.members)


@cache
def _index() -> dict[tuple[str, ...], _Name]:
    """Every matchable name (as normalised word tuples) → what it means."""
    index: dict[tuple[str, ...], _Name] = {}

    def add(raw_name: str, entry: _Name) -> None:
        key = tuple(normalize(raw_name).split())
        if not key:
            return
        previous = index.get(key)
        if previous is None:
            index[key] = entry
        elif set(previous.generics) != set(entry.generics) or previous.kind == "term":
            if entry.kind != "term" or previous.kind == "term":
                index[key] = _Name(
                    previous.display,
                    tuple(_unique(previous.generics + entry.generics)),
                    tuple(_unique(previous.class_ids + entry.class_ids)),
                    previous.kind,
                    tuple(_unique(previous.citations + entry.citations)),
                )

    for cls in medication_classes():
        for generic in cls.members:
            add(generic, _Name(generic, (generic,), _classes_of(generic), "generic"))
        for alias, generic in cls.aliases.items():
            add(alias, _Name(alias, (generic,), _classes_of(generic), "alias"))
        for brand, generic in cls.brands.items():
            add(brand, _Name(brand, (generic,), _classes_of(generic), "brand"))
    for cls in medication_classes():
        for term in cls.terms:
            add(term, _Name(term, (), (cls.id,), "term"))
    for i, combo in enumerate(load(KNOWLEDGE_FILE).get("combinations", [])):
        generics = tuple(combo["members"])
        class_ids: list[str] = []
        for generic in generics:
            found = _classes_of(generic)
            if not found:
                raise KnowledgeError(
                    f"{KNOWLEDGE_FILE}.toml combinations[{i}]: {generic!r} is in no class"
                )
            class_ids.extend(found)
        for name in combo["names"]:
            add(
                name,
                _Name(name, generics, tuple(_unique(class_ids)), "combination",
                      tuple(citations(combo))),
            )
    return index


@cache
def _fuzzy_choices() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Names eligible for approximate matching (class words only when 8+ letters)."""
    by_text: dict[str, tuple[str, ...]] = {}
    for key, entry in _index().items():
        text = " ".join(key)
        if len(text.replace(" ", "")) < FUZZY_MIN_LENGTH:
            continue
        if entry.kind == "term" and len(text) < 8:
            continue
        by_text[text] = key
    return tuple(sorted(by_text)), by_text


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def all_medication_names() -> list[str]:
    """Every generic, brand and combination-product name, sorted case-insensitively.

    Other spellings (``"frusemide"``) and class words (``"water pill"``) are matchable but not
    counted here.
    """
    names: dict[str, str] = {}
    for cls in medication_classes():
        for name in (*cls.members, *cls.brands):
            names.setdefault(normalize(name), name)
    for combo in load(KNOWLEDGE_FILE).get("combinations", []):
        for name in combo["names"]:
            names.setdefault(normalize(name), name)
    return sorted(names.values(), key=lambda n: (n.lower(), n))


def count_medication_names() -> int:
    """How many distinct medicine names (generics, brands, combinations) the base knows."""
    return len(all_medication_names())


def _build_match(text: str, entries: list[_Name], fuzzy: bool, score: float) -> MedicationMatch:
    generics = _unique(g for e in entries for g in e.generics)
    class_ids = _unique(c for e in entries for c in e.class_ids)
    classes = [get_class(c) for c in class_ids]
    cites = _unique(
        [c for cls in classes for c in cls.citations] + [c for e in entries for c in e.citations]
    )
    if generics:
        name = " / ".join(generics)
    else:
        name = " / ".join(cls.name for cls in classes)
    return MedicationMatch(
        text=text,
        name=name,
        matched=" + ".join(e.display for e in entries),
        classes=classes,
        citations=cites,
        generics=generics,
        fuzzy=fuzzy,
        score=score,
    )


def match_medication(text: str) -> MedicationMatch | None:
    """Match a free-text medicine to the knowledge base.

    Parameters
    ----------
    text : str
        What the person wrote, e.g. ``"Lasix 40 mg daily"``, ``"omeprazole 20mg"``, ``"HCTZ"``,
        ``"atorvastatn"`` (misspelled), ``"the pill"``, ``"lisinopril/hydrochlorothiazide"``.

    Returns
    -------
    MedicationMatch or None
        None when nothing in the text is a known medicine. A text naming a combination product
        or several medicines returns all their classes in one match.

    Notes
    -----
    Exact whole-word matches are found first (longest names first); words left over that are
    not doses, units or frequency words are then matched approximately with rapidfuzz
    ``fuzz.ratio`` ≥ :data:`FUZZY_CUTOFF`. The result does not depend on call order.
    """
    tokens = normalize(text).split()
    if not tokens:
        return None
    index = _index()
    found = find_names(tokens, index)
    entries = [index[key] for _s, _e, key in found]
    covered = {i for s, e, _k in found for i in range(s, e)}

    # words not explained by an exact match and not dose/frequency noise
    leftover_runs: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if i in covered or _is_noise(token):
            if leftover_runs[-1]:
                leftover_runs.append([])
            continue
        leftover_runs[-1].append(token)
    choices, by_text = _fuzzy_choices()
    fuzzy_entries: list[_Name] = []
    best_score = 100.0
    queue = [run for run in leftover_runs if run]
    while queue:
        run = queue.pop(0)
        hit = fuzzy_name(run, choices)
        if hit is None:
            continue
        choice, score, start, end = hit
        fuzzy_entries.append(index[by_text[choice]])
        best_score = min(best_score, score)
        queue.extend(part for part in (run[:start], run[end:]) if part)

    if not entries and not fuzzy_entries:
        return None
    all_entries = _unique(entries + fuzzy_entries)
    return _build_match(text, all_entries, fuzzy=bool(fuzzy_entries), score=best_score)


def match_medications(texts: Iterable[str]) -> list[tuple[str, MedicationMatch | None]]:
    """Match several texts; unmatched ones are kept with None (never dropped)."""
    return [(text, match_medication(text)) for text in texts]


# --------------------------------------------------------------------------------------------
# named products with a known content per tablet or per measure (supplement_products.toml)
# --------------------------------------------------------------------------------------------

PRODUCTS_FILE = "supplement_products"
#: Classes whose members themselves contain magnesium or calcium.
MINERAL_CLASSES: tuple[str, ...] = ("magnesium_antacid_laxative", "calcium_antacid")
#: mL per household measure (US label conventions: teaspoon 5 mL, tablespoon 15 mL,
#: fluid ounce 30 mL as on the magnesium citrate Drug Facts label).
ML_PER_MEASURE: dict[str, float] = {"ml": 1.0, "tsp": 5.0, "tbsp": 15.0, "fl oz": 30.0}
#: A magnesium citrate laxative bottle (10 fl oz).
ML_PER_BOTTLE = 296.0
#: Above this a daily amount of one mineral from one medicine line is not read (g would be
#: mistaken for mg, or the count is wrong).
MAX_MINERAL_MG_PER_DAY = 10_000.0


@dataclass(frozen=True)
class ProductStrength:
    """One product from ``supplement_products.toml`` with its content per unit.

    Attributes
    ----------
    id, name : str
    names, requires : tuple of str
        Normalised names, and variant words of which one must appear (empty: none needed).
    default : bool
        Chosen when the name appears without any variant's words.
    strength : float or None
        The number in the product's name or Drug Facts strength (mg of compound, or 600 for
        Caltrate 600).
    per : str
        ``"tablet"`` or ``"ml"``.
    per_amount : float
        How many tablets or mL the contents refer to (5 for "per 5 mL").
    form : str or None
        Form id in ``supplement_forms.toml``.
    contents : dict of str to float
        Elemental content per ``per_amount`` ``per``: ``calcium_mg``, ``magnesium_mg``
        (mg) and ``vitamin_d_ug`` (µg; the file gives IU, 40 IU = 1 µg).
    note : str
        Plain-words reading, shown as an assumption when the product is used.
    unreadable : str or None
        Why the content cannot be known from the name (then ``contents`` is empty).
    citations : tuple of Citation
    kind : str
        ``"product"``, or ``"salt_substitute"`` for a potassium salt substitute.
    """

    id: str
    name: str
    names: tuple[tuple[str, ...], ...]
    requires: tuple[tuple[str, ...], ...]
    default: bool
    strength: float | None
    per: str
    per_amount: float
    form: str | None
    contents: dict[str, float]
    note: str
    unreadable: str | None
    citations: tuple[Citation, ...]
    kind: str = "product"


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def _parse_product(raw: dict[str, Any]) -> ProductStrength:
    where = f"{PRODUCTS_FILE}.toml {raw.get('id', '?')}"
    per = raw.get("per", "tablet")
    if per not in ("tablet", "ml"):
        raise KnowledgeError(f"{where}: per must be tablet or ml")
    contents = {k: float(raw[k]) for k in ("calcium_mg", "magnesium_mg", "potassium_mg",
                                           "sodium_mg") if k in raw}
    if "vitamin_d_iu" in raw:
        contents["vitamin_d_ug"] = float(raw["vitamin_d_iu"]) / 40.0
    if not contents and not raw.get("unreadable"):
        raise KnowledgeError(f"{where}: needs contents or an `unreadable` reason")
    return ProductStrength(
        id=raw["id"],
        name=raw["name"],
        names=tuple(_words(n) for n in raw["names"]),
        requires=tuple(_words(w) for w in raw.get("requires", [])),
        default=bool(raw.get("default", False)),
        strength=float(raw["strength"]) if "strength" in raw else None,
        per=per,
        per_amount=float(raw.get("per_amount", 1)),
        form=raw.get("form"),
        contents=contents,
        note=raw.get("note", ""),
        unreadable=raw.get("unreadable"),
        citations=tuple(citations(raw)),
        kind=raw.get("kind", "product"),
    )


@cache
def products() -> tuple[ProductStrength, ...]:
    """Every product with a known content per unit, in file order."""
    return parse_entries(PRODUCTS_FILE, "products", _parse_product, "product")


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def find_product(text: str, per: str | None = None) -> ProductStrength | None:
    """The product named in ``text``, its variant chosen from the words and numbers written.

    Parameters
    ----------
    text : str
        A supplement or medicine line ("Tums Extra Strength 2 tablets", "Mag-Ox 400").
    per : {"tablet", "ml"} or None
        Keep only entries measured this way (a liquid dose picks the liquid entry).

    Returns
    -------
    ProductStrength or None
        The variant whose words appear (``requires``), else one whose strength number appears,
        else the default one; None when no product name appears.
    """
    tokens = normalize(text).split()
    numbers = {float(t) for t in tokens if t.isdigit()}
    generic_names = {tuple(g.split()) for g in _generics()}
    best: tuple[tuple[int, int, int, int, int], ProductStrength] | None = None
    for product in products():
        if per is not None and product.per != per:
            continue
        hits = [n for n in product.names if _contains(tokens, n)]
        if not hits:
            continue
        brand = any(n not in generic_names for n in hits)
        required = any(_contains(tokens, w) for w in product.requires)
        strength_hit = product.strength is not None and product.strength in numbers
        if product.requires and not (required or strength_hit):
            continue
        rank = (int(brand), max(len(n) for n in hits), int(required), int(strength_hit),
                int(product.default))
        if best is None or rank > best[0]:
            best = (rank, product)
    return None if best is None else best[1]


@cache
def _generics() -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in load(PRODUCTS_FILE).get("generics", [])}


@cache
def _form_fractions() -> dict[str, tuple[float | None, str]]:
    return {
        f["id"]: (f.get("elemental_fraction"), f["nutrient"])
        for f in load("supplement_forms")["forms"]
    }


# --------------------------------------------------------------------------------------------
# how much magnesium or calcium a medicine line adds
# --------------------------------------------------------------------------------------------

_NUM = r"(\d+(?:\.\d+)?|\d+\s*/\s*\d+|½|¼|half|a|an|one|two|three|four|five|six)"
_WORD_NUM = {"half": 0.5, "½": 0.5, "¼": 0.25, "a": 1, "an": 1, "one": 1, "two": 2,
             "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT_RE = re.compile(
    rf"(?<![\w.]){_NUM}\s*(?:x\s*)?(?:tablets?|tabs?|caplets?|capsules?|caps|chewables?|pills?"
    r"|softgels?|gummies|lozenges?)\b"
)
_VOLUME_RE = re.compile(
    rf"(?<![\w.]){_NUM}\s*(ml|millilit(?:re|er)s?|tsp|teaspoon(?:ful)?s?|tbsp|tablespoon(?:ful)?s?"
    r"|fl\.?\s*oz|fluid ounces?|oz|ounces?|bottles?)(?![a-z])"
)
_MASS_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(mg|g|gm|grams?)(?![a-z])")
_RANGE_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)(?![\d.])")
_MED_FREQUENCIES: tuple[tuple[str, float | None, str], ...] = (
    (r"\bas needed\b|\bprn\b|\bwhen needed\b|\bif needed\b|\bas required\b|\boccasional(?:ly)?\b"
     r"|\bsometimes\b", None, "as needed"),
    (r"\b(\d) ?(?:x|times) ?(?:a|per|each) ?week\b", -1.0, "{n} times a week"),
    (r"\btwice (?:a|per) week\b", 2 / 7, "twice a week"),
    (r"\b(?:once )?(?:a|per|every|each) week\b|\bweekly\b", 1 / 7, "weekly"),
    (r"\bevery other day\b|\balternate days\b", 1 / 2, "every other day"),
    (r"\bfour times (?:a |per )?da(?:y|ily)\b|\b4 ?(?:x|times) ?(?:a |per )?da(?:y|ily)\b|\bqid\b"
     r"|\bqds\b", 4.0, "four times a day"),
    (r"\bthree times (?:a |per )?da(?:y|ily)\b|\b3 ?(?:x|times) ?(?:a |per )?da(?:y|ily)\b"
     r"|\btid\b|\btds\b", 3.0, "three times a day"),
    (r"\btwice (?:a |per )?da(?:y|ily)\b|\b2 ?(?:x|times) ?(?:a |per )?da(?:y|ily)\b|\bbid\b"
     r"|\bbd\b", 2.0, "twice a day"),
    (r"\bdaily\b|\b(?:once )?(?:a|per|each|every) (?:day|night|evening|morning)\b|\bnightly\b"
     r"|\bat (?:bed ?time|night)\b|\bqd\b|\bod\b|\bqhs\b|\bnocte\b|\bonce\b", 1.0, "daily"),
)


@dataclass
class MineralReading:
    """What one medicine line adds in magnesium and calcium, and how that was read.

    Attributes
    ----------
    text : str
        The line as given.
    amounts : dict of str to float or None
        ``magnesium_mg`` / ``calcium_mg`` (mg/day; ``vitamin_d_ug`` µg/day if the product
        has it); None when the dose cannot be read (then ``reason`` says why).
    reason : str or None
        Why nothing was counted, in plain words, saying what to write instead.
    assumptions : list of str
        Every reading choice made.
    product : str or None
        The product entry used (``"milk_of_magnesia"``), if any.
    citations : list of Citation
        The label sources for the amounts.
    """

    text: str
    amounts: dict[str, float] | None = None
    reason: str | None = None
    assumptions: list[str] = field(default_factory=list)
    product: str | None = None
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "amounts": self.amounts, "reason": self.reason,
                "assumptions": list(self.assumptions), "product": self.product,
                "evidence": [c.to_dict() for c in self.citations]}


def _number(raw: str) -> float:
    raw = raw.strip()
    if raw in _WORD_NUM:
        return float(_WORD_NUM[raw])
    if "/" in raw:
        top, bottom = (float(p) for p in raw.split("/"))
        return top / bottom if bottom else 0.0
    return float(raw)


def _ml(unit: str) -> float:
    unit = re.sub(r"\s+", " ", unit.replace(".", ""))
    if unit.startswith("ml") or unit.startswith("millilit"):
        return ML_PER_MEASURE["ml"]
    if unit.startswith("tsp") or unit.startswith("teaspoon"):
        return ML_PER_MEASURE["tsp"]
    if unit.startswith("tbsp") or unit.startswith("tablespoon"):
        return ML_PER_MEASURE["tbsp"]
    if unit.startswith("bottle"):
        return ML_PER_BOTTLE
    return ML_PER_MEASURE["fl oz"]


def volume_ml(text: str) -> float | None:
    """The volume written in ``text`` in mL ("30 ml", "2 tbsp" = 30, "1 fl oz" = 30), or None."""
    m = _VOLUME_RE.search(text.lower())
    return None if m is None else _number(m.group(1)) * _ml(m.group(2))


def _frequency(s: str, notes: list[str]) -> float | None:
    """Doses per day (None for 'as needed'); no frequency word means once a day, said so."""
    for pattern, factor, label in _MED_FREQUENCIES:
        m = re.search(pattern, s)
        if not m:
            continue
        if factor is None:
            return None
        if factor < 0:
            n = int(m.group(1))
            factor, label = n / 7, label.format(n=n)
        if label != "daily":
            notes.append(f"Taken {label}: {factor:.3g} doses a day.")
        return factor
    notes.append("No frequency given: counted as one dose a day.")
    return 1.0


def read_minerals(match: MedicationMatch | None, text: str) -> MineralReading:
    """Magnesium and calcium (mg/day) that a magnesium- or calcium-containing antacid or
    laxative line adds, with the reading spelled out.

    Parameters
    ----------
    match : MedicationMatch or None
        ``match_medication(text)``; lines whose classes contain no magnesium or calcium
        antacid/laxative give no amounts.
    text : str
        The medicine line, e.g. ``"milk of magnesia 30 ml daily"``, ``"Tums 2 tablets twice
        daily"``, ``"Rennie 2 tablets 3 times a day"``, ``"magnesium hydroxide 400 mg bid"``.

    Returns
    -------
    MineralReading
        ``amounts`` in mg/day (or None with ``reason``), assumptions and label citations.

    Notes
    -----
    Per-dose amount: a named product's label content per tablet or per mL
    (``supplement_products.toml``) times the tablets or mL written (teaspoon 5 mL, tablespoon
    15 mL, fl oz 30 mL); or a compound weight in mg/g after a generic name times the form's
    elemental fraction (Drug Facts labels give the compound: 400 mg magnesium hydroxide =
    167 mg magnesium). Ranges count as their middle ("2-4 tablets" = 3). Doses per day from
    the frequency words; none given is one dose a day (said so); "as needed" cannot be
    counted. Magnesium from these medicines is mostly not absorbed at laxative doses, but it
    counts toward the 350 mg/day supplemental UL, which covers medicines.

    References
    ----------
    DailyMed Drug Facts labels and the emc SmPC cited per product in
    ``sources_products.toml``; NIH ODS Magnesium and Calcium fact sheets.
    """
    reading = MineralReading(text=text)
    if match is None or not set(match.class_ids()) & set(MINERAL_CLASSES):
        reading.reason = "not a magnesium- or calcium-containing antacid or laxative"
        return reading
    s = unicodedata.normalize("NFKC", text).lower().replace("–", "-")
    notes = reading.assumptions

    def midpoint(m: re.Match[str]) -> str:
        low, high = float(m.group(1)), float(m.group(2))
        notes.append(f"The range {m.group(1)}-{m.group(2)} counts as its middle, "
                     f"{(low + high) / 2:g}.")
        return f"{(low + high) / 2:g}"

    s = _RANGE_RE.sub(midpoint, s)
    per_day = _frequency(s, notes)
    if per_day is None:
        reading.reason = ("taken as needed, so how much a day is not known: write how often, "
                          "e.g. '2 tablets 3 times a week'")
        return reading

    volume = _VOLUME_RE.search(s)
    count = _COUNT_RE.search(s)
    masses = [(float(m.group(1)) * (1 if m.group(2) == "mg" else 1000), m)
              for m in _MASS_RE.finditer(s)]
    unit = "ml" if volume else "tablet" if count else None
    product = find_product(s, unit)
    if product is not None and unit is None and masses and product.per == "ml":
        product = None  # "magnesium hydroxide 400 mg": the generic's compound weight
    if product is not None and product.unreadable and masses:
        notes.append(f"{product.name}: the amount written on the line is used.")
        product = None  # "Maalox 4 tablets (magnesium hydroxide 200 mg each)"
    per_dose: dict[str, float] = {}
    if product is not None and not (masses and unit is None):
        reading.product = product.id
        reading.citations = list(product.citations)
        if product.unreadable:
            reading.reason = product.unreadable
            return reading
        if product.per == "ml":
            if volume is None:
                reading.reason = (f"no amount of {product.name} given: write the volume taken, "
                                  "e.g. '30 ml daily'")
                return reading
            units = _number(volume.group(1)) * _ml(volume.group(2))
            if volume.group(2).startswith("bottle"):
                notes.append(f"A bottle counted as {ML_PER_BOTTLE:g} mL (10 fl oz).")
        else:
            if count is None:
                reading.reason = (f"how many {product.name} tablets are taken is not given: "
                                  "write e.g. '2 tablets daily'")
                return reading
            units = _number(count.group(1))
        if product.note:
            notes.append(product.note)
        per_dose = {k: v * units / product.per_amount for k, v in product.contents.items()}
    else:
        generic = next((g for g in match.generics if g in _generics()), None)
        if generic is None:
            reading.reason = "the medicine's calcium or magnesium content is not known: " \
                             "give the label's amount"
            return reading
        rule = _generics()[generic]
        reading.citations = list(citations(rule))
        if rule["mg_basis"] != "compound":
            reading.reason = rule["reason"]
            return reading
        if not masses:
            reading.reason = (f"no amount of {generic} given: write the mg per dose from the "
                              "label, e.g. '400 mg twice daily'")
            return reading
        mg, _m = masses[0]
        fraction, nutrient = _form_fractions()[rule["form"]]
        units = _number(count.group(1)) if count else 1.0
        notes.append(f"{mg:g} mg is the weight of {generic}, as on a Drug Facts label: "
                     f"× {fraction:.3f} = {mg * fraction:.0f} mg {nutrient}"
                     + (f", × {units:g} tablets" if count else "") + ".")
        per_dose = {f"{nutrient}_mg": mg * fraction * units}

    amounts = {k: round(v * per_day, 1) for k, v in per_dose.items() if v > 0}
    if not amounts:
        reading.reason = "the amount taken is zero"
        return reading
    too_much = [k for k, v in amounts.items() if k.endswith("_mg") and v > MAX_MINERAL_MG_PER_DAY]
    if too_much:
        reading.reason = (f"{amounts[too_much[0]]:,.0f} mg of {too_much[0][:-3]} a day is not a "
                          "plausible amount: check the number and unit")
        return reading
    reading.amounts = amounts
    return reading


def mineral_contributions(match: MedicationMatch | None, text: str) -> dict[str, float] | None:
    """mg/day of magnesium and calcium that an antacid or laxative line adds.

    Parameters
    ----------
    match : MedicationMatch or None
        The line's match from :func:`match_medication`.
    text : str
        The medicine line ("milk of magnesia 30 ml daily", "Maalox 20 ml 4 times a day").

    Returns
    -------
    dict or None
        ``{"magnesium_mg": ..., "calcium_mg": ...}`` (only the minerals present; mg/day, and
        ``vitamin_d_ug`` µg/day for a product that holds it), the same keys as the
        assessment's ``from_supplements``. None when the line is not such a medicine or its
        dose cannot be read; :func:`read_minerals` gives the reason and the assumptions.

    References
    ----------
    See :func:`read_minerals`.
    """
    return read_minerals(match, text).amounts
