"""Property-based fuzzing (hypothesis) of everything that reads a person's text.

Each reader may answer only in two ways: a result that holds its invariants (finite amounts,
lines it names exist, days in range) or :class:`~crampcheck.errors.InputError` with a message.
Anything else (a ``ValueError``, ``RecursionError``, ``OverflowError`` …) would reach the
person as an "unexpected error" and fails here.

Every test has a fixed ``max_examples`` and ``derandomize=True``, so CI runs the same inputs
each time and the whole module stays within its time budget (about 30 s on 2 cores). Inputs
are kept to lower-case text where the matcher is involved: a capitalised word can send a line
to the branded search (0.3 s each), which the web's request limits bound separately.
"""

from __future__ import annotations

import csv
import io
import json
import math
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampcheck.errors import InputError

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
SLOW = settings(FUZZ, max_examples=60)

# text that looks like what people type and what trackers export, plus the characters that
# broke things before: CR, tab, NUL, fractions, huge exponents, formula starts
PIECES = st.sampled_from([
    "1", "2", "1/2", "1/0", "0", "-1", "1e309", "inf", "nan", "½", "1½", "2-3", "3x", "100g",
    "cup", "tbsp", "oz", "g", "mg", "IU", "slice", "glass", "handful", "of", "a", "and",
    "with", "milk", "spinach", "cooked", "salmon", "eggs", "almonds", "oatmeal", "bread",
    "magnesium", "calcium", "citrate", "glycinate", "carbonate", "vitamin d3", "fish oil",
    "tums", "mag-ox", "(as", ")", ",", ";", "#", "# 2026-11-20", "breakfast:", "07:30",
    "\r", "\t", "=", "+", "@", "\u00a0", "é", "🍎", "9" * 30,
])
WORDS = st.lists(PIECES, max_size=12).map(" ".join)
LOWER = st.text(alphabet=string.ascii_lowercase + string.digits + " /.,-½;#:\t",
                max_size=80)


def _finite_or_none(values) -> bool:
    return all(v is None or (isinstance(v, (int, float)) and math.isfinite(v))
               for v in values)


# --- the diary line parser ---------------------------------------------------------------------

@FUZZ
@given(st.lists(st.one_of(WORDS, LOWER, st.text(max_size=40)), max_size=12))
def test_diary_parser(lines: list[str]) -> None:
    from crampcheck.intake.diary import parse_diary

    text = "\n".join(lines)
    try:
        items = parse_diary(text, source="diary.txt")
    except InputError as exc:
        assert exc.line is not None and 1 <= exc.line <= max(1, len(text.splitlines()))
        return
    n = len(text.splitlines())
    for item in items:
        assert 1 <= item.line <= n
        assert item.text and item.text == item.text.strip() and ";" not in item.text


@FUZZ
@given(st.one_of(WORDS, LOWER, st.text(max_size=60)))
def test_amount_parser_never_raises(text: str) -> None:
    from crampcheck.intake.amounts import parse_amount

    parsed = parse_amount(text)
    assert isinstance(parsed.food_text, str)


@SLOW
@given(st.one_of(WORDS.map(str.lower), LOWER))
def test_food_line_through_the_limits_and_the_matcher(text: str) -> None:
    from crampcheck.limits import check_food_line
    from crampcheck.totals import MAX_GRAMS_PER_ITEM, Item, analyze_line

    try:
        check_food_line(text)
        result = analyze_line(text)
    except InputError as exc:
        assert exc.message
        return
    if isinstance(result, Item):
        assert 0 < result.grams <= MAX_GRAMS_PER_ITEM
        assert _finite_or_none(result.nutrients.values())
    else:
        assert result.reason


# --- the case-file loader ----------------------------------------------------------------------

JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                      st.text(max_size=20), WORDS)
JSON_ANY = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
DAY = st.one_of(st.dates().map(str), st.sampled_from(["2026-11-20", "0001-01-01",
                                                      "not a date", "20261120", ""]))
