"""Human names and units of every nutrient key, and how numbers are written, in one place.

The names and units come from :mod:`crampcheck.nutrient_registry`. The report (HTML, PDF,
text), the web pages and the CLI's tables show ``label("magnesium_mg")`` ("Magnesium (mg)"),
never the key itself. A key the registry does not know is turned into words
(``"foo_bar"`` -> "Foo bar"), so a new key is readable before it gets its own entry.

Numbers are written as the text report writes them (:func:`fmt_amount`): whole numbers with a
thousands separator from 10 up (``1,234``), two significant digits below 10 (``0.25``,
``4.5``), and an en dash for an unknown value (never zero).
"""

from __future__ import annotations

import re
from typing import Any

from ..nutrient_registry import NUTRIENTS as REGISTRY
from ..wording import UNKNOWN, fmt_amount, lower_first  # noqa: F401  (re-exported)

# key -> (name, unit), short names and symbols: views of crampcheck.nutrient_registry
NUTRIENTS: dict[str, tuple[str, str]] = {k: (n.name, n.unit) for k, n in REGISTRY.items()}
# shorter names where space is tight (chart rows); the name otherwise
SHORT_NAME = {k: n.short for k, n in REGISTRY.items() if n.short}
# chemical symbols for narrow columns ("Ca mg")
SYMBOL = {k: n.symbol for k, n in REGISTRY.items() if n.symbol}
_UNIT_SUFFIX = re.compile(r"_(mg|ug|g|kcal|iu|ml|mmol|pct)$")
_UNIT_WORD = {"mg": "mg", "ug": "µg", "g": "g", "kcal": "kcal", "iu": "IU", "ml": "ml",
              "mmol": "mmol", "pct": "%"}


def name(key: str) -> str:
    """"Magnesium" for ``magnesium_mg``; words for an unknown key."""
    if key in NUTRIENTS:
        return NUTRIENTS[key][0]
    words = _UNIT_SUFFIX.sub("", key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def short_name(key: str) -> str:
    """"EPA + DHA" for ``epa_dha_mg``: the name, shortened where a chart row needs it."""
    return SHORT_NAME.get(key, name(key))


def unit(key: str) -> str:
    """"mg" for ``magnesium_mg``, "µg" for ``vitamin_d_ug``; "" when the key has none."""
    if key in NUTRIENTS:
        return NUTRIENTS[key][1]
    m = _UNIT_SUFFIX.search(key)
    return _UNIT_WORD[m[1]] if m else ""


def label(key: str) -> str:
    """"Magnesium (mg)": the name with its unit, as a table row or column is headed."""
    u = unit(key)
    return f"{name(key)} ({u})" if u else name(key)


def short(key: str) -> str:
    """"Mg mg" for narrow columns (symbol and unit); the label when there is no symbol."""
    return f"{SYMBOL[key]} {unit(key)}" if key in SYMBOL else label(key)


def with_unit(value: Any, key: str) -> str:
    """"1,234 mg" (or the en dash alone when unknown)."""
    text = fmt_amount(value)
    u = unit(key)
    return text if text == UNKNOWN or not u else f"{text} {u}"


def words(text: str) -> str:
    """Any key-like word in running ``text`` (``magnesium_mg``, ``epa_dha_mg``) as its name
    ("Magnesium", "EPA + DHA")."""
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
                  lambda m: short_name(m[0]) if m[0] in NUTRIENTS or _UNIT_SUFFIX.search(m[0])
                  else m[0].replace("_", " "), text)


def sentence(text: Any, *, capital: bool = False) -> str:
    """``text`` ending as a sentence ends (a full stop added when it has none), so that the
    next sentence does not run into it ("… dark urine. Muscle spasm …"); with ``capital``
    its first letter is made a capital too (for a person's own words put in a list)."""
    t = "" if text is None else str(text).strip()
    if t and t[-1] not in ".!?:;…)\"'":
        t += "."
    if capital and t[:1].islower():
        t = t[0].upper() + t[1:]
    return t


