"""One dose grammar for supplement and medicine lines: how much, how many, how often.

``intake/supplements.py`` (supplement labels) and ``knowledge/medicines.py`` (antacids,
laxatives, statin doses) read doses with these functions, so "qid", "every other day" or
"1-2 tablets as needed, up to 4 a day" mean the same thing everywhere. The module imports
nothing from crampcheck (``knowledge/`` may import only ``errors`` and ``models``), so both
layers can use it without an import cycle.

What is read
------------
* **Numbers**: ``2``, ``1.5``, ``.5``, ``1,000``, ``1/2``, ``1 1/2``, ``½``, ``1½``, words
  (``a``, ``an``, ``one`` … ``twelve``, ``half``, ``a quarter``, ``one and a half``).
* **Ranges**: ``200-400 mg``, ``1 to 2 tablets``, ``every 4-6 hours``. A range's *usual*
  value is its middle; its *maximum* is its top, which the upper-limit (UL) check uses.
* **Amounts**: a number with a unit: mg, g, mcg/µg/ug, IU, mEq, mmol, mL (teaspoon 5 mL,
  tablespoon 15 mL, fl oz 30 mL). Vitamin D: 40 IU = 1 µg. Potassium: 1 mEq = 1 mmol =
  39.098 mg; magnesium and calcium: 1 mmol = 24.305 / 40.078 mg, 1 mEq = half that.
* **Count** of tablets, capsules, softgels, gummies, scoops, puffs… per dose: ``2 tablets``,
  ``2 x``, ``x 2``, ``1/2 tab``, ``half a tablet``, ``(two 400 mg tablets)``. When the line
  already states the total ("800 mg (two 400 mg tablets)") the count is not applied twice.
* **Frequency** (doses a day): once, twice, three or four times a day; ``N times a day``;
  bd/bid, tds/tid, qds/qid, qd/od, nocte/mane/qhs, "morning and night", "with meals" (3);
  every N hours (24/N); every other day, every N days; N times a week, twice a week,
  weekly; monthly (12/365). No frequency word means once a day, and the note says so.
* **As needed** (prn, when needed, if required, occasionally): the *usual* use for intake
  is one dose a day unless the line says how often; the *maximum* for the UL check is what
  the line allows ("up to 4 times a day", "max 6 tablets a day"), or the usual when it
  gives none. Both choices are written into the notes.

References
----------
.. [1] NIH Office of Dietary Supplements. Vitamin D: Fact Sheet for Health Professionals
   (1 µg = 40 IU).
.. [2] CIAAW (2021). Standard atomic weights (K 39.098, Mg 24.305, Ca 40.078 g/mol).
.. [3] U.S. Pharmacopeia / label conventions for teaspoon (5 mL) and tablespoon (15 mL).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: g/mol, CIAAW 2021 abridged standard atomic weights.
ATOMIC_WEIGHT_G_MOL: dict[str, float] = {"calcium": 40.078, "magnesium": 24.305,
                                         "potassium": 39.098, "sodium": 22.990}
#: Charge of the ion (mEq = mmol × valence).
VALENCE: dict[str, int] = {"calcium": 2, "magnesium": 2, "potassium": 1, "sodium": 1}
#: International units of vitamin D in one microgram (ODS).
IU_PER_UG_VITAMIN_D = 40.0
#: mL per household measure on US labels.
ML_PER_MEASURE: dict[str, float] = {"ml": 1.0, "tsp": 5.0, "tbsp": 15.0, "fl oz": 30.0}
#: Doses a day of "monthly".
PER_DAY_MONTHLY = 12 / 365

WORD_NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half": 0.5, "a half": 0.5, "half a": 0.5, "half an": 0.5, "a quarter": 0.25,
    "quarter": 0.25, "quarter of a": 0.25, "a quarter of a": 0.25,
    "one and a half": 1.5, "two and a half": 2.5, "once": 1, "twice": 2, "thrice": 3,
}
_UNICODE_FRACTIONS = {"½": "1/2", "¼": "1/4", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "⅛": "1/8"}

#: A number in digits: "1,000", "1.5", ".5", "1 1/2", "1/2" (amounts are written this way).
DIGITS = (r"(?:\d+\s+\d+\s*/\s*\d+|\d+\s*/\s*\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
          r"|\.\d+)")
#: A number as the patterns see it: :func:`prepare` has already written number words as
#: digits ("two tablets" → "2 tablets", "half a tablet" → "1/2 tablet"), which keeps the
#: patterns small and quick to compile.
NUMBER = DIGITS
#: Number words :func:`prepare` rewrites as digits ("a"/"an" stay: "twice a day"; "once",
#: "twice", "thrice" stay: the frequency patterns read them).
_WORDS_AS_DIGITS: tuple[tuple[str, str], ...] = (
    ("one and a half", "1 1/2"), ("two and a half", "2 1/2"), ("a quarter of an?", "1/4"),
    ("quarter of an?", "1/4"), ("a quarter", "1/4"), ("half an?", "1/2"), ("a half", "1/2"),
    ("half", "1/2"), ("quarter", "1/4"), ("one", "1"), ("two", "2"), ("three", "3"),
    ("four", "4"), ("five", "5"), ("six", "6"), ("seven", "7"), ("eight", "8"),
    ("nine", "9"), ("ten", "10"), ("eleven", "11"), ("twelve", "12"),
)
_WORDS_AS_DIGITS_RE = re.compile(
    r"\b(" + "|".join(w for w, _ in _WORDS_AS_DIGITS) + r")\b")
_WORD_TO_DIGITS = {w: d for w, d in _WORDS_AS_DIGITS}
_RANGE_SEP = r"\s*(?:-|to|or)\s*"
UNIT_WORDS = (r"tablets?|tabs?|caplets?|capsules?|caps?|softgels?|soft gels?|gel ?caps?|pills?"
              r"|gummies|gummy|chewables?|lozenges?|scoops?|sachets?|servings?|drops?|puffs?"
              r"|sprays?|packets?|stick packs?|effervescent tablets?")
_MASS_UNITS = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gm": "g", "gram": "g",
    "grams": "g", "mcg": "ug", "ug": "ug", "µg": "ug", "μg": "ug", "microgram": "ug",
    "micrograms": "ug", "iu": "iu", "i.u.": "iu", "international unit": "iu",
    "international units": "iu", "unit": "iu", "units": "iu", "meq": "meq", "mmol": "mmol",
}
_UNIT = (r"mg|milligrams?|gm|grams?|g|mcg|ug|µg|μg|micrograms?|i\.u\.|iu|international units?"
         r"|units?|meq|mmol")
_VOLUME_UNIT = (r"ml|millilit(?:re|er)s?|tsp|teaspoon(?:ful)?s?|tbsp|tablespoon(?:ful)?s?"
                r"|fl\.?\s*oz|fluid ounces?")


# --------------------------------------------------------------------------------------------
# text and numbers
# --------------------------------------------------------------------------------------------


def prepare(text: str) -> str:
    """Lower case, ``×`` as ``x``, dashes as ``-``, unicode fractions as ``1/2``, number words
    as digits, one space.

    ``"1½ tabs × 2"`` → ``"1 1/2 tabs x 2"``; ``"half a tablet three times a week"`` →
    ``"1/2 tablet 3 times a week"``; ``"Magnesium (as glycinate) 100 mg"`` keeps its
    parentheses (they carry meaning for supplement labels).
    """
    s = text
    for fraction, ascii_fraction in _UNICODE_FRACTIONS.items():
        s = re.sub(rf"(\d)\s*{fraction}", rf"\1 {ascii_fraction}", s)
        s = s.replace(fraction, f" {ascii_fraction}")
    s = unicodedata.normalize("NFKC", s).replace("\u2044", "/")
    s = s.lower().replace("×", " x ").replace("–", "-").replace("—", "-")
    s = s.replace("µg", "ug").replace("μg", "ug")
    s = _WORDS_AS_DIGITS_RE.sub(_word_digits, s)
    return re.sub(r"\s+", " ", s).strip()


def _word_digits(m: re.Match[str]) -> str:
    word = m.group(1)
    if word in _WORD_TO_DIGITS:
        return _WORD_TO_DIGITS[word]
    for pattern, digits in _WORDS_AS_DIGITS:  # "half a" / "half an"
        if re.fullmatch(pattern, word):
            return digits
    return word


def number(raw: str) -> float:
    """The value of one :data:`NUMBER` match: ``"1 1/2"`` → 1.5, ``"1,000"`` → 1000,
    ``"half a"`` → 0.5, ``"three"`` → 3. A fraction over zero is 0 (then rejected as a
    dose by the caller)."""
    raw = re.sub(r"\s+", " ", raw.strip())
    if raw in WORD_NUMBERS:
        return float(WORD_NUMBERS[raw])
    whole = 0.0
    m = re.fullmatch(r"(\d+) (\d+\s*/\s*\d+)", raw)
    if m:
        whole, raw = float(m.group(1)), m.group(2)
    if "/" in raw:
        top, bottom = (float(p) for p in raw.split("/"))
        return whole + (top / bottom if bottom else 0.0)
    return whole + float(raw.replace(",", ""))


def format_number(value: float) -> str:
    """``1.5`` → ``"1.5"``, ``0.142857`` → ``"0.143"``."""
    return f"{value:.3g}" if value < 10 else f"{value:,.4g}"


# --------------------------------------------------------------------------------------------
# amounts (mg, IU, mEq, mL)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A number with a unit found in a line.

    Attributes
    ----------
    value : float
        The usual amount (the middle of a range).
    high : float
        The top of a range (``value`` when no range was written); the UL check uses it.
    unit : str
        ``mg``, ``g``, ``ug``, ``iu``, ``meq``, ``mmol`` or ``ml``.
    start, end : int
        Where it is in the prepared text (``end`` exclusive).
    low : float
        The bottom of a range (``value`` when no range).
    negative : bool
        A minus sign was written before the number ("-200 mg").
    """

    value: float
    high: float
    unit: str
    start: int
    end: int
    low: float
    negative: bool = False

    @property
    def is_range(self) -> bool:
        return self.high != self.low


