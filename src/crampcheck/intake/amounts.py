"""Reading the amount in a line people write: "1 1/2 cups cooked black beans", "½ avocado",
"two large eggs", "100g oats", "2-3 tbsp tahini", "salmon, 3 oz".

:func:`parse_amount` splits a line into quantity, unit, size word and the words naming the
food. It never raises on arbitrary text: what it cannot read stays in the food words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .units import FOOD_NAMED_UNITS, SIZE_WORDS, canonical_unit, unit_kind

NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0,
    "twelve": 12.0, "half": 0.5, "quarter": 0.25, "dozen": 12.0, "couple": 2.0,
    "third": 1.0 / 3.0, "a few": 3.0, "few": 3.0, "several": 3.0, "a dozen": 12.0,
    "a couple": 2.0, "half a dozen": 6.0,
}
UNICODE_FRACTIONS = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5",
                     "⅖": "2/5", "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8",
                     "⅜": "3/8", "⅝": "5/8", "⅞": "7/8"}

_NUM = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?|\.\d+)"
_RANGE = re.compile(rf"^({_NUM})\s*(?:-|–|to)\s*({_NUM})(?=\s|[a-z]|$)", re.IGNORECASE)
_NUMBER = re.compile(rf"^({_NUM})(?=\s|[a-z(]|$)", re.IGNORECASE)
_TRAILING = re.compile(rf"(?:,|\s-|\s)\s*({_NUM})\s*([a-z][a-z. ]*?)?\s*$", re.IGNORECASE)
_WORD = re.compile(r"^([a-z]+(?:\s+[a-z]+)?)\b", re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)")
_MEAL_JOIN = re.compile(r"^(?:with|and|on|w/|&|\+)(?:\s|$)", re.IGNORECASE)
_MIDDLE = re.compile(rf"(?:^|[\s,])({_NUM})\s*([a-z]+)\.?(?=\s+[a-z])", re.IGNORECASE)
_TIMES = re.compile(r"^[x×]\s+", re.IGNORECASE)  # "3x eggs", "2 x bananas"
_UNIT_OF = re.compile(r"^([a-z]+)\s+of\s+", re.IGNORECASE)  # "bowl of porridge"
# measures that may follow the food's name; others ("bar", "breast") are part of food names
TRAILING_UNITS = frozenset({"fillet", "can", "slice", "clove", "stalk", "spear", "floret",
                            "sprig", "leaf", "head", "rasher", "stick"})
# foods that are sticks themselves: "2 fish sticks" is no stick of fish
STICK_FOODS = frozenset({"fish", "cheese", "mozzarella", "bread", "pretzel", "chicken",
                         "cinnamon", "butter"})
# words in parentheses that still say which food it is ("tuna (canned)", "kale (raw)")
STATE_WORDS = frozenset({"raw", "cooked", "boiled", "baked", "fried", "grilled", "steamed",
                         "roasted", "canned", "tinned", "frozen", "dried", "drained", "skim",
                         "skimmed", "unsweetened", "sweetened", "fortified", "unfortified",
                         "dry", "uncooked"})


@dataclass
class ParsedAmount:
    """What a line says about quantity; ``food_text`` is the rest."""

    text: str
    quantity: float = 1.0
    quantity_given: bool = False
    unit: str | None = None
    size: str | None = None
    food_text: str = ""
    notes: list[str] = field(default_factory=list)


def parse_number(token: str) -> float:
    """``"2"``, ``"1.5"``, ``"1,5"``, ``"1/2"`` or ``"1 1/2"`` as a float (ValueError otherwise)."""
    token = token.strip().replace(",", ".")
    if " " in token:
        whole, frac = token.split()
        num, den = frac.split("/")
        return float(whole) + float(num) / float(den)
    if "/" in token:
        num, den = token.split("/")
        return float(num) / float(den)
    return float(token)


_SIZE_LATER = tuple((size, re.compile(rf"(?:^|[\s,]){size}(?:$|[\s,])", re.IGNORECASE))
                    for size in SIZE_WORDS)
_SPACES = re.compile(r"\s+")
_LEADING = re.compile(r"^[\s\-*•·]+")
_FRACTION_CHARS = re.compile("[" + "".join(UNICODE_FRACTIONS) + "]")


def normalise(text: str) -> str:
    if _FRACTION_CHARS.search(text):  # (most lines have none: skip the 15 substitutions)
        for uf, ascii_frac in UNICODE_FRACTIONS.items():
            text = re.sub(rf"(\d)\s*{uf}", rf"\1 {ascii_frac}", text)
            text = text.replace(uf, ascii_frac)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.replace("⁄", "/")
    text = _LEADING.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _take_unit(rest: str) -> tuple[str | None, str]:
    """A unit at the start of ``rest`` (one or two words, e.g. "fl oz"), and what follows."""
    m = re.match(r"^(fl\.?\s*oz\.?|fluid\s+ounces?|fl\s+ounces?)\b\.?", rest, re.IGNORECASE)
    if m:
        return "fl oz", rest[m.end():]
    m = re.match(r"^([A-Za-z]+)\.?(?=\s|$|,|\()", rest)
    if m:
        unit = canonical_unit(m.group(1))
        if unit is not None:
            return unit, rest[m.end():]
    return None, rest


def _take_size(rest: str) -> tuple[str | None, str]:
    low = rest.lower()
    for size in SIZE_WORDS:
        if low == size or low.startswith(size + " "):
            return size, rest[len(size):]
    return None, rest


def _strip_of(rest: str) -> str:
    rest = rest.strip()
    if rest.lower().startswith("of "):
        rest = rest[3:]
    return rest.strip(" ,")


# "about", "approx", "~" before a number: the number is what counts ("~200g", "approx 1 cup")
_APPROX = re.compile(r"(?:~|\b(?:approx\.?|approximately|about|around|roughly|circa|ca\.)\s*)"
                     r"(?=\d|\.\d)", re.IGNORECASE)
# an amount in parentheses: "chicken breast (about 150 g)", "(2 slices)"
_PAREN_AMOUNT = re.compile(rf"\(\s*({_NUM})\s*([a-z][a-z. ]*?)?\s*\)", re.IGNORECASE)
# a multiplier in front of or after the food: "x3 eggs", "eggs x2", "weetabix x 2"
_TIMES_FRONT = re.compile(r"^[x×]\s*(\d+)\s+", re.IGNORECASE)
_TIMES_BACK = re.compile(r"\s*[,(]?\s*[x×]\s*(\d+)\s*\)?\s*$", re.IGNORECASE)


def _move_amounts(line: str) -> str:
    """``line`` with an amount written in an odd place moved to where the parser reads it:
    "eggs x2" and "x2 eggs" -> "2 eggs"; "chicken breast (about 150 g)" -> "chicken breast,
    150 g"; "~200g yoghurt" -> "200g yoghurt"."""
    line = _APPROX.sub("", line)
    m = _TIMES_FRONT.match(line)
    if m:
        return f"{m.group(1)} {line[m.end():]}"
    m = _TIMES_BACK.search(line)
    if m and m.start() > 0 and not re.match(rf"^\s*{_NUM}", line):
        return f"{m.group(1)} {line[:m.start()]}"
    m = _PAREN_AMOUNT.search(line)
    if m and not re.search(r"\d", line[:m.start()] + line[m.end():]):
        unit_word = (m.group(2) or "").strip()
        unit, after = _take_unit(unit_word) if unit_word else (None, "")
        size = unit_word.lower() in SIZE_WORDS  # "banana (1 large)"
        if not unit_word or size or (unit is not None and not after.strip()):
            outside = (line[:m.start()] + " " + line[m.end():]).strip(" ,")
            if unit is not None and unit_kind(unit) != "count":
                # "a packet of crisps (25g)": the mass says how much, not the packet
                outside = re.sub(r"^(?:a|an|one|1)\s+", "", outside, flags=re.IGNORECASE)
                return f"{m.group(1)} {unit_word} {outside}"
            if size:
                return f"{m.group(1)} {unit_word} {outside}"
            return f"{outside}, {m.group(1)} {unit_word}".strip()
    return line


