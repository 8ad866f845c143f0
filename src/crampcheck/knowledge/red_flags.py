"""Red flags: symptoms and cramp events that need a clinician (or urgent care) first.

The flags live in ``knowledge/data/red_flags.toml`` (safety rules: docs/ARCHITECTURE.md,
section 5). A flag is raised by a free-text symptom when

* one of its ``phrases`` occurs in the text as whole words, or approximately (rapidfuzz
  ``fuzz.partial_ratio`` ≥ :data:`PHRASE_CUTOFF` for phrases of 8 or more letters), or
* the text contains a word from every group of one of its ``patterns``,

and the match is not negated and no ``exclude`` phrase applies. Cramp events raise flags through
structured triggers: the muscle (chest, arm, abdomen), the duration, and newly started
medicines.

Negation is read per clause: the text is split at punctuation and at "but", "however", "then",
"although", "though", "except", and at "and"/"with" when a new statement follows ("no fever and
my calf is swollen"), but not in a list ("denies chest pain and shortness of breath"). Inside a
clause, a negation word ("no", "not", "denies", "without", "never", "nil"…) negates what follows
it; a clause after a comma carries the negation on when it continues a list with "or"/"nor" ("no
chest pain, breathlessness or calf swelling"). When in doubt the text is read as present: a
missed red flag costs more than a needless check.

Some flags apply only in a situation (``context``): pregnancy or the weeks after birth
(pre-eclampsia), a medicine class (digoxin, lithium), a condition (heart failure), or words in
any symptom or condition ("stopped drinking"). :func:`match_symptom` checks them when given a
:class:`FlagContext`; :func:`flags_from_labs` raises those that lab results trigger.

These flags describe what was noticed and what to do; they do not diagnose.

References
----------
.. [1] NICE Clinical Knowledge Summaries. Leg cramps: assessment.
.. [2] NHS. Leg cramps; Deep vein thrombosis.
.. [3] NICE NG133 (pre-eclampsia); digoxin and lithium labels (DailyMed); NICE CG100 and CG32
   (alcohol withdrawal, refeeding); ESC Heart Failure Association (weight gain 2 kg in 3 days).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from ..errors import KnowledgeError
from ..models import RECOMMENDATION_KINDS, SEVERITIES, Citation
from . import by_id, citations, parse_entries
from .medicines import match_medication, normalize

KNOWLEDGE_FILE = "red_flags"
#: Minimum rapidfuzz ``fuzz.partial_ratio`` for a misspelled phrase.
PHRASE_CUTOFF = 90.0
#: Minimum rapidfuzz ``fuzz.ratio`` for a misspelled single word in a pattern group.
WORD_CUTOFF = 88.0
NEGATIONS = frozenset({"no", "not", "without", "never", "denies", "denied", "deny", "nor",
                       "none", "isnt", "arent", "nil", "negative", "absent", "free"})
#: Words that end a clause: what follows is a new statement.
CLAUSE_BREAKS = frozenset({"but", "however", "then", "although", "though", "except", "yet",
                           "whereas", "now"})
#: After "and"/"with", these words start a new statement ("no fever and my calf is swollen").
NEW_STATEMENT = frozenset({"i", "im", "my", "it", "its", "the", "a", "an", "now", "this",
                           "today", "since", "have", "has", "had", "am", "is", "was", "there",
                           "she", "he", "her", "his", "they", "their", "feel", "feeling", "got",
                           "left", "right"})
#: Clinical shorthand read as the words it stands for before matching (whole words; "SOB" is
#: not read after "I"/"to", where it is the verb).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"(?<!\bi )(?<!\bto )\bsob(?:oe)?\b", "shortness of breath"),
    (r"\bdib\b", "difficulty breathing"),
    (r"\bcp\b", "chest pain"),
    (r"\bn\s*(?:&|and|/)\s*v\b", "nausea and vomiting"),
    (r"\bdoe\b", "shortness of breath on exertion"),
    (r"\bloc\b", "passed out"),
)
#: A clause made only of these words negates the clause before it ("chest pain: none",
#: "numbness - nil", "swelling? no").
TRAILING_NEGATIONS = frozenset({"no", "none", "nil", "negative", "absent", "denied", "denies",
                                "not present", "neg"})
#: Pounds per kilogram (international avoirdupois pound, 0.45359237 kg).
LB_PER_KG = 2.20462262


@dataclass(frozen=True)
class RedFlag:
    """One red flag from ``red_flags.toml`` with its fields typed."""

    id: str
    name: str
    severity: str
    recommendation_kind: str
    summary: str
    advice: str
    phrases: tuple[str, ...]
    exclude: tuple[str, ...]
    patterns: tuple[tuple[tuple[str, ...], ...], ...]
    cramp_muscles: tuple[str, ...]
    min_cramp_minutes: float | None
    new_medicine_classes: tuple[str, ...]
    citations: tuple[Citation, ...]
    grade: str
    context: dict[str, Any] = field(default_factory=dict)
    lab_triggers: tuple[tuple[str, str], ...] = ()
    weight_gain: tuple[float, float] | None = None
    superseded_by: tuple[str, ...] = ()
    bmi_below: float | None = None
    days_without_food: float | None = None
    blood_pressure: dict[str, Any] = field(default_factory=dict)
    recent_stop: dict[str, Any] = field(default_factory=dict)

    @property
    def contextual(self) -> bool:
        """True when the flag applies only in a situation (pregnancy, a medicine…)."""
        return bool(self.context)


@dataclass(frozen=True)
class FlagContext:
    """The situation contextual red flags need (see ``context`` in ``red_flags.toml``).

    Attributes
    ----------
    pregnant : bool
        ``person.pregnant``.
    medication_classes : frozenset of str
        Class ids of every medicine taken.
    conditions : frozenset of str
        Condition ids matched in the case.
    texts : tuple of str
        Normalised symptom and condition texts (for context phrases such as "stopped drinking").
    labs : mapping of str to str
        Lab test id to status (``"low"``, ``"normal"``, ``"high"``).
    """

    pregnant: bool = False
    medication_classes: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ()
    labs: Mapping[str, str] = field(default_factory=dict)
    interactions: frozenset[str] = frozenset()

    def satisfies(self, flag: RedFlag) -> bool:
        """Whether this situation is one the flag applies to (any one context item is enough)."""
        ctx = flag.context
        if not ctx:
            return True
        if set(ctx.get("interactions", ())) & self.interactions:
            return True
        if ctx.get("pregnancy") and self.pregnant:
            return True
        if set(ctx.get("medication_classes", ())) & self.medication_classes:
            return True
        if set(ctx.get("conditions", ())) & self.conditions:
            return True
        if flag.bmi_below is not None:
            bmi = bmi_in(self.texts)
            if bmi is not None and bmi < flag.bmi_below:
                return True
        for phrase in ctx.get("phrases", ()):
            words = normalize(phrase).split()
            for text in self.texts:
                for clause, negated in read_clauses(text):
                    if phrase_at(clause, negated, words) is not None:
                        return True
        return False


@dataclass(frozen=True)
class RedFlagMatch:
    """A red flag raised by some text or cramp event.

    Attributes
    ----------
    flag : RedFlag
    text : str
        The symptom text, or a description of the cramp event.
    matched : str
        The phrase, words or trigger that raised it.
    citations : list of Citation
    """

    flag: RedFlag
    text: str
    matched: str
    citations: list[Citation]

    @property
    def severity(self) -> str:
        return self.flag.severity

    @property
    def recommendation_kind(self) -> str:
        return self.flag.recommendation_kind


def _parse(raw: dict[str, Any]) -> RedFlag:
    where = f"{KNOWLEDGE_FILE}.toml {raw.get('id', '?')}"
    severity = raw.get("severity")
    if severity not in ("urgent", "high"):
        raise KnowledgeError(f"{where}: severity must be urgent or high")
    kind = raw.get("recommendation_kind")
    if kind not in RECOMMENDATION_KINDS[:2]:
        raise KnowledgeError(f"{where}: recommendation_kind must be urgent_care or clinician")
    patterns = tuple(
        tuple(tuple(normalize(w) for w in group) for group in pattern["all_of"])
        for pattern in raw.get("patterns", [])
    )
    minutes = raw.get("min_cramp_minutes")
    context = dict(raw.get("context", {}))
    unknown = set(context) - {"pregnancy", "medication_classes", "conditions", "phrases",
                              "interactions"}
    if unknown:
        raise KnowledgeError(f"{where}: unknown context keys {sorted(unknown)}")
    weight_gain = None
    if raw.get("weight_gain_kg") is not None:
        weight_gain = (float(raw["weight_gain_kg"]), float(raw.get("weight_gain_days", 7)))
    return RedFlag(
        id=raw["id"],
        name=raw["name"],
        severity=severity,
        recommendation_kind=kind,
        summary=raw["summary"],
        advice=raw["advice"],
        phrases=tuple(raw.get("phrases", [])),
        exclude=tuple(raw.get("exclude", [])),
        patterns=patterns,
        cramp_muscles=tuple(normalize(m) for m in raw.get("cramp_muscles", [])),
        min_cramp_minutes=None if minutes is None else float(minutes),
        new_medicine_classes=tuple(raw.get("new_medicine_classes", [])),
        citations=tuple(citations(raw)),
        grade=raw["grade"],
        context=context,
        lab_triggers=tuple((t["test"], t["status"]) for t in raw.get("lab_triggers", [])),
        weight_gain=weight_gain,
        superseded_by=tuple(raw.get("superseded_by", ())),
        bmi_below=None if raw.get("bmi_below") is None else float(raw["bmi_below"]),
        days_without_food=(None if raw.get("days_without_food") is None
                           else float(raw["days_without_food"])),
        blood_pressure=dict(raw.get("blood_pressure", {})),
        recent_stop=dict(raw.get("recent_stop", {})),
    )


@cache
def all_red_flags() -> tuple[RedFlag, ...]:
    """Every red flag, in file order."""
    return parse_entries(KNOWLEDGE_FILE, "red_flags", _parse, "red flag")


def get_red_flag(flag_id: str) -> RedFlag:
    """One red flag by id; raises KeyError for an unknown id."""
    return by_id(all_red_flags(), flag_id)


def read_clauses(text: str) -> list[tuple[list[str], list[bool]]]:
    """Normalised words of ``text`` by clause, each with a negated-or-not mark per word.

    See the module docstring for how clauses and negation are read.
    """
    out: list[tuple[list[str], list[bool]]] = []
    carry = False  # a negated list continued after a comma ("no fever, chills or pain")
    for segment in re.split(r"[,;.:!?()\[\]\n]+|\s[-\u2013\u2014/]+\s", expand(text)):
        words = normalize(segment).split()
        if not words:
            continue
        if " ".join(words) in TRAILING_NEGATIONS and out:
            # "chest pain: none": the statement before is what is absent
            prev_clause, _ = out[-1]
            out[-1] = (prev_clause, [True] * len(prev_clause))
            carry = False
            continue
        clauses: list[list[str]] = [[]]
        for i, word in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if word in CLAUSE_BREAKS or (word in ("and", "with", "plus") and nxt in NEW_STATEMENT):
                clauses.append([])
                continue
            clauses[-1].append(word)
        clauses = [c for c in clauses if c]
        for n, clause in enumerate(clauses):
            inherit = carry and n == 0 and any(w in ("or", "nor") for w in clause)
            marks, negated = [], inherit
            for word in clause:
                marks.append(negated)  # the negation word itself is not negated ("not peeing")
                if word in NEGATIONS and word not in ("free", "negative", "absent"):
                    negated = True
            # "pain free", "calf swelling absent", "dvt negative": the words before are negated
            if clause[-1] in ("free", "absent", "negative") or _ruled_out(clause):
                marks = [True] * len(clause)
            out.append((clause, marks))
        last = clauses[-1] if clauses else []
        carry = bool(last) and out[-1][1][-1] if out else False
    return out


def _ruled_out(clause: list[str]) -> bool:
    """"DVT ruled out", "clot excluded on scan": what comes before is absent."""
    joined = " ".join(clause)
    return bool(re.search(r"\b(ruled out|was excluded|been excluded|excluded on)\b", joined))


def expand(text: str) -> str:
    """``text`` with clinical shorthand written out (:data:`ABBREVIATIONS`)."""
    out = text
    for pattern, words in ABBREVIATIONS:
        out = re.sub(pattern, words, out, flags=re.IGNORECASE)
    return out


def phrase_at(tokens: list[str], negated: list[bool], phrase: list[str],
               ignore_negation: bool = False) -> int | None:
    n = len(phrase)
    for start in range(len(tokens) - n + 1):
        if tokens[start : start + n] == phrase and (ignore_negation or not negated[start]):
            return start
    return None


def _contains(clause: list[str], negated: list[bool], phrase: str,
              ignore_negation: bool = False) -> bool:
    words = normalize(phrase).split()
    if not words:
        return False
    if phrase_at(clause, negated, words, ignore_negation) is not None:
        return True
    joined = " ".join(words)
    text = " ".join(clause)
    if len(joined.replace(" ", "")) < 8 or len(text) < len(joined) - 2:
        return False
    alignment = fuzz.partial_ratio_alignment(joined, text, score_cutoff=PHRASE_CUTOFF)
    if alignment is None:
        return False
    # whole words only: "bad headache" must not match inside "mild headache"
    begin, end = alignment.dest_start, alignment.dest_end
    if (begin > 0 and text[begin - 1] != " ") or (end < len(text) and text[end] != " "
                                                  and text[end - 1] != " "):
        return False
    first = len(text[:begin].split())
    last = max(first, len(text[:end].split()) - 1)
    span = range(min(first, len(clause) - 1), min(last, len(clause) - 1) + 1)
    if len(span) != len(words):  # a misspelling, not a phrase spread over other words
        return False
    return ignore_negation or not any(negated[i] for i in span)


def _word_in(clause: list[str], negated: list[bool], word: str,
             ignore_negation: bool = False) -> bool:
    parts = word.split()
    if len(parts) > 1:
        return phrase_at(clause, negated, parts, ignore_negation) is not None
    for i, token in enumerate(clause):
        if negated[i] and not ignore_negation:
            continue
        if token == word:
            return True
        # a misspelling keeps its first letter ("eating" is not "statin")
        if len(word) >= 5 and len(token) >= 5 and token[0] == word[0] \
                and fuzz.ratio(token, word) >= WORD_CUTOFF:
            return True
    return False


def _flag_hit(flag: RedFlag, clauses: list[tuple[list[str], list[bool]]], raw: str,
              ignore_negation: bool = False, context: FlagContext | None = None) -> str | None:
    if flag.blood_pressure:
        hit = _bp_hit(flag, raw, context)
        if hit is not None or not (flag.phrases or flag.patterns):
            return hit
    for clause, negated in clauses:
        hit = _clause_hit(flag, clause, negated, ignore_negation)
        if hit is not None:
            return hit
    return _measure_hit(flag, clauses, raw, ignore_negation, context)


def _clause_hit(flag: RedFlag, clause: list[str], negated: list[bool],
                ignore_negation: bool) -> str | None:
    """The flag's phrase or pattern found in one clause. An exclude phrase ("both calves")
    speaks for its own clause only: "cramps in both calves; left calf swollen" still raises
    the one-sided flag."""
    if any(phrase_at(clause, negated, normalize(p).split()) is not None for p in flag.exclude):
        return None
    for phrase in flag.phrases:
        if _contains(clause, negated, phrase, ignore_negation):
            return phrase
    for pattern in flag.patterns:
        hits = []
        for group in pattern:
            word = next((w for w in group if _word_in(clause, negated, w, ignore_negation)),
                        None)
            if word is None:
                break
            hits.append(word)
        else:
            return " + ".join(hits)
    return None


def _measure_hit(flag: RedFlag, clauses: list[tuple[list[str], list[bool]]], raw: str,
                 ignore_negation: bool, context: FlagContext | None) -> str | None:
    """The flag raised by a number written in the text: a BMI, days without food, a recent
    stop, a weight gain over some days."""
    if flag.bmi_below is not None:
        bmi = bmi_in([raw, *(context.texts if context else ())])
        if bmi is not None and bmi < flag.bmi_below:
            return f"BMI {bmi:g}"
    if flag.days_without_food is not None:
        days = days_without_food(raw)
        if days is not None and days >= flag.days_without_food:
            return f"little or no food for {days:g} days"
    if flag.recent_stop:
        hit = _recent_stop_hit(flag.recent_stop, clauses, ignore_negation)
        if hit is not None:
            return hit
    if flag.weight_gain is not None:
        gain = weight_gain(raw)
        if gain is not None and gain[0] >= flag.weight_gain[0] - 1e-9 \
                and gain[1] <= flag.weight_gain[1] + 1e-9:
            return f"weight up {gain[0]:.1f} kg in {gain[1]:g} day(s)"
    return None


_BP_RE = re.compile(r"(?:\b(?:bp|b\s*p|blood\s+pressure|pressure)\b[^0-9]{0,20})?"
                    r"\b(\d{2,3})\s*(?:/|over)\s*(\d{2,3})\b(?!\s*(?:weeks?|wks?|days?))")
_BP_WORDS_RE = re.compile(r"\b(bp|b\s*p|blood\s+pressure|mm\s*hg|mmhg)\b")
_WEEKS_RE = re.compile(r"\b(\d{1,2})\s*(?:\+\s*\d\s*)?(?:weeks?|wks?|w)\b(?:\s*(?:pregnant|"
                       r"gestation|along))?|\b(?:week|wk)\s*(\d{1,2})\b")


def blood_pressure(text: str) -> tuple[int, int] | None:
    """The blood pressure written in ``text`` ("BP 152/98", "blood pressure 150 over 100",
    "148/92 mmHg") as (systolic, diastolic) in mmHg; None without a reading that says it is a
    blood pressure (a bare "1/2" is not one). The highest reading wins when there are several.
    """
    s = text.lower()
    if not _BP_WORDS_RE.search(s):
        return None
    best: tuple[int, int] | None = None
    for m in _BP_RE.finditer(s):
        sys_, dia = int(m.group(1)), int(m.group(2))
        if not (60 <= sys_ <= 300 and 30 <= dia <= 200 and sys_ > dia):
            continue
        if best is None or (sys_, dia) > best:
            best = (sys_, dia)
    return best


def gestation_weeks(texts: Iterable[str]) -> int | None:
    """Weeks of pregnancy written in any of ``texts`` ("32 weeks pregnant", "34+2 weeks",
    "week 26"); None when no text says."""
    for text in texts:
        s = text.lower()
        if _BP_WORDS_RE.search(s) is None and "preg" not in s and "gestation" not in s \
                and not re.search(r"\bweeks?\b|\bwks?\b", s):
            continue
        m = _WEEKS_RE.search(s)
        if m:
            weeks = int(m.group(1) or m.group(2))
            if 4 <= weeks <= 43:
                return weeks
    return None


def _bp_hit(flag: RedFlag, raw: str, context: FlagContext | None) -> str | None:
    rule = flag.blood_pressure
    bp = blood_pressure(raw)
    if not rule or bp is None:
        return None
    sys_, dia = bp
    high = sys_ >= rule["systolic"] or dia >= rule["diastolic"]
    severe = "severe_systolic" in rule and (sys_ >= rule["severe_systolic"]
                                            or dia >= rule["severe_diastolic"])
    texts = [raw, *(context.texts if context else ())]
    weeks = gestation_weeks(texts)
    if "from_week" in rule:
        if severe or (high and (weeks is None or weeks >= rule["from_week"])):
            where = "" if weeks is None else f" at {weeks} weeks"
            return f"blood pressure {sys_}/{dia} mmHg{where}"
    elif "before_week" in rule:
        if high and not severe and weeks is not None and weeks < rule["before_week"]:
            return f"blood pressure {sys_}/{dia} mmHg at {weeks} weeks"
    elif high:
        return f"blood pressure {sys_}/{dia} mmHg"
    return None


_NUMBER = r"(\d+(?:[.,]\d+)?)"
_BMI_RE = re.compile(r"\bbmi\s*(?:of|is|was|=|:)?\s*(\d{1,2}(?:[.,]\d+)?)\b")
_NO_FOOD_RE = re.compile(
    r"\b(?:not|hardly|barely|haven\W?t|have not|without|no|little|fasted|fasting|starved|"
    r"starving|water fast(?:ed|ing)?)\b[^.;]{0,40}?\b(?:for|in|over|the last|the past)?\s*"
    r"(\d+(?:[.,]\d+)?|a|one|two|three)\s*(days?|weeks?)\b")
_WORD_NUMBERS = {"a": 1.0, "one": 1.0, "two": 2.0, "three": 3.0}


def bmi_in(texts: Iterable[str]) -> float | None:
    """The lowest BMI written in ``texts`` ("BMI 14.8", "bmi of 15"); None when none is."""
    found = [float(m.group(1).replace(",", ".")) for t in texts
             for m in _BMI_RE.finditer(t.lower())]
    found = [v for v in found if 8 <= v <= 80]
    return min(found) if found else None


def days_without_food(text: str) -> float | None:
    """Days of eating little or nothing written in ``text`` ("not eaten for 12 days", "fasted
    for 2 weeks", "hardly eaten in a week"); None when the text does not say."""
    m = _NO_FOOD_RE.search(text.lower())
    if m is None:
        return None
    raw = m.group(1)
    n = _WORD_NUMBERS.get(raw) or float(raw.replace(",", "."))
    return n * 7 if m.group(2).startswith("week") else n


_AGO_RE = re.compile(
    r"\b(\d+(?:[.,]\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|"
    r"a couple of|couple of)\s*(hours?|hrs?|days?|nights?|weeks?|wks?|months?|years?)\b"
    r"|\b(yesterday|last night|this morning|today|tonight|overnight|earlier today)\b")
_WORD_DAYS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0,
              "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0,
              "a few": 3.0, "few": 3.0, "a couple of": 2.0, "couple of": 2.0}