_AMOUNT_RE = re.compile(
    rf"(?<![\w.,])(-)?({DIGITS})(?:{_RANGE_SEP}({DIGITS}))?\s*({_UNIT})(?![a-z])"
)
_VOLUME_RE = re.compile(
    rf"(?<![\w.,])({NUMBER})(?:{_RANGE_SEP}({DIGITS}))?\s*({_VOLUME_UNIT}|bottles?)(?![a-z])"
)


_VOLUME_HINT = re.compile(r"ml|millilit|tsp|teaspoon|tbsp|tablespoon|oz|ounce|bottle")


def _unit_name(raw: str) -> str:
    return _MASS_UNITS.get(raw.replace(" ", " "), raw)


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a mass, IU, mEq or mmol unit in prepared ``text``, in order.

    A range (``200-400 mg``, ``1 to 2 g``) is one amount whose ``value`` is its middle and
    ``high`` its top; a range written the wrong way round (``400-200 mg``) is read as two
    numbers and only the last carries the unit.
    """
    out: list[Amount] = []
    for m in _AMOUNT_RE.finditer(text):
        low = number(m.group(2))
        unit = _unit_name(m.group(4))
        negative = bool(m.group(1))
        if m.group(3) is not None:
            high = number(m.group(3))
            if high > low:
                out.append(Amount((low + high) / 2, high, unit, m.start(), m.end(), low,
                                  negative))
                continue
            out.append(Amount(high, high, unit, m.start(3), m.end(), high, False))
            continue
        out.append(Amount(low, low, unit, m.start(), m.end(), low, negative))
    return out


def _ml_per(unit: str) -> float | None:
    unit = re.sub(r"\s+", " ", unit.replace(".", ""))
    if unit.startswith(("ml", "millilit")):
        return ML_PER_MEASURE["ml"]
    if unit.startswith(("tsp", "teaspoon")):
        return ML_PER_MEASURE["tsp"]
    if unit.startswith(("tbsp", "tablespoon")):
        return ML_PER_MEASURE["tbsp"]
    if unit.startswith("bottle"):
        return None
    return ML_PER_MEASURE["fl oz"]


@dataclass(frozen=True)
class Volume:
    """A liquid measure: ``ml`` (usual, middle of a range), ``ml_high`` (top of a range);
    ``bottles`` is set instead when the line counts bottles."""

    ml: float | None
    ml_high: float | None
    bottles: float | None
    start: int
    end: int


def find_volume(text: str) -> Volume | None:
    """The first liquid measure in prepared ``text`` (``"30 ml"``, ``"2 tbsp"``, ``"1-2 tsp"``,
    ``"1 bottle"``), or None."""
    if not _VOLUME_HINT.search(text):
        return None
    m = _VOLUME_RE.search(text)
    if m is None:
        return None
    low = number(m.group(1))
    high = number(m.group(2)) if m.group(2) else low
    high = max(high, low)
    per = _ml_per(m.group(3))
    if per is None:
        return Volume(None, None, (low + high) / 2, m.start(), m.end())
    return Volume((low + high) / 2 * per, high * per, None, m.start(), m.end())


def volume_ml(text: str) -> float | None:
    """The volume written in ``text`` in mL ("30 ml", "2 tbsp" = 30, "1 fl oz" = 30), or None."""
    found = find_volume(prepare(text))
    return None if found is None else found.ml


def to_mg(value: float, unit: str, element: str | None = None) -> float | None:
    """An amount in mg: g × 1000, µg / 1000; mmol × atomic weight, mEq × atomic weight /
    valence (``element`` needed); IU → None (not a mass)."""
    if unit == "mg":
        return value
    if unit == "g":
        return value * 1000
    if unit == "ug":
        return value / 1000
    if unit in ("mmol", "meq") and element in ATOMIC_WEIGHT_G_MOL:
        mg = value * ATOMIC_WEIGHT_G_MOL[element]
        return mg / VALENCE[element] if unit == "meq" else mg
    return None


def meq_to_mg(meq: float, element: str = "potassium") -> float:
    """Milliequivalents of an ion in mg (1 mEq potassium = 39.098 mg)."""
    return meq * ATOMIC_WEIGHT_G_MOL[element] / VALENCE[element]


def mg_to_meq(mg: float, element: str = "potassium") -> float:
    """mg of an ion in milliequivalents (782 mg potassium = 20 mEq)."""
    return mg * VALENCE[element] / ATOMIC_WEIGHT_G_MOL[element]


def iu_to_ug(iu: float) -> float:
    """Vitamin D: international units in µg (2,000 IU = 50 µg)."""
    return iu / IU_PER_UG_VITAMIN_D


def ug_to_iu(ug: float) -> float:
    """Vitamin D: µg in international units (25 µg = 1,000 IU)."""
    return ug * IU_PER_UG_VITAMIN_D


# --------------------------------------------------------------------------------------------
# how many per dose
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Tablets (capsules, scoops…) per dose: ``value`` usual (middle of a range), ``high``
    the top of a range; ``start``/``end`` the span read (None when nothing was written);
    ``strength`` an amount written with the count ("two 400 mg tablets": 400 mg)."""

    value: float = 1.0
    high: float = 1.0
    start: int | None = None
    end: int | None = None
    written: bool = False
    strength: Amount | None = None


