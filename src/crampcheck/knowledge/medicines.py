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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import KnowledgeError
from ..models import SEVERITIES, Citation
from . import by_id, citations, doses, load, parse_entries
from .doses import volume_ml  # noqa: F401  (re-exported: a line's volume in mL)

KNOWLEDGE_FILE = "medications"
NUTRIENTS: tuple[str, ...] = ("calcium", "magnesium", "potassium", "sodium", "vitamin_d")
DIRECTIONS: tuple[str, ...] = ("lower", "raise")
STRENGTHS: tuple[str, ...] = ("strong", "moderate", "weak")
#: How a class (or member) is supplied: on prescription only, over the counter, or both.
SUPPLIES: tuple[str, ...] = ("prescription", "otc", "both")

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
    supply: str = "prescription"
    supply_by_member: dict[str, str] = field(default_factory=dict)

    def supply_of(self, generic: str | None = None) -> str:
        """``prescription``, ``otc`` (bought without one) or ``both`` for one member."""
        if generic is not None and generic in self.supply_by_member:
            return self.supply_by_member[generic]
        return self.supply

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
    read_as : list of str
        For approximate matches, what each misspelled word was read as
        (``"atorvastatn → atorvastatin"``).
    """

    text: str
    name: str
    matched: str
    classes: list[MedicationClass]
    citations: list[Citation]
    generics: list[str] = field(default_factory=list)
    fuzzy: bool = False
    score: float = 100.0
    read_as: list[str] = field(default_factory=list)

    @property
    def unclassified(self) -> list[str]:
        """Generics recognised (by crampcheck's table or the drug dictionary) that belong to
        no class: no known effect on minerals or cramps in crampcheck's sources."""
        return [g for g in self.generics if not _classes_of(g)]

    def supply(self, cls: MedicationClass) -> str:
        """How the matched medicine of ``cls`` is supplied: ``prescription``, ``otc`` or
        ``both``. Words in the line decide when they say it ("OTC", "over the counter",
        "bought", "prescribed")."""
        words = normalize(self.text)
        if re.search(r"\b(?:otc|over the counter|bought|from the (?:pharmacy|shop|chemist)"
                     r"|24 ?hr)\b", words):
            return "otc"
        if re.search(r"\b(?:prescribed|prescription|rx|my doctor|gp gave)\b", words):
            return "prescription"
        members = [g for g in self.generics if g in cls.members] or [None]
        kinds = {cls.supply_of(g) for g in members}
        if kinds == {"prescription"}:
            return "prescription"
        if kinds == {"otc"}:
            return "otc"
        return "both"

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
    supply = raw.get("supply", "prescription")
    supply_by_member = dict(raw.get("supply_by_member", {}))
    for value in (supply, *supply_by_member.values()):
        if value not in SUPPLIES:
            raise KnowledgeError(f"{where}: supply must be prescription, otc or both")
    for generic in supply_by_member:
        if generic not in members:
            raise KnowledgeError(f"{where}: supply_by_member names non-member {generic!r}")
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
        supply=supply,
        supply_by_member=supply_by_member,
    )


@cache
def medication_classes() -> tuple[MedicationClass, ...]:
    """Every medication class, in file order."""
    return parse_entries(KNOWLEDGE_FILE, "classes", _parse_class, "class")


def get_class(class_id: str) -> MedicationClass:
    """One class by id; raises KeyError for an unknown id."""
    return by_id(medication_classes(), class_id)


@cache
def _member_classes() -> dict[str, tuple[str, ...]]:
    """Generic name → ids of the classes it is a member of (the class table keyed by
    generic ingredient)."""
    out: dict[str, list[str]] = {}
    for cls in medication_classes():
        for generic in cls.members:
            out.setdefault(generic, []).append(cls.id)
    return {g: tuple(ids) for g, ids in out.items()}


def _classes_of(generic: str) -> tuple[str, ...]:
    return _member_classes().get(generic, ())