_UNIT_DAYS = {"h": 1 / 24, "d": 1.0, "n": 1.0, "w": 7.0, "m": 30.0, "y": 365.0}


def days_ago(text: str) -> float | None:
    """How many days back ``text`` places something ("3 days ago", "yesterday", "48 hours ago",
    "two weeks ago"); None when it gives no time."""
    m = _AGO_RE.search(text.lower())
    if m is None:
        return None
    if m.group(3):
        return 1.0 if m.group(3) in ("yesterday", "last night") else 0.5
    raw = m.group(1)
    n = _WORD_DAYS.get(raw)
    if n is None:
        n = float(raw.replace(",", "."))
    return n * _UNIT_DAYS[m.group(2)[0]]


def _recent_stop_hit(rule: Mapping[str, Any], clauses: list[tuple[list[str], list[bool]]],
                     ignore_negation: bool) -> str | None:
    """``recent_stop``: a stop phrase ("stopped drinking") said within ``max_days`` ("3 days
    ago"), or with no time at all when ``unstated`` is true."""
    for clause, negated in clauses:
        for phrase in rule.get("phrases", ()):
            if not _contains(clause, negated, phrase, ignore_negation):
                continue
            days = days_ago(" ".join(clause))
            if days is None:
                if rule.get("unstated", False):
                    return f"{phrase} (when not stated)"
                continue
            if days <= float(rule.get("max_days", 0)) + 1e-9:
                return f"{phrase} {days:g} day(s) ago"
    return None