_COUNT_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(]))({NUMBER})(?:{_RANGE_SEP}({NUMBER}))?\s*"
    rf"(?:x(?![a-z])\s*|\*\s*|(?:{UNIT_WORDS})(?![a-z])(?:\s+of(?![a-z]))?\s*)"
)
_COUNT_AFTER = re.compile(
    rf"(?:(?<=\s)|(?<=\d)|^)(?:x|\*)\s*({NUMBER})(?:\s*(?:{UNIT_WORDS}))?\s*(?=$|[),;])"
)
_STRENGTH_COUNT = re.compile(
    rf"\(\s*({NUMBER})\s*(?:x\s*)?({DIGITS})\s*({_UNIT})\s*(?:{UNIT_WORDS})\s*\)"
)


def find_count(text: str, *, strength: float | None = None) -> Count:
    """Tablets per dose in prepared ``text``.

    Parameters
    ----------
    text : str
        A prepared line (see :func:`prepare`).
    strength : float, optional
        A named product's own strength ("Mag-Ox 400 tablet"): a number equal to it before a
        unit word is the product's name, not a count.

    Returns
    -------
    Count
        ``written`` False (and 1) when no count was written.
    """
    m = _STRENGTH_COUNT.search(text) if "(" in text else None
    if m:
        value = number(m.group(1))
        amount = Amount(number(m.group(2)), number(m.group(2)), _unit_name(m.group(3)),
                        m.start(2), m.end(3), number(m.group(2)))
        return Count(value, value, m.start(), m.end(), True, amount)
    for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
        for m in pattern.finditer(text):
            raw = m.group(1)
            # "400 mg x 2" / "2 x 400 mg": the number must not itself be an amount
            if re.match(rf"\s*(?:{_UNIT})(?![a-z])", text[m.end(1):]):
                continue
            low = number(raw)
            if strength is not None and low == strength and pattern is _COUNT_BEFORE:
                continue
            high = number(m.group(2)) if pattern is _COUNT_BEFORE and m.group(2) else low
            high = max(high, low)
            return Count((low + high) / 2, high, m.start(), m.end(), True)
    return Count()


