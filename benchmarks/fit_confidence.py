"""Fit the match-confidence model (``crampcheck.foods.confidence``) on the tune lines.

Every line of the *tune* part of ``tests/data/matching_lines.toml`` is run with no threshold;
each matched item is labelled right (an acceptable food with grams within ±25 % of the label,
as :mod:`matching_bench` scores them) or wrong, and its features are taken as they are. A
logistic regression with a small L2 penalty (``--l2``, on the weights, not the intercept) is
fitted by Newton's method. The held-out part is never used to fit; it is only scored.

The script prints the weights, the log-loss and Brier score of the model and of the hand-set
factors (``features["_hand"]``) on both parts, and a threshold table (share of lines right,
confidently wrong and unsure at each threshold). ``--write`` stores the weights in
``src/crampcheck/foods/data/matching.toml`` [model] (run it again afterwards: the features
of a line do not depend on the weights, but a meal line is split or not by the threshold).

Run: ``PYTHONPATH=src python3 benchmarks/fit_confidence.py [--write] [--l2 1.0]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching_bench as mb  # noqa: E402

from crampcheck.errors import InputError  # noqa: E402
from crampcheck.foods.confidence import FEATURES  # noqa: E402
from crampcheck.totals import Item, analyze_text  # noqa: E402

MATCHING = (Path(__file__).resolve().parent.parent / "src" / "crampcheck" / "foods" / "data"
            / "matching.toml")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def items_of(line: dict[str, Any]) -> list[tuple[Item, bool]]:
    """The line's matched items (no threshold), each with whether it is right."""
    try:
        results = analyze_text(line["text"], min_confidence=0.0)
    except InputError:
        return []
    items = [r for r in results if isinstance(r, Item)]
    free = list(line["items"])
    out = []
    for it in items:
        hit = next((e for e in free if mb.acceptable(it.food, e["foods"])
                    and mb.within(it.grams, *e["grams"])), None)
        if hit is not None:
            free.remove(hit)
        out.append((it, hit is not None))
    return out


def matrix(lines: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    rows, ys, hand, meta = [], [], [], []
    for line in lines:
        for it, ok in items_of(line):
            if not it.features:
                continue  # a branded product or a pin: no features
            rows.append([it.features.get(f, 0.0) for f in FEATURES])
            ys.append(1.0 if ok else 0.0)
            hand.append(it.features.get("_hand", it.confidence))
            meta.append((line["text"], it.food.name))
    return np.asarray(rows), np.asarray(ys), np.asarray(hand), meta


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """L2-penalised logistic regression by Newton's method (intercept not penalised)."""
    n, k = x.shape
    a = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a.T * (p * (1 - p))) @ a + np.diag(penalty) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(w[0]), w[1:]


def predict(intercept: float, weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(intercept + x @ weights)))


def losses(p: np.ndarray, y: np.ndarray) -> str:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    logloss = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    brier = np.mean((p - y) ** 2)
    return f"log-loss {logloss:.3f}  Brier {brier:.3f}"


def write(intercept: float, weights: np.ndarray, l2: float, n: int, n_wrong: int) -> None:
    text = MATCHING.read_text(encoding="utf-8")
    head = text[: text.index("# The confidence model")]
    body = [
        "# The confidence model (crampcheck.foods.confidence): a logistic regression over a few",
        "# features of the match and of how the grams were found. Fitted by",
        "# benchmarks/fit_confidence.py on the tune part of tests/data/matching_lines.toml only",
        f"# ({n} matched items, {n_wrong} of them wrong; L2 penalty {l2:g} on the weights; "
        "Newton's",
        "# method). The held-out part was never used to fit.",
        "[model]",
        f"intercept = {intercept:.3f}",
        "",
        "[model.weights]",
    ]
    body += [f"{f} = {w:.3f}" for f, w in zip(FEATURES, weights, strict=True)]
    MATCHING.write_text(head + "\n".join(body) + "\n", encoding="utf-8")


def line_table(lines: list[dict[str, Any]], conf_of) -> list[str]:
    """Share of lines right / confidently wrong / unsure at each threshold, each line run once
    with no threshold (a line is confident when all its items are)."""
    outs = mb.run(lines, min_confidence=0.0)
    rows = []
    for t in THRESHOLDS:
        right = wrong = unsure = 0
        for line, o in zip(lines, outs, strict=True):
            confs = conf_of(line)
            confident = bool(confs) and min(confs) >= t
            if not confs:
                unsure += o.verdict != "right"
                right += o.verdict == "right"
            elif confident:
                right += o.verdict == "right"
                wrong += o.verdict != "right"
            else:
                unsure += 1
        n = len(lines)
        rows.append(f"  {t:.2f}   right {100 * right / n:5.1f} %  confidently wrong "
                    f"{100 * wrong / n:5.1f} %  unsure {100 * unsure / n:5.1f} %")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="store the weights in matching.toml")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--show", action="store_true", help="list the tune items and their fit")
    args = ap.parse_args()
    lines = mb.load()
    tune = [ln for ln in lines if ln["part"] == "tune"]
    held = [ln for ln in lines if ln["part"] == "held-out"]
    x, y, hand, meta = matrix(tune)
    intercept, weights = fit(x, y, args.l2)
    print(f"tune: {len(y)} items, {int(len(y) - y.sum())} wrong")
    print(f"intercept {intercept:+.3f}")
    for f, w in zip(FEATURES, weights, strict=True):
        print(f"  {f:12} {w:+.3f}")
    xh, yh, handh, _ = matrix(held)
    for name, xs, ys, hs in (("tune", x, y, hand), ("held-out", xh, yh, handh)):
        print(f"{name:9} model: {losses(predict(intercept, weights, xs), ys)}   "
              f"hand-set: {losses(hs, ys)}")
    if args.show:
        p = predict(intercept, weights, x)
        for (text, food), pi, yi in sorted(zip(meta, p, y, strict=True), key=lambda r: r[1]):
            print(f"  {pi:.2f} {'ok ' if yi else 'BAD'} {text!r} -> {food[:50]}")

    def model_confs(line: dict[str, Any]) -> list[float]:
        its = [it for it, _ in items_of(line)]
        return [float(predict(intercept, weights,
                              np.asarray([it.features.get(f, 0.0) for f in FEATURES])))
                if it.features else it.confidence for it in its]

    def hand_confs(line: dict[str, Any]) -> list[float]:
        return [it.features.get("_hand", it.confidence) for it, _ in items_of(line)]

    for name, part in (("tune", tune), ("held-out", held)):
        print(f"\n{name}: fitted model (each line run once, no threshold)")
        print("\n".join(line_table(part, model_confs)))
        print(f"{name}: hand-set factors")
        print("\n".join(line_table(part, hand_confs)))
    if args.write:
        write(intercept, weights, args.l2, len(y), int(len(y) - y.sum()))
        print(f"\nwrote {MATCHING}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