@cache
def _generic_names() -> dict[tuple[str, ...], str]:
    """Normalised generic names and other spellings of crampcheck's members → the member
    (``("cyclosporine",)`` → ``"ciclosporin"``), used to key dictionary generics."""
    out: dict[tuple[str, ...], str] = {}
    for cls in medication_classes():
        for generic in cls.members:
            out.setdefault(tuple(normalize(generic).split()), generic)
        for alias, generic in cls.aliases.items():
            out.setdefault(tuple(normalize(alias).split()), generic)
    return out


def _add_name(index: dict[tuple[str, ...], _Name], raw_name: str, entry: _Name) -> None:
    """Put one name into the index. A name already there with other generics (or a class
    word) is merged with the new entry, keeping the first display and kind; a class word never
    widens a drug name."""
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


def _class_table_names() -> Iterator[tuple[str, _Name]]:
    """(name, meaning) for the class table: members, other spellings and brands of every
    class first, then every class's own words."""
    for cls in medication_classes():
        for generic in cls.members:
            yield generic, _Name(generic, (generic,), _classes_of(generic), "generic")
        for alias, generic in cls.aliases.items():
            yield alias, _Name(alias, (generic,), _classes_of(generic), "alias")
        for brand, generic in cls.brands.items():
            yield brand, _Name(brand, (generic,), _classes_of(generic), "brand")
    for cls in medication_classes():
        for term in cls.terms:
            yield term, _Name(term, (), (cls.id,), "term")


def _combination_names() -> Iterator[tuple[str, _Name]]:
    """(name, meaning) for every combination product's names."""
    for combo in load(KNOWLEDGE_FILE).get("combinations", []):
        generics = tuple(combo["members"])
        class_ids: list[str] = []
        for generic in generics:  # a member in no class is recognised, with no known effect
            class_ids.extend(_classes_of(generic))
        for name in combo["names"]:
            yield name, _Name(name, generics, tuple(_unique(class_ids)), "combination",
                              tuple(citations(combo)))


@cache
def _index() -> dict[tuple[str, ...], _Name]:
    """Every matchable name (as normalised word tuples) → what it means."""
    index: dict[tuple[str, ...], _Name] = {}
    if not load(KNOWLEDGE_FILE).get("combinations"):
        raise KnowledgeError(f"{KNOWLEDGE_FILE}.toml: no combinations")
    for name, entry in (*_class_table_names(), *_combination_names()):
        _add_name(index, name, entry)
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


def _build_match(text: str, entries: list[_Name], fuzzy: bool, score: float,
                 read_as: list[str] | None = None) -> MedicationMatch:
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
        read_as=list(read_as or []),
    )


# --------------------------------------------------------------------------------------------
# the offline drug dictionary (knowledge/drugs/drug_names.tsv.gz, scripts/build_drugs.py)
# --------------------------------------------------------------------------------------------

DICTIONARY_FILE = "drug_names.tsv.gz"
#: Citation for a name found only in the drug dictionary.
DICTIONARY_CITATION = Citation("drug_ner_dictionary", "C")
#: Approximate matches below this score are not even suggested.
SUGGEST_CUTOFF = 80.0
#: An approximate match is taken only if the next different medicine scores at least this
#: many points lower; otherwise the line gets "did you mean" suggestions instead.
FUZZY_MARGIN = 5.0
#: Longest run of words compared approximately.
FUZZY_MAX_WORDS = 3

