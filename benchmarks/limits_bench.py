"""Benchmark: the CPU one web request can cost, before and within the input limits.

Run ``python benchmarks/limits_bench.py`` (``--quick`` for fewer repeats). It prints:

1. **before**: the request of issue 14 (a valid 60 KB ``/api/nutrients`` body of 200 long
   lines that name brands), measured on a sample of its lines through the matcher and scaled
   to 200 lines (sending it whole would take minutes; the limits now refuse it with a 400);
2. **within the limits** (``crampcheck.limits``): the most expensive requests the limits still
   accept, sent through the app with httpx, each the worst of a few tries:
   ``/api/nutrients`` with the one allowed brand line at full length plus generic lines up to
   the character limit, the same with ``"branded": true``, generic lines of the most common
   food words, misspelt words (fuzzy correction), ``/api/assess`` and ``/api/plan`` with a full
   diary and medicines, and the diary form;
3. the line-length growth that the per-line limit stops: one generic line of 300 to 30,000
   characters through the matcher (it grows faster than linearly).

CPU is ``time.process_time()`` of this process (the app runs in it), so other programs on the
machine do not inflate it. Target: every accepted request under 1 s of CPU.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from crampcheck.foods.search import STOPWORDS, default_index, search_branded
from crampcheck.limits import (
    BRAND_LINE_WEIGHT,
    MAX_BRAND_LINE_WORDS,
    MAX_LINE_CHARS,
    MAX_LINE_WORDS,
    MAX_REQUEST_CHARS,
    MAX_REQUEST_LINES,
)
from crampcheck.totals import analyze_line, nutrients
from crampcheck.web.app import create_app


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def fit(words: list[str], chars: int, max_words: int) -> str:
    out = ""
    for w in words[:max_words]:
        if len(out) + len(w) + 1 > chars:
            break
        out = f"{out} {w}".strip()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeats = 1 if args.quick else 3
    rng = random.Random(14)
    index = default_index()
    search_branded("warm up")  # load the branded table once
    vocab = [w for w in index.vocabulary if w.isalpha() and len(w) > 3]
    common = sorted((w for w in index.postings if w not in STOPWORDS and w.isalpha()),
                    key=lambda w: -len(index.postings[w]))[:80]

    # 1. before: the request
    long_lines = ["Kind " + fit([rng.choice(vocab) for _ in range(80)], 295, 80)
                  for _ in range(200)]
    sample = long_lines[:6 if args.quick else 10]
    per_line = cpu(lambda: nutrients(sample)) / len(sample)
    body = sum(len(t) + 3 for t in long_lines)
    print(f"before: issue request, 200 lines, {body / 1024:.0f} KB: ~{per_line * 200:.0f} s CPU "
          f"({per_line:.2f} s per line, from {len(sample)} lines)")

    # 2. within the limits
    tmp = Path(tempfile.mkdtemp())
    app = create_app(tmp / "bench.db")
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    brand_line = "Kind " + fit([rng.choice(vocab) for _ in range(80)], MAX_LINE_CHARS - 5,
                               MAX_BRAND_LINE_WORDS - 1)
    worst_generic, worst_cost = "", 0.0
    for _ in range(60 if args.quick else 300):
        prefix = rng.choice(["", "1 ", "2 cups ", "1 bowl of ", "3 slices ", "1 handful "])
        k = rng.randint(2, MAX_LINE_WORDS - len(prefix.split()))
        line = prefix + fit([rng.choice(common) for _ in range(k)],
                            MAX_LINE_CHARS - len(prefix), k)
        c = min(cpu(lambda line=line: analyze_line(line)) for _ in range(2))
        if c > worst_cost:
            worst_generic, worst_cost = line, c
    print(f"worst generic line found: {worst_cost * 1000:.1f} ms ({len(worst_generic)} chars)")

    def fill(first: list[str], line: str, extra: int = 0) -> list[str]:
        lines = list(first)
        cap = MAX_REQUEST_LINES - (BRAND_LINE_WEIGHT - 1) * len(first) - extra
        while len(lines) < cap and sum(map(len, lines)) + len(line) <= MAX_REQUEST_CHARS:
            lines.append(line)
        return lines

    width = MAX_REQUEST_CHARS // MAX_REQUEST_LINES
    short_common = fit(common, width, 12)
    misspelt = fit([w[:-1] + "q" for w in rng.sample(vocab, 40)], width, 12)
    case = {"person": {"age": 68, "sex": "female"},
            "medications": ["furosemide 40 mg daily"], "supplements": ["magnesium 200 mg"],
            "diary": {"2026-11-20": fill([brand_line], short_common, extra=2)}}
    generic_case = {**case, "diary": {"2026-11-20": fill([], short_common, extra=2)}}
    med_case = {"person": {"age": 68, "sex": "female"},
                "medications": [fit([rng.choice(vocab) for _ in range(20)],
                                    MAX_REQUEST_CHARS // MAX_REQUEST_LINES - 1, 12)
                                for _ in range(MAX_REQUEST_LINES)]}
    scenarios = {
        "nutrients: brand line + generic lines": (
            "/api/nutrients", {"lines": fill([brand_line], short_common)}),
        "nutrients: branded=true, 1 line": (
            "/api/nutrients", {"lines": [brand_line], "branded": True}),
        "nutrients: worst generic lines found": ("/api/nutrients",
                                                 {"lines": fill([], worst_generic)}),
        "nutrients: short lines of common words": ("/api/nutrients",
                                                   {"lines": fill([], short_common)}),
        "nutrients: misspelt words": ("/api/nutrients", {"lines": fill([], misspelt)}),
        "assess: brand line + full diary": ("/api/assess", case),
        "plan: brand line + full diary": ("/api/plan", case),
        "assess: full generic diary": ("/api/assess", generic_case),
        "plan: full generic diary": ("/api/plan", generic_case),
        "assess: medicines only": ("/api/assess", med_case),
    }
    # the first request of each kind loads tables and modules once (about 1 s for the plan):
    # a cost of starting, not of the input, so it is paid before measuring
    client.post("/api/nutrients", json={"lines": ["1 egg"]})
    client.post("/api/plan", json={"person": {"age": 50, "sex": "male"},
                                   "diary": {"2026-11-20": ["1 egg"]}})
    worst = 0.0
    for name, (path, payload) in scenarios.items():
        costs = []
        for _ in range(repeats):
            t0 = time.process_time()
            r = client.post(path, json=payload)
            costs.append(time.process_time() - t0)
        status = r.status_code
        print(f"within limits: {name:40s} {max(costs):5.2f} s CPU (HTTP {status})")
        if status >= 500:
            print("  unexpected 5xx:", r.text[:200])
        if status < 400:
            worst = max(worst, max(costs))
    page = client.get("/diary")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    form_lines = "\n".join(fill([brand_line], short_common))
    t0 = time.process_time()
    r = client.post("/diary/food", data={"lines": form_lines, "csrf": csrf},
                    headers={"origin": "http://127.0.0.1:8765"}, follow_redirects=False)
    form_cost = time.process_time() - t0
    print(f"within limits: {'diary form: full entry':40s} {form_cost:5.2f} s CPU "
          f"(HTTP {r.status_code})")
    worst = max(worst, form_cost)
    refused = client.post("/api/nutrients", json={"lines": long_lines[:MAX_REQUEST_LINES]})
    print(f"the issue's request now: HTTP {refused.status_code}: "
          f"{refused.json()['detail'][:90]}")
    print(f"worst accepted request: {worst:.2f} s CPU (target < 1 s)")

    # 3. growth with line length (what the per-line limit prevents)
    for n in (300, 3000, 10000, 20000):
        line = " ".join(rng.choices(vocab, k=4000))[:n]
        print(f"one line of {n:>6,} characters through the matcher: "
              f"{cpu(lambda line=line: analyze_line(line)):6.2f} s CPU")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