_WEIGHT_RE = re.compile(_NUMBER + r"\s*(kg|kgs|kilo|kilos|kilograms?|lb|lbs|pounds?)\b")
_DAYS_RE = re.compile(r"(?:in|over|within|during|past|last)\s+(?:the\s+)?(?:last\s+|past\s+)?"
                      + _NUMBER + r"\s*(days?|weeks?)\b|\b(a|one)\s+(day|week)\b"
                      r"|\b(overnight|since yesterday)\b")
_GAIN_RE = re.compile(r"\b(gain|gained|gaining|up|put on|increase|increased|heavier|more)\b")


def weight_gain(text: str) -> tuple[float, float] | None:
    """Weight gained and over how many days, from text such as "weight up 2.5 kg in 3 days",
    "gained 5 lb over 2 days" or "put on 2 kilos since yesterday"; None when the text does
    not state both (or says there was no gain).

    Returns
    -------
    (kg, days) or None
        Pounds are converted (1 kg = 2.2046 lb); a week is 7 days, "overnight" 1 day.
    """
    s = text.lower()
    if not _GAIN_RE.search(s) or re.search(r"\b(no|not|without)\b[^.,;]*\b(gain|weight)", s):
        return None
    w = _WEIGHT_RE.search(s)
    d = _DAYS_RE.search(s)
    if w is None or d is None:
        return None
    amount = float(w.group(1).replace(",", "."))
    kg = amount / LB_PER_KG if w.group(2).startswith(("lb", "pound")) else amount
    if d.group(1):
        days = float(d.group(1).replace(",", "."))
        days *= 7 if d.group(2).startswith("week") else 1
    elif d.group(4):
        days = 7.0 if d.group(4) == "week" else 1.0
    else:
        days = 1.0
    return kg, days