def join_sentences(*parts: Any) -> str:
    """The non-empty ``parts`` as sentences, one space between them."""
    return " ".join(sentence(p, capital=True) for p in parts
                    if p is not None and str(p).strip())


def with_amount(text: str, amount: str | None) -> str:
    """A recommendation's text and its amount, the amount left out when the text already
    says it ("… (about 603 mg more). 603 mg/day" is said once)."""
    if not amount or not str(amount).strip():
        return str(text)
    a = str(amount).strip()
    number = re.match(r"[\d.,]+", a)
    if a in text or (number and re.search(rf"(?<![\d.,]){re.escape(number[0])}(?![\d.,])",
                                          text)):
        return str(text)
    return f"{sentence(text)[:-1] if text.rstrip().endswith('.') else text}: {a}"


def human_note(text: Any) -> str:
    """A plan or finding note for people: nutrient keys as their labels, no JSON words."""
    t = "" if text is None else str(text)
    t = t.replace(" (shown as null)", "").replace("(shown as null)", "")
    return words(t)


def num(v: Any, digits: int = 0) -> str:
    """A number for a page or the report: ``—`` for none, 2 significant digits below 10,
    else thousands separated with ``digits`` decimals (the Jinja filter ``num``)."""
    if v is None:
        return "—"
    if isinstance(v, (int, float)):
        if digits == 0 and abs(v) < 10 and v != int(v):
            return f"{v:.2g}"
        return f"{v:,.{digits}f}"
    return str(v)


def install(env: Any) -> None:
    """Make these helpers Jinja filters of ``env`` (the web app's and the report's):
    ``label``, ``nutrient_name``, ``short_label``, ``amount``, ``sentence``, ``with_amount``,
    ``human``."""
    env.filters["label"] = label
    env.filters["nutrient_name"] = name
    env.filters["short_label"] = short
    env.filters["amount"] = fmt_amount
    env.filters["sentence"] = sentence
    env.filters["sentences"] = lambda items: join_sentences(*items)
    env.filters["with_amount"] = with_amount
    env.filters["human"] = human_note


OMEGA3_PARTS = ("ala_g", "epa_g", "dha_g")


def omega3_total(values: dict[str, Any]) -> tuple[float | None, str | None]:
    """The omega-3 total to show for per-food or per-day ``values`` (grams), and why, when it
    is not USDA's own total.

    USDA gives EPA and DHA without a total for many foods (FNDDS survey foods), and a few
    totals smaller than their parts (SR "Fish, scup, raw": total 0 g, DHA 0.53 g). The total
    shown is never smaller than the parts crampcheck has (ALA + EPA + DHA): when USDA has no
    total it is their sum, a lower bound (other omega-3s such as DPA are not in the table);
    when USDA's total is smaller than the parts, the parts' sum is shown instead. Returns
    ``(None, None)`` when neither the total nor any part is known.
    """
    def known(key: str) -> float | None:
        v = values.get(key)
        return None if v is None or v != v else float(v)

    total = known("omega3_g")
    parts = {k: known(k) for k in OMEGA3_PARTS}
    have = [k for k, v in parts.items() if v is not None]
    floor = sum(parts[k] or 0.0 for k in have)
    if total is None:
        if not have:
            return None, None
        names = " + ".join(short_name(k).split()[0] for k in have)
        missing = [short_name(k).split()[0] for k in OMEGA3_PARTS if k not in have]
        return floor, (f"the sum of {names}: USDA gives no total"
                       + (f" (and no value for {', '.join(missing)})" if missing else ""))
    if floor > total + 1e-9:
        names = " + ".join(short_name(k).split()[0] for k in have)
        return floor, (f"the sum of {names}: USDA's total ({fmt_amount(total)} g) is "
                       "smaller than its parts")
    return total, None
