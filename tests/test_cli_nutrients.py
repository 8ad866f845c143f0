"""The nutrients and foods commands, run as a person runs them (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crampcheck.cli", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120)


def test_json_contract():
    out = run("nutrients", "1 cup cooked spinach", "2 large eggs", "zzzzqqq", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"items", "unmatched", "total", "missing"}
    item = data["items"][0]
    assert {"text", "food", "quantity", "unit", "grams", "grams_method", "day", "alternatives",
            "nutrients", "confidence"} <= set(item)
    assert 0.5 <= item["confidence"] <= 1.0
    assert item["food"]["name"] == "Spinach, cooked, boiled, drained, without salt"
    assert item["grams"] == 180.0 and item["grams_method"] == "portion"
    # USDA SR 11458 per 100 g: Ca 136 mg, Mg 87 mg; 1 cup = 180 g
    assert item["nutrients"]["calcium_mg"] == pytest.approx(244.8)
    assert item["nutrients"]["magnesium_mg"] == pytest.approx(156.6)
    assert data["unmatched"] == [{"text": "zzzzqqq", "reason": "no USDA food matches 'zzzzqqq'",
                                  "suggestions": [], "phrase": "zzzzqqq"}]
    assert data["total"]["calcium_mg"] == pytest.approx(
        sum(i["nutrients"]["calcium_mg"] for i in data["items"]), rel=1e-6)


def test_diary_file_and_stdin(tmp_path):
    diary = tmp_path / "d.txt"
    diary.write_text("# 2026-11-20\nbreakfast: 1 cup whole milk; 1 banana\n# 2026-11-21\n"
                     "1 oz almonds\n")
    out = run("nutrients", "--file", str(diary), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert sorted(data["days"]) == ["2026-11-20", "2026-11-21"]
    assert [i["day"] for i in data["items"]] == ["2026-11-20", "2026-11-20", "2026-11-21"]
    piped = run("nutrients", "--file", "-", "--json", stdin=diary.read_bytes())
    assert json.loads(piped.stdout)["total"] == data["total"]
    lines = run("nutrients", "-", "--json", stdin=b"1 cup whole milk\n1 banana\n")
    assert len(json.loads(lines.stdout)["items"]) == 2


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (("nutrients", "1000 cups milk"), None, "typing error"),
        (("nutrients", "0 cups milk"), None, "zero"),
        (("nutrients", "--", "-2 cups milk"), None, "negative"),
        (("nutrients", "--file", "/nonexistent/diary.txt"), None, "no such file"),
        (("nutrients", "--file", "-"), b"", "no food lines"),
        (("nutrients", "--file", "-"), b"# 2026-11-20\n1 cup milk\n\xff\xfe bad\n", "line 3"),
        (("nutrients",), None, "no food lines"),
        (("foods", "show", "sr:99999999"), None, "no food with id"),
    ],
)
def test_bad_input_is_a_one_line_error(args, stdin, message):
    out = run(*args, stdin=stdin)
    assert out.returncode == 2
    err = out.stderr.decode()
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_line_in_diary_names_it(tmp_path):
    diary = tmp_path / "d.txt"
    diary.write_text("# 2026-11-20\n1 cup milk\n500 cups rice\n")
    out = run("nutrients", "--file", str(diary))
    assert out.returncode == 2
    assert f"{diary}, line 3" in out.stderr.decode()


def test_text_output_and_foods_commands():
    out = run("nutrients", "1 cup cooked spinach")
    assert out.returncode == 0
    assert "Spinach" in out.stdout.decode()
    found = run("foods", "search", "pumpkin", "seeds", "--limit", "3", "--json")
    data = json.loads(found.stdout)
    assert len(data["foods"]) == 3
    shown = run("foods", "show", data["foods"][0]["id"], "--json")
    assert json.loads(shown.stdout)["id"] == data["foods"][0]["id"]