def _sorted(matches: list[RedFlagMatch]) -> list[RedFlagMatch]:
    order = {f.id: i for i, f in enumerate(all_red_flags())}
    return sorted(
        matches, key=lambda m: (-SEVERITIES.index(m.flag.severity), order[m.flag.id])
    )


def match_symptom(text: str, context: FlagContext | None = None, *,
                  ignore_negation: bool = False) -> list[RedFlagMatch]:
    """Red flags that a free-text symptom raises (zero or more), most severe first.

    Parameters
    ----------
    text : str
        What the person wrote, e.g. ``"calf swelling on one side"``, ``"tingling lips"``.
    context : FlagContext, optional
        The person's situation. Flags with a ``context`` (pre-eclampsia, digoxin, lithium,
        alcohol withdrawal, heart failure) are checked only when it satisfies them; without a
        context they are never raised.
    ignore_negation : bool
        Read negated words as present (used to tell "no calf swelling" from an unreadable text).

    Returns
    -------
    list of RedFlagMatch
        Empty when nothing in the text is a red flag (``"feeling thirsty"``).
    """
    clauses = read_clauses(text)
    if not clauses:
        return []
    matches = []
    for flag in all_red_flags():
        if flag.contextual and (context is None or not context.satisfies(flag)):
            continue
        hit = _flag_hit(flag, clauses, text, ignore_negation, context)
        if hit is not None:
            matches.append(RedFlagMatch(flag, text, hit, list(flag.citations)))
    raised = {m.flag.id for m in matches}
    matches = [m for m in matches if not set(m.flag.superseded_by) & raised]
    return _sorted(matches)