# --------------------------------------------------------------------------------------------
# how often
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    """Doses a day read from a line.

    Attributes
    ----------
    usual_per_day : float
        Doses a day counted for intake.
    max_per_day : float
        Doses a day counted for the upper-limit check (more than ``usual_per_day`` only for
        "as needed" lines that state a maximum, and for ranges such as "every 4-6 hours").
    label : str
        The frequency in words ("twice a day", "as needed"); empty when none was written.
    as_needed : bool
        The line says "as needed" (or prn, when needed…).
    written : bool
        A frequency word was found (else once a day is assumed).
    spans : tuple of (int, int)
        Where the frequency words are in the prepared text.
    """

    usual_per_day: float = 1.0
    max_per_day: float = 1.0
    label: str = ""
    as_needed: bool = False
    written: bool = False
    spans: tuple[tuple[int, int], ...] = ()

    def notes(self) -> list[str]:
        """The reading in plain words, as it should appear in a finding's assumptions."""
        if self.as_needed:
            usual = format_number(self.usual_per_day)
            top = format_number(self.max_per_day)
            if self.max_per_day > self.usual_per_day:
                return [f"Taken as needed: counted as {usual} dose(s) a day for intake (its "
                        f"usual use; write how often you take it, e.g. '3 times a week'), and "
                        f"at its maximum, {top} doses a day, for the upper-limit check."]
            return [f"Taken as needed with no maximum given: counted as {usual} dose(s) a "
                    f"day for intake and for the upper-limit check; write how often you "
                    f"take it and the most in a day, e.g. 'up to 4 times a day'."]
        if not self.written:
            return ["No frequency given: counted as one dose a day."]
        if self.max_per_day > self.usual_per_day:
            return [f"Taken {self.label}: counted as {format_number(self.usual_per_day)} "
                    f"doses a day for intake and {format_number(self.max_per_day)} for the "
                    f"upper-limit check."]
        if self.label in ("once a day", "daily"):
            return []
        return [f"Taken {self.label}: {format_number(self.usual_per_day)} doses a day."]