def _number_or_none(token: str) -> float | None:
    """:func:`parse_number`, or None where it cannot read ``token``."""
    try:
        return parse_number(token)
    except (ValueError, ZeroDivisionError):
        return None


# Each reader below fills in part of ``out`` from the start (or end) of ``rest`` and returns
# what is left of the line; they run in the order :func:`parse_amount` calls them.

_AND_A_HALF = re.compile(r"^and\s+a\s+(half|quarter)\b\s*", re.IGNORECASE)
_HALF_WORD = re.compile(r"^(?:and\s+)?(a\s+)?(half|quarter)\b\s*", re.IGNORECASE)


def _read_range(out: ParsedAmount, rest: str) -> str:
    """"2-3 tbsp": the middle of the range, with a note saying so."""
    m = _RANGE.match(rest)
    if not m:
        return rest
    lo, hi = _number_or_none(m.group(1)), _number_or_none(m.group(2))
    if lo is None or hi is None:
        return rest
    out.quantity = (lo + hi) / 2.0
    out.quantity_given = True
    out.notes.append(f"range {m.group(1)}–{m.group(2)}: used the middle, {out.quantity:g}")
    return rest[m.end():].lstrip()


def _read_number(out: ParsedAmount, rest: str) -> str:
    """"2 eggs", "1 1/2 cups", "1 and a half cups"."""
    m = _NUMBER.match(rest)
    if not m:
        return rest
    value = _number_or_none(m.group(1))
    if value is None:
        return rest
    out.quantity = value
    out.quantity_given = True
    rest = rest[m.end():].lstrip()
    m2 = _AND_A_HALF.match(rest)
    if m2:
        out.quantity += NUMBER_WORDS[m2.group(1).lower()]
        rest = rest[m2.end():]
    return rest