# Words that say why, when or how a medicine is taken; never looked up in the dictionary and
# never read as a misspelled medicine.
CONTEXT_WORDS: frozenset[str] = frozenset(
    """
    for pain back joint joints knee knees leg legs headache headaches migraine sleep sleeping
    heart stomach acid reflux heartburn constipation diarrhoea diarrhea anxiety depression
    blood pressure cholesterol sugar diabetes thyroid asthma arthritis prescribed doctor gp
    since started stopped stop new recently months month weeks ago brand bought pharmacy
    chemist counter over usually normally typically about around up max maximum most no more
    than not least every other times time week weekly day days night nights usually sometimes
    needed required when if i me my we our he she they it is was and or but with without plus
    also then before after food meal meals breakfast lunch dinner supper water juice milk
    morning evening bedtime tablet tablets capsule capsules pills pill dose doses strength
    regular extra ultra maximum low high mg mcg ml unit units iu
    glycinate bisglycinate citrate oxide carbonate gluconate chloride malate threonate taurate
    orotate lactate aspartate sulfate sulphate hydroxide phosphate picolinate fumarate salt
    elemental compound chelate powder sachet sachets drink
    """.split()
)


@dataclass(frozen=True)
class DrugDictionary:
    """Names from the offline drug dictionary: ``names`` maps a normalised name to the
    indexes of its generic ingredients in ``generics``."""

    generics: tuple[str, ...]
    names: dict[str, tuple[int, ...]]

    def lookup(self, name: str) -> tuple[str, ...] | None:
        found = self.names.get(name)
        return None if found is None else tuple(self.generics[i] for i in found)


@cache
def drug_dictionary() -> DrugDictionary:
    """The offline drug dictionary, read on first use (only when a medicine line has words
    crampcheck's own table does not explain)."""
    import gzip
    from importlib import resources

    path = resources.files("crampcheck.knowledge").joinpath("drugs", DICTIONARY_FILE)
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise KnowledgeError(f"the drug dictionary {DICTIONARY_FILE} cannot be read: {exc}") \
            from exc
    lines = text.split("\n")
    try:
        g_at, n_at = lines.index("@generics"), lines.index("@names")
    except ValueError as exc:
        raise KnowledgeError(f"{DICTIONARY_FILE}: no @generics or @names section") from exc
    generics = tuple(lines[g_at + 1 : n_at])
    names: dict[str, tuple[int, ...]] = {}
    for line in lines[n_at + 1 :]:
        if line:
            name, _, idx = line.partition("\t")
            names[name] = tuple(int(i) for i in idx.split(","))
    return DrugDictionary(generics, names)


def count_dictionary_names() -> int:
    """How many names (generics, synonyms, brands) the offline drug dictionary holds."""
    return len(drug_dictionary().names)


@cache
def _nutrient_words() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """Words that make a dictionary generic a nutrient crampcheck counts as a supplement
    ("magnesium", "vitamin d", "ergocalciferol"), and words that undo it ("iodide")."""
    words: list[tuple[str, ...]] = []
    unless: list[tuple[str, ...]] = []
    for entry in load(KNOWLEDGE_FILE).get("nutrient_generics", []):
        words.extend(tuple(normalize(w).split()) for w in entry["words"])
        unless.extend(tuple(normalize(w).split()) for w in entry.get("except_words", []))
    return tuple(words), tuple(unless)


def is_nutrient_generic(generic: str) -> bool:
    """True for a generic that is a mineral, vitamin D or omega-3 supplement crampcheck
    counts ("calcium citrate", "cholecalciferol", "fish oil") rather than a medicine."""
    tokens = normalize(generic).split()
    words, unless = _nutrient_words()
    return any(_contains_words(tokens, w) for w in words) and not any(
        _contains_words(tokens, w) for w in unless)