_N = rf"({NUMBER})"
# (pattern, per-day function of the captured numbers, label function)
# (pattern, per-day kind or value, label, words one of which must be in the text for the
# pattern to be tried: a cheap check that also spares compiling patterns a line never needs)
_FREQUENCY_PATTERNS: tuple[tuple[str, object, object, tuple[str, ...]], ...] = (
    (rf"\bevery {_N}(?:{_RANGE_SEP}{_N})? ?(?:hours?|hrs?|h)\b",
     "hours", lambda a, b: f"every {a}{'-' + b if b else ''} hours", ("hour", "hr", "every")),
    (r"\bq ?([1-9]|1[0-2]|24) ?h(?:rs?)?\b", "hours", lambda a, b: f"every {a} hours", ("q",)),
    (r"\bevery other (?:day|night|morning|evening)\b|\balternate days?\b|\bevery second day\b"
     r"|\bon alternate days\b", 0.5, "every other day", ("other", "alternate", "second")),
    (rf"\bevery {_N} days\b", "days", lambda a, b: f"every {a} days", ("every",)),
    (rf"\b{_N} ?(?:x|times|days)(?: ?(?:a|per|each|every|/|in a))? ?(?:week|wk)\b",
     "week", lambda a, b: f"{a} times a week", ("week", "wk")),
    (r"\btwice (?:a|per|each|every) ?week\b", 2 / 7, "twice a week", ("week",)),
    (rf"\bevery {_N} weeks\b", "weeks", lambda a, b: f"every {a} weeks", ("week",)),
    (r"\b(?:once )?(?:a|per|every|each) week\b|\bweekly\b|\bonce a week\b|/ ?(?:week|wk)\b",
     1 / 7, "weekly", ("week", "wk")),
    (r"\b(?:once )?(?:a|per|every|each) month\b|\bmonthly\b", PER_DAY_MONTHLY, "monthly",
     ("month",)),
    (r"\bfour times (?:a |per |each )?da(?:y|ily)\b|\bqds\b|\bqid\b|\bq\.i\.d\.?", 4.0,
     "four times a day", ("4", "four", "qds", "qid", "q.i.d")),
    (r"\bthree times (?:a |per |each )?da(?:y|ily)\b|\bthrice (?:a |per )?da(?:y|ily)\b"
     r"|\btds\b|\btid\b|\bt\.i\.d\.?|\bwith (?:each |every |all )?meals?\b"
     r"|\bbreakfast,? lunch,? and dinner\b", 3.0, "three times a day",
     ("3", "three", "thrice", "tds", "tid", "t.i.d", "meal", "breakfast")),
    (r"\btwice (?:a |per |each )?da(?:y|ily)\b|\btwice\b(?! (?:a|per|each|every) ?week)"
     r"|\bbd\b|\bbid\b|\bb\.i\.d\.?|\bmorning and (?:night|evening|bedtime)\b"
     r"|\bmorning and at night\b", 2.0, "twice a day",
     ("twice", "bd", "bid", "b.i.d", "morning and")),
    (rf"\b{_N} ?(?:x|times)(?: ?(?:a|per|each|every|/|in a))? ?(?:da(?:y|ily)|d|24 ?h(?:ours)?)\b",
     "day", lambda a, b: f"{a} times a day", ("time", "x")),
    (r"\bonce (?:a |per )?da(?:y|ily)\b|\bdaily\b|\b(?:a|per|each|every) (?:day|night"
     r"|evening|morning)\b|\bnightly\b|\bat (?:bed ?time|night)\b|\bin the (?:morning|evening)"
     r"\b|\bbefore bed\b|\bqd\b|\bod\b|\bo\.d\.|\bqhs\b|\bnocte\b|\bmane\b|\bqam\b|\bqpm\b"
     r"|/ ?(?:day|d)\b|\bonce\b", 1.0, "once a day", ("",)),
)
_AS_NEEDED = re.compile(
    r"\bas needed\b|\bprn\b|\bp\.r\.n\.?|\bwhen needed\b|\bif needed\b|\bas required\b"
    r"|\bwhen required\b|\bif required\b|\bon demand\b|\boccasional(?:ly)?\b|\bsometimes\b"
    r"|\bwhen i need\b|\bas necessary\b"
)
_MAXIMUM = re.compile(
    rf"\b(?:up to|max(?:imum)?\.?|no more than|not more than|at most)\s*(?:of\s*)?{_N}"
    rf"\s*(?:(?:{UNIT_WORDS})\s*)?(?:x|times|doses?)?\s*(?:a|per|in|each|every|/)?\s*"
    rf"(da(?:y|ily)|24 ?h(?:ours)?|d)\b"
)
_MAXIMUM_HINT = re.compile(r"up to|max|no more|not more|at most")
_USUALLY = re.compile(r"\b(?:usually|normally|typically|about|around)\b")