def negated_flags(text: str, context: FlagContext | None = None) -> list[RedFlag]:
    """Red flags that ``text`` names only as absent ("no calf swelling", "denies chest pain")."""
    present = {m.flag.id for m in match_symptom(text, context)}
    return [m.flag for m in match_symptom(text, context, ignore_negation=True)
            if m.flag.id not in present]


def negated_flag_phrases(text: str) -> list[str]:
    """Red-flag phrases of any flag, whatever its context, that ``text`` names only as absent
    ("no dizziness"), when every word of the text is negated; empty when any word is not (so
    "no dizziness but my foot is numb" stays unreadable)."""
    clauses = read_clauses(text)
    if not clauses or not all(marks[i] or word in NEGATIONS
                              for clause, marks in clauses for i, word in enumerate(clause)):
        return []
    found: set[str] = set()
    for flag in all_red_flags():
        for phrase in flag.phrases:
            words = normalize(phrase).split()
            if NEGATIONS & set(words):  # "no appetite", "not eating": the phrase is the symptom
                continue
            if any(phrase_at(c, m, words, ignore_negation=True) is not None for c, m in clauses):
                found.add(" ".join(words))
    return sorted(p for p in found if not any(p != q and p in q for q in found))


def flags_from_labs(context: FlagContext) -> list[RedFlagMatch]:
    """Contextual red flags raised by lab results alone (low phosphate after stopping heavy
    drinking), most severe first."""
    matches = []
    for flag in all_red_flags():
        if not flag.lab_triggers or not context.satisfies(flag):
            continue
        hits = [f"{test} {status}" for test, status in flag.lab_triggers
                if context.labs.get(test) == status]
        if hits:
            matches.append(RedFlagMatch(flag, "lab results", ", ".join(hits),
                                        list(flag.citations)))
    return _sorted(matches)