def _contains_words(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def _dictionary_entry(display: str, generics: tuple[str, ...]) -> _Name | None:
    """A dictionary name as a match entry, its generics keyed to crampcheck's own members
    ("cyclosporine" → "ciclosporin") so the class table applies; None when every generic is
    a nutrient supplement."""
    keyed = []
    for g in generics:
        own = _generic_names().get(tuple(normalize(g).split()))
        keyed.append(own or g)
    keyed = [g for g in _unique(keyed) if _classes_of(g) or not is_nutrient_generic(g)]
    if not keyed:
        return None
    class_ids = _unique(c for g in keyed for c in _classes_of(g))
    return _Name(display, tuple(keyed), tuple(class_ids), "dictionary", (DICTIONARY_CITATION,))


def _skippable(token: str) -> bool:
    return _is_noise(token) or token in CONTEXT_WORDS


def _dictionary_spans(tokens: Sequence[str], covered: set[int]
                      ) -> list[tuple[int, int, tuple[str, ...]]]:
    """Whole-word dictionary names among the words not yet explained, longest first."""
    dictionary = drug_dictionary()
    found: list[tuple[int, int, tuple[str, ...]]] = []
    used = set(covered)
    for n in range(5, 0, -1):
        for start in range(len(tokens) - n + 1):
            span = range(start, start + n)
            if any(i in used for i in span):
                continue
            if _skippable(tokens[start]) or _skippable(tokens[start + n - 1]):
                continue
            generics = dictionary.lookup(" ".join(tokens[start : start + n]))
            if generics is None:
                continue
            used.update(span)
            found.append((start, start + n, generics))
    found.sort()
    return found


@cache
def _all_fuzzy_choices() -> tuple[tuple[str, ...], dict[str, tuple[str, tuple[str, ...]]]]:
    """Names for approximate matching: crampcheck's own (generics, brands, other spellings;
    class words of 8+ letters) and the dictionary's single-to-three-word names of 5+
    letters. Each maps to (source, generics or class ids) so that two spellings of one
    medicine never count as rivals."""
    by_text: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, entry in _index().items():
        text = " ".join(key)
        if len(text.replace(" ", "")) < FUZZY_MIN_LENGTH:
            continue
        if entry.kind == "term" and len(text) < 8:
            continue
        by_text[text] = ("own", entry.generics or entry.class_ids)
    dictionary = drug_dictionary()
    for name, idx in dictionary.names.items():
        if name in by_text or len(name.replace(" ", "")) < FUZZY_MIN_LENGTH:
            continue
        words = name.split()
        if len(words) > FUZZY_MAX_WORDS or any(w.isdigit() for w in words):
            continue
        by_text[name] = ("dictionary", tuple(dictionary.generics[i] for i in idx))
    return tuple(sorted(by_text)), by_text


@dataclass(frozen=True)
class _Guess:
    start: int
    end: int
    choice: str
    score: float
    confident: bool
    suggestions: tuple[str, ...]


def _guess(run: Sequence[str], offset: int) -> _Guess | None:
    """The best approximate reading of a run of unexplained words, or None.

    It is *confident* only when it scores at least :data:`FUZZY_CUTOFF`, starts with the
    same letter as the word written, and every different medicine scores at least
    :data:`FUZZY_MARGIN` points lower; otherwise the close names are only suggested.
    """
    choices, by_text = _all_fuzzy_choices()
    best: _Guess | None = None
    for n in range(min(FUZZY_MAX_WORDS, len(run)), 0, -1):
        for start in range(len(run) - n + 1):
            words = run[start : start + n]
            if any(_skippable(w) for w in (words[0], words[-1])):
                continue
            query = " ".join(words)
            if len(query.replace(" ", "")) < FUZZY_MIN_LENGTH:
                continue
            hits = process.extract(query, choices, scorer=fuzz.ratio, limit=8,
                                   score_cutoff=SUGGEST_CUTOFF)
            if not hits:
                continue
            top_choice, top_score, _ = hits[0]
            meaning = by_text[top_choice][1]
            rival = max((sc for ch, sc, _ in hits[1:] if by_text[ch][1] != meaning),
                        default=0.0)
            confident = (top_score >= FUZZY_CUTOFF and top_score - rival >= FUZZY_MARGIN
                         and top_choice[0] == query[0])
            suggestions = tuple(_unique(ch for ch, _sc, _ in hits))[:3]
            guess = _Guess(offset + start, offset + start + n, top_choice, top_score,
                           confident, suggestions)
            rank = (guess.confident, guess.score, n)
            if best is None or rank > (best.confident, best.score, best.end - best.start):
                best = guess
    return best


@dataclass
class MedicineReading:
    """What one medicine line was read as.

    Attributes
    ----------
    text : str
        The line as given.
    match : MedicationMatch or None
        The medicine(s) recognised, or None.
    suggestions : list of str
        "Did you mean" names for words that looked like a misspelled medicine but were not
        close enough to one medicine to be read as it.
    nutrient_only : bool
        True when the only thing named is a nutrient supplement ("magnesium", "vitamin D"):
        the line is then read as a supplement, not a medicine.
    """

    text: str
    match: MedicationMatch | None
    suggestions: list[str] = field(default_factory=list)
    nutrient_only: bool = False


def read_medicine(text: str) -> MedicineReading:
    """Recognise the medicine(s) in a free-text line, with suggestions when unsure.

    Parameters
    ----------
    text : str
        What the person wrote: ``"Lasix 40 mg daily"``, ``"Eliquis 5 mg bd"``,
        ``"lisinopril/HCTZ"``, ``"atorvastatn"``, ``"the pill"``.

    Returns
    -------
    MedicineReading
        ``match`` None when nothing is recognised; ``suggestions`` then lists close names.

    Notes
    -----
    1. crampcheck's own table (``medications.toml``: generics, other spellings, brands,
       combination products, class words) is matched first, as whole words, longest first.
    2. Words it leaves unexplained (not dose, unit, frequency or context words) are looked up
       as whole names in the offline drug dictionary (``knowledge/drugs``, built by
       ``scripts/build_drugs.py``), which resolves brands, synonyms and combinations to their
       generic ingredient(s); each generic is then keyed to crampcheck's class table. The
       dictionary is read only at this step, so a line fully explained by step 1 never
       loads it.
    3. Words still unexplained are compared approximately (rapidfuzz ``fuzz.ratio``) with
       both name lists. A misspelling is read as a medicine only when it is close (score
       ≥ :data:`FUZZY_CUTOFF`), starts with the same letter and no different medicine comes
       within :data:`FUZZY_MARGIN` points; otherwise the close names become suggestions and
       nothing is guessed.
    """
    tokens = normalize(text).split()
    reading = MedicineReading(text=text, match=None)
    if not tokens:
        return reading
    index = _index()
    found = find_names(tokens, index)
    entries = [index[key] for _s, _e, key in found]
    covered = {i for s, e, _k in found for i in range(s, e)}
    if any(i not in covered and not _skippable(t) for i, t in enumerate(tokens)):
        dictionary_entries, nutrient_seen = _read_dictionary(tokens, covered)
        entries += dictionary_entries
        runs = [] if nutrient_seen and not entries else _unexplained_runs(tokens, covered)
        fuzzy_entries, read_as, best_score = _read_fuzzy(runs, tokens, reading.suggestions)
        reading.suggestions = _unique(reading.suggestions)
        if not entries and not fuzzy_entries:
            reading.nutrient_only = nutrient_seen
            return reading
        if fuzzy_entries:
            reading.match = _build_match(text, _unique(entries + fuzzy_entries), True,
                                         best_score, read_as)
            return reading
    if not entries:
        return reading
    reading.match = _build_match(text, _unique(entries), False, 100.0)
    reading.suggestions = _unique(reading.suggestions)
    return reading


def _read_dictionary(tokens: list[str], covered: set[int]) -> tuple[list[_Name], bool]:
    """Step 2 of :func:`read_medicine`: the drug dictionary's names among the words not yet
    explained (their positions are added to ``covered``), and whether one of them is only a
    nutrient."""
    entries: list[_Name] = []
    nutrient_seen = False
    for start, end, generics in _dictionary_spans(tokens, covered):
        covered.update(range(start, end))
        entry = _dictionary_entry(" ".join(tokens[start:end]), generics)
        if entry is None:
            nutrient_seen = True
        else:
            entries.append(entry)
    return entries, nutrient_seen


def _unexplained_runs(tokens: list[str], covered: set[int]) -> list[tuple[int, list[str]]]:
    """Runs of adjacent words that are neither covered nor skippable, as (offset, words)."""
    runs: list[tuple[int, list[str]]] = []
    for i, token in enumerate(tokens):
        if i in covered or _skippable(token):
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == i:
            runs[-1][1].append(token)
        else:
            runs.append((i, [token]))
    return runs


def _read_fuzzy(runs: list[tuple[int, list[str]]], tokens: list[str], suggestions: list[str]
                ) -> tuple[list[_Name], list[str], float]:
    """Step 3 of :func:`read_medicine`: confident approximate readings of the runs (the words
    left and right of each reading are tried again), what each was read as, and the lowest
    score; close names that are not confident are added to ``suggestions``."""
    fuzzy_entries: list[_Name] = []
    read_as: list[str] = []
    best_score = 100.0
    queue = list(runs)
    while queue:
        offset, run = queue.pop(0)
        guess = _guess(run, offset)
        if guess is None:
            continue
        if not guess.confident:
            suggestions.extend(guess.suggestions)
            continue
        entry = _fuzzy_entry(guess.choice)
        if entry is not None:
            fuzzy_entries.append(entry)
            shown = " / ".join(entry.generics) if entry.generics else entry.display
            read_as.append(f"{' '.join(tokens[guess.start:guess.end])} → {shown}")
            best_score = min(best_score, guess.score)
        left = run[: guess.start - offset]
        right = run[guess.end - offset :]
        if left:
            queue.append((offset, left))
        if right:
            queue.append((guess.end, right))
    return fuzzy_entries, read_as, best_score


def _fuzzy_entry(choice: str) -> _Name | None:
    key = tuple(choice.split())
    own = _index().get(key)
    if own is not None:
        return own
    generics = drug_dictionary().lookup(choice)
    return None if generics is None else _dictionary_entry(choice, generics)


def match_medication(text: str) -> MedicationMatch | None:
    """Match a free-text medicine to the knowledge base.

    Parameters
    ----------
    text : str
        What the person wrote, e.g. ``"Lasix 40 mg daily"``, ``"omeprazole 20mg"``, ``"HCTZ"``,
        ``"atorvastatn"`` (misspelled), ``"the pill"``, ``"lisinopril/hydrochlorothiazide"``,
        ``"Eliquis 5 mg"`` (recognised through the drug dictionary; no class).

    Returns
    -------
    MedicationMatch or None
        None when nothing in the text is a known medicine. A text naming a combination product
        or several medicines returns all their classes in one match. A medicine recognised
        but in no class has ``classes == []`` and its generic in ``unclassified``.

    Notes
    -----
    See :func:`read_medicine` (which also gives "did you mean" suggestions). The result does
    not depend on call order.
    """
    return read_medicine(text).match


@dataclass(frozen=True)
class DailyDose:
    """mg a day of a one-ingredient medicine line: ``usual_mg`` as usually taken, ``max_mg``
    at most (top of a range, "as needed" at its written maximum)."""

    usual_mg: float
    max_mg: float


def daily_dose(match: MedicationMatch | None) -> DailyDose | None:
    """How many mg a day a medicine line says is taken, read by the one dose grammar.

    ``"simvastatin 40 mg at night"`` → 40; ``"metformin 500 mg tds"`` → 1500; ``"ibuprofen
    200-400 mg every 4-6 hours as needed"`` → usual 300, max 2400. None when the line gives no
    mg (or g, µg) amount, gives several, or names several ingredients (a combination's
    strengths cannot be told apart from the text).
    """
    if match is None or len(match.generics) != 1:
        return None
    dose = doses.read_dose(match.text)
    masses = [a for a in dose.amounts if a.unit in ("mg", "g", "ug")]
    if len(masses) != 1:
        return None
    mass = masses[0]
    usual_units, max_units = dose.units_per_day()
    usual = (doses.to_mg(mass.value, mass.unit) or 0.0) * usual_units
    most = (doses.to_mg(mass.high, mass.unit) or 0.0) * max_units
    if usual <= 0:
        return None
    return DailyDose(round(usual, 6), round(max(most, usual), 6))


# --------------------------------------------------------------------------------------------
# named products with a known content per tablet or per measure (supplement_products.toml)
# --------------------------------------------------------------------------------------------

PRODUCTS_FILE = "supplement_products"
#: Classes whose members themselves contain magnesium or calcium.
MINERAL_CLASSES: tuple[str, ...] = ("magnesium_antacid_laxative", "calcium_antacid")
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

@dataclass
class MineralReading:
    """What one medicine line adds in magnesium and calcium, and how that was read.

    Attributes
    ----------
    text : str
        The line as given.
    amounts : dict of str to float or None
        ``magnesium_mg`` / ``calcium_mg`` (mg/day; ``vitamin_d_ug`` µg/day if the product
        has it) as usually taken; None when the dose cannot be read (then ``reason`` says why).
    upper_amounts : dict of str to float or None
        The same, read for the upper-limit check (top of a range, "as needed" at its written
        maximum).
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
    upper_amounts: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "amounts": self.amounts, "upper_amounts": self.upper_amounts,
                "reason": self.reason,
                "assumptions": list(self.assumptions), "product": self.product,
                "evidence": [c.to_dict() for c in self.citations]}


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
    167 mg magnesium). Counts, ranges and frequencies are read by the one dose grammar
    (:mod:`crampcheck.knowledge.doses`): a range counts as its middle ("2-4 tablets" = 3)
    and its top for the upper limit; no frequency is one dose a day (said so); "as needed"
    counts one dose a day for intake and its written maximum for the upper limit. Magnesium
    from these medicines is mostly not absorbed at laxative doses, but it
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
    line = _read_mineral_dose(text, reading.assumptions)
    reading.assumptions.extend(line.dose.notes)
    if line.product is not None:
        amounts = _product_minerals(reading, line.product, line.dose, line.volume)
    else:
        amounts = _generic_minerals(reading, match, line.dose, line.masses)
    if amounts is None:
        return reading
    daily, upper = amounts
    amounts_kept = {k: round(v, 1) for k, v in daily.items() if v > 0}
    if not amounts_kept:
        reading.reason = "the amount taken is zero"
        return reading
    upper_amounts = {k: round(max(upper.get(k, v), v), 1) for k, v in amounts_kept.items()}
    too_much = [k for k, v in upper_amounts.items()
                if k.endswith("_mg") and v > MAX_MINERAL_MG_PER_DAY]
    if too_much:
        reading.reason = (f"{upper_amounts[too_much[0]]:,.0f} mg of {too_much[0][:-3]} a day is "
                          "not a plausible amount: check the number and unit")
        return reading
    reading.amounts = amounts_kept
    reading.upper_amounts = upper_amounts
    return reading


@dataclass(frozen=True)
class _MineralDose:
    """A mineral medicine line's dose and the product it names, if its amounts come from
    the product's label."""

    dose: doses.Dose
    volume: doses.Volume | None
    masses: list[doses.Amount]
    product: ProductStrength | None


def _mass_amounts(dose: doses.Dose) -> list[doses.Amount]:
    return [a for a in dose.amounts if a.unit in ("mg", "g")]


def _read_mineral_dose(text: str, notes: list[str]) -> _MineralDose:
    """The line's dose, read again with the named product's strength when it has one. The
    product is dropped when the line gives a compound weight the product's label does not
    explain ("magnesium hydroxide 400 mg", "Maalox 4 tablets (magnesium hydroxide 200 mg
    each)"): the generic's weight is used then."""
    dose = doses.read_dose(text)
    volume = dose.volume
    masses = _mass_amounts(dose)
    unit = "ml" if volume else "tablet" if dose.count.written else None
    product = find_product(dose.text, unit)
    if product is not None and product.strength is not None:
        dose = doses.read_dose(text, strength=product.strength)
        masses = _mass_amounts(dose)
    if product is not None and unit is None and masses and product.per == "ml":
        product = None  # "magnesium hydroxide 400 mg": the generic's compound weight
    if product is not None and product.unreadable and masses:
        notes.append(f"{product.name}: the amount written on the line is used.")
        product = None  # "Maalox 4 tablets (magnesium hydroxide 200 mg each)"
    if masses and unit is None:
        product = None  # a weight and no tablets or mL: the generic's compound weight
    return _MineralDose(dose, volume, masses, product)


def _product_minerals(reading: MineralReading, product: ProductStrength, dose: doses.Dose,
                      volume: doses.Volume | None
                      ) -> tuple[dict[str, float], dict[str, float]] | None:
    """Daily (usual, upper) amounts from a named product's label per tablet or per mL, or
    None with ``reading.reason`` set."""
    notes = reading.assumptions
    reading.product = product.id
    reading.citations = list(product.citations)
    if product.unreadable:
        reading.reason = product.unreadable
        return None
    if product.per == "ml":
        if volume is None:
            reading.reason = (f"no amount of {product.name} given: write the volume taken, "
                              "e.g. '30 ml daily'")
            return None
        if volume.bottles is not None:
            notes.append(f"A bottle counted as {ML_PER_BOTTLE:g} mL (10 fl oz).")
            ml, ml_high = volume.bottles * ML_PER_BOTTLE, volume.bottles * ML_PER_BOTTLE
        else:
            ml, ml_high = volume.ml or 0.0, volume.ml_high or volume.ml or 0.0
        usual_units = ml * dose.frequency.usual_per_day
        high_units = ml_high * dose.frequency.max_per_day
    else:
        if not dose.count.written:
            reading.reason = (f"how many {product.name} tablets are taken is not given: "
                              "write e.g. '2 tablets daily'")
            return None
        usual_units, high_units = dose.units_per_day()
    if product.note:
        notes.append(product.note)
    daily = {k: v * usual_units / product.per_amount for k, v in product.contents.items()}
    upper = {k: v * max(high_units, usual_units) / product.per_amount
             for k, v in product.contents.items()}
    return daily, upper


def _generic_minerals(reading: MineralReading, match: MedicationMatch, dose: doses.Dose,
                      masses: list[doses.Amount]
                      ) -> tuple[dict[str, float], dict[str, float]] | None:
    """Daily (usual, upper) amounts from a generic's compound weight written on the line
    times its form's elemental fraction, or None with ``reading.reason`` set."""
    generic = next((g for g in match.generics if g in _generics()), None)
    if generic is None:
        reading.reason = "the medicine's calcium or magnesium content is not known: " \
                         "give the label's amount"
        return None
    rule = _generics()[generic]
    reading.citations = list(citations(rule))
    if rule["mg_basis"] != "compound":
        reading.reason = rule["reason"]
        return None
    if not masses:
        reading.reason = (f"no amount of {generic} given: write the mg per dose from the "
                          "label, e.g. '400 mg twice daily'")
        return None
    mass = masses[0]
    mg = doses.to_mg(mass.value, mass.unit) or 0.0
    mg_high = doses.to_mg(mass.high, mass.unit) or mg
    fraction, nutrient = _form_fractions()[rule["form"]]
    count = dose.count
    per_tablet_usual, per_tablet_high = dose.units_per_day()
    reading.assumptions.append(
        f"{mg:g} mg is the weight of {generic}, as on a Drug Facts label: "
        f"× {fraction:.3f} = {mg * fraction:.0f} mg {nutrient}"
        + (f", × {count.value:g} tablets" if count.written else "") + ".")
    key = f"{nutrient}_mg"
    return {key: mg * fraction * per_tablet_usual}, {key: mg_high * fraction * per_tablet_high}


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
