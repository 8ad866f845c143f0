"""How well crampcheck turns messy diary lines into USDA foods and grams.

Every line of ``tests/data/matching_lines.toml`` (typos, run-together words, British and US
names, brands, take-away dishes, coffee-shop drinks, meals, containers and counts; labelled by
hand from USDA data) is run through :func:`crampcheck.totals.nutrients` and scored:

* **right** (±25 %, or ±2 for amounts under 8 mg or g): every expected item was matched
  confidently to an acceptable food with grams within ±25 % of the expected range, nothing
  else was matched, and the line's calcium and magnesium are within ±25 % of the expected
  range; for a line that names no food (``items = []``), right means it went to
  ``unmatched``. An acceptable food is one the label lists, or another USDA record of the
  same food: the same first name segment or most of its telling words, and calcium and
  magnesium per 100 g within ±20 % of a listed one (spaghetti "with added salt" for "without
  added salt", FNDDS "Cantaloupe, raw" for SR "Melons, cantaloupe, raw");
* **confidently wrong**: a confident item that is not right;
* **unsure**: nothing wrong was said, but at least one part went to ``unmatched`` with
  suggestions.

The two parts of the set (``tune`` and ``held-out``, never used to tune the matcher) are
reported separately. The calibration table reruns every line with no threshold and shows, at
a few thresholds, the share of right guesses among items at or above it (confident) and below
it (unsure).

Run: ``python3 benchmarks/matching_bench.py [--failing] [--part tune|held-out]``;
``--check-labels`` recomputes the expected calcium and magnesium from the food table and
fails if the file disagrees.
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crampcheck.errors import InputError
from crampcheck.foods.store import default_store
from crampcheck.totals import nutrients

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "matching_lines.toml"
# lines about amounts (counts of pieces, sizes, containers, volumes of solids, dish pieces,
# stalks and cloves), scored the same way and also reported on their own
GRAMS_DATA = DATA.with_name("grams_lines.toml")
TOLERANCE = 0.25
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def load(path: Path | None = None) -> list[dict[str, Any]]:
    """The labelled lines of ``path``, or of both files (each line's ``set`` says which)."""
    out = []
    for p in (path,) if path is not None else (DATA, GRAMS_DATA):
        with p.open("rb") as fh:
            lines = tomllib.load(fh)["line"]
        for ln in lines:
            ln.setdefault("set", "grams" if p == GRAMS_DATA else "matching")
        out += lines
    return out


ABSOLUTE = 2.0  # mg or g: tiny amounts (a tsp of sugar's calcium) are compared absolutely


def within(value: float | None, lo: float, hi: float) -> bool:
    if value is None:
        return False
    return min(lo * (1 - TOLERANCE), lo - ABSOLUTE) - 1e-9 <= value <= \
        max(hi * (1 + TOLERANCE), hi + ABSOLUTE) + 1e-9


@dataclass
class Outcome:
    text: str
    part: str
    verdict: str  # right | wrong | unsure
    confidence: float | None  # lowest confidence among the line's matched items
    food_right: bool = False  # every expected food was matched (grams aside)
    grams_right: bool = False  # ... and with grams in range
    set: str = "matching"
    got: list[str] = field(default_factory=list)
    why: str = ""


def expected_minerals(items: list[dict[str, Any]]) -> dict[str, tuple[float, float] | None]:
    """The lowest and highest calcium and magnesium the acceptable foods and grams give."""
    store = default_store()
    out: dict[str, tuple[float, float] | None] = {}
    for key in ("calcium_mg", "magnesium_mg"):
        lo = hi = 0.0
        for it in items:
            per100 = [store.per_100g(store.get(fid))[key] for fid in it["foods"]]
            known = [v for v in per100 if v is not None]
            if not known:
                out[key] = None
                break
            lo += min(known) * it["grams"][0] / 100.0
            hi += max(known) * it["grams"][1] / 100.0
        else:
            out[key] = (lo, hi)
    return out


EQUIVALENT = 0.20


def _head(name: str) -> frozenset[str]:
    from crampcheck.foods.search import tokens

    return frozenset(tokens(name.split(",")[0]))


# USDA boilerplate left out when comparing names (the benchmark's own list, so that it scores
# any version of crampcheck the same way)
BOILERPLATE = frozenset({
    "enriched", "unenriched", "commercial", "commercially", "prepared", "variety", "varieties",
    "all", "average", "year", "round", "regular", "without", "added", "salt", "includes",
    "include", "type", "style", "n", "nfs", "ns", "mixed", "species", "form", "other", "than",
    "plain", "whole", "ready", "serve", "eat", "to", "fluid", "vitamin", "a", "d", "usda",
    "commodity", "fat", "made", "from", "home", "recipe", "solid", "solids", "drained",
    "liquid", "edible", "portion", "retail", "grade", "choice", "select", "trimmed",
    "separable", "lean", "only", "fresh", "raw", "cooked", "boiled", "baked", "heat", "dry",
    "moist", "hot", "cold", "brewed", "peel", "flesh", "tap", "water", "of", "and", "the",
    "with", "in", "or", "as", "for"})


def _words(name: str) -> frozenset[str]:
    from crampcheck.foods.search import tokens

    return frozenset(tokens(name)) - BOILERPLATE


def _same_food(listed: str, matched: str) -> bool:
    """The same first name segment ("Spaghetti, cooked, …"), or most of the listed food's
    telling words ("Cantaloupe, raw" for "Melons, cantaloupe, raw")."""
    if _head(listed) == _head(matched):
        return True
    want, got = _words(listed), _words(matched)
    return bool(want) and len(want & got) >= 0.6 * len(want) and bool(_head(listed) & got
                                                                      or _head(matched) & want)


def acceptable(food: Any, ids: list[str]) -> bool:
    """A listed food, or another USDA record of the same food with the same calcium and
    magnesium (±20 %)."""
    if food.id in ids:
        return True
    store = default_store()
    mine = store.per_100g(food)
    for fid in ids:
        other = store.get(fid)
        if other is None or not _same_food(other.name, food.name):
            continue
        theirs = store.per_100g(other)
        ok = True
        for key in ("calcium_mg", "magnesium_mg"):
            a, b = mine[key], theirs[key]
            if a is None or b is None:
                ok = ok and a is None and b is None
            elif abs(a - b) > max(2.0, EQUIVALENT * max(a, b)):
                ok = False
        if ok:
            return True
    return False


def score(line: dict[str, Any], report_items: list[Any], unmatched: list[Any]) -> Outcome:
    expected = line["items"]
    confs = [getattr(i, "confidence", 1.0) for i in report_items]
    conf = min(confs) if confs else None
    got = [f"{i.food.id} {i.food.name[:48]} {i.grams:.0f} g"
           + (f" ({getattr(i, 'confidence', 1.0):.2f})") for i in report_items]
    got += [f"unmatched: {u.reason[:60]}" for u in unmatched]
    o = Outcome(line["text"], line["part"], "right", conf, got, set=line.get("set", "matching"))
    if not expected:
        if report_items:
            o.verdict, o.why = "wrong", "no food is meant, but one was matched"
        return o
    free = list(report_items)
    problems = []
    pool = list(report_items)
    for exp in expected:
        same = next((i for i in pool if acceptable(i.food, exp["foods"])), None)
        if same is not None:
            pool.remove(same)
    o.food_right = len(pool) == len(report_items) - len(expected)
    for exp in expected:
        hit = next((i for i in free if acceptable(i.food, exp["foods"])
                    and within(i.grams, *exp["grams"])), None)
        if hit is None:
            same_food = next((i for i in free if acceptable(i.food, exp["foods"])), None)
            problems.append(f"{exp['foods'][0]}: " + (
                f"grams {same_food.grams:.0f} not in {exp['grams']}" if same_food
                else "not matched"))
        else:
            free.remove(hit)
    o.grams_right = o.food_right and not [p for p in problems if "grams" in p or
                                          "not matched" in p]
    if free:
        problems.append("extra item(s): " + ", ".join(i.food.name[:40] for i in free))
    if not problems and not unmatched:
        for key, label in (("calcium_mg", "ca_mg"), ("magnesium_mg", "mg_mg")):
            rng = line.get(label) or []
            if len(rng) == 2:
                total = sum(i.nutrients[key] or 0.0 for i in report_items)
                if not within(total, rng[0], rng[1]):
                    problems.append(f"{key} {total:.0f} not in {rng}")
    if problems:
        wrong_said = [p for p in problems if not p.endswith("not matched")]
        if report_items and (wrong_said or not unmatched):
            o.verdict = "wrong"
        else:
            o.verdict = "unsure"
        o.why = "; ".join(problems)
    elif unmatched:
        o.verdict, o.why = "unsure", "part of the line was not matched"
    return o


def run(lines: list[dict[str, Any]], *, min_confidence: float | None = None) -> list[Outcome]:
    out = []
    for line in lines:
        kwargs: dict[str, Any] = {}
        if min_confidence is not None:
            kwargs["min_confidence"] = min_confidence
        try:
            report = nutrients([line["text"]], **kwargs)
        except TypeError:  # a crampcheck without confidence
            report = nutrients([line["text"]])
        except InputError as exc:
            out.append(Outcome(line["text"], line["part"], "unsure", None, [], f"error: {exc}",
                               set=line.get("set", "matching")))
            continue
        out.append(score(line, report.items, report.unmatched))
    return out


def summary(outcomes: list[Outcome], title: str) -> str:
    n = len(outcomes)
    if not n:
        return f"{title}: no lines"
    counts = {v: sum(o.verdict == v for o in outcomes) for v in ("right", "wrong", "unsure")}
    return (f"{title:9} {n:4} lines: right {counts['right']:4} ({100 * counts['right'] / n:5.1f} %)"
            f"  confidently wrong {counts['wrong']:3} ({100 * counts['wrong'] / n:4.1f} %)"
            f"  unsure {counts['unsure']:3} ({100 * counts['unsure'] / n:4.1f} %)")


def grams_summary(outcomes: list[Outcome], title: str) -> str:
    """Grams alone: among lines whose foods were all matched acceptably, the share whose grams
    are within the range too."""
    fed = [o for o in outcomes if o.food_right]
    if not fed:
        return f"{title}: no line with its foods matched"
    ok = sum(o.grams_right for o in fed)
    return (f"{title:9} grams within range when the food is right: {ok}/{len(fed)} "
            f"({100 * ok / len(fed):5.1f} %)")


def calibration(lines: list[dict[str, Any]]) -> str:
    """Share right among confident and among unsure lines at several thresholds (every line
    run once with no threshold, so each keeps its best guess and its confidence)."""
    raw = run(lines, min_confidence=0.0)
    rows = ["threshold  confident: n  right    unsure: n  right-if-guessed"]
    for t in THRESHOLDS:
        conf = [o for o in raw if o.confidence is not None and o.confidence >= t]
        unsure = [o for o in raw if o.confidence is None or o.confidence < t]

        def share(xs: list[Outcome], right_if_empty: bool = False) -> str:
            if not xs:
                return "   –  "
            ok = sum(o.verdict == "right" for o in xs)
            return f"{100 * ok / len(xs):5.1f} %"

        rows.append(f"  {t:.2f}     {len(conf):11}  {share(conf)}  {len(unsure):9}  "
                    f"{share(unsure)}")
    return "\n".join(rows)


def check_labels(lines: list[dict[str, Any]]) -> list[str]:
    problems = []
    store = default_store()
    for line in lines:
        for it in line["items"]:
            for fid in it["foods"]:
                if store.get(fid) is None:
                    problems.append(f"{line['text']!r}: no food {fid}")
        if not line["items"] or problems:
            continue
        exp = expected_minerals(line["items"])
        for key, label in (("calcium_mg", "ca_mg"), ("magnesium_mg", "mg_mg")):
            want = exp[key]
            have = line.get(label) or []
            if want is None and not have:
                continue
            if want is None or len(have) != 2 or any(
                    not math.isclose(a, b, abs_tol=0.06) for a, b in zip(have, want,
                                                                            strict=True)):
                problems.append(f"{line['text']!r}: {label} {have} but the table gives "
                                f"{None if want is None else [round(x, 1) for x in want]}")
    return problems


def print_failing(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.verdict != "right":
            print(f"{o.verdict.upper():6} [{o.part}] {o.text!r}: {o.why}")
            for g in o.got:
                print(f"         got {g}")
    print()


def print_summaries(outcomes: list[Outcome]) -> None:
    """Right / wrong / unsure per part, for all lines and for the lines about amounts, then
    how often the grams are right."""
    for part in ("tune", "held-out"):
        sub = [o for o in outcomes if o.part == part]
        if sub:
            print(summary(sub, part))
    print(summary(outcomes, "all"))
    amounts = [o for o in outcomes if o.set == "grams"]
    if amounts:
        print("\nLines about amounts (tests/data/grams_lines.toml):")
        for part in ("tune", "held-out"):
            sub = [o for o in amounts if o.part == part]
            if sub:
                print(summary(sub, part))
    print()
    for part in ("tune", "held-out"):
        print(grams_summary([o for o in outcomes if o.part == part], part))


def print_calibration(lines: list[dict[str, Any]]) -> None:
    for part in ("tune", "held-out"):
        sub = [ln for ln in lines if ln["part"] == part]
        if sub:
            print()
            print(f"Calibration, {part} lines (each run with no threshold):")
            print(calibration(sub))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--failing", action="store_true", help="list lines that are not right")
    ap.add_argument("--part", choices=("tune", "held-out"), help="only this part")
    ap.add_argument("--check-labels", action="store_true",
                    help="check the labels' calcium and magnesium against the food table")
    ap.add_argument("--no-calibration", action="store_true")
    args = ap.parse_args()
    lines = load()
    if args.check_labels:
        problems = check_labels(lines)
        print("\n".join(problems) or f"{len(lines)} lines: labels agree with the food table")
        return 1 if problems else 0
    if args.part:
        lines = [ln for ln in lines if ln["part"] == args.part]
    outcomes = run(lines)
    if args.failing:
        print_failing(outcomes)
    print_summaries(outcomes)
    if not args.no_calibration:
        print_calibration(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