LAB = st.fixed_dictionaries({
    "test": st.sampled_from(["serum magnesium", "potassium", "serum creatinine", "egfr",
                             "vitamin d", "TSH", "", "ck"]),
    "value": st.one_of(st.floats(), st.integers(), st.text(max_size=5), st.booleans()),
    "unit": st.sampled_from(["mg/dL", "mmol/L", "umol/L", "ng/mL", "U/L", "", "furlongs"]),
}, optional={"date": DAY})
CASE = st.fixed_dictionaries({
    "person": st.fixed_dictionaries({
        "age": st.one_of(st.floats(), st.integers(), st.just(68)),
        "sex": st.sampled_from(["female", "male", "other"])},
        optional={"pregnant": st.booleans(), "weight_kg": st.floats()}),
}, optional={
    "medications": st.lists(st.one_of(WORDS, st.text(max_size=30)), max_size=3),
    "supplements": st.lists(WORDS, max_size=3),
    "diary": st.dictionaries(DAY, st.lists(st.one_of(WORDS, LOWER), max_size=3), max_size=3),
    "cramps": st.lists(st.fixed_dictionaries({"at": st.one_of(DAY, st.datetimes().map(str))},
                                             optional={"severity": st.floats(),
                                                       "minutes": st.integers()}),
                       max_size=2),
    "labs": st.lists(LAB, max_size=3),
    "exercise": st.fixed_dictionaries({"hours_per_week": st.floats()}),
    "preferences": st.fixed_dictionaries({"diet": st.sampled_from(["vegan", "carnivore"])}),
    "extra": JSON_ANY,
})


def _check_case(case) -> None:
    p = case.person
    assert 1 <= p.age <= 120 and math.isfinite(p.age)
    for lab in case.labs:
        assert math.isfinite(lab.value)
    for day in case.diary:
        assert "1900-01-01" <= day
    for c in case.cramps:
        assert c.severity is None or 0 <= c.severity <= 10


@FUZZ
@given(CASE)
def test_case_loader_on_case_shaped_json(raw: dict) -> None:
    from crampcheck.case import parse_case_text

    text = json.dumps(raw, allow_nan=True)
    try:
        case = parse_case_text(text, source="case.json")
    except InputError as exc:
        assert exc.message and exc.source == "case.json"
        return
    _check_case(case)


@FUZZ
@given(st.one_of(st.text(max_size=200), JSON_ANY.map(lambda v: json.dumps(v, allow_nan=True)),
                 st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
                 st.integers(1, 5000).map(lambda n: '{"person": {"age": ' + "9" * n + "}}")))
def test_case_loader_on_any_text(text: str) -> None:
    from crampcheck.case import parse_case_text

    for toml in (False, True):
        try:
            case = parse_case_text(text, source="case", toml=toml)
        except InputError as exc:
            assert exc.message
            continue
        _check_case(case)


# --- the importers -----------------------------------------------------------------------------

CELL = st.one_of(PIECES, st.text(max_size=12), st.floats().map(str),
                 st.sampled_from(["", "-", "1,234.5", "2026-11-16", "11/20/2026", "7:45 AM",
                                  "true", "false", "=HYPERLINK(\"x\")"]))
HEADERS = {
    "cronometer": ["Day", "Time", "Group", "Food Name", "Amount", "Energy (kcal)",
                   "Calcium (mg)", "Magnesium (mg)", "Vitamin D (IU)", "Omega-3 (g)"],
    "cronometer-daily": ["Date", "Energy (kcal)", "Calcium (mg)", "Magnesium (mg)",
                         "Potassium (mg)", "Completed"],
    "myfitnesspal": ["Date", "Meal", "Calories", "Sodium (mg)", "Potassium", "Calcium", "Note"],
    "loseit": ["Date", "Name", "Meal", "Quantity", "Units", "Calories", "Deleted",
               "Sodium (mg)"],
}


def _csv(header: list[str], rows: list[list[str]], newline: str,
         quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline, quoting=quoting).writerows([header, *rows])
    return out.getvalue()


def _check_parsed(parsed) -> None:
    for e in parsed.entries:
        assert "1900-01-01" <= e.day
        assert _finite_or_none(e.nutrients.values())
        assert all(v is None or v >= 0 for v in e.nutrients.values())
    for err in parsed.errors:
        assert isinstance(err, InputError) and err.line is not None


def _rows(width: int, lower: bool = False):
    cell = CELL.map(str.lower) if lower else CELL
    return st.lists(st.lists(cell, min_size=width, max_size=width), max_size=6)