def _per_day(kind: object, a: str | None, b: str | None) -> tuple[float, float]:
    """(usual, maximum) doses a day for one matched frequency pattern."""
    if isinstance(kind, float):
        return kind, kind
    x = number(a) if a else 1.0
    y = number(b) if b else x
    lo, hi = min(x, y), max(x, y)
    if kind == "hours":
        if lo <= 0:
            return 1.0, 1.0
        return 24 / hi, 24 / lo  # every 4-6 h: 4 doses usually, 6 at most
    if kind == "days":
        return (1 / x, 1 / x) if x > 0 else (1.0, 1.0)
    if kind == "weeks":
        return (1 / (7 * x), 1 / (7 * x)) if x > 0 else (1.0, 1.0)
    if kind == "week":
        return x / 7, x / 7
    return x, x  # "N times a day"


def find_frequency(text: str) -> Frequency:
    """How many doses a day a prepared line says, for intake and for the UL check.

    Examples: ``"twice daily"`` 2; ``"tds"`` 3; ``"qid"`` 4; ``"every 6 hours"`` 4;
    ``"every other day"`` 0.5; ``"3 times a week"`` 3/7; ``"weekly"`` 1/7; ``"as needed, up to
    4 times a day"`` usual 1, maximum 4; nothing written: 1 (``written`` False).
    """
    spans: list[tuple[int, int]] = []
    usual = high = 1.0
    label = ""
    found = False
    as_needed_m = _AS_NEEDED.search(text)
    maximum_m = _MAXIMUM.search(text) if _MAXIMUM_HINT.search(text) else None
    scan = text
    if maximum_m:  # "up to 4 times a day" is the maximum, not the usual frequency
        scan = text[: maximum_m.start()] + " " * (maximum_m.end() - maximum_m.start()) + \
            text[maximum_m.end():]
    for pattern, kind, name, guard in _FREQUENCY_PATTERNS:
        if not any(word in scan for word in guard):
            continue
        m = re.search(pattern, scan)
        if m is None:
            continue
        groups = [g for g in m.groups()] + [None, None]
        usual, high = _per_day(kind, groups[0], groups[1])
        if usual <= 0 or high <= 0:
            continue
        label = name(groups[0], groups[1]) if callable(name) else str(name)
        spans.append(m.span())
        found = True
        break
    if as_needed_m is None:
        if maximum_m and not found:
            cap = number(maximum_m.group(1))
            unit_words = re.search(UNIT_WORDS, maximum_m.group(0))
            if cap > 0 and not unit_words:
                spans.append(maximum_m.span())
                return Frequency(1.0, max(cap, 1.0), f"up to {format_number(cap)} times a day",
                                 False, True, tuple(spans))
        return Frequency(usual, high, label, False, found, tuple(spans))
    spans.append(as_needed_m.span())
    cap: float | None = None
    if maximum_m:
        spans.append(maximum_m.span())
        unit_words = re.search(UNIT_WORDS, maximum_m.group(0))
        if not unit_words:  # "up to 4 times a day" (a cap in tablets is read by the caller)
            cap = number(maximum_m.group(1))
    if found and not _USUALLY.search(text):
        # "1 tablet twice a day as needed": the written frequency is the most it is taken
        top = max(high, cap or 0.0)
        return Frequency(min(1.0, usual), top, "as needed", True, True, tuple(spans))
    if found:  # "as needed, usually twice a week"
        top = max(high, cap or 0.0, usual)
        return Frequency(usual, top, "as needed", True, True, tuple(spans))
    top = cap if cap and cap > 0 else 1.0
    return Frequency(min(1.0, top), max(top, 1.0), "as needed", True, True, tuple(spans))