def _read_number_words(out: ParsedAmount, rest: str) -> str:
    """"two eggs", "a few almonds", "half a cup", "one and a half cups"."""
    m = _WORD.match(rest)
    if not m:
        return rest
    words = m.group(1).lower()
    first = words.split()[0]
    if words in NUMBER_WORDS:
        out.quantity, out.quantity_given = NUMBER_WORDS[words], True
        rest = rest[m.end():].lstrip()
    elif first in NUMBER_WORDS:
        out.quantity, out.quantity_given = NUMBER_WORDS[first], True
        rest = rest[len(first):].lstrip()
    else:
        return rest
    # "half a cup", "a half cup", "one and a half cups"
    m2 = _HALF_WORD.match(rest)
    if m2 and m2.group(2):
        fraction = NUMBER_WORDS[m2.group(2).lower()]
        if "and" in m2.group(0):
            out.quantity += fraction
        else:
            out.quantity *= fraction
        rest = rest[m2.end():]
    elif re.match(r"^a\s+", rest, re.IGNORECASE) and out.quantity in (0.5, 0.25):
        rest = rest[2:].lstrip()
    return rest


# the ways a line may start with its quantity, tried in this order until one reads it
_LEADING_QUANTITY = (_read_range, _read_number, _read_number_words)


def _read_times(out: ParsedAmount, rest: str) -> str:
    """"3x eggs", "2 x 100g yoghurt" (two of 100 g): after a quantity."""
    times = _TIMES.match(rest.lstrip())
    rest = _TIMES.sub("", rest.lstrip())
    m = _NUMBER.match(rest) if times else None
    if m:
        value = _number_or_none(m.group(1))
        if value is not None:
            out.quantity *= value
            rest = rest[m.end():].lstrip()
    return rest


def _read_measure_of(out: ParsedAmount, rest: str) -> str:
    """A measure with no number: "bowl of porridge", "pint of beer" (one of it)."""
    m = _UNIT_OF.match(rest)
    unit = canonical_unit(m.group(1)) if m else None
    if unit is not None:
        out.unit, rest = unit, rest[m.end():]
    return rest


def _read_size_and_unit(out: ParsedAmount, rest: str) -> str:
    """The size word and unit after a quantity: "2 large eggs", "1 cup of milk"."""
    out.size, rest = _take_size(rest.lstrip())
    out.unit, rest = _take_unit(rest.lstrip())
    if out.size is None:
        rest = _strip_of(rest)
        out.size, rest = _take_size(rest)
    rest = _strip_of(rest)
    if out.unit is not None and unit_kind(out.unit) != "count":
        # "330ml can of coke", "250 g tub of yogurt": the container adds nothing
        m = _UNIT_OF.match(rest)
        if m and canonical_unit(m.group(1)) is not None and \
                unit_kind(canonical_unit(m.group(1)) or "") == "count":
            rest = rest[m.end():]
    return rest