@pytest.mark.parametrize("kind", ["cronometer", "cronometer-daily", "myfitnesspal"])
@FUZZ
@given(data=st.data(), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_importers_on_tracker_shaped_csv(kind: str, data, newline: str) -> None:
    from crampcheck.journal.formats import PARSERS

    header = HEADERS[kind]
    text = _csv(header, data.draw(_rows(len(header))), newline)
    try:
        parsed = PARSERS[kind](text, "export.csv")
    except InputError as exc:
        assert exc.message
        return
    _check_parsed(parsed)


NUMBER = st.floats(0, 5000, allow_nan=False).map(lambda v: f"{v:.2f}")
GOOD_ROW = st.tuples(st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                              max_value=__import__("datetime").date(2026, 1, 1)).map(str),
                     st.text(alphabet=string.ascii_letters + " ,\"'\r\n", min_size=1,
                             max_size=30).filter(str.strip),
                     NUMBER, NUMBER, NUMBER)


@FUZZ
@given(rows=st.lists(GOOD_ROW, min_size=1, max_size=5))
def test_a_valid_export_reads_the_same_with_any_line_ending(rows) -> None:
    from crampcheck.journal.formats import parse_cronometer

    header = ["Day", "Food Name", "Amount", "Calcium (mg)", "Magnesium (mg)"]
    cells = [[day, name, f"{amount} g", ca, mg] for day, name, amount, ca, mg in rows]
    results = []
    for newline in ("\n", "\r\n", "\r"):
        # every cell quoted, as trackers write them: a line break inside a name stays in it
        parsed = parse_cronometer(_csv(header, cells, newline, csv.QUOTE_ALL), "servings.csv")
        assert not parsed.errors, parsed.errors[0]
        results.append([(e.day, e.food_name, e.nutrients["calcium_mg"]) for e in parsed.entries])
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == len(rows)


@SLOW
@given(rows=_rows(len(HEADERS["loseit"]), lower=True),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_loseit_importer_on_tracker_shaped_csv(rows, newline: str) -> None:
    from crampcheck.journal.formats import parse_loseit

    try:
        parsed = parse_loseit(_csv(HEADERS["loseit"], rows, newline), "food-logs.csv")
    except InputError as exc:
        assert exc.message
        return
    _check_parsed(parsed)


@pytest.mark.parametrize("kind", ["cronometer", "cronometer-daily", "myfitnesspal", "loseit"])
@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.text(alphabet="\",\r\n ab1", max_size=60)))
def test_importers_on_any_text(kind: str, text: str) -> None:
    from crampcheck.journal.formats import PARSERS

    try:
        parsed = PARSERS[kind](text, "export.csv")
    except InputError as exc:
        assert exc.message
        return
    _check_parsed(parsed)


# --- the supplement parser (its dose grammar) ---------------------------------------------------

@FUZZ
@given(st.one_of(WORDS, st.text(max_size=60)))
def test_supplement_parser(text: str) -> None:
    from crampcheck.intake.supplements import parse_supplement

    try:
        parsed = parse_supplement(text)
    except InputError as exc:
        assert exc.message
        return
    assert _finite_or_none(parsed.contributions.values())
    assert all(v >= 0 for v in parsed.contributions.values())
    assert parsed.recognized == bool(parsed.doses)
    if not parsed.recognized:
        assert parsed.assumptions  # says why it was not counted


# --- output: JSON and CSV cells -----------------------------------------------------------------

@FUZZ
@given(JSON_ANY)
def test_json_output_is_always_strict_json(value) -> None:
    from crampcheck.jsonsafe import dumps, finite, loads

    text = dumps(value)
    assert "NaN" not in text.replace('"NaN"', "") or '"' in text
    parsed = json.loads(text, parse_constant=lambda c: pytest.fail(f"literal {c}"))
    assert parsed == json.loads(json.dumps(finite(value)))
    assert loads(text) == parsed


@FUZZ
@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=False), st.integers()))
def test_csv_cells_never_start_a_formula(value) -> None:
    from crampcheck.journal.export import FORMULA_START, safe_cell

    cell = safe_cell(value)
    if isinstance(value, (int, float)):
        assert cell == value
    elif str(cell).startswith(FORMULA_START):
        float(cell)  # only a plain number may start with + or -


def _true_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    return 0


@FUZZ
@given(st.recursive(st.one_of(st.text(alphabet='[]{}"\\ab', max_size=6), st.integers()),
                    lambda inner: st.one_of(
                        st.lists(inner, max_size=3),
                        st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), inner,
                                        max_size=3)),
                    max_leaves=15))
def test_depth_scan_matches_the_parsed_nesting(value) -> None:
    from crampcheck.jsonsafe import depth

    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert depth(text) == _true_depth(value)