def max_count_per_day(text: str) -> float | None:
    """A cap in tablets a day ("max 6 tablets a day", "no more than 8 caps in 24 hours")."""
    m = _MAXIMUM.search(text) if _MAXIMUM_HINT.search(text) else None
    if m is None or not re.search(UNIT_WORDS, m.group(0)):
        return None
    value = number(m.group(1))
    return value if value > 0 else None


def remove_spans(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """``text`` with the given spans blanked out and spaces collapsed."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return re.sub(r"\s+", " ", "".join(chars)).strip()


# --------------------------------------------------------------------------------------------
# one line, read whole
# --------------------------------------------------------------------------------------------


@dataclass
class Dose:
    """A line read by the grammar.

    Attributes
    ----------
    text : str
        The prepared line.
    amounts : list of Amount
        Every mass / IU / mEq / mmol amount, in order.
    volume : Volume or None
        A liquid measure, if any.
    count : Count
        Tablets per dose.
    frequency : Frequency
        Doses a day.
    max_count_per_day : float or None
        A cap written in tablets a day ("max 6 tablets a day").
    notes : list of str
        The reading in plain words.
    """

    text: str
    amounts: list[Amount]
    volume: Volume | None
    count: Count
    frequency: Frequency
    max_count_per_day: float | None = None
    notes: list[str] = field(default_factory=list)

    def units_per_day(self) -> tuple[float, float]:
        """(usual, maximum) tablets (or doses) a day: count × frequency, capped by a written
        maximum in tablets."""
        usual = self.count.value * self.frequency.usual_per_day
        high = self.count.high * self.frequency.max_per_day
        cap = self.max_count_per_day
        if cap is not None:
            high = cap if self.frequency.as_needed else min(high, cap)
        return usual, max(high, usual)


def read_dose(text: str, *, strength: float | None = None) -> Dose:
    """Read a supplement or medicine line's amounts, count and frequency.

    Parameters
    ----------
    text : str
        The line as written ("Magnesium (as glycinate) 100 mg four times a day",
        "ibuprofen 200-400 mg every 4-6 hours as needed, max 1200 mg a day").
    strength : float, optional
        A named product's strength, which is not a count (see :func:`find_count`).

    Returns
    -------
    Dose
        With ``notes`` describing every reading choice (ranges, counts, frequency).
    """
    s = prepare(text)
    frequency = find_frequency(s)
    rest = remove_spans(s, frequency.spans)
    count = find_count(rest, strength=strength)
    amounts = find_amounts(s)
    notes: list[str] = []
    for a in amounts:
        if a.is_range:
            notes.append(f"The range {format_number(a.low)}-{format_number(a.high)} {a.unit} "
                         f"counts as its middle, {format_number(a.value)} {a.unit}, for intake "
                         f"and as {format_number(a.high)} {a.unit} for the upper-limit check.")
    if count.written and count.high != count.value:
        notes.append(f"{format_number(count.value)} units per dose (the middle of the range; "
                     f"{format_number(count.high)} for the upper-limit check).")
    elif count.written and count.value != 1:
        notes.append(f"{format_number(count.value)} units per dose.")
    cap = max_count_per_day(s)
    dose = Dose(s, amounts, find_volume(s), count, frequency, cap, notes)
    if frequency.as_needed and cap is not None:
        usual, high = dose.units_per_day()
        notes.append(f"Taken as needed: counted as {format_number(usual)} unit(s) a day for "
                     f"intake (its usual use; write how often you take it, e.g. '3 times a "
                     f"week'), and at its written maximum, {format_number(high)} a day, for "
                     f"the upper-limit check.")
    else:
        notes.extend(frequency.notes())
    return dose