def _read_middle_amount(out: ParsedAmount, rest: str) -> str:
    """An amount in the middle: "spinach 1 cup raw" (a number and a unit, then words)."""
    m = _MIDDLE.search(rest)
    if m and canonical_unit(m.group(2)) is not None:
        value = _number_or_none(m.group(1))
        if value is not None:
            out.quantity = value
            out.quantity_given = True
            out.unit = canonical_unit(m.group(2))
            rest = (rest[:m.start()] + " " + rest[m.end():]).strip(" ,-")
    return rest


def _read_trailing_amount(out: ParsedAmount, rest: str) -> str:
    """Amount written after the food: "salmon, 3 oz", "oats 100g", "milk - 1 cup"."""
    m = _TRAILING.search(rest)
    if m:
        unit_word = (m.group(2) or "").strip()
        unit, after = _take_unit(unit_word) if unit_word else (None, "")
        size_after = unit_word.lower() in SIZE_WORDS  # "apple, 1 medium"
        if size_after:
            unit, after = None, ""
        value = None
        if unit_word == "" or size_after or (unit is not None and not after.strip()):
            value = _number_or_none(m.group(1))
        if value is not None:
            out.quantity = value
            out.quantity_given = True
            out.unit = unit
            if size_after:
                out.size = unit_word.lower()
            rest = rest[: m.start()].strip(" ,-")
    if out.size is None:
        out.size, rest = _take_size(rest)
    return rest


def _read_later_size(out: ParsedAmount, rest: str) -> str:
    """A size written later in the text: "eggs, large"."""
    for size, pat in _SIZE_LATER:
        if pat.search(rest):
            out.size = size
            return pat.sub(" ", rest, count=1)
    return rest


def _food_words(rest: str) -> str:
    """What is left, without words in parentheses but for the state of the food:
    "tuna (canned)"."""
    rest = _PAREN.sub(lambda p: " " + " ".join(w for w in re.findall(r"[A-Za-z]+", p.group(0))
                                               if w.lower() in STATE_WORDS) + " ", rest)
    return _SPACES.sub(" ", rest).strip(" ,.;:-")


def _settle_unit(out: ParsedAmount) -> None:
    """Where the unit and the food's name overlap."""
    # a measure that is itself the food: "1 bagel", "2 muffins", "a bagel with cream cheese"
    if out.unit in FOOD_NAMED_UNITS and (
            not out.food_text or _MEAL_JOIN.match(out.food_text)):
        out.food_text = f"{out.unit} {out.food_text}".strip()
        out.unit = None
    # the measure written after the food: "1 salmon fillet", "2 bread slices", "a tuna can"
    if out.unit is None and out.quantity_given:
        words = out.food_text.split()
        if len(words) > 1:
            unit = canonical_unit(words[-1])
            if unit == "stick" and words[-2].lower() in STICK_FOODS:
                unit = None
            if unit in TRAILING_UNITS:
                out.unit = unit
                out.food_text = " ".join(words[:-1])


def parse_amount(text: str) -> ParsedAmount:
    """Split ``text`` into quantity, unit, size and food words (never raises).

    Ranges ("2-3") take the middle value and say so in ``notes``. An amount may come first,
    last ("milk 250ml", "apple, 1 medium"), in parentheses ("(about 150 g)") or as a
    multiplier ("eggs x2", "2x eggs"); "about", "approx" and "~" before it are read past.
    """
    out = ParsedAmount(text=text)
    rest = _move_amounts(normalise(text))
    for read in _LEADING_QUANTITY:
        if out.quantity_given:
            break
        rest = read(out, rest)
    if out.quantity_given:
        rest = _read_times(out, rest)
        rest = _read_size_and_unit(out, rest)
    else:
        rest = _read_measure_of(out, rest)
        if out.unit is None:
            rest = _read_middle_amount(out, rest)
    if not out.quantity_given and out.unit is None:
        rest = _read_trailing_amount(out, rest)
    if out.size is None:
        rest = _read_later_size(out, rest)
    out.food_text = _food_words(rest)
    _settle_unit(out)
    return out