def red_flags_for_cramp(
    muscle: str | None,
    *,
    minutes: float | None = None,
    new_medicines: Iterable[str] = (),
) -> list[RedFlagMatch]:
    """Red flags raised by one cramp event, most severe first.

    Parameters
    ----------
    muscle : str or None
        Where the cramp was (``"calf"``, ``"chest"``, ``"left forearm"``, ``"stomach"``).
        Cramps in the chest, arms, hands or abdomen raise a flag.
    minutes : float, optional
        How long the cramp lasted, in minutes; longer than a flag's ``min_cramp_minutes``
        (10 min) raises it.
    new_medicines : iterable of str
        Medicines started shortly before the cramps began (free text). A statin, or any
        medicine of a class linked to cramps, raises the new-medicine flag.

    Returns
    -------
    list of RedFlagMatch
    """
    matches: list[RedFlagMatch] = []
    muscle_tokens = normalize(muscle or "").split()
    muscle_marks = [False] * len(muscle_tokens)
    described = f"cramp in {muscle}" if muscle else "cramp"
    new_matches = [m for m in (match_medication(t) for t in new_medicines) if m is not None]
    for flag in all_red_flags():
        if flag.contextual:
            continue
        hit: str | None = None
        for name in flag.cramp_muscles:
            words = name.split()
            if words and phrase_at(muscle_tokens, muscle_marks, words) is not None:
                hit = f"muscle: {muscle}"
                break
        if hit is None and flag.min_cramp_minutes is not None and minutes is not None:
            if minutes > flag.min_cramp_minutes:
                hit = f"lasted {minutes:g} minutes"
        if hit is None and flag.new_medicine_classes:
            for med in new_matches:
                ids = set(med.class_ids())
                wanted = set(flag.new_medicine_classes)
                if ids & wanted or ("any_cramp_risk" in wanted and med.cramp_risk):
                    hit = f"new medicine: {med.text}"
                    break
        if hit is not None:
            matches.append(RedFlagMatch(flag, described, hit, list(flag.citations)))
    return _sorted(matches)
